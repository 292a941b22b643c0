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
	return fmt.Sprintf("%d s = %d batch(es) x (%d s task start + %d s health checks + %d s deregistration delay + %d s stop timeout)",
		d.Seconds(), d.Batches, d.TaskStart, d.HealthChecks, d.Deregistration, d.Stop)
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
