package rules

import "fmt"

// SlowDeploySeconds is the modeled rolling deployment time above which ECS100 warns: a few
// minutes (ECS Best Practices Guide, "Speeding up deployments").
const SlowDeploySeconds = 300

// Defaults the model assumes where a template leaves a setting unset (the ECS, ELB and
// CloudFormation defaults).
const (
	ecsDefaultStopTimeout       = 30
	elbDefaultInterval          = 30
	elbDefaultHealthyThreshold  = 5
	elbDefaultDeregistration    = 300
	ecsDefaultDesiredCount      = 1
	ecsDefaultMinHealthyPercent = 100
	ecsDefaultMaxPercent        = 200
)

// ServiceDeploy is a service's modeled rolling deployment.
type ServiceDeploy struct {
	Template, LogicalID, Path string
	Deploy                    DeployTime
}

// DeployTimes models the rolling deployment of every ECS-controlled replica service of t.
// Settings given as intrinsic functions take their defaults.
func DeployTimes(t *Template) []ServiceDeploy {
	var out []ServiceDeploy
	for _, r := range t.SortedResources("AWS::ECS::Service") {
		s := serviceOf(t, r)
		if s.daemon || s.controller != "ECS" || !s.rolling() {
			continue
		}
		d := modelService(t, s)
		if d.Batches == 0 {
			continue // it cannot progress at all (ECS041), which no number of seconds describes
		}
		out = append(out, ServiceDeploy{Template: t.Name, LogicalID: r.LogicalID, Path: r.Path, Deploy: d})
	}
	return out
}

func intOr(v any, def int) int {
	if n, ok := intOf(v); ok {
		return n
	}
	return def
}

func modelService(t *Template, s *serviceInfo) DeployTime {
	r := s.r
	in := RollingDeployment{
		DesiredCount:      intOr(r.Get("DesiredCount"), ecsDefaultDesiredCount),
		MinHealthyPercent: intOr(r.Get("DeploymentConfiguration.MinimumHealthyPercent"), ecsDefaultMinHealthyPercent),
		MaxPercent:        intOr(r.Get("DeploymentConfiguration.MaximumPercent"), ecsDefaultMaxPercent),
		StopTimeout:       ecsDefaultStopTimeout,
	}
	if s.task != nil {
		longest := 0
		for _, c := range listOf(s.task.r.Get("ContainerDefinitions")) {
			longest = max(longest, intOr(lookup(c, "StopTimeout"), ecsDefaultStopTimeout))
		}
		if longest > 0 {
			in.StopTimeout = longest
		}
	}
	for _, lb := range listOf(r.Get("LoadBalancers")) {
		tg := t.Target(lookup(lb, "TargetGroupArn"))
		if tg == nil {
			continue
		}
		in.HealthCheckInterval = max(in.HealthCheckInterval, intOr(tg.Get("HealthCheckIntervalSeconds"), elbDefaultInterval))
		in.HealthyThreshold = max(in.HealthyThreshold, intOr(tg.Get("HealthyThresholdCount"), elbDefaultHealthyThreshold))
		dereg := elbDefaultDeregistration
		for _, a := range listOf(tg.Get("TargetGroupAttributes")) {
			if lookup(a, "Key") == "deregistration_delay.timeout_seconds" {
				dereg = intOr(lookup(a, "Value"), dereg)
			}
		}
		in.DeregistrationDelay = max(in.DeregistrationDelay, dereg)
	}
	return ModelDeployTime(in)
}

func checkDeployTime(rep *report, s *serviceInfo) {
	if s.daemon || s.controller != "ECS" || !s.rolling() {
		return
	}
	d := modelService(rep.t, s)
	if d.Seconds() <= SlowDeploySeconds {
		return
	}
	parts := []struct {
		name string
		secs int
	}{
		{"the load balancer health checks (HealthCheckIntervalSeconds x HealthyThresholdCount)", d.HealthChecks},
		{"the deregistration delay (deregistration_delay.timeout_seconds)", d.Deregistration},
		{"the containers' StopTimeout", d.Stop},
		{"the task start", d.TaskStart},
	}
	top := parts[0]
	for _, p := range parts[1:] {
		if p.secs > top.secs {
			top = p
		}
	}
	rep.add(SlowDeployment, s.r, "", fmt.Sprintf("modeled deploy time %d s", d.Seconds()), "a rolling deployment models %s; %s dominates with %d s per batch", d, top.name, top.secs)
}
