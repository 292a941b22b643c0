package rules

// This file holds the rules on CodeDeploy blue/green deployment groups.

import (
	"fmt"
	"strings"
)

// checkDeploymentGroup checks an ECS blue/green CodeDeploy deployment group.
func checkDeploymentGroup(rep *report, r *Resource) {
	t := rep.t
	services := listOf(r.Get("ECSServices"))
	if len(services) == 0 {
		return
	}
	for i, es := range services {
		svc := t.Target(lookup(es, "ServiceName"))
		if svc == nil || svc.Type != "AWS::ECS::Service" {
			continue
		}
		if c := serviceOf(t, svc).controller; c != "" && c != "CODE_DEPLOY" {
			rep.add(CodeDeployGroup, r, fmt.Sprintf("ECSServices.%d.ServiceName", i), svc.LogicalID, "service %s uses the %s deployment controller; CodeDeploy needs CODE_DEPLOY", svc.LogicalID, c)
		}
	}
	for i, pair := range listOf(r.Get("LoadBalancerInfo.TargetGroupPairInfoList")) {
		at := fmt.Sprintf("LoadBalancerInfo.TargetGroupPairInfoList.%d.", i)
		if tgs, ok := lookup(pair, "TargetGroups").([]any); ok && len(tgs) != 2 {
			rep.add(CodeDeployGroup, r, at+"TargetGroups", len(tgs), "an ECS blue/green deployment needs exactly two target groups")
		}
		prod := firstListener(t, lookup(pair, "ProdTrafficRoute.ListenerArns"))
		test := firstListener(t, lookup(pair, "TestTrafficRoute.ListenerArns"))
		if prod != nil && test != nil {
			pl, tl := t.Target(prod.Get("LoadBalancerArn")), t.Target(test.Get("LoadBalancerArn"))
			if pl != nil && tl != nil && pl != tl {
				rep.add(CodeDeployGroup, r, at+"TestTrafficRoute.ListenerArns", test.LogicalID, "the test listener is on %s but the production listener on %s: both must be on one load balancer", tl.LogicalID, pl.LogicalID)
			}
		}
		if prod != nil {
			if lb := t.Target(prod.Get("LoadBalancerArn")); lb != nil {
				// Only a configuration the template names or defines is checked: an unset or
				// imported one is not known here.
				if typ, _ := strOf(lb.Get("Type")); typ == "network" {
					if c, ok := codeDeployShiftOf(t, r); ok && c.Strategy != "BLUE_GREEN" {
						rep.add(CodeDeployNLB, r, "DeploymentConfigName", configName(t, r), "behind a Network Load Balancer, ECS blue/green supports CodeDeployDefault.ECSAllAtOnce only, not a %s configuration", strings.ToLower(c.Strategy))
					}
				}
			}
		}
	}
	wait := "BlueGreenDeploymentConfiguration.TerminateBlueInstancesOnDeploymentSuccess.TerminationWaitTimeInMinutes"
	if w, ok := intOf(r.Get(wait)); ok {
		rep.from(r, CheckTerminationWait(wait, w))
	}
}

// configName names a deployment group's configuration for a finding: the name, or the
// DeploymentConfig resource it refers to.
func configName(t *Template, dg *Resource) any {
	if cfg := t.Target(dg.Get("DeploymentConfigName")); cfg != nil {
		return cfg.LogicalID
	}
	return dg.Get("DeploymentConfigName")
}

// checkDeploymentConfig checks an ECS deployment configuration's traffic routing: whole
// percentages (the API's type is Integer).
func checkDeploymentConfig(rep *report, r *Resource) {
	if p, _ := strOf(r.Get("ComputePlatform")); p != "ECS" {
		return
	}
	for _, path := range []string{"TrafficRoutingConfig.TimeBasedCanary.CanaryPercentage", "TrafficRoutingConfig.TimeBasedLinear.LinearPercentage"} {
		if v, ok := r.Get(path).(float64); ok {
			rep.from(r, CheckCodeDeployPercent(path, v))
		}
	}
}

func firstListener(t *Template, arns any) *Resource {
	for _, a := range listOf(arns) {
		if l := t.Target(a); l != nil && strings.HasPrefix(l.Type, "AWS::ElasticLoadBalancingV2::Listener") {
			return l
		}
	}
	return nil
}
