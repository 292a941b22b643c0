package rules

import (
	"fmt"
	"strings"
)

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

// Modeled is a service's modeled deployment: a rolling update (Deploy) or a traffic shift
// (Shift).
type Modeled struct {
	Deploy DeployTime
	// Shift is the model of a blue/green, linear or canary deployment, ECS-native or CodeDeploy
	// (nil for a rolling update, whose model is Deploy).
	Shift *ShiftTime
}

// Seconds is the modeled duration, of the traffic shift or of the rolling update.
func (m Modeled) Seconds() int {
	if m.Shift != nil {
		return m.Shift.Seconds()
	}
	return m.Deploy.Seconds()
}

// String explains the figure.
func (m Modeled) String() string {
	if m.Shift != nil {
		return m.Shift.String()
	}
	return m.Deploy.String()
}

// Dominant names the largest part of the modeled time.
func (m Modeled) Dominant() string {
	if m.Shift != nil {
		return m.Shift.Dominant()
	}
	return m.Deploy.Dominant()
}

// ServiceDeploy is a service's modeled deployment in a template.
type ServiceDeploy struct {
	Template, LogicalID, Path string
	Modeled
}

// Model explains the figure.
func (d ServiceDeploy) Model() string { return d.String() }

// DeployTimes models the rolling deployment of every ECS-controlled replica service of t.
// Settings given as intrinsic functions take their defaults.
func DeployTimes(t *Template) []ServiceDeploy {
	var out []ServiceDeploy
	for _, r := range t.SortedResources("AWS::ECS::Service") {
		s := serviceOf(t, r)
		if s.controller == "CODE_DEPLOY" && !s.daemon {
			if shift, ok := modelCodeDeploy(t, s); ok {
				out = append(out, ServiceDeploy{Template: t.Name, LogicalID: r.LogicalID, Path: r.Path, Modeled: Modeled{Shift: &shift}})
			}
			continue
		}
		if s.daemon || s.controller != "ECS" {
			continue
		}
		if !s.rolling() {
			if shift, ok := modelShift(t, s); ok {
				out = append(out, ServiceDeploy{Template: t.Name, LogicalID: r.LogicalID, Path: r.Path, Modeled: Modeled{Shift: &shift}})
			}
			continue
		}
		d := modelService(t, s)
		if d.Batches == 0 {
			continue // it cannot progress at all (ECS041), which no number of seconds describes
		}
		out = append(out, ServiceDeploy{Template: t.Name, LogicalID: r.LogicalID, Path: r.Path, Modeled: Modeled{Deploy: d}})
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
	lb := lbSettingsOf(t, s)
	return ModelDeployTime(RollingDeployment{
		DesiredCount:        intOr(r.Get("DesiredCount"), ecsDefaultDesiredCount),
		MinHealthyPercent:   intOr(r.Get("DeploymentConfiguration.MinimumHealthyPercent"), ecsDefaultMinHealthyPercent),
		MaxPercent:          intOr(r.Get("DeploymentConfiguration.MaximumPercent"), ecsDefaultMaxPercent),
		HealthCheckInterval: lb.interval, HealthyThreshold: lb.threshold,
		DeregistrationDelay: lb.deregistration, StopTimeout: lb.stop,
	})
}

// lbSettings are the settings both deployment models read from a service's target groups and
// task definition.
type lbSettings struct {
	interval, threshold, deregistration, stop int
	// nlb: a target group has a Network Load Balancer protocol (a literal one; an unknown
	// protocol counts as none, so the model never grows on a guess).
	nlb bool
}

// nlbProtocols are the target group protocols of a Network Load Balancer (ELB API Reference,
// CreateTargetGroup: Protocol).
var nlbProtocols = map[string]bool{"TCP": true, "TLS": true, "UDP": true, "TCP_UDP": true}

// lbSettingsOf reads them, with the ECS and ELB defaults where the template leaves them unset
// (the slowest target group counts).
func lbSettingsOf(t *Template, s *serviceInfo) lbSettings {
	out := lbSettings{stop: ecsDefaultStopTimeout}
	if s.task != nil {
		longest := 0
		for _, c := range listOf(s.task.r.Get("ContainerDefinitions")) {
			longest = max(longest, intOr(lookup(c, "StopTimeout"), ecsDefaultStopTimeout))
		}
		if longest > 0 {
			out.stop = longest
		}
	}
	for _, lb := range listOf(s.r.Get("LoadBalancers")) {
		tg := t.Target(lookup(lb, "TargetGroupArn"))
		if tg == nil {
			continue
		}
		out.interval = max(out.interval, intOr(tg.Get("HealthCheckIntervalSeconds"), elbDefaultInterval))
		out.threshold = max(out.threshold, intOr(tg.Get("HealthyThresholdCount"), elbDefaultHealthyThreshold))
		dereg := elbDefaultDeregistration
		for _, a := range listOf(tg.Get("TargetGroupAttributes")) {
			if lookup(a, "Key") == "deregistration_delay.timeout_seconds" {
				dereg = intOr(lookup(a, "Value"), dereg)
			}
		}
		out.deregistration = max(out.deregistration, dereg)
		if p, ok := strOf(tg.Get("Protocol")); ok && nlbProtocols[p] {
			out.nlb = true
		}
	}
	return out
}

// modelInputsKnown reports whether every value the rolling model reads is literal or absent
// (absent takes the documented default): a slow model built on a guess is no finding.
func modelInputsKnown(t *Template, s *serviceInfo) bool {
	num := func(v any, path string) bool {
		if absent(v, path) {
			return true
		}
		_, ok := intOf(lookup(v, path))
		return ok
	}
	r := s.r
	if !num(r.Properties, "DesiredCount") || !num(r.Properties, "DeploymentConfiguration.MinimumHealthyPercent") || !num(r.Properties, "DeploymentConfiguration.MaximumPercent") {
		return false
	}
	if s.task != nil {
		containers, ok := s.task.r.Get("ContainerDefinitions").([]any)
		if !ok {
			return false
		}
		for _, c := range containers {
			if _, ok := literalMap(c); !ok || !num(c, "StopTimeout") {
				return false
			}
		}
	}
	lbs, ok := r.Get("LoadBalancers").([]any)
	if !ok {
		return absent(r.Properties, "LoadBalancers")
	}
	for _, lb := range lbs {
		m, ok := literalMap(lb)
		if !ok {
			return false
		}
		tg := t.Target(m["TargetGroupArn"])
		if tg == nil {
			continue
		}
		if !num(tg.Properties, "HealthCheckIntervalSeconds") || !num(tg.Properties, "HealthyThresholdCount") {
			return false
		}
		if absent(tg.Properties, "TargetGroupAttributes") {
			continue
		}
		attrs, ok := tg.Get("TargetGroupAttributes").([]any)
		if !ok {
			return false
		}
		for _, a := range attrs {
			am, ok := literalMap(a)
			if !ok {
				return false
			}
			if k, ok := strOf(am["Key"]); !ok || (k == "deregistration_delay.timeout_seconds" && !num(am, "Value")) {
				return false
			}
		}
	}
	return true
}

func checkDeployTime(rep *report, s *serviceInfo) {
	if s.daemon || s.controller != "ECS" || !s.rolling() || !modelInputsKnown(rep.t, s) {
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

// ECS's defaults for traffic shifting (ECS API Reference, LinearConfiguration and
// CanaryConfiguration).
const (
	ecsDefaultLinearStepPercent = 10.0
	ecsDefaultLinearStepBake    = 6 // minutes
	ecsDefaultCanaryPercent     = 5.0
	ecsDefaultCanaryBake        = 10 // minutes
)

// modelShift models a traffic-shifting deployment from the template, when its strategy and
// bake time are literal.
func modelShift(t *Template, s *serviceInfo) (ShiftTime, bool) {
	r := s.r
	st, ok := strOf(r.Get("DeploymentConfiguration.Strategy"))
	bake, bakeOK := intOf(r.Get("DeploymentConfiguration.BakeTimeInMinutes"))
	if !ok || !bakeOK {
		return ShiftTime{}, false
	}
	lb := lbSettingsOf(t, s)
	d := TrafficShiftDeployment{Strategy: st, Bake: 60 * bake,
		HealthCheckInterval: lb.interval, HealthyThreshold: lb.threshold,
		DeregistrationDelay: lb.deregistration, StopTimeout: lb.stop, NetworkLoadBalancer: lb.nlb}
	floatOr := func(v any, def float64) float64 {
		if f, ok := v.(float64); ok {
			return f
		}
		return def
	}
	switch st {
	case "LINEAR":
		d.StepPercent = floatOr(r.Get("DeploymentConfiguration.LinearConfiguration.StepPercent"), ecsDefaultLinearStepPercent)
		d.StepBake = 60 * intOr(r.Get("DeploymentConfiguration.LinearConfiguration.StepBakeTimeInMinutes"), ecsDefaultLinearStepBake)
	case "CANARY":
		d.StepPercent = floatOr(r.Get("DeploymentConfiguration.CanaryConfiguration.CanaryPercent"), ecsDefaultCanaryPercent)
		d.StepBake = 60 * intOr(r.Get("DeploymentConfiguration.CanaryConfiguration.CanaryBakeTimeInMinutes"), ecsDefaultCanaryBake)
	}
	return ModelTrafficShift(d), true
}

// CodeDeployShift is a CodeDeploy ECS deployment configuration's traffic shifting.
type CodeDeployShift struct {
	Strategy        string // BLUE_GREEN (all at once), LINEAR or CANARY, as ModelTrafficShift reads it
	Percent         float64
	IntervalMinutes int
}

// CodeDeployPredefined is the traffic shifting of CodeDeploy's predefined ECS deployment
// configurations (CodeDeploy User Guide, "Working with deployment configurations"); the names
// compare without regard to case, as the guide writes some of them in two ways.
func CodeDeployPredefined(name string) (CodeDeployShift, bool) {
	c, ok := map[string]CodeDeployShift{
		"codedeploydefault.ecsallatonce":                    {Strategy: "BLUE_GREEN"},
		"codedeploydefault.ecslinear10percentevery1minutes": {Strategy: "LINEAR", Percent: 10, IntervalMinutes: 1},
		"codedeploydefault.ecslinear10percentevery3minutes": {Strategy: "LINEAR", Percent: 10, IntervalMinutes: 3},
		"codedeploydefault.ecscanary10percent5minutes":      {Strategy: "CANARY", Percent: 10, IntervalMinutes: 5},
		"codedeploydefault.ecscanary10percent15minutes":     {Strategy: "CANARY", Percent: 10, IntervalMinutes: 15},
	}[strings.ToLower(name)]
	return c, ok
}

// codeDeployShiftOf reads a deployment group's configuration: a predefined name, or a
// DeploymentConfig of the template with its traffic routing.
func codeDeployShiftOf(t *Template, dg *Resource) (CodeDeployShift, bool) {
	v := dg.Get("DeploymentConfigName")
	if name, ok := strOf(v); ok {
		return CodeDeployPredefined(name)
	}
	cfg := t.Target(v)
	if cfg == nil || cfg.Type != "AWS::CodeDeploy::DeploymentConfig" {
		return CodeDeployShift{}, false
	}
	typ, _ := strOf(cfg.Get("TrafficRoutingConfig.Type"))
	switch typ {
	case "AllAtOnce":
		return CodeDeployShift{Strategy: "BLUE_GREEN"}, true
	case "TimeBasedCanary":
		p, ok1 := intOf(cfg.Get("TrafficRoutingConfig.TimeBasedCanary.CanaryPercentage"))
		i, ok2 := intOf(cfg.Get("TrafficRoutingConfig.TimeBasedCanary.CanaryInterval"))
		return CodeDeployShift{Strategy: "CANARY", Percent: float64(p), IntervalMinutes: i}, ok1 && ok2
	case "TimeBasedLinear":
		p, ok1 := intOf(cfg.Get("TrafficRoutingConfig.TimeBasedLinear.LinearPercentage"))
		i, ok2 := intOf(cfg.Get("TrafficRoutingConfig.TimeBasedLinear.LinearInterval"))
		return CodeDeployShift{Strategy: "LINEAR", Percent: float64(p), IntervalMinutes: i}, ok1 && ok2
	}
	return CodeDeployShift{}, false
}

// deploymentGroupOf is the CodeDeploy deployment group of the template that deploys svc.
func deploymentGroupOf(t *Template, svc *Resource) *Resource {
	for _, dg := range t.SortedResources("AWS::CodeDeploy::DeploymentGroup") {
		for _, es := range listOf(dg.Get("ECSServices")) {
			if t.Target(lookup(es, "ServiceName")) == svc {
				return dg
			}
		}
	}
	return nil
}

// modelCodeDeploy models a CODE_DEPLOY service's deployment from its deployment group: the
// configuration's shifts, then the wait before the blue tasks stop as the bake. A manual
// approval wait (DeploymentReadyOption STOP_DEPLOYMENT) is a person's time and not modeled.
func modelCodeDeploy(t *Template, s *serviceInfo) (ShiftTime, bool) {
	dg := deploymentGroupOf(t, s.r)
	if dg == nil {
		return ShiftTime{}, false
	}
	c, ok := codeDeployShiftOf(t, dg)
	if !ok {
		return ShiftTime{}, false
	}
	term := "BlueGreenDeploymentConfiguration.TerminateBlueInstancesOnDeploymentSuccess."
	if a, _ := strOf(dg.Get(term + "Action")); a == "KEEP_ALIVE" {
		return ShiftTime{}, false // the blue tasks stay until someone stops them
	}
	wait, ok := intOf(orZero(dg.Get(term + "TerminationWaitTimeInMinutes")))
	if !ok {
		return ShiftTime{}, false
	}
	lb := lbSettingsOf(t, s)
	return ModelTrafficShift(TrafficShiftDeployment{Strategy: c.Strategy, StepPercent: c.Percent, StepBake: 60 * c.IntervalMinutes, Bake: 60 * wait,
		HealthCheckInterval: lb.interval, HealthyThreshold: lb.threshold, DeregistrationDelay: lb.deregistration, StopTimeout: lb.stop}), true
}

// orZero is v, or 0 when v is absent.
func orZero(v any) any {
	if v == nil {
		return 0.0
	}
	return v
}
