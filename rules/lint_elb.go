package rules

// This file holds the rules on Elastic Load Balancing: target groups and listeners.

import (
	"fmt"
	"slices"
	"strings"
)

func checkTargetGroup(rep *report, r *Resource) {
	checkHealthCheckProtocol(rep, r)
	tt, ttOK := strOf(r.Get("TargetType"))
	if absent(r.Properties, "TargetType") {
		tt, ttOK = "instance", true // the CloudFormation default
	}
	if ttOK && tt != "lambda" && absent(r.Properties, "VpcId") {
		rep.add(TargetGroupVPC, r, "VpcId", "unset", "a target group of target type %s needs its VPC", tt)
	}
	proto, _ := strOf(r.Get("Protocol"))
	alb := proto == "HTTP" || proto == "HTTPS"
	if tt, _ := strOf(r.Get("TargetType")); tt == "lambda" {
		return
	}
	for _, f := range []struct {
		key    string
		lo, hi int
	}{{"HealthCheckIntervalSeconds", 5, 300}, {"HealthCheckTimeoutSeconds", 2, 120}, {"HealthyThresholdCount", 2, 10}, {"UnhealthyThresholdCount", 2, 10}} {
		if v, ok := intOf(r.Get(f.key)); ok {
			rep.from(r, inRange(TargetGroupHealthCheck, f.key, v, f.lo, f.hi, ""))
		}
	}
	iv, ivOK := intOf(r.Get("HealthCheckIntervalSeconds"))
	to, toOK := intOf(r.Get("HealthCheckTimeoutSeconds"))
	if ivOK && toOK && alb && to >= iv {
		rep.add(TargetGroupHealthCheck, r, "HealthCheckTimeoutSeconds", to, "must be less than the interval (%d s)", iv)
	}
	if m, ok := strOf(r.Get("Matcher.HttpCode")); ok && alb && !validHTTPCodes(m) {
		rep.add(TargetGroupHealthCheck, r, "Matcher.HttpCode", m, `must be HTTP codes from 200 to 499, as "200", "200,202" or "200-299"`)
	}
	if m, ok := strOf(r.Get("Matcher.GrpcCode")); ok {
		rep.from(r, CheckGRPCCodes("Matcher.GrpcCode", m))
	}
	for i, a := range listOf(r.Get("TargetGroupAttributes")) {
		key, _ := strOf(lookup(a, "Key"))
		// Client IP preservation is always on, and cannot be turned off, for UDP, TCP_UDP,
		// QUIC and TCP_QUIC target groups (docNLBClientIP).
		if pv, _ := strOf(lookup(a, "Value")); key == "preserve_client_ip.enabled" && pv == "false" {
			switch proto {
			case "UDP", "TCP_UDP", "QUIC", "TCP_QUIC":
				rep.add(NLBProtocols, r, fmt.Sprintf("TargetGroupAttributes.%d.Value", i), pv, "client IP preservation cannot be turned off on a %s target group (%s)", proto, docNLBClientIP)
			}
		}
		v, ok := intOf(lookup(a, "Value"))
		if !ok {
			continue
		}
		prop := fmt.Sprintf("TargetGroupAttributes.%d.Value", i)
		switch key {
		case "deregistration_delay.timeout_seconds":
			rep.from(r, CheckDeregistrationDelay(prop, v))
		case "stickiness.lb_cookie.duration_seconds":
			rep.from(r, inRange(StickinessDuration, prop, v, 1, 604800, " s"))
		}
	}
}

// forwardedTargetGroups returns the template's target groups (not under a Condition) that the
// actions forward to, by TargetGroupArn or ForwardConfig, each with its property path.
func forwardedTargetGroups(t *Template, actions any, at string) (paths []string, tgs []*Resource) {
	add := func(path string, ref any) {
		if tg := t.Target(ref); tg != nil && tg.Type == "AWS::ElasticLoadBalancingV2::TargetGroup" && tg.Condition == "" {
			paths, tgs = append(paths, path), append(tgs, tg)
		}
	}
	for i, a := range listOf(actions) {
		add(fmt.Sprintf("%s.%d.TargetGroupArn", at, i), lookup(a, "TargetGroupArn"))
		for j, w := range listOf(lookup(a, "ForwardConfig.TargetGroups")) {
			add(fmt.Sprintf("%s.%d.ForwardConfig.TargetGroups.%d.TargetGroupArn", at, i, j), lookup(w, "TargetGroupArn"))
		}
	}
	return paths, tgs
}

// checkProtocolVersionListener reports a gRPC or HTTP/2 target group reached through an HTTP
// listener of the template, by its default actions or its rules: for these protocol versions
// "the only supported listener protocol is HTTPS" (docALBTargetGroups).
func checkProtocolVersionListener(rep *report, listener *Resource) {
	t := rep.t
	check := func(r *Resource, actions any, at string) {
		paths, tgs := forwardedTargetGroups(t, actions, at)
		for i, tg := range tgs {
			if v, _ := strOf(tg.Get("ProtocolVersion")); v == "GRPC" || v == "HTTP2" {
				rep.add(NLBProtocols, r, paths[i], tg.LogicalID, "target group %s uses protocol version %s, which takes HTTPS listeners only; listener %s is HTTP (%s)", tg.LogicalID, v, listener.LogicalID, docALBTargetGroups)
			}
		}
	}
	check(listener, listener.Get("DefaultActions"), "DefaultActions")
	for _, rule := range t.SortedResources("AWS::ElasticLoadBalancingV2::ListenerRule") {
		if rule.Condition == "" && t.Target(rule.Get("ListenerArn")) == listener {
			check(rule, rule.Get("Actions"), "Actions")
		}
	}
}

func checkListener(rep *report, r *Resource) {
	p, pOK := strOf(r.Get("Protocol"))
	if p == "HTTP" && r.Condition == "" {
		checkProtocolVersionListener(rep, r)
	}
	if p == "HTTPS" && len(listOf(r.Get("Certificates"))) == 0 && r.Get("Certificates") == nil {
		rep.add(HTTPSCertificate, r, "Certificates", "unset", "an HTTPS listener needs a default certificate")
	}
	if p == "TLS" && absent(r.Properties, "Certificates") {
		rep.add(NLBProtocols, r, "Certificates", "unset", "a TLS listener needs at least one server certificate")
	}
	lb := rep.t.Target(r.Get("LoadBalancerArn"))
	if !pOK || lb == nil || lb.Type != "AWS::ElasticLoadBalancingV2::LoadBalancer" || lb.Condition != "" {
		return
	}
	typ, typOK := strOf(lb.Get("Type"))
	if absent(lb.Properties, "Type") {
		typ, typOK = "application", true // the CloudFormation default
	}
	if !typOK {
		return
	}
	allowed := map[string][]string{"network": {"TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"}, "application": {"HTTP", "HTTPS"}}[typ]
	if allowed != nil && !slices.Contains(allowed, p) {
		rep.add(NLBProtocols, r, "Protocol", p, "a listener of an %s load balancer uses %s", typ, strings.Join(allowed, ", "))
	}
	// The supported listener and target group protocols of a Network Load Balancer (ELB Network
	// Load Balancers Guide, "Target groups for your Network Load Balancers", the table of
	// supported combinations).
	targets := map[string][]string{"TCP": {"TCP", "TCP_UDP"}, "TLS": {"TCP", "TLS"}, "UDP": {"UDP", "TCP_UDP"}, "TCP_UDP": {"TCP_UDP"}}[p]
	if typ != "network" || targets == nil {
		return
	}
	for i, a := range listOf(r.Get("DefaultActions")) {
		tg := rep.t.Target(lookup(a, "TargetGroupArn"))
		if tg == nil || tg.Type != "AWS::ElasticLoadBalancingV2::TargetGroup" || tg.Condition != "" {
			continue
		}
		if tp, ok := strOf(tg.Get("Protocol")); ok && !slices.Contains(targets, tp) {
			rep.add(NLBProtocols, r, fmt.Sprintf("DefaultActions.%d.TargetGroupArn", i), tg.LogicalID, "a %s listener forwards to %s target groups; %s uses %s", p, strings.Join(targets, " or "), tg.LogicalID, tp)
		}
	}
}

// checkHealthCheckProtocol checks a target group's health check protocol against its protocol
// (ELB API Reference, ModifyTargetGroup HealthCheckProtocol).
func checkHealthCheckProtocol(rep *report, r *Resource) {
	// A target group of target type alb takes TCP only (the same table).
	if tt, _ := strOf(r.Get("TargetType")); tt == "alb" {
		if tp, ok := strOf(r.Get("Protocol")); ok && tp != "TCP" {
			rep.add(NLBProtocols, r, "Protocol", tp, "a target group of target type alb uses TCP")
		}
	}
	hp, ok := strOf(r.Get("HealthCheckProtocol"))
	if !ok {
		return
	}
	switch hp {
	case "TLS", "UDP", "TCP_UDP", "GENEVE":
		rep.add(NLBProtocols, r, "HealthCheckProtocol", hp, "health checks do not support the %s protocol: use TCP, HTTP or HTTPS", hp)
	case "TCP":
		if tp, _ := strOf(r.Get("Protocol")); tp == "HTTP" || tp == "HTTPS" {
			rep.add(NLBProtocols, r, "HealthCheckProtocol", hp, "a TCP health check is not supported on an %s target group", tp)
		}
	}
}

// checkListenerRules checks the listener rules of the template (docCreateRule and the ALB
// quotas): priorities 1-50000 and unique per listener, one to five condition values, at most
// five target groups in a forward action. A listener is known by the resource or the literal
// ARN the rule names; values behind intrinsics are not counted, and leave the count unknown.
func checkListenerRules(rep *report) {
	t := rep.t
	seen := map[string]*Resource{}
	for _, r := range t.SortedResources("AWS::ElasticLoadBalancingV2::ListenerRule") {
		if r.Condition != "" {
			continue
		}
		prio, prioOK := intOf(r.Get("Priority"))
		if prioOK {
			rep.from(r, inRange(ListenerRules, "Priority", prio, MinRulePriority, MaxRulePriority, ""))
			listener := ""
			if l := t.Target(r.Get("ListenerArn")); l != nil && l.Condition == "" {
				listener = l.LogicalID
			} else if arn, ok := strOf(r.Get("ListenerArn")); ok {
				listener = arn
			}
			if listener != "" {
				key := fmt.Sprintf("%s %d", listener, prio)
				if first, dup := seen[key]; dup {
					rep.add(ListenerRules, r, "Priority", prio, "rule %s of the same listener has priority %d", first.LogicalID, prio)
				} else {
					seen[key] = r
				}
			}
		}
		if n, ok := conditionValues(r.Get("Conditions")); ok && n > MaxConditionValues {
			rep.add(ListenerRules, r, "Conditions", n, "a rule takes at most %d condition values", MaxConditionValues)
		}
		for i, a := range listOf(r.Get("Actions")) {
			if tgs, ok := lookup(a, "ForwardConfig.TargetGroups").([]any); ok && len(tgs) > MaxTargetGroupsAction {
				rep.add(ListenerRules, r, fmt.Sprintf("Actions.%d.ForwardConfig.TargetGroups", i), len(tgs), "a forward action takes at most %d target groups", MaxTargetGroupsAction)
			}
		}
	}
}

// conditionValues counts a rule's condition values, and whether every one was literal.
func conditionValues(v any) (int, bool) {
	conds, ok := v.([]any)
	if !ok {
		return 0, false
	}
	n := 0
	for _, c := range conds {
		m, ok := literalMap(c)
		if !ok {
			return 0, false
		}
		for k, sub := range m {
			var values any
			switch k {
			case "Values":
				values = sub
			case "HostHeaderConfig", "PathPatternConfig", "HttpRequestMethodConfig", "SourceIpConfig", "HttpHeaderConfig", "QueryStringConfig":
				sm, ok := literalMap(sub)
				if !ok {
					return 0, false
				}
				values = sm["Values"]
			default:
				continue
			}
			if values == nil {
				continue
			}
			l, ok := values.([]any)
			if !ok {
				return 0, false
			}
			n += len(l)
		}
	}
	return n, true
}

// checkListenerDependency reports a service that registers with a target group a listener or
// listener rule of the template forwards to, and depends on no listener or listener rule at
// all: CloudFormation may then create the service first, and CreateService fails while the
// target group has no load balancer. The AWS::ECS::Service documentation says the service
// "requires an explicit dependency on the Application Load Balancer listener rule and the
// Application Load Balancer listener" (docECSServiceCFN). Not checked: a target group no
// listener of the template forwards to (it may be attached elsewhere), a load balancer entry
// with a value the rules cannot follow, and templates with a listener or rule whose actions
// are not known (it may forward to the target group).
func checkListenerDependency(rep *report, s *serviceInfo) {
	t := rep.t
	var fronts []*Resource // the listeners and rules of the template
	for _, r := range t.SortedResources("") {
		if r.Type != "AWS::ElasticLoadBalancingV2::Listener" && r.Type != "AWS::ElasticLoadBalancingV2::ListenerRule" {
			continue
		}
		if t.DependsOnResource(s.r, r) {
			return // it waits for one (under a Condition too): enough to rule out the race
		}
		if r.Condition == "" {
			fronts = append(fronts, r)
		}
	}
	actionsOf := func(r *Resource) any {
		if r.Type == "AWS::ElasticLoadBalancingV2::Listener" {
			return r.Get("DefaultActions")
		}
		return r.Get("Actions")
	}
	for _, f := range fronts {
		if !resolvable(t, actionsOf(f)) {
			return
		}
	}
	for i, lb := range listOf(s.r.Get("LoadBalancers")) {
		tg := t.Target(lookup(lb, "TargetGroupArn"))
		if tg == nil || tg.Type != "AWS::ElasticLoadBalancingV2::TargetGroup" || !resolvable(t, lb) {
			continue
		}
		for _, f := range fronts {
			if _, tgs := forwardedTargetGroups(t, actionsOf(f), ""); slices.Contains(tgs, tg) {
				rep.add(ListenerDependency, s.r, fmt.Sprintf("LoadBalancers.%d.TargetGroupArn", i), tg.LogicalID, "%s forwards to target group %s, but the service depends on no listener or listener rule (DependsOn, or a reference): CloudFormation may create the service first, and CreateService fails while the target group has no load balancer", f.LogicalID, tg.LogicalID)
				break
			}
		}
	}
}

// resolvable reports whether every intrinsic in v is a reference to a resource of the template
// (not under a Condition): no parameter, import, condition or other function whose value the
// rules cannot know.
func resolvable(t *Template, v any) bool {
	switch x := v.(type) {
	case map[string]any:
		if isIntrinsic(x) {
			return t.Target(x) != nil
		}
		for _, e := range x {
			if !resolvable(t, e) {
				return false
			}
		}
	case []any:
		for _, e := range x {
			if !resolvable(t, e) {
				return false
			}
		}
	}
	return true
}

// checkLoadBalancer warns on an Application Load Balancer given one subnet: ELB takes subnets
// from at least two Availability Zones, except on Outposts and in Local Zones, which the
// template does not show (docCreateLoadBalancer).
func checkLoadBalancer(rep *report, r *Resource) {
	typ, ok := strOf(r.Get("Type"))
	if absent(r.Properties, "Type") {
		typ, ok = "application", true
	}
	if !ok || typ != "application" {
		return
	}
	for _, prop := range []string{"Subnets", "SubnetMappings"} {
		if l, ok := r.Get(prop).([]any); ok && len(l) == 1 && resolvable(rep.t, l) {
			if _, lit := strOf(l[0]); lit || prop == "SubnetMappings" {
				rep.add(ALBSubnets, r, prop, 1, "an Application Load Balancer takes subnets from at least two Availability Zones (one subnet is for Outposts and Local Zones only)")
			}
		}
	}
}
