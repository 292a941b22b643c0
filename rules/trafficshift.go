package rules

import (
	"fmt"
	"math"
)

// Documented limits of ECS-native traffic shifting (ECS API Reference, LinearConfiguration and
// CanaryConfiguration; CloudFormation Template Reference for the 33 hours). The props of
// service.Deployment and the template rule ECS097 both check them here.
const (
	MaxStepBakeMinutes    = 1440
	MinLinearStepPercent  = 3.0
	MinCanaryPercent      = 0.1
	MaxTrafficStepPercent = 100.0
	// MaxShiftMinutes is the longest LINEAR or CANARY deployment CloudFormation accepts, counted
	// from the template's settings: 33 hours.
	MaxShiftMinutes = 33 * 60
)

// CheckStepPercent checks a LINEAR step or a CANARY share: a multiple of 0.1 from the
// strategy's minimum to 100 %.
func CheckStepPercent(prop, strategy string, v float64) error {
	lo := MinLinearStepPercent
	if strategy == "CANARY" {
		lo = MinCanaryPercent
	}
	tenths := v * 10
	if v < lo || v > MaxTrafficStepPercent || math.Abs(tenths-math.Round(tenths)) > 1e-9 {
		return violation(TrafficShiftSettings, prop, fmt.Sprintf("%g", v), "%s shifts between %g and 100 %% of the traffic per step, in multiples of 0.1", strategy, lo).WithUnit(" %")
	}
	return nil
}

// CheckStepBake checks a step bake time in minutes: 0-1440.
func CheckStepBake(prop string, minutes int) error {
	return inRange(TrafficShiftSettings, prop, minutes, 0, MaxStepBakeMinutes, " min")
}

// CheckShiftDuration applies CloudFormation's limit: BakeTimeInMinutes plus the step bakes
// between the shifts (as ModelTrafficShift counts them) at most MaxShiftMinutes.
func CheckShiftDuration(prop, strategy string, bakeMinutes, stepBakeMinutes int, step float64) error {
	if strategy != "LINEAR" && strategy != "CANARY" {
		return nil
	}
	s := ModelTrafficShift(TrafficShiftDeployment{Strategy: strategy, StepPercent: step, StepBake: stepBakeMinutes, Bake: bakeMinutes})
	if total := s.Shifting + s.Bake; total > MaxShiftMinutes {
		return violation(TrafficShiftSettings, prop, bakeMinutes, "with its steps the deployment takes %d minutes by CloudFormation's count, over the 33 hours (%d minutes) CloudFormation accepts", total, MaxShiftMinutes).WithUnit(" min")
	}
	return nil
}

// Documented limits of CodeDeploy blue/green deployments of ECS services (CodeDeploy API
// Reference, BlueInstanceTerminationOption, TimeBasedCanary and TimeBasedLinear). The props of
// service.Deployment with CodeDeploy and the template rule ECS063 both check them here.
const (
	// MaxTerminationWaitMinutes is the longest CodeDeploy keeps the blue task set: 2880 (2 days).
	MaxTerminationWaitMinutes = 2880
)

// CheckTerminationWait checks the minutes CodeDeploy waits before it stops the blue tasks.
func CheckTerminationWait(prop string, minutes int) error {
	return inRange(CodeDeploySettings, prop, minutes, 0, MaxTerminationWaitMinutes, " min")
}

// CheckCodeDeployPercent checks a CodeDeploy canary or linear share: a whole percentage (the
// API's type is Integer) of the traffic, 1-100.
func CheckCodeDeployPercent(prop string, v float64) error {
	if v < 1 || v > 100 || v != math.Trunc(v) {
		return violation(CodeDeploySettings, prop, fmt.Sprintf("%g", v), "CodeDeploy shifts a whole percentage of the traffic per step (1-100)").WithUnit(" %")
	}
	return nil
}
