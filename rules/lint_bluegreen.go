package rules

// This file holds the rules on ECS-native blue/green, linear and canary deployments of a
// service: the target groups and listener rules, the strategy settings and the lifecycle hooks.

import "fmt"

// checkBlueGreenTargetGroups checks that an ECS-native blue/green service's target group and
// alternate target group are both forwarded to by its production or test listener rule; ECS
// otherwise rolls the deployment back ("Both targetGroup and alternateTargetGroup must be
// associated with the productionListenerRule or testListenerRule", docBlueGreenALB). Rules
// or target groups the template does not hold literally leave the check unknown.
func checkBlueGreenTargetGroups(rep *report, s *serviceInfo) {
	t := rep.t
	if s.controller != "ECS" || s.rolling() {
		return
	}
	for i, lb := range listOf(s.r.Get("LoadBalancers")) {
		adv := lookup(lb, "AdvancedConfiguration")
		if adv == nil {
			continue
		}
		primary, alternate := t.Target(lookup(lb, "TargetGroupArn")), t.Target(lookup(adv, "AlternateTargetGroupArn"))
		if primary == nil || alternate == nil {
			continue
		}
		forwarded, known := map[*Resource]bool{}, true
		for _, key := range []string{"ProductionListenerRule", "TestListenerRule"} {
			v := lookup(adv, key)
			if v == nil {
				continue
			}
			rule := t.Target(v)
			if rule == nil || rule.Type != "AWS::ElasticLoadBalancingV2::ListenerRule" {
				known = false
				continue
			}
			actions, ok := rule.Get("Actions").([]any)
			known = known && ok && rule.Condition == ""
			for _, a := range actions {
				am, ok := literalMap(a)
				if !ok {
					known = false
					continue
				}
				refs := []any{am["TargetGroupArn"]}
				if fc := am["ForwardConfig"]; fc != nil {
					fm, ok := literalMap(fc)
					tgs, listOK := fm["TargetGroups"].([]any)
					if !ok || (fm["TargetGroups"] != nil && !listOK) {
						known = false
					}
					for _, tg := range tgs {
						tm, ok := literalMap(tg)
						if !ok {
							known = false
							continue
						}
						refs = append(refs, tm["TargetGroupArn"])
					}
				}
				for _, ref := range refs {
					if ref == nil {
						continue
					}
					if r := t.Target(ref); r != nil {
						forwarded[r] = true
					} else {
						known = false
					}
				}
			}
		}
		if !known {
			continue
		}
		for _, tg := range []*Resource{primary, alternate} {
			if !forwarded[tg] {
				rep.add(BlueGreenTargetGroups, s.r, fmt.Sprintf("LoadBalancers.%d.AdvancedConfiguration", i), tg.LogicalID,
					"target group %s is not forwarded to by the production or test listener rule; ECS rolls the deployment back", tg.LogicalID)
			}
		}
	}
}

// checkTrafficShiftSettings checks a service's DeploymentConfiguration for ECS-native traffic
// shifting (docDeploymentConfiguration, docLinearConfiguration, docCanaryConfiguration):
// LinearConfiguration and CanaryConfiguration only with their strategy, the documented ranges
// of bake times and percentages, and, for BLUE_GREEN, LINEAR and CANARY with a load balancer,
// the alternate target group of an advanced configuration.
func checkTrafficShiftSettings(rep *report, s *serviceInfo) {
	r := s.r
	dc := "DeploymentConfiguration."
	st, stOK := strOf(r.Get(dc + "Strategy"))
	if absent(r.Properties, dc+"Strategy") {
		st, stOK = "ROLLING", true
	}
	for _, c := range []struct{ key, strategy string }{{"LinearConfiguration", "LINEAR"}, {"CanaryConfiguration", "CANARY"}} {
		if !absent(r.Properties, dc+c.key) && stOK && st != c.strategy {
			rep.add(TrafficShiftSettings, r, dc+c.key, "set", "%s is only valid with the %s strategy, not %s", c.key, c.strategy, st)
		}
	}
	if st == "BLUE_GREEN" && absent(r.Properties, dc+"BakeTimeInMinutes") {
		rep.add(BlueGreenBakeTime, r, dc+"BakeTimeInMinutes", "unset", "a BLUE_GREEN service without a bake time leaves to ECS how long the blue tasks stay")
	}
	bake, bakeOK := intOf(r.Get(dc + "BakeTimeInMinutes"))
	if bakeOK && bake < 0 {
		rep.add(TrafficShiftSettings, r, dc+"BakeTimeInMinutes", bake, "a bake time is not negative")
	}
	for _, c := range []struct {
		strategy, config, percent, bake string
		defPercent                      float64
		defBake                         int
	}{
		{"LINEAR", "LinearConfiguration.", "StepPercent", "StepBakeTimeInMinutes", ecsDefaultLinearStepPercent, ecsDefaultLinearStepBake},
		{"CANARY", "CanaryConfiguration.", "CanaryPercent", "CanaryBakeTimeInMinutes", ecsDefaultCanaryPercent, ecsDefaultCanaryBake},
	} {
		percentProp, bakeProp := dc+c.config+c.percent, dc+c.config+c.bake
		step, stepOK := r.Get(percentProp).(float64)
		if stepOK {
			rep.from(r, CheckStepPercent(percentProp, c.strategy, step))
		} else if absent(r.Properties, percentProp) {
			step, stepOK = c.defPercent, true
		}
		stepBake, stepBakeOK := intOf(r.Get(bakeProp))
		if stepBakeOK {
			rep.from(r, CheckStepBake(bakeProp, stepBake))
		} else if absent(r.Properties, bakeProp) {
			stepBake, stepBakeOK = c.defBake, true
		}
		// ECS's defaults stand in for unset step settings in CloudFormation's count.
		if st == c.strategy && bakeOK && stepOK && stepBakeOK {
			rep.from(r, CheckShiftDuration(dc+"BakeTimeInMinutes", st, bake, stepBake, step))
		}
	}
	if !stOK || st == "ROLLING" || s.controller != "ECS" {
		return
	}
	// LINEAR and CANARY shift traffic in steps through an ALB, an NLB or Service Connect, which
	// the service must use (docLinearService, docCanaryService); BLUE_GREEN also runs headless.
	if (st == "LINEAR" || st == "CANARY") && absent(r.Properties, "LoadBalancers") && absent(r.Properties, "VpcLatticeConfigurations") {
		off := absent(r.Properties, "ServiceConnectConfiguration")
		if m, ok := literalMap(r.Get("ServiceConnectConfiguration")); ok {
			on, known := boolOf(m["Enabled"])
			off = known && !on
		}
		if off {
			rep.add(TrafficShiftFront, r, dc+"Strategy", st, "a %s deployment shifts traffic through an Application or Network Load Balancer or Service Connect, and the service uses none", st)
		}
	}
	for i, lb := range listOf(r.Get("LoadBalancers")) {
		if lookup(lb, "TargetGroupArn") != nil && absent(lb, "AdvancedConfiguration.AlternateTargetGroupArn") {
			rep.add(TrafficShiftSettings, r, fmt.Sprintf("LoadBalancers.%d.AdvancedConfiguration", i), "unset",
				"a %s deployment behind a load balancer needs an advanced configuration with the alternate target group, the production listener rule and a role", st)
		}
	}
}

// lifecycleStages are the stages the ECS API Reference lists for DeploymentLifecycleHook.
var lifecycleStages = map[string]bool{
	"RECONCILE_SERVICE": true, "PRE_SCALE_UP": true, "POST_SCALE_UP": true, "TEST_TRAFFIC_SHIFT": true,
	"POST_TEST_TRAFFIC_SHIFT": true, "PRE_PRODUCTION_TRAFFIC_SHIFT": true, "PRODUCTION_TRAFFIC_SHIFT": true,
	"POST_PRODUCTION_TRAFFIC_SHIFT": true,
}

// checkLifecycleStages checks the literal stage names of the service's lifecycle hooks.
func checkLifecycleStages(rep *report, s *serviceInfo) {
	for i, h := range listOf(s.r.Get("DeploymentConfiguration.LifecycleHooks")) {
		m, ok := literalMap(h)
		if !ok {
			continue
		}
		at := fmt.Sprintf("DeploymentConfiguration.LifecycleHooks.%d.", i)
		// TargetType is AWS_LAMBDA (the default) or PAUSE; a Lambda hook names its function,
		// and a PAUSE hook cannot run at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT, which
		// also run during a rollback (CloudFormation, AWS::ECS::Service DeploymentLifecycleHook).
		typ, typOK := strOf(lookup(m, "TargetType"))
		if absent(m, "TargetType") {
			typ, typOK = "AWS_LAMBDA", true
		}
		switch {
		case !typOK:
		case typ != "AWS_LAMBDA" && typ != "PAUSE":
			rep.add(LifecycleStages, s.r, at+"TargetType", typ, "a hook's target type is AWS_LAMBDA or PAUSE")
		case typ == "AWS_LAMBDA" && absent(m, "HookTargetArn"):
			rep.add(LifecycleStages, s.r, at+"HookTargetArn", "unset", "an AWS_LAMBDA hook needs the function's ARN")
		}
		for j, st := range listOf(lookup(m, "LifecycleStages")) {
			name, ok := strOf(st)
			switch {
			case !ok:
			case !lifecycleStages[name]:
				rep.add(LifecycleStages, s.r, fmt.Sprintf("%sLifecycleStages.%d", at, j), name, "%q is not a lifecycle stage", name)
			case typ == "PAUSE" && (name == "TEST_TRAFFIC_SHIFT" || name == "PRODUCTION_TRAFFIC_SHIFT"):
				rep.add(LifecycleStages, s.r, fmt.Sprintf("%sLifecycleStages.%d", at, j), name, "a PAUSE hook cannot run at %s, which also runs during a rollback: use an AWS_LAMBDA hook there", name)
			}
		}
	}
}

// checkBlueGreenOneLoadBalancer checks that an ECS-native blue/green service's production and
// test listener rules sit on listeners of one load balancer, when the template holds the rules,
// their listeners and the load balancers.
func checkBlueGreenOneLoadBalancer(rep *report, s *serviceInfo) {
	t := rep.t
	if s.controller != "ECS" || s.rolling() {
		return
	}
	lbOf := func(rule any) *Resource {
		r := t.Target(rule)
		if r == nil || r.Type != "AWS::ElasticLoadBalancingV2::ListenerRule" {
			return nil
		}
		l := t.Target(r.Get("ListenerArn"))
		if l == nil || l.Type != "AWS::ElasticLoadBalancingV2::Listener" {
			return nil
		}
		lb := t.Target(l.Get("LoadBalancerArn"))
		if lb == nil || lb.Type != "AWS::ElasticLoadBalancingV2::LoadBalancer" {
			return nil
		}
		return lb
	}
	for i, lb := range listOf(s.r.Get("LoadBalancers")) {
		prod, test := lbOf(lookup(lb, "AdvancedConfiguration.ProductionListenerRule")), lbOf(lookup(lb, "AdvancedConfiguration.TestListenerRule"))
		if prod != nil && test != nil && prod != test {
			rep.add(BlueGreenOneLoadBalancer, s.r, fmt.Sprintf("LoadBalancers.%d.AdvancedConfiguration.TestListenerRule", i), t.Target(lookup(lb, "AdvancedConfiguration.TestListenerRule")).LogicalID,
				"the test listener rule is on load balancer %s, the production listener rule on %s", test.LogicalID, prod.LogicalID)
		}
	}
}
