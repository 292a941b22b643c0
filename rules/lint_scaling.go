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
	spec := cfg + "PredefinedMetricSpecification."
	// "You can't specify a resource label unless the metric type is ALBRequestCountPerTarget"
	// (Application Auto Scaling API Reference, PredefinedMetricSpecification): an error. The
	// same page marks the label optional, so its absence on ALBRequestCountPerTarget is a warning.
	if m, ok := strOf(r.Get(spec + "PredefinedMetricType")); ok {
		switch label := absent(r.Properties, spec+"ResourceLabel"); {
		case m == "ALBRequestCountPerTarget" && label:
			rep.add(ScalingLabel, r, spec+"ResourceLabel", "unset", "ALBRequestCountPerTarget counts the requests of one target group, which the policy does not name (ResourceLabel app/<load balancer>/<id>/targetgroup/<name>/<id>)")
		case m != "ALBRequestCountPerTarget" && !label:
			rep.add(ScalingMetric, r, spec+"ResourceLabel", "set", "a resource label is only for ALBRequestCountPerTarget, not %s", m)
		}
	}
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
