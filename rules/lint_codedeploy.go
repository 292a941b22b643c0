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
				if typ, _ := strOf(lb.Get("Type")); typ == "network" {
					if cfg, ok := strOf(r.Get("DeploymentConfigName")); !ok || cfg != "CodeDeployDefault.ECSAllAtOnce" {
						rep.add(CodeDeployNLB, r, "DeploymentConfigName", orUnset(r.Get("DeploymentConfigName")), "behind a Network Load Balancer, ECS blue/green supports CodeDeployDefault.ECSAllAtOnce only")
					}
				}
			}
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

func orUnset(v any) any {
	if v == nil {
		return "unset"
	}
	return v
}
