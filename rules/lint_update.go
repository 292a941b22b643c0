package rules

// This file holds the rules that compare a template with the one deployed before it.

import (
	"reflect"
	"sort"
	"strings"
)

// LintUpdate lints next as an update of prev, the template deployed before it: every rule of
// Lint, and the rules on what the update changes (RoutingRewrite).
func LintUpdate(prev, next *Template) []Finding {
	fs := Lint(next)
	rep := &report{t: next}
	checkRoutingRewrite(rep, prev)
	fs = append(fs, dropAcknowledged(next, rep.findings)...)
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.LogicalID != b.LogicalID {
			return a.LogicalID < b.LogicalID
		}
		return a.Rule.ID < b.Rule.ID
	})
	return fs
}

// routingOwners maps the logical ID of each listener and listener rule of t whose routing a
// blue/green deployment changes to the service that changes it: the production and test
// listener rules of an ECS-native blue/green, linear or canary service, and the production
// and test listeners of a CodeDeploy deployment group.
func routingOwners(t *Template) map[string]string {
	owners := map[string]string{}
	add := func(ref any, want, service string) {
		if r := t.Target(ref); r != nil && r.Type == want && r.Condition == "" {
			owners[r.LogicalID] = service
		}
	}
	for _, r := range t.SortedResources("AWS::ECS::Service") {
		s := serviceOf(t, r)
		if r.Condition != "" || s.controller != "ECS" || s.rolling() {
			continue
		}
		for _, lb := range listOf(r.Get("LoadBalancers")) {
			add(lookup(lb, "AdvancedConfiguration.ProductionListenerRule"), "AWS::ElasticLoadBalancingV2::ListenerRule", r.LogicalID)
			add(lookup(lb, "AdvancedConfiguration.TestListenerRule"), "AWS::ElasticLoadBalancingV2::ListenerRule", r.LogicalID)
		}
	}
	for _, g := range t.SortedResources("AWS::CodeDeploy::DeploymentGroup") {
		if g.Condition != "" {
			continue
		}
		service := g.LogicalID
		if svcs := listOf(g.Get("ECSServices")); len(svcs) > 0 {
			if svc := t.Target(lookup(svcs[0], "ServiceName")); svc != nil {
				service = svc.LogicalID
			}
		}
		for _, pair := range listOf(g.Get("LoadBalancerInfo.TargetGroupPairInfoList")) {
			for _, route := range []string{"ProdTrafficRoute.ListenerArns", "TestTrafficRoute.ListenerArns"} {
				for _, l := range listOf(lookup(pair, route)) {
					add(l, "AWS::ElasticLoadBalancingV2::Listener", service)
				}
			}
		}
	}
	return owners
}

// checkRoutingRewrite reports the listeners and listener rules of blue/green services that the
// update changes: CloudFormation then writes the template's routing (weights 100/0, or a
// forward to the first target group) over the one the last deployment left, which can send
// production traffic to the target group without tasks (aws-cdk #36649; docBlueGreenALB, on
// the resources, is silent on updates). A resource whose properties are the same is not touched.
func checkRoutingRewrite(rep *report, prev *Template) {
	for id, service := range routingOwners(rep.t) {
		r := rep.t.Resources[id]
		old, ok := prev.Resources[id]
		if !ok || old.Type != r.Type {
			continue // new: nothing deployed to rewrite
		}
		var changed []string
		keys := map[string]bool{}
		for k := range r.Properties {
			keys[k] = true
		}
		for k := range old.Properties {
			keys[k] = true
		}
		for k := range keys {
			if !reflect.DeepEqual(r.Properties[k], old.Properties[k]) {
				changed = append(changed, k)
			}
		}
		if len(changed) == 0 {
			continue
		}
		sort.Strings(changed)
		rep.add(RoutingRewrite, r, changed[0], "changed", "the update changes %s of %s, which blue/green service %s routes through: CloudFormation writes the template's routing back over the last deployment's", strings.Join(changed, ", "), id, service)
	}
}
