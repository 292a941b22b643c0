// Package alb puts an Application Load Balancer in front of an ECS service: HTTP or HTTPS (a
// given certificate, or one validated through DNS in a hosted zone, with an alias record), an
// HTTP to HTTPS redirect, public or internal, health checks, deregistration delay, stickiness,
// and access logs to an encrypted bucket. Its defaults make a target healthy in 10 s and drain
// it in 10 s, the load balancer's part of a one-minute rolling deployment.
package alb

import (
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	elbv2 "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53targets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/internal/conv"
	"github.com/ecsforge/ecsforge/internal/nag"
	"github.com/ecsforge/ecsforge/rules"
)

// Blue/green listener rule priorities: the header-matched test rule (TestHeader) is evaluated
// before the production rule, which takes every other request.
const (
	TestHeaderRulePriority = 1
	ProductionRulePriority = 10
)

// Defaults.
const (
	// DefaultHealthCheckPath is the path the ALB health check requests.
	DefaultHealthCheckPath = "/"
	// DefaultHealthCheckInterval is the shortest ALB health check interval, so a new task is
	// found healthy quickly (ELB User Guide, "Health checks for target groups"; ECS Best
	// Practices Guide, "Speeding up deployments").
	DefaultHealthCheckInterval = 5 * time.Second
	// DefaultHealthCheckTimeout is below the interval, as ELB requires.
	DefaultHealthCheckTimeout = 4 * time.Second
	// DefaultHealthyThreshold is the fewest consecutive successes ELB accepts (2): a new task
	// takes traffic after 10 s instead of ELB's 5 x 30 s.
	DefaultHealthyThreshold = 2
	// DefaultUnhealthyThreshold takes a failing task out after two failed checks (10 s).
	DefaultUnhealthyThreshold = 2
	// DefaultHealthCheckMatcher accepts any 2xx or 3xx answer as healthy (a redirect to a login
	// page is a live application).
	DefaultHealthCheckMatcher = "200-399"
	// DefaultDeregistrationDelay drains a task for 10 s instead of ELB's 300 s: enough for web
	// requests that answer within seconds (ECS Best Practices Guide, "Speeding up deployments").
	DefaultDeregistrationDelay = 10 * time.Second
	// DefaultAccessLogExpiration deletes ALB access logs after 90 days: long enough for an
	// incident review, short enough to bound storage cost.
	DefaultAccessLogExpiration = 90
	// DefaultSSLPolicy is ELB's recommended TLS 1.2/1.3 policy (ELB User Guide, "Security
	// policies for your Application Load Balancer").
	DefaultSSLPolicy = elbv2.SslPolicy_RECOMMENDED_TLS
)

// Protocol is the listener protocol clients use.
type Protocol string

// Protocols.
const (
	HTTP  Protocol = "HTTP"
	HTTPS Protocol = "HTTPS"
)

// HealthCheck is the ALB target group health check. Zero values take the defaults above.
type HealthCheck struct {
	Path               string
	Interval           time.Duration
	Timeout            time.Duration
	HealthyThreshold   int
	UnhealthyThreshold int
	Matcher            string // HTTP codes, e.g. "200" or "200-299"
	// GRPCCodes a gRPC target answers healthy with (ProtocolVersion GRPC; default
	// DefaultGRPCCodes).
	GRPCCodes string
}

// ProtocolVersion is the protocol between the load balancer and the targets.
type ProtocolVersion string

// Protocol versions (ELB User Guide, "Target groups for your Application Load Balancers").
const (
	HTTP1 ProtocolVersion = "HTTP1"
	HTTP2 ProtocolVersion = "HTTP2"
	GRPC  ProtocolVersion = "GRPC"
)

// gRPC health check defaults.
const (
	// DefaultGRPCCodes accepts gRPC status 0 (OK) only; ELB's own default, 12
	// (UNIMPLEMENTED), suits a service without a health method.
	DefaultGRPCCodes = "0"
	// DefaultGRPCHealthCheckPath is ELB's default gRPC health check path.
	DefaultGRPCHealthCheckPath = "/AWS.ALB/healthcheck"
)

// TestListener is the test traffic listener of a blue/green deployment: HTTP on Port (HTTPS on
// the production certificate for ProtocolVersion GRPC or HTTP2), reachable only from AllowFrom
// (CIDRs with awsec2.Peer_Ipv4, or security groups).
type TestListener struct {
	Port      int
	AllowFrom []awsec2.IPeer
}

// TestHeader marks test requests on the production listener: header Name with one of Values.
type TestHeader struct {
	Name   string
	Values []string
}

// Props configures the load balancer in front of a service.
type Props struct {
	// Protocol of the client-facing listener (default HTTP; HTTPS when a certificate or a
	// domain is given).
	Protocol Protocol
	// Certificate for HTTPS.
	Certificate awscertificatemanager.ICertificate
	// DomainName and HostedZone: a DNS-validated certificate and an alias record for the ALB.
	DomainName string
	HostedZone awsroute53.IHostedZone
	// NoRedirect keeps port 80 closed instead of redirecting it to HTTPS.
	NoRedirect bool
	// Internal places the ALB in private subnets, reachable from the VPC only.
	Internal bool

	HealthCheck HealthCheck
	// ProtocolVersion between the load balancer and the tasks (default HTTP/1.1): HTTP2, or
	// GRPC, whose health check asks the gRPC path and accepts the gRPC codes of
	// HealthCheck.GRPCCodes.
	ProtocolVersion ProtocolVersion
	// DeregistrationDelay (default DefaultDeregistrationDelay); new(time.Duration(0)) is allowed.
	DeregistrationDelay *time.Duration
	// Stickiness turns on load balancer cookie stickiness for this long (0: off).
	Stickiness time.Duration
	// AccessLogBucket receives ALB access logs; nil creates an encrypted bucket.
	AccessLogBucket awss3.IBucket
	// TestListener adds, for blue/green, linear and canary deployments, a listener on its own
	// port whose rule reaches the new (green) tasks before production traffic does.
	TestListener *TestListener
	// TestHeader instead routes requests that carry this header on the production listener as
	// test traffic (a rule ahead of the production rule). One of TestListener and TestHeader.
	TestHeader *TestHeader
	// Route puts the service behind a listener shared with other services (NewShared or
	// ImportListener) instead of a load balancer of its own; HealthCheck, DeregistrationDelay
	// and Stickiness still apply to its target group.
	Route *Route
}

func (p Props) protocol() Protocol {
	if p.Protocol != "" {
		return p.Protocol
	}
	if p.Certificate != nil || p.DomainName != "" {
		return HTTPS
	}
	return HTTP
}

// EffectiveHealthCheck is the health check with its defaults filled in.
func (p Props) EffectiveHealthCheck() HealthCheck {
	h := p.HealthCheck
	h.Path = conv.OrZero(h.Path, DefaultHealthCheckPath)
	h.Interval = conv.OrZero(h.Interval, DefaultHealthCheckInterval)
	h.Timeout = conv.OrZero(h.Timeout, DefaultHealthCheckTimeout)
	h.HealthyThreshold = conv.OrZero(h.HealthyThreshold, DefaultHealthyThreshold)
	h.UnhealthyThreshold = conv.OrZero(h.UnhealthyThreshold, DefaultUnhealthyThreshold)
	h.Matcher = conv.OrZero(h.Matcher, DefaultHealthCheckMatcher)
	if p.ProtocolVersion == GRPC {
		h.GRPCCodes = conv.OrZero(h.GRPCCodes, DefaultGRPCCodes)
		if p.HealthCheck.Path == "" {
			h.Path = DefaultGRPCHealthCheckPath
		}
	}
	return h
}

// EffectiveDeregistrationDelay is the deregistration delay with its default.
func (p Props) EffectiveDeregistrationDelay() time.Duration {
	return conv.Or(p.DeregistrationDelay, DefaultDeregistrationDelay)
}

// ValidateAt reports every documented constraint the props break, with property paths
// prefixed by at (such as "LoadBalancer.").
func (p Props) ValidateAt(at string) error {
	h := p.EffectiveHealthCheck()
	errs := []error{
		rules.CheckTargetGroupHealthCheck(at+"HealthCheck", rules.TargetGroupHealthCheckSettings{
			Interval: conv.Secs(h.Interval), Timeout: conv.Secs(h.Timeout),
			HealthyThreshold: h.HealthyThreshold, UnhealthyThreshold: h.UnhealthyThreshold, Matcher: h.Matcher,
		}),
		rules.CheckDeregistrationDelay(at+"DeregistrationDelay", conv.Secs(p.EffectiveDeregistrationDelay())),
		rules.CheckStickiness(at+"Stickiness", conv.Secs(p.Stickiness)),
	}
	switch p.ProtocolVersion {
	case "", HTTP1, HTTP2:
		if p.HealthCheck.GRPCCodes != "" {
			errs = append(errs, rules.NewViolation(rules.TargetGroupHealthCheck, at+"HealthCheck.GRPCCodes", p.HealthCheck.GRPCCodes, "gRPC codes are for ProtocolVersion alb.GRPC"))
		}
	case GRPC:
		errs = append(errs, rules.CheckGRPCCodes(at+"HealthCheck.GRPCCodes", conv.OrZero(p.HealthCheck.GRPCCodes, DefaultGRPCCodes)))
	default:
		errs = append(errs, rules.OneOf(at+"ProtocolVersion", p.ProtocolVersion, "alb.HTTP1, alb.HTTP2 or alb.GRPC", docTargetGroups))
	}
	switch p.protocol() {
	case HTTPS:
		errs = append(errs, rules.CheckHTTPSCertificate(at, p.Certificate != nil, p.DomainName != "", p.HostedZone != nil))
	case HTTP:
		if p.Certificate != nil || p.DomainName != "" {
			errs = append(errs, rules.OneOf(at+"Protocol", p.Protocol, fmt.Sprintf("%q (or unset) with a certificate or domain name", HTTPS), docListeners))
		}
	default:
		errs = append(errs, rules.OneOf(at+"Protocol", p.Protocol, fmt.Sprintf("%q or %q", HTTP, HTTPS), docListeners))
	}
	if p.ProtocolVersion == GRPC || p.ProtocolVersion == HTTP2 {
		// ELB User Guide, "Target groups for your Application Load Balancers", protocol version:
		// for gRPC and HTTP/2 "the only supported listener protocol is HTTPS".
		proto := p.protocol()
		if p.Route != nil {
			proto, _ = sharedListeners.protocol(p.Route.Listener) // "" for an imported listener: not known
		}
		if proto == HTTP {
			errs = append(errs, rules.NewViolation(rules.NLBProtocols, at+"ProtocolVersion", string(p.ProtocolVersion), "target groups of protocol version %s take HTTPS listeners only, and this listener is HTTP: give the load balancer a certificate or domain name", p.ProtocolVersion).See(docTargetGroups))
		}
	}
	if r := p.Route; r != nil {
		errs = append(errs, r.validate(at+"Route.")...)
		errs = append(errs, routeConflicts(at, p)...)
		return errors.Join(errs...)
	}
	if th := p.TestHeader; th != nil {
		switch {
		case p.TestListener != nil:
			errs = append(errs, rules.NewViolation(rules.TrafficShiftSettings, at+"TestHeader", "set", "a deployment has one test listener rule: set TestListener or TestHeader, not both"))
		case th.Name == "" || len(th.Values) == 0:
			errs = append(errs, rules.Missing(at+"TestHeader.Name", "test traffic by header needs the header's name and at least one value", docListeners))
		}
	}
	if tl := p.TestListener; tl != nil {
		ta := at + "TestListener."
		errs = append(errs, rules.CheckPort(ta+"Port", tl.Port))
		if tl.Port == 80 || tl.Port == 443 {
			errs = append(errs, rules.NewViolation(rules.PortRange, ta+"Port", tl.Port, "the production listener uses ports 80 and 443: give the test listener its own port"))
		}
		if len(tl.AllowFrom) == 0 {
			errs = append(errs, rules.Missing(ta+"AllowFrom", "a test listener names who may reach it (CIDRs or security groups); it is never open to everyone", docListeners))
		}
	}
	return errors.Join(errs...)
}

// docTargetGroups describes target group protocol versions.
const docTargetGroups = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html"

// docListeners lists the listener protocols of an Application Load Balancer.
const docListeners = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html"

// CheckRegion reports access logs in a stack without a region (at prefixes the property, such
// as "LoadBalancer.").
func CheckRegion(scope constructs.IConstruct, at string) error {
	if *awscdk.Token_IsUnresolved(awscdk.Stack_Of(scope).Region()) {
		return rules.CheckAccessLogsRegion(at + "AccessLogs")
	}
	return nil
}

// Frontend is the load balancer, listener, target group, certificate and access log bucket
// in front of one service.
type Frontend struct {
	LoadBalancer elbv2.ApplicationLoadBalancer
	Listener     elbv2.ApplicationListener
	TargetGroup  elbv2.ApplicationTargetGroup
	// GreenTargetGroup and ProductionRule exist for blue/green deployments (Target.BlueGreen):
	// the rule forwards the listener's traffic to both target groups, and ECS shifts the weights.
	GreenTargetGroup elbv2.ApplicationTargetGroup
	ProductionRule   elbv2.ApplicationListenerRule
	// TestListenerRule routes the test listener (Props.TestListener) like the production rule.
	TestListener     elbv2.ApplicationListener
	TestListenerRule elbv2.ApplicationListenerRule
	Certificate      awscertificatemanager.ICertificate
	AccessLogs       awss3.IBucket
	// SharedListener and Rule exist with Props.Route: the shared listener, and the rule that
	// sends the route's requests to TargetGroup (LoadBalancer and Listener are then nil).
	SharedListener elbv2.IApplicationListener
	Rule           elbv2.ApplicationListenerRule
	vpc            awsec2.IVpc
}

// Target is what the load balancer sends traffic to.
type Target struct {
	// Target is registered with the target group; nil registers nothing (the caller adds it).
	Target elbv2.IApplicationLoadBalancerTarget
	// BlueGreen builds a second target group with the same settings and a production listener
	// rule that forwards to both (weights 100 and 0), for ECS-native blue/green deployments.
	BlueGreen bool
	// CodeDeploy, with BlueGreen, builds no listener rules: CodeDeploy reroutes the listeners'
	// default actions from the blue target group to the green one.
	CodeDeploy bool
	Port       int
	// TargetType is ip for awsvpc tasks and instance for bridge and host tasks.
	TargetType elbv2.TargetType
}

// Attach builds the load balancer front in scope (children "LB", "AccessLogs", "Targets",
// the listener, "Certificate", "Alias" and the "URL" output) and routes it to t. The props
// must be valid (ValidateAt).
func Attach(scope constructs.Construct, vpc awsec2.IVpc, t Target, p Props) *Frontend {
	f := &Frontend{vpc: vpc}
	if p.Route != nil {
		f.route(scope, t, p)
		if t.Target != nil {
			f.TargetGroup.AddTarget(t.Target)
		}
		return f
	}
	f.build(scope, p, &t)
	return f
}

// targetGroupProps are the target group settings of t with p's health check, deregistration
// delay and stickiness.
func (f *Frontend) targetGroupProps(t Target, p Props) *elbv2.ApplicationTargetGroupProps {
	h := p.EffectiveHealthCheck()
	var healthPort *string
	if t.TargetType == elbv2.TargetType_INSTANCE {
		// Bridge tasks get dynamic host ports: health checks must follow each target's port
		// (ELB User Guide, "Health checks for target groups"; cfn-lint E3049 asks for it).
		healthPort = conv.Str("traffic-port")
	}
	hc := &elbv2.HealthCheck{
		Path:                    conv.Str(h.Path),
		Port:                    healthPort,
		Interval:                conv.Seconds(h.Interval),
		Timeout:                 conv.Seconds(h.Timeout),
		HealthyThresholdCount:   conv.Num(h.HealthyThreshold),
		UnhealthyThresholdCount: conv.Num(h.UnhealthyThreshold),
		HealthyHttpCodes:        conv.Str(h.Matcher),
	}
	props := &elbv2.ApplicationTargetGroupProps{
		Vpc:                      f.vpc,
		TargetType:               t.TargetType,
		Protocol:                 elbv2.ApplicationProtocol_HTTP,
		Port:                     conv.Num(t.Port),
		HealthCheck:              hc,
		DeregistrationDelay:      conv.Seconds(p.EffectiveDeregistrationDelay()),
		StickinessCookieDuration: conv.OptSeconds(p.Stickiness),
	}
	switch p.ProtocolVersion {
	case HTTP2:
		props.ProtocolVersion = elbv2.ApplicationProtocolVersion_HTTP2
	case GRPC:
		props.ProtocolVersion = elbv2.ApplicationProtocolVersion_GRPC
		hc.HealthyHttpCodes = nil
		hc.HealthyGrpcCodes = conv.Str(h.GRPCCodes)
	}
	return props
}

// build makes the load balancer, its access logs and listener, and, with a target (nil for a
// shared load balancer), the target group and blue/green rules.
func (f *Frontend) build(scope constructs.Construct, p Props, tp *Target) {
	f.LoadBalancer = elbv2.NewApplicationLoadBalancer(scope, conv.Str("LB"), &elbv2.ApplicationLoadBalancerProps{
		Vpc:                     f.vpc,
		InternetFacing:          conv.Bool(!p.Internal),
		DropInvalidHeaderFields: conv.Bool(true),
	})
	f.AccessLogs = p.AccessLogBucket
	if f.AccessLogs == nil {
		f.AccessLogs = newAccessLogBucket(scope)
	}
	f.LoadBalancer.LogAccessLogs(f.AccessLogs, nil)

	t := Target{}
	if tp != nil {
		t = *tp
		tgProps := f.targetGroupProps(t, p)
		if t.Target != nil {
			tgProps.Targets = &[]elbv2.IApplicationLoadBalancerTarget{t.Target}
		}
		f.TargetGroup = elbv2.NewApplicationTargetGroup(scope, conv.Str("Targets"), tgProps)
		if t.BlueGreen {
			green := *tgProps
			green.Targets = nil
			f.GreenTargetGroup = elbv2.NewApplicationTargetGroup(scope, conv.Str("GreenTargets"), &green)
		}
	}
	f.listen(scope, p)
	if t.BlueGreen && t.CodeDeploy {
		if tl := p.TestListener; tl != nil {
			f.addTestListener(tl, p)
		}
	} else if t.BlueGreen {
		if th := p.TestHeader; th != nil {
			f.TestListenerRule = elbv2.NewApplicationListenerRule(scope, conv.Str("TestRule"), &elbv2.ApplicationListenerRuleProps{
				Listener:   f.Listener,
				Priority:   conv.Num(TestHeaderRulePriority),
				Conditions: &[]elbv2.ListenerCondition{elbv2.ListenerCondition_HttpHeader(conv.Str(th.Name), conv.Strs(th.Values))},
				Action:     f.weighted(),
			})
		}
		f.ProductionRule = elbv2.NewApplicationListenerRule(scope, conv.Str("ProductionRule"), &elbv2.ApplicationListenerRuleProps{
			Listener:   f.Listener,
			Priority:   conv.Num(ProductionRulePriority),
			Conditions: &[]elbv2.ListenerCondition{elbv2.ListenerCondition_PathPatterns(conv.Strs([]string{"/*"}))},
			Action:     f.weighted(),
		})
		if tl := p.TestListener; tl != nil {
			f.addTestListener(tl, p)
			f.TestListenerRule = elbv2.NewApplicationListenerRule(scope, conv.Str("TestRule"), &elbv2.ApplicationListenerRuleProps{
				Listener:   f.TestListener,
				Priority:   conv.Num(ProductionRulePriority),
				Conditions: &[]elbv2.ListenerCondition{elbv2.ListenerCondition_PathPatterns(conv.Strs([]string{"/*"}))},
				Action:     f.weighted(),
			})
		}
	}
	if !p.Internal {
		for _, sg := range *f.LoadBalancer.Connections().SecurityGroups() {
			nag.Suppress(sg, nag.Suppression{ID: "AwsSolutions-EC23",
				Reason: "An internet-facing load balancer must accept its listener ports from any address; the tasks behind it accept traffic from the load balancer's security group only."})
		}
	}
	awscdk.NewCfnOutput(scope, conv.Str("URL"), &awscdk.CfnOutputProps{
		Value: awscdk.Fn_Join(conv.Str(""), &[]*string{conv.Str(urlScheme(p.protocol())), f.dnsName(p)}),
	})
}

// addTestListener adds the test listener, forwarding to the blue target group and open only
// to the peers named. It is HTTP, or HTTPS on the production certificate for gRPC and HTTP/2
// target groups, which take HTTPS listeners only.
func (f *Frontend) addTestListener(tl *TestListener, p Props) {
	lp := &elbv2.BaseApplicationListenerProps{
		Protocol:            elbv2.ApplicationProtocol_HTTP,
		Port:                conv.Num(tl.Port),
		Open:                conv.Bool(false),
		DefaultTargetGroups: &[]elbv2.IApplicationTargetGroup{f.TargetGroup},
	}
	if p.ProtocolVersion == GRPC || p.ProtocolVersion == HTTP2 {
		lp.Protocol, lp.SslPolicy = elbv2.ApplicationProtocol_HTTPS, DefaultSSLPolicy
		lp.Certificates = &[]elbv2.IListenerCertificate{elbv2.ListenerCertificate_FromCertificateManager(f.Certificate)}
	}
	f.TestListener = f.LoadBalancer.AddListener(conv.Str("Test"), lp)
	for _, peer := range tl.AllowFrom {
		f.LoadBalancer.Connections().AllowFrom(peer, awsec2.Port_Tcp(conv.Num(tl.Port)), conv.Str("blue/green test traffic"))
	}
}

// weighted forwards to the blue and green target groups with weights 100 and 0; ECS shifts them.
func (f *Frontend) weighted() elbv2.ListenerAction {
	return elbv2.ListenerAction_WeightedForward(&[]*elbv2.WeightedTargetGroup{
		{TargetGroup: f.TargetGroup, Weight: conv.Num(100)},
		{TargetGroup: f.GreenTargetGroup, Weight: conv.Num(0)},
	}, nil)
}

func urlScheme(p Protocol) string {
	if p == HTTPS {
		return "https://"
	}
	return "http://"
}

func (f *Frontend) dnsName(p Props) *string {
	if p.DomainName != "" {
		return conv.Str(p.DomainName)
	}
	return f.LoadBalancer.LoadBalancerDnsName()
}

// listen adds the client-facing listener (and the HTTP to HTTPS redirect), the certificate and
// the alias record.
func (f *Frontend) listen(scope constructs.Construct, p Props) {
	open := !p.Internal
	lp := &elbv2.BaseApplicationListenerProps{
		Protocol: elbv2.ApplicationProtocol_HTTP,
		Port:     conv.Num(80),
		Open:     conv.Bool(open),
	}
	if f.TargetGroup != nil {
		lp.DefaultTargetGroups = &[]elbv2.IApplicationTargetGroup{f.TargetGroup}
	}
	// With blue/green the production rule (ProductionRule), whose weights ECS shifts, takes the
	// traffic; the default action still forwards to the blue group. Earlier editions of the ECS
	// Developer Guide ("Application Load Balancer resources for blue/green deployments") said
	// listeners that mix forward and non-forward actions fail the deployment; a forward is right
	// whether or not that still holds.
	if p.protocol() == HTTPS {
		f.Certificate = p.Certificate
		if f.Certificate == nil {
			f.Certificate = awscertificatemanager.NewCertificate(scope, conv.Str("Certificate"), &awscertificatemanager.CertificateProps{
				DomainName: conv.Str(p.DomainName),
				Validation: awscertificatemanager.CertificateValidation_FromDns(p.HostedZone),
			})
		}
		lp.Protocol, lp.Port = elbv2.ApplicationProtocol_HTTPS, conv.Num(443)
		lp.SslPolicy = DefaultSSLPolicy
		lp.Certificates = &[]elbv2.IListenerCertificate{elbv2.ListenerCertificate_FromCertificateManager(f.Certificate)}
		if !p.NoRedirect {
			f.LoadBalancer.AddRedirect(&elbv2.ApplicationLoadBalancerRedirectConfig{
				SourcePort: conv.Num(80), TargetPort: conv.Num(443),
				SourceProtocol: elbv2.ApplicationProtocol_HTTP, TargetProtocol: elbv2.ApplicationProtocol_HTTPS,
				Open: conv.Bool(open),
			})
		}
	}
	f.Listener = f.LoadBalancer.AddListener(conv.Str(string(p.protocol())), lp)
	if p.Internal {
		// An internal load balancer accepts its listener ports from the VPC only.
		peer := awsec2.Peer_Ipv4(f.vpc.VpcCidrBlock())
		f.LoadBalancer.Connections().AllowFrom(peer, awsec2.Port_Tcp(lp.Port), conv.Str("clients in the VPC"))
		if p.protocol() == HTTPS && !p.NoRedirect {
			f.LoadBalancer.Connections().AllowFrom(peer, awsec2.Port_Tcp(conv.Num(80)), conv.Str("HTTP redirect for clients in the VPC"))
		}
	}
	if p.DomainName != "" && p.HostedZone != nil {
		awsroute53.NewARecord(scope, conv.Str("Alias"), &awsroute53.ARecordProps{
			Zone:       p.HostedZone,
			RecordName: conv.Str(p.DomainName),
			Target:     awsroute53.RecordTarget_FromAlias(awsroute53targets.NewLoadBalancerTarget(f.LoadBalancer, nil)),
		})
	}
}

// newAccessLogBucket is a private, encrypted bucket for ALB access logs that refuses plain HTTP
// and expires logs after DefaultAccessLogExpiration days. ALB access logs support SSE-S3
// encryption only (ELB User Guide, "Access logs for your Application Load Balancer").
func newAccessLogBucket(scope constructs.Construct) awss3.Bucket {
	b := awss3.NewBucket(scope, conv.Str("AccessLogs"), &awss3.BucketProps{
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        conv.Bool(true),
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Expiration: awscdk.Duration_Days(conv.Num(DefaultAccessLogExpiration)),
		}},
	})
	nag.Suppress(b, nag.Suppression{ID: "AwsSolutions-S1",
		Reason: "This bucket holds the load balancer's access logs; logging its own access would need a further bucket and records only ELB's log delivery."})
	return b
}
