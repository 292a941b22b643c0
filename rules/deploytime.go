package rules

import "fmt"

// ModeledTaskStartSeconds is the time the model allows a Fargate task to be placed, pull its
// image and start: the figure the AWS ECS Best Practices Guide ("Speeding up deployments")
// works with for a small image.
const ModeledTaskStartSeconds = 30

// DocSpeedingUpDeployments is the source of the deploy-time model.
const DocSpeedingUpDeployments = "https://docs.aws.amazon.com/AmazonECS/latest/bestpracticesguide/deployment.html"

// RollingDeployment is what the deploy-time model reads from a service.
type RollingDeployment struct {
	DesiredCount        int
	MinHealthyPercent   int
	MaxPercent          int
	HealthCheckInterval int // load balancer health check interval, s (0: no load balancer)
	HealthyThreshold    int // load balancer healthy threshold count
	DeregistrationDelay int // s
	StopTimeout         int // the longest container stop timeout, s
}

// DeployTime is a modeled rolling deployment: each batch starts new tasks, waits for them to
// pass the load balancer health checks, then drains and stops as many old ones.
type DeployTime struct {
	TaskStart, HealthChecks, Deregistration, Stop int // seconds, per batch
	Batches                                       int
}

// Seconds is the modeled duration of the whole deployment.
func (d DeployTime) Seconds() int {
	return d.Batches * (d.TaskStart + d.HealthChecks + d.Deregistration + d.Stop)
}

// String explains the figure, e.g. "60 s = 1 batch x (30 s start + 10 s health checks + ...)".
func (d DeployTime) String() string {
	return fmt.Sprintf("%d s = %d batch(es) x (%d s task start + %d s health checks + %d s deregistration delay + %d s stop timeout); largest part: %s",
		d.Seconds(), d.Batches, d.TaskStart, d.HealthChecks, d.Deregistration, d.Stop, d.Dominant())
}

// Dominant names the largest part of one batch (or "the batches" when there are several):
// the setting to change first to make a deployment faster.
func (d DeployTime) Dominant() string {
	if d.Batches > 1 {
		return "the number of batches"
	}
	return largest([]part{{"task start", d.TaskStart}, {"health checks", d.HealthChecks},
		{"deregistration delay", d.Deregistration}, {"stop timeout", d.Stop}})
}

// ModelDeployTime models a rolling deployment of r. The batch size is the number of tasks ECS
// may start beyond the desired count (maxPercent) plus those it may stop below it
// (minimumHealthyPercent); the deployment replaces every task in ceil(desired / batch) batches.
func ModelDeployTime(r RollingDeployment) DeployTime {
	d := DeployTime{
		TaskStart:      ModeledTaskStartSeconds,
		HealthChecks:   r.HealthCheckInterval * r.HealthyThreshold,
		Deregistration: r.DeregistrationDelay,
		Stop:           r.StopTimeout,
		Batches:        1,
	}
	if r.DesiredCount <= 0 {
		return d
	}
	up := r.DesiredCount*r.MaxPercent/100 - r.DesiredCount               // extra tasks above desired
	down := r.DesiredCount - (r.DesiredCount*r.MinHealthyPercent+99)/100 // tasks that may go below desired
	batch := up + down
	if batch <= 0 {
		d.Batches = 0 // the deployment cannot progress (see CheckDeployment)
		return d
	}
	d.Batches = (r.DesiredCount + batch - 1) / batch
	return d
}

// TrafficShiftDeployment is what the model reads from an ECS-native blue/green, linear or
// canary deployment (ECS Developer Guide, "Amazon ECS blue/green deployments").
type TrafficShiftDeployment struct {
	Strategy            string  // BLUE_GREEN, LINEAR or CANARY
	StepPercent         float64 // LINEAR: traffic per step; CANARY: the canary's share
	StepBake, Bake      int     // s: the wait after each shift but the last, and after the last
	HealthCheckInterval int     // load balancer health check interval, s
	HealthyThreshold    int
	DeregistrationDelay int // s
	StopTimeout         int // the longest container stop timeout, s
	// NetworkLoadBalancer: the service's target groups are behind a Network Load Balancer, and
	// ECS waits NLBStageDelaySeconds in each traffic shift stage.
	NetworkLoadBalancer bool
}

// NLBStageDelaySeconds is the delay ECS adds to the TEST_TRAFFIC_SHIFT and
// PRODUCTION_TRAFFIC_SHIFT stages of a deployment through a Network Load Balancer, so that the
// data plane routes by the weights it was given (ECS Developer Guide, "Network Load Balancer
// resources for Amazon ECS blue/green, linear and canary deployments"; an earlier edition listed
// PRE_SCALE_UP too).
const NLBStageDelaySeconds = 600

// ShiftTime is a modeled traffic-shifting deployment: the green tasks start and pass their
// health checks, traffic shifts in Steps with a bake between steps, the last bake keeps the
// blue tasks for a rollback, then they drain and stop.
type ShiftTime struct {
	TaskStart, HealthChecks, Shifting, Bake, Deregistration, Stop int // seconds
	Steps                                                         int
	// NLBDelay is the Network Load Balancer delay of the two traffic shift stages (s).
	NLBDelay int
}

// Seconds is the modeled duration of the whole deployment.
func (s ShiftTime) Seconds() int {
	return s.TaskStart + s.HealthChecks + s.Shifting + s.Bake + s.Deregistration + s.Stop + s.NLBDelay
}

// String explains the figure.
func (s ShiftTime) String() string {
	nlb := ""
	if s.NLBDelay > 0 {
		nlb = fmt.Sprintf(" + %d s Network Load Balancer delay", s.NLBDelay)
	}
	return fmt.Sprintf("%d s = %d s task start + %d s health checks + %d s between %d traffic shift(s) + %d s bake + %d s deregistration delay + %d s stop timeout%s; largest part: %s",
		s.Seconds(), s.TaskStart, s.HealthChecks, s.Shifting, s.Steps, s.Bake, s.Deregistration, s.Stop, nlb, s.Dominant())
}

// Dominant names the largest part of the modeled time: the setting to change first to make a
// deployment faster.
func (s ShiftTime) Dominant() string {
	return largest([]part{{"task start", s.TaskStart}, {"health checks", s.HealthChecks},
		{"the steps", s.Shifting}, {"the bake", s.Bake}, {"deregistration delay", s.Deregistration}, {"stop timeout", s.Stop},
		{"the Network Load Balancer delay", s.NLBDelay}})
}

type part struct {
	name    string
	seconds int
}

// largest is the name of the longest part (the first of equals).
func largest(parts []part) string {
	best := parts[0]
	for _, p := range parts[1:] {
		if p.seconds > best.seconds {
			best = p
		}
	}
	return best.name
}

// ModelTrafficShift models d: BLUE_GREEN shifts once; CANARY twice (the canary, then the
// rest) with one step bake between; LINEAR in ceil(100 / step) steps with a step bake between
// each (none after reaching 100 %, as the ECS API Reference states for LinearConfiguration).
func ModelTrafficShift(d TrafficShiftDeployment) ShiftTime {
	s := ShiftTime{
		TaskStart: ModeledTaskStartSeconds, HealthChecks: d.HealthCheckInterval * d.HealthyThreshold,
		Bake: d.Bake, Deregistration: d.DeregistrationDelay, Stop: d.StopTimeout, Steps: 1,
	}
	switch d.Strategy {
	case "CANARY":
		s.Steps = 2
	case "LINEAR":
		if d.StepPercent > 0 {
			tenths := int(d.StepPercent*10 + 0.5)
			s.Steps = (1000 + tenths - 1) / tenths
		}
	}
	s.Shifting = (s.Steps - 1) * d.StepBake
	if d.NetworkLoadBalancer {
		s.NLBDelay = 2 * NLBStageDelaySeconds
	}
	return s
}
