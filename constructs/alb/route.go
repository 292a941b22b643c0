package alb

import (
	"errors"
	"maps"
	"slices"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	elbv2 "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/internal/conv"
	"github.com/ecsforge/ecsforge/internal/validate"
	"github.com/ecsforge/ecsforge/rules"
)

// Shared is one Application Load Balancer and listener in front of several services, each
// reached through its own Route. The listener's default action answers 404: a request that no
// route matches reaches no service.
type Shared struct {
	constructs.Construct
	LoadBalancer elbv2.ApplicationLoadBalancer
	Listener     elbv2.ApplicationListener
	Frontend     *Frontend
}

// SharedNotFound is the default action's status: no route matched.
const SharedNotFound = 404

// NewShared builds a shared load balancer: p's protocol, certificate or domain, internal or
// internet-facing, and access logs apply; its health check and deregistration settings are
// each route's own. Invalid props fail synth and build nothing.
func NewShared(scope constructs.Construct, id string, vpc awsec2.IVpc, p Props) *Shared {
	s := &Shared{}
	constructs.NewConstruct_Override(s, scope, conv.Str(id))
	errs := []error{p.ValidateAt(""), CheckRegion(s, "")}
	if p.Route != nil || p.TestListener != nil || p.TestHeader != nil {
		errs = append(errs, rules.NewViolation(rules.ListenerRules, "Route", "set", "a shared load balancer takes routes from services (Props.Route on each), not its own route or test traffic"))
	}
	if validate.Record(s, errors.Join(errs...)) {
		return s
	}
	f := &Frontend{vpc: vpc}
	f.build(s, p, nil)
	f.Listener.AddAction(conv.Str("NotFound"), &elbv2.AddApplicationActionProps{
		Action: elbv2.ListenerAction_FixedResponse(conv.Num(SharedNotFound), &elbv2.FixedResponseOptions{
			ContentType: conv.Str("text/plain"), MessageBody: conv.Str("not found"),
		}),
	})
	s.LoadBalancer, s.Listener, s.Frontend = f.LoadBalancer, f.Listener, f
	sharedListeners.add(s.Listener, p.protocol())
	return s
}

// DerivedPriorityStep spaces the priorities NewShared's listener gives routes without one (10,
// 20, ... in the order the routes are built), leaving room to put a route between two.
const DerivedPriorityStep = 10

// sharedListeners tracks the priorities in use on each NewShared listener, to derive the next,
// and its protocol.
var sharedListeners = &priorityRegistry{used: map[elbv2.IApplicationListener]map[int]bool{}, protocols: map[elbv2.IApplicationListener]Protocol{}}

type priorityRegistry struct {
	mu        sync.Mutex
	used      map[elbv2.IApplicationListener]map[int]bool
	protocols map[elbv2.IApplicationListener]Protocol
}

func (r *priorityRegistry) add(l elbv2.IApplicationListener, p Protocol) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.used[l] = map[int]bool{}
	r.protocols[l] = p
}

// protocol is the protocol of a NewShared listener; ok is false for any other listener.
func (r *priorityRegistry) protocol(l elbv2.IApplicationListener) (Protocol, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.protocols[l]
	return p, ok
}

// take records priority p on l (0: derives the next free multiple of DerivedPriorityStep); ok
// is false for a derived priority on a listener NewShared did not make.
func (r *priorityRegistry) take(l elbv2.IApplicationListener, p int) (int, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	used, shared := r.used[l]
	if !shared {
		return p, p != 0
	}
	if p == 0 {
		for p = DerivedPriorityStep; used[p]; p += DerivedPriorityStep {
		}
	}
	used[p] = true
	return p, true
}

// ToString returns the construct path (jsii subclassing needs an overriding method).
func (s *Shared) ToString() *string { return s.Node().Path() }

// ImportListener is an existing listener, by ARN, with its load balancer's security group
// (the services a Route sends traffic to accept it from that group only).
func ImportListener(scope constructs.Construct, id, listenerARN, securityGroupID string) elbv2.IApplicationListener {
	return elbv2.ApplicationListener_FromApplicationListenerAttributes(scope, conv.Str(id), &elbv2.ApplicationListenerAttributes{
		ListenerArn:   conv.Str(listenerARN),
		SecurityGroup: awsec2.SecurityGroup_FromSecurityGroupId(scope, conv.Str(id+"SecurityGroup"), conv.Str(securityGroupID), nil),
	})
}

// Route sends the requests that match every condition given to one service, on a listener
// shared with other services (NewShared's, or one imported with ImportListener).
type Route struct {
	Listener elbv2.IApplicationListener
	// Priority orders the listener's rules, 1-50000, unique on the listener (lowest first); 0
	// derives one on a NewShared listener (DerivedPriorityStep, in the order routes are built).
	Priority int
	// Hosts ("api.example.com", "*.example.com"), Paths ("/admin/*"), Methods ("GET"),
	// SourceIPs (CIDRs), Header and Query are the conditions; at least one is needed.
	Hosts, Paths, Methods, SourceIPs []string
	Header                           *TestHeader
	Query                            map[string]string
}

// conditionValues counts the values of the route's conditions.
func (r Route) conditionValues() int {
	n := len(r.Hosts) + len(r.Paths) + len(r.Methods) + len(r.SourceIPs) + len(r.Query)
	if r.Header != nil {
		n += len(r.Header.Values)
	}
	return n
}

func (r Route) validate(at string) []error {
	var errs []error
	if r.Listener == nil {
		errs = append(errs, rules.Missing(at+"Listener", "a route needs the shared listener (alb.NewShared(...).Listener or alb.ImportListener)", docListenerRules))
	}
	prio := r.Priority
	if prio == 0 {
		prio = rules.MinRulePriority // derived later, on a shared listener
	}
	errs = append(errs, rules.CheckListenerRule(at+"Priority", prio, at, r.conditionValues()))
	if r.Header != nil && (r.Header.Name == "" || len(r.Header.Values) == 0) {
		errs = append(errs, rules.Missing(at+"Header.Name", "a header condition needs the header's name and at least one value", docListenerRules))
	}
	return errs
}

const docListenerRules = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html"

// conditions are the route's listener conditions.
func (r Route) conditions() *[]elbv2.ListenerCondition {
	var cs []elbv2.ListenerCondition
	if len(r.Hosts) > 0 {
		cs = append(cs, elbv2.ListenerCondition_HostHeaders(conv.Strs(r.Hosts)))
	}
	if len(r.Paths) > 0 {
		cs = append(cs, elbv2.ListenerCondition_PathPatterns(conv.Strs(r.Paths)))
	}
	if len(r.Methods) > 0 {
		cs = append(cs, elbv2.ListenerCondition_HttpRequestMethods(conv.Strs(r.Methods)))
	}
	if len(r.SourceIPs) > 0 {
		cs = append(cs, elbv2.ListenerCondition_SourceIps(conv.Strs(r.SourceIPs)))
	}
	if h := r.Header; h != nil {
		cs = append(cs, elbv2.ListenerCondition_HttpHeader(conv.Str(h.Name), conv.Strs(h.Values)))
	}
	if len(r.Query) > 0 {
		var qs []*elbv2.QueryStringCondition
		for _, k := range slices.Sorted(maps.Keys(r.Query)) {
			qs = append(qs, &elbv2.QueryStringCondition{Key: conv.Str(k), Value: conv.Str(r.Query[k])})
		}
		cs = append(cs, elbv2.ListenerCondition_QueryStrings(&qs))
	}
	return &cs
}

// route builds the target group and the listener rule of a Route (children "Targets" and
// "Rule").
func (f *Frontend) route(scope constructs.Construct, t Target, p Props) {
	r := p.Route
	prio, ok := sharedListeners.take(r.Listener, r.Priority)
	if !ok {
		validate.Record(scope, rules.NewViolation(rules.ListenerRules, "LoadBalancer.Route.Priority", 0,
			"only a listener of alb.NewShared derives priorities: give a route on another listener its own"))
		prio = rules.MinRulePriority
	}
	f.SharedListener = r.Listener
	f.TargetGroup = elbv2.NewApplicationTargetGroup(scope, conv.Str("Targets"), f.targetGroupProps(t, p))
	f.Rule = elbv2.NewApplicationListenerRule(scope, conv.Str("Rule"), &elbv2.ApplicationListenerRuleProps{
		Listener:     r.Listener,
		Priority:     conv.Num(prio),
		Conditions:   r.conditions(),
		TargetGroups: &[]elbv2.IApplicationTargetGroup{f.TargetGroup},
	})
}

// routeConflicts reports the load balancer props a route does not use.
func routeConflicts(at string, p Props) []error {
	var errs []error
	for _, c := range []struct {
		prop string
		set  bool
	}{
		{"Protocol", p.Protocol != ""}, {"Certificate", p.Certificate != nil}, {"DomainName", p.DomainName != ""},
		{"Internal", p.Internal}, {"AccessLogBucket", p.AccessLogBucket != nil}, {"NoRedirect", p.NoRedirect},
		{"TestListener", p.TestListener != nil}, {"TestHeader", p.TestHeader != nil},
	} {
		if c.set {
			errs = append(errs, rules.NewViolation(rules.ListenerRules, at+c.prop, "set",
				"with Route the service uses a shared listener; %s belongs to the shared load balancer (alb.NewShared)", c.prop))
		}
	}
	return errs
}
