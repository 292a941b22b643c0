package rules

import (
	"fmt"
	"sort"
	"strings"
)

// Finding is one rule a template breaks, located by template, logical ID, construct path and
// property path.
type Finding struct {
	Rule     Rule
	Template string
	// File is the template's path as loaded, and Line and Column where the offending value
	// (or the nearest enclosing one) is written; "" and 0 when not known.
	File         string
	Line, Column int
	LogicalID    string
	Path         string // CDK construct path, "" for templates not made by CDK
	Property     string // property path inside the resource, e.g. "ContainerDefinitions.0.Memory"
	Value        any
	Message      string
}

func (f Finding) String() string {
	loc := f.LogicalID
	if f.Path != "" {
		loc += " (" + f.Path + ")"
	}
	return fmt.Sprintf("%s %s %s %s: %s: %s; fix: %s", f.Rule.ID, f.Rule.Severity, f.Template, loc, f.Subject(), f.Message, f.Rule.Fix)
}

// Subject is what the finding is about: Property=Value, or the value alone for a finding on
// the resource as a whole (ECS100's modeled deploy time).
func (f Finding) Subject() string {
	if f.Property == "" {
		return fmt.Sprint(f.Value)
	}
	return fmt.Sprintf("%s=%v", f.Property, f.Value)
}

type report struct {
	t        *Template
	findings []Finding
}

func (rep *report) add(rule Rule, r *Resource, prop string, value any, format string, args ...any) {
	pos := rep.t.position(r.LogicalID, prop)
	rep.findings = append(rep.findings, Finding{
		Rule: rule, Template: rep.t.Name, File: rep.t.File, Line: pos.Line, Column: pos.Column,
		LogicalID: r.LogicalID, Path: r.Path,
		Property: prop, Value: value, Message: fmt.Sprintf(format, args...),
	})
}

// from turns the violations of err (from the props-level check functions, called with
// property paths of the resource) into findings on r.
func (rep *report) from(r *Resource, err error) {
	for _, v := range Violations(err) {
		rep.add(v.Rule, r, v.Property, v.Value, "%s", v.Detail)
	}
}

// Lint runs every rule of the catalogue over t. Findings are ordered by logical ID, then rule.
func Lint(t *Template) []Finding {
	rep := &report{t: t}
	for _, r := range t.SortedResources("") {
		if r.Condition != "" {
			continue // may not exist in the rendering that deploys
		}
		switch r.Type {
		case "AWS::ECS::TaskDefinition":
			checkTaskDefinition(rep, r)
		case "AWS::ECS::Service":
			checkService(rep, r)
			checkName(rep, r, "ServiceName", "service")
		case "AWS::ECS::Cluster":
			checkName(rep, r, "ClusterName", "cluster")
		case "AWS::ElasticLoadBalancingV2::LoadBalancer":
			checkLoadBalancer(rep, r)
		case "AWS::ElasticLoadBalancingV2::TargetGroup":
			checkTargetGroup(rep, r)
		case "AWS::ApplicationAutoScaling::ScalableTarget":
			checkScalableTarget(rep, r)
		case "AWS::ApplicationAutoScaling::ScalingPolicy":
			checkScalingPolicy(rep, r)
		case "AWS::ElasticLoadBalancingV2::Listener":
			checkListener(rep, r)
		case "AWS::EC2::LaunchTemplate":
			checkLaunchTemplate(rep, r)
		case "AWS::ECS::CapacityProvider":
			checkCapacityProvider(rep, r)
		case "AWS::CodeDeploy::DeploymentGroup":
			checkDeploymentGroup(rep, r)
		case "AWS::CodeDeploy::DeploymentConfig":
			checkDeploymentConfig(rep, r)
		case "AWS::ECS::ExpressGatewayService":
			checkExpressService(rep, r)
		case "AWS::Scheduler::Schedule":
			checkSchedule(rep, r)
			if ecs := r.Get("Target.EcsParameters"); ecs != nil {
				checkScheduledTask(rep, r, "Target.", ecs)
			}
		case "AWS::Events::Rule":
			if expr, ok := strOf(r.Get("ScheduleExpression")); ok {
				rep.from(r, CheckEventsRuleExpression("ScheduleExpression", expr))
			}
			for i, tg := range listOf(r.Get("Targets")) {
				if ecs := lookup(tg, "EcsParameters"); ecs != nil {
					checkScheduledTask(rep, r, fmt.Sprintf("Targets.%d.", i), ecs)
					checkDelivery(rep, r, fmt.Sprintf("Targets.%d.", i), tg)
				}
			}
		}
	}
	checkConnectUnique(rep)
	checkListenerRules(rep)
	checkAgentCluster(rep)
	for _, d := range t.Duplicates {
		checkDuplicate(rep, d)
	}
	sort.SliceStable(rep.findings, func(i, j int) bool {
		a, b := rep.findings[i], rep.findings[j]
		if a.LogicalID != b.LogicalID {
			return a.LogicalID < b.LogicalID
		}
		return a.Rule.ID < b.Rule.ID
	})
	return dropAcknowledged(t, rep.findings)
}

// HasErrors reports whether any finding is an error.
func HasErrors(fs []Finding) bool {
	for _, f := range fs {
		if f.Rule.Severity == Error {
			return true
		}
	}
	return false
}

// taskInfo is what service-level rules need to know of a task definition.
type taskInfo struct {
	r                *Resource
	compat           func(string) bool // whether RequiresCompatibilities lists it
	fargate, windows bool
	// osKnown is false when the operating system family is behind an intrinsic: windows is
	// then false, but the task may be Windows.
	osKnown     bool
	networkMode string // "" when unknown (an intrinsic)
	portNames   map[string]bool
	// portNamesKnown is false when a container or port mapping is not literal (Fn::If, a
	// parameter), so that a name may exist that the rules cannot see.
	portNamesKnown bool
}

func taskOf(r *Resource) *taskInfo {
	if r == nil || r.Type != "AWS::ECS::TaskDefinition" {
		return nil
	}
	ti := &taskInfo{r: r, portNames: map[string]bool{}}
	compat, _ := strList(r.Get("RequiresCompatibilities"))
	ti.compat = func(want string) bool {
		for _, c := range compat {
			if c == want {
				return true
			}
		}
		return false
	}
	ti.fargate = ti.compat("FARGATE")
	if osf, ok := strOf(r.Get("RuntimePlatform.OperatingSystemFamily")); ok {
		ti.windows, ti.osKnown = strings.HasPrefix(osf, "WINDOWS"), true
	} else {
		ti.osKnown = absent(r.Properties, "RuntimePlatform.OperatingSystemFamily") // LINUX, the default
	}
	switch nm := r.Get("NetworkMode").(type) {
	case nil:
		// The default, on Fargate too, which then rejects the task definition (docTaskDefParams:
		// "If no network mode is specified, the default is bridge").
		ti.networkMode = "bridge"
	case string:
		ti.networkMode = nm
	}
	_, ti.portNamesKnown = r.Get("ContainerDefinitions").([]any)
	for _, c := range listOf(r.Get("ContainerDefinitions")) {
		if m, ok := c.(map[string]any); !ok || isIntrinsic(m) {
			ti.portNamesKnown = false
			continue
		}
		if pms := lookup(c, "PortMappings"); pms != nil {
			if _, ok := pms.([]any); !ok {
				ti.portNamesKnown = false
			}
		}
		for _, pm := range listOf(lookup(c, "PortMappings")) {
			if m, ok := pm.(map[string]any); !ok || isIntrinsic(m) {
				ti.portNamesKnown = false
				continue
			}
			if n, ok := strOf(lookup(pm, "Name")); ok {
				ti.portNames[n] = true
			} else if !absent(pm, "Name") {
				ti.portNamesKnown = false
			}
		}
	}
	return ti
}

// cpuUnits reads a task CPU value: "256", 256 or "1 vCPU".
func cpuUnits(v any) (int, bool) {
	if n, ok := intOf(v); ok {
		return n, true
	}
	if s, ok := strOf(v); ok {
		var f float64
		if _, err := fmt.Sscanf(strings.ToLower(s), "%g vcpu", &f); err == nil {
			return int(f * 1024), true
		}
	}
	return 0, false
}

// memoryMiB reads a task memory value: "512", 512 or "1 GB".
func memoryMiB(v any) (int, bool) {
	if n, ok := intOf(v); ok {
		return n, true
	}
	if s, ok := strOf(v); ok {
		var f float64
		if _, err := fmt.Sscanf(strings.ToLower(strings.ReplaceAll(s, " ", "")), "%ggb", &f); err == nil {
			return int(f * 1024), true
		}
	}
	return 0, false
}

// checkDuplicate reports a key a YAML mapping holds twice, on the resource it is in (or on the
// template section, such as Parameters).
func checkDuplicate(rep *report, d DuplicateKey) {
	r := &Resource{LogicalID: d.Path[0]}
	prop := strings.Join(d.Path[1:], ".")
	if d.Path[0] == "Resources" && len(d.Path) > 1 && rep.t.Resources[d.Path[1]] != nil {
		r = rep.t.Resources[d.Path[1]]
		prop = strings.Join(d.Path[2:], ".")
		if len(d.Path) > 2 && d.Path[2] == "Properties" {
			prop = strings.Join(d.Path[3:], ".")
		}
	}
	key := d.Path[len(d.Path)-1]
	rep.add(DuplicateKeys, r, prop, key, "the key %q appears at lines %d and %d; CloudFormation keeps the value of line %d", key, d.FirstLine, d.Line, d.Line)
}
