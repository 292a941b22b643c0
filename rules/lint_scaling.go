package rules

// This file holds the rules on Application Auto Scaling: scalable targets and scaling policies.

import (
	"fmt"
)

func checkScalableTarget(rep *report, r *Resource) {
	lo, lok := intOf(r.Get("MinCapacity"))
	hi, hok := intOf(r.Get("MaxCapacity"))
	if lok && hok {
		rep.from(r, CheckCapacity("MinCapacity", lo, "MaxCapacity", hi))
	}
	for i, a := range listOf(r.Get("ScheduledActions")) {
		if expr, ok := strOf(lookup(a, "Schedule")); ok {
			rep.from(r, CheckScalingSchedule(fmt.Sprintf("ScheduledActions.%d.Schedule", i), expr))
		}
	}
}

// utilizationMetrics are the predefined target tracking metrics measured in percent.
var utilizationMetrics = map[string]bool{"ECSServiceAverageCPUUtilization": true, "ECSServiceAverageMemoryUtilization": true}

func checkScalingPolicy(rep *report, r *Resource) {
	cfg := "TargetTrackingScalingPolicyConfiguration."
	v, ok := intOf(r.Get(cfg + "TargetValue"))
	if !ok {
		return
	}
	if m, _ := strOf(r.Get(cfg + "PredefinedMetricSpecification.PredefinedMetricType")); utilizationMetrics[m] {
		rep.from(r, CheckUtilizationTarget(cfg+"TargetValue", v))
	} else {
		rep.from(r, CheckPositiveTarget(cfg+"TargetValue", v))
	}
}
