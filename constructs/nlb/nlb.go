// Package nlb puts a Network Load Balancer in front of an ECS service: TCP or TLS listeners,
// target type ip, TCP or HTTP health checks, a short deregistration delay, optional client IP
// preservation and proxy protocol v2, and the load balancer's own security group, open only on
// the listener ports, as the one source the service accepts traffic from.
package nlb

import (
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	elbv2 "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/internal/conv"
	"github.com/ecsforge/ecsforge/internal/nag"
	"github.com/ecsforge/ecsforge/rules"
)

// Protocol is a listener protocol.
type Protocol string

// Listener protocols.
const (
	TCP Protocol = "TCP"
	TLS Protocol = "TLS"
	// UDP listeners forward to a UDP target group; its health check runs over TCP or HTTP on
	// HealthCheck.Port, since ELB health checks do not speak UDP (ELB API Reference,
	// ModifyTargetGroup HealthCheckProtocol).
	UDP Protocol = "UDP"
)

// Defaults (ELB Network Load Balancers Guide, "Health checks for Network Load Balancer target
// groups" and "Target group attributes").
const (
	// DefaultHealthCheckInterval is the shortest interval NLB health checks take besides 5 s,
	// with the TCP check's 10 s timeout: a new task is healthy after 20 s.
	DefaultHealthCheckInterval = 10 * time.Second
	// DefaultHealthyThreshold is the fewest consecutive successes ELB accepts.
	DefaultHealthyThreshold = 2
	// DefaultUnhealthyThreshold takes a failing task out after two failed checks.
	DefaultUnhealthyThreshold = 2
	// DefaultDeregistrationDelay drains a task for 10 s instead of ELB's 300 s (ECS Best
	// Practices Guide, "Speeding up deployments"); raise it for long-lived connections.
	DefaultDeregistrationDelay = 10 * time.Second
	// DefaultSSLPolicy is ELB's recommended TLS 1.2/1.3 policy for TLS listeners.
	DefaultSSLPolicy = elbv2.SslPolicy_RECOMMENDED_TLS
)

// Listener is one port clients connect to.
type Listener struct {
	Port int
	// Protocol (default TCP); TLS terminates TLS at the load balancer with Certificate.
	Protocol    Protocol
	Certificate awscertificatemanager.ICertificate
	// SSLPolicy of a TLS listener (default DefaultSSLPolicy).
	SSLPolicy elbv2.SslPolicy
}

// HealthCheck is the target group health check: TCP unless HTTPPath is set, on the traffic
// port unless Port is set (required with UDP listeners).
type HealthCheck struct {
	HTTPPath           string
	Port               int
	Interval           time.Duration
	HealthyThreshold   int
	UnhealthyThreshold int
}

// Props configures the Network Load Balancer.
type Props struct {
	// Listeners (default one TCP listener on the container port).
	Listeners []Listener
	// Internal places it in private subnets, reachable from the VPC only.
	Internal bool
	// AllowFrom are the clients the load balancer's security group accepts on the listener
	// ports (default: any IPv4 address when internet-facing, the VPC's CIDR when internal).
	AllowFrom   []awsec2.IPeer
	HealthCheck HealthCheck
	// DeregistrationDelay (default DefaultDeregistrationDelay).
	DeregistrationDelay *time.Duration
	// PreserveClientIP passes the clients' addresses to the tasks (nil: ELB's default: off for
	// TCP and TLS ip targets, always on for UDP, where false is a violation). The tasks'
	// security group accepts the load balancer's security group either way, which ELB honours
	// with client IP preservation on.
	PreserveClientIP *bool
	// ProxyProtocol sends the connection's original addresses in a proxy protocol v2 header.
	ProxyProtocol bool
}

// UDP reports whether the listeners carry UDP.
func (p Props) UDP() bool {
	for _, l := range p.Listeners {
		if l.Protocol == UDP {
			return true
		}
	}
	return false
}

// EffectiveHealthCheck is the health check with its defaults.
func (p Props) EffectiveHealthCheck() HealthCheck {
	h := p.HealthCheck
	h.Interval = conv.OrZero(h.Interval, DefaultHealthCheckInterval)
	h.HealthyThreshold = conv.OrZero(h.HealthyThreshold, DefaultHealthyThreshold)
	h.UnhealthyThreshold = conv.OrZero(h.UnhealthyThreshold, DefaultUnhealthyThreshold)
	return h
}

// EffectiveDeregistrationDelay is the deregistration delay with its default.
func (p Props) EffectiveDeregistrationDelay() time.Duration {
	return conv.Or(p.DeregistrationDelay, DefaultDeregistrationDelay)
}

// ValidateAt reports every documented constraint the props break; at prefixes the paths.
func (p Props) ValidateAt(at string) error {
	h := p.EffectiveHealthCheck()
	errs := []error{
		rules.CheckDeregistrationDelay(at+"DeregistrationDelay", conv.Secs(p.EffectiveDeregistrationDelay())),
		rules.CheckNLBHealthCheck(at+"HealthCheck", conv.Secs(h.Interval), h.HealthyThreshold, h.UnhealthyThreshold),
	}
	ports := map[int]bool{}
	udp, stream := false, false
	for _, l := range p.Listeners {
		if l.Protocol == UDP {
			udp = true
		} else {
			stream = true
		}
	}
	if udp && stream {
		errs = append(errs, rules.NewViolation(rules.NLBProtocols, at+"Listeners", "TCP and UDP", "the listeners share one target group, whose protocol is TCP or UDP: give the UDP and TCP ports separate services"))
	}
	if udp && p.PreserveClientIP != nil && !*p.PreserveClientIP {
		errs = append(errs, rules.NewViolation(rules.NLBProtocols, at+"PreserveClientIP", false, "client IP preservation is always on for a UDP target group and cannot be turned off").See(docNLBClientIP))
	}
	if udp && h.Port == 0 && h.HTTPPath == "" {
		errs = append(errs, rules.Missing(at+"HealthCheck.Port", "with UDP listeners the health check runs over TCP or HTTP: name the task's TCP port for it (HealthCheck.Port), or an HTTP path", docNLBListeners))
	}
	if h.Port != 0 {
		errs = append(errs, rules.CheckPort(at+"HealthCheck.Port", h.Port))
	}
	for i, l := range p.Listeners {
		la := fmt.Sprintf("%sListeners[%d].", at, i)
		errs = append(errs, rules.CheckPort(la+"Port", l.Port))
		if ports[l.Port] {
			errs = append(errs, rules.NewViolation(rules.PortRange, la+"Port", l.Port, "another listener of the load balancer has this port"))
		}
		ports[l.Port] = true
		if l.SSLPolicy != "" && l.Protocol != TLS {
			errs = append(errs, rules.NewViolation(rules.HTTPSCertificate, la+"SSLPolicy", string(l.SSLPolicy), "a security policy is for a TLS listener"))
		}
		switch conv.OrZero(l.Protocol, TCP) {
		case TCP:
			if l.Certificate != nil {
				errs = append(errs, rules.NewViolation(rules.HTTPSCertificate, la+"Certificate", "set", "a certificate is for a TLS listener: set Protocol nlb.TLS"))
			}
		case TLS:
			if l.Certificate == nil {
				errs = append(errs, rules.Missing(la+"Certificate", "a TLS listener needs a certificate", docNLBListeners))
			}
		case UDP:
			if l.Certificate != nil {
				errs = append(errs, rules.NewViolation(rules.HTTPSCertificate, la+"Certificate", "set", "a certificate is for a TLS listener, not UDP"))
			}
		default:
			errs = append(errs, rules.OneOf(la+"Protocol", l.Protocol, "nlb.TCP, nlb.TLS or nlb.UDP", docNLBListeners))
		}
	}
	return errors.Join(errs...)
}

const (
	docNLBListeners = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html"
	docNLBClientIP  = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation"
)

// Target is what the load balancer sends traffic to.
type Target struct {
	Target elbv2.INetworkLoadBalancerTarget
	// Connections are the service's, opened to the load balancer's security group on Port.
	Connections awsec2.Connections
	Port        int
}

// Frontend is the load balancer, its security group, listeners and target group.
type Frontend struct {
	LoadBalancer  elbv2.NetworkLoadBalancer
	SecurityGroup awsec2.SecurityGroup
	Listeners     []elbv2.NetworkListener
	TargetGroup   elbv2.NetworkTargetGroup
}

// Attach builds the front in scope (children "LB", "SecurityGroup", "Targets", the listeners
// and the "Address" output). The props must be valid.
func Attach(scope constructs.Construct, vpc awsec2.IVpc, t Target, p Props) *Frontend {
	f := &Frontend{}
	listeners := p.Listeners
	if len(listeners) == 0 {
		listeners = []Listener{{Port: t.Port}}
	}
	f.SecurityGroup = awsec2.NewSecurityGroup(scope, conv.Str("SecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc: vpc, AllowAllOutbound: conv.Bool(false), Description: conv.Str("Network Load Balancer of " + *scope.Node().Path()),
	})
	peers := p.AllowFrom
	if len(peers) == 0 {
		if p.Internal {
			peers = []awsec2.IPeer{awsec2.Peer_Ipv4(vpc.VpcCidrBlock())}
		} else {
			peers = []awsec2.IPeer{awsec2.Peer_AnyIpv4()}
			nag.Suppress(f.SecurityGroup, nag.Suppression{ID: "AwsSolutions-EC23",
				Reason: "An internet-facing load balancer accepts its listener ports from any address; the tasks accept traffic from the load balancer's security group only."})
		}
	}
	udp := false
	for _, l := range listeners {
		port := awsec2.Port_Tcp(conv.Num(l.Port))
		if l.Protocol == UDP {
			port, udp = awsec2.Port_Udp(conv.Num(l.Port)), true
		}
		for _, peer := range peers {
			f.SecurityGroup.AddIngressRule(peer, port, conv.Str(fmt.Sprintf("clients on %d", l.Port)), nil)
		}
	}
	f.LoadBalancer = elbv2.NewNetworkLoadBalancer(scope, conv.Str("LB"), &elbv2.NetworkLoadBalancerProps{
		Vpc: vpc, InternetFacing: conv.Bool(!p.Internal), SecurityGroups: &[]awsec2.ISecurityGroup{f.SecurityGroup},
	})
	h := p.EffectiveHealthCheck()
	hc := &elbv2.HealthCheck{
		Protocol:                elbv2.Protocol_TCP,
		Interval:                conv.Seconds(h.Interval),
		HealthyThresholdCount:   conv.Num(h.HealthyThreshold),
		UnhealthyThresholdCount: conv.Num(h.UnhealthyThreshold),
	}
	if h.HTTPPath != "" {
		hc.Protocol, hc.Path = elbv2.Protocol_HTTP, conv.Str(h.HTTPPath)
	}
	if h.Port != 0 {
		hc.Port = conv.Str(fmt.Sprint(h.Port))
	}
	tgProtocol := elbv2.Protocol_TCP
	if udp {
		tgProtocol = elbv2.Protocol_UDP
	}
	f.TargetGroup = elbv2.NewNetworkTargetGroup(scope, conv.Str("Targets"), &elbv2.NetworkTargetGroupProps{
		Vpc: vpc, Port: conv.Num(t.Port), Protocol: tgProtocol, TargetType: elbv2.TargetType_IP,
		HealthCheck:         hc,
		DeregistrationDelay: conv.Seconds(p.EffectiveDeregistrationDelay()),
		PreserveClientIp:    p.PreserveClientIP,
		ProxyProtocolV2:     conv.Bool(p.ProxyProtocol),
		Targets:             &[]elbv2.INetworkLoadBalancerTarget{t.Target},
	})
	for _, l := range listeners {
		lp := &elbv2.BaseNetworkListenerProps{Port: conv.Num(l.Port), Protocol: elbv2.Protocol_TCP,
			DefaultTargetGroups: &[]elbv2.INetworkTargetGroup{f.TargetGroup}}
		switch l.Protocol {
		case TLS:
			lp.Protocol, lp.SslPolicy = elbv2.Protocol_TLS, conv.OrZero(l.SSLPolicy, DefaultSSLPolicy)
			lp.Certificates = &[]elbv2.IListenerCertificate{elbv2.ListenerCertificate_FromCertificateManager(l.Certificate)}
		case UDP:
			lp.Protocol = elbv2.Protocol_UDP
		}
		f.Listeners = append(f.Listeners, f.LoadBalancer.AddListener(conv.Str(fmt.Sprintf("%s%d", conv.OrZero(l.Protocol, TCP), l.Port)), lp))
	}
	// The tasks accept the load balancer's security group on their port and its health checks.
	if udp {
		t.Connections.AllowFrom(f.SecurityGroup, awsec2.Port_Udp(conv.Num(t.Port)), conv.Str("load balancer to tasks"))
	} else {
		t.Connections.AllowFrom(f.SecurityGroup, awsec2.Port_Tcp(conv.Num(t.Port)), conv.Str("load balancer to tasks"))
	}
	if h.Port != 0 && (udp || h.Port != t.Port) {
		t.Connections.AllowFrom(f.SecurityGroup, awsec2.Port_Tcp(conv.Num(h.Port)), conv.Str("load balancer health checks"))
	}
	awscdk.NewCfnOutput(scope, conv.Str("Address"), &awscdk.CfnOutputProps{Value: f.LoadBalancer.LoadBalancerDnsName()})
	return f
}
