// Package webservice is the documented web service pattern: an Application Load Balancer in
// front of Fargate tasks (awsvpc, target type ip), over HTTP or HTTPS, with access logs, health
// checks and deployment defaults that make a rolling deployment take about a minute.
//
// The seed's example, ApplicationLoadBalancedFargateService running amazon/amazon-ecs-sample
// behind a public ALB, reads:
//
//	webservice.New(stack, "MyWebServer", webservice.Props{
//		Task: taskdef.Props{Containers: []taskdef.Container{{
//			Image: awsecs.ContainerImage_FromRegistry(jsii.String("amazon/amazon-ecs-sample"), nil),
//		}}},
//	})
//
// or, with no jsii at all, webservice.Image("amazon/amazon-ecs-sample").
package webservice

import (
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	elbv2 "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53targets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/internal/conv"
	"github.com/ecsforge/ecsforge/internal/nag"
	"github.com/ecsforge/ecsforge/internal/validate"
	"github.com/ecsforge/ecsforge/rules"
)

// Defaults. With them the deploy-time model gives 30 s task start + 5 s x 2 health checks +
// 10 s deregistration delay + 10 s stop timeout = 60 s, in one batch (DefaultMaxPercent 200).
const (
	// DefaultContainerPort is the port of the main container when it declares none: the port
	// amazon/amazon-ecs-sample and CDK's ApplicationLoadBalancedFargateService use.
	DefaultContainerPort = 80
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
	// DefaultHealthCheckGracePeriod lets a task start (the model's 30 s) before failing ALB
	// health checks count against it (ECS Developer Guide, "healthCheckGracePeriodSeconds").
	DefaultHealthCheckGracePeriod = 30 * time.Second
	// DefaultAccessLogExpiration deletes ALB access logs after 90 days.
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
}

// Props configures a web service.
type Props struct {
	// Cluster to run in; nil creates one (cluster.New) in VPC, or in a new VPC.
	Cluster awsecs.ICluster
	VPC     awsec2.IVpc
	// Task is the task definition; its first container receives the traffic on its first port.
	Task taskdef.Props
	// Service holds the service settings; its Cluster and TaskDefinition are set by the pattern.
	Service service.Props

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
	// DeregistrationDelay (default DefaultDeregistrationDelay); new(time.Duration(0)) is allowed.
	DeregistrationDelay *time.Duration
	// Stickiness turns on load balancer cookie stickiness for this long (0: off).
	Stickiness time.Duration
	// HealthCheckGracePeriod (default DefaultHealthCheckGracePeriod).
	HealthCheckGracePeriod *time.Duration
	// AccessLogBucket receives ALB access logs; nil creates an encrypted bucket.
	AccessLogBucket awss3.IBucket
}

// Image is the smallest useful Props: one container from a public registry image.
func Image(ref string) Props {
	return Props{Task: taskdef.Props{Containers: []taskdef.Container{{
		Image: awsecs.ContainerImage_FromRegistry(conv.Str(ref), nil),
	}}}}
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

func (p Props) healthCheck() HealthCheck {
	h := p.HealthCheck
	h.Path = conv.OrZero(h.Path, DefaultHealthCheckPath)
	h.Interval = conv.OrZero(h.Interval, DefaultHealthCheckInterval)
	h.Timeout = conv.OrZero(h.Timeout, DefaultHealthCheckTimeout)
	h.HealthyThreshold = conv.OrZero(h.HealthyThreshold, DefaultHealthyThreshold)
	h.UnhealthyThreshold = conv.OrZero(h.UnhealthyThreshold, DefaultUnhealthyThreshold)
	h.Matcher = conv.OrZero(h.Matcher, DefaultHealthCheckMatcher)
	return h
}

// withPort gives the main container DefaultContainerPort when it declares no port.
func (p Props) withPort() Props {
	if len(p.Task.Containers) > 0 && len(p.Task.Containers[0].Ports) == 0 {
		cs := append([]taskdef.Container(nil), p.Task.Containers...)
		cs[0].Ports = []taskdef.Port{{Port: DefaultContainerPort, Name: "http"}}
		p.Task.Containers = cs
	}
	return p
}

// Validate reports every documented constraint the props break (nil when valid), including
// those of the task definition and the service.
func (p Props) Validate() error {
	p = p.withPort()
	h := p.healthCheck()
	errs := []error{
		p.Task.ValidateAt("Task."),
		p.Service.ValidateAt("Service."),
		rules.CheckTargetGroupHealthCheck("HealthCheck", rules.TargetGroupHealthCheckSettings{
			Interval: conv.Secs(h.Interval), Timeout: conv.Secs(h.Timeout),
			HealthyThreshold: h.HealthyThreshold, UnhealthyThreshold: h.UnhealthyThreshold, Matcher: h.Matcher,
		}),
		rules.CheckDeregistrationDelay("DeregistrationDelay", conv.Secs(conv.Or(p.DeregistrationDelay, DefaultDeregistrationDelay))),
		rules.CheckStickiness("Stickiness", conv.Secs(p.Stickiness)),
	}
	switch p.protocol() {
	case HTTPS:
		errs = append(errs, rules.CheckHTTPSCertificate("HTTPS", p.Certificate != nil, p.DomainName != "", p.HostedZone != nil))
	case HTTP:
		if p.Certificate != nil || p.DomainName != "" {
			errs = append(errs, fmt.Errorf("Protocol=%q: a certificate or domain name needs Protocol HTTPS", p.Protocol))
		}
	default:
		errs = append(errs, fmt.Errorf("Protocol=%q: must be %q or %q", p.Protocol, HTTP, HTTPS))
	}
	return errors.Join(errs...)
}

// WebService is an ALB-fronted Fargate service.
type WebService struct {
	constructs.Construct
	Cluster      awsecs.ICluster
	Task         *taskdef.TaskDefinition
	Service      *service.Service
	LoadBalancer elbv2.ApplicationLoadBalancer
	Listener     elbv2.ApplicationListener
	TargetGroup  elbv2.ApplicationTargetGroup
	Certificate  awscertificatemanager.ICertificate
	AccessLogs   awss3.IBucket
	props        Props
}

// New builds a WebService. Invalid props fail synth with every violation and build nothing.
func New(scope constructs.Construct, id string, p Props) *WebService {
	w := &WebService{Construct: constructs.NewConstruct(scope, conv.Str(id)), props: p.withPort()}
	err := p.Validate()
	if *awscdk.Token_IsUnresolved(awscdk.Stack_Of(w.Construct).Region()) {
		err = errors.Join(err, errors.New("AccessLogs: ALB access logs need the stack's region (ELB delivers them from a per-region account): set Env.Region on the stack"))
	}
	if validate.Record(w, err) {
		return w
	}
	p = w.props
	w.Cluster = p.Cluster
	if w.Cluster == nil {
		w.Cluster = cluster.New(w.Construct, "Cluster", cluster.Props{VPC: p.VPC}).Cluster
	}
	vpc := w.Cluster.Vpc()
	w.Task = taskdef.New(w.Construct, "TaskDef", p.Task)

	sp := p.Service
	sp.Cluster, sp.TaskDefinition = w.Cluster, w.Task.TaskDefinition
	w.Service = service.New(w.Construct, "Service", sp)
	svc := w.Service.Service
	grace := conv.Or(p.HealthCheckGracePeriod, DefaultHealthCheckGracePeriod)
	svc.Node().DefaultChild().(awsecs.CfnService).SetHealthCheckGracePeriodSeconds(conv.Num(conv.Secs(grace)))

	w.LoadBalancer = elbv2.NewApplicationLoadBalancer(w.Construct, conv.Str("LB"), &elbv2.ApplicationLoadBalancerProps{
		Vpc:                     vpc,
		InternetFacing:          conv.Bool(!p.Internal),
		DropInvalidHeaderFields: conv.Bool(true),
	})
	w.AccessLogs = p.AccessLogBucket
	if w.AccessLogs == nil {
		w.AccessLogs = newAccessLogBucket(w.Construct)
	}
	w.LoadBalancer.LogAccessLogs(w.AccessLogs, nil)

	h := p.healthCheck()
	main := p.Task.Containers[0]
	w.TargetGroup = elbv2.NewApplicationTargetGroup(w.Construct, conv.Str("Targets"), &elbv2.ApplicationTargetGroupProps{
		Vpc:        vpc,
		TargetType: elbv2.TargetType_IP,
		Protocol:   elbv2.ApplicationProtocol_HTTP,
		Port:       conv.Num(main.Ports[0].Port),
		HealthCheck: &elbv2.HealthCheck{
			Path:                    conv.Str(h.Path),
			Interval:                conv.Seconds(h.Interval),
			Timeout:                 conv.Seconds(h.Timeout),
			HealthyThresholdCount:   conv.Num(h.HealthyThreshold),
			UnhealthyThresholdCount: conv.Num(h.UnhealthyThreshold),
			HealthyHttpCodes:        conv.Str(h.Matcher),
		},
		DeregistrationDelay:      conv.Seconds(conv.Or(p.DeregistrationDelay, DefaultDeregistrationDelay)),
		StickinessCookieDuration: conv.OptSeconds(p.Stickiness),
		Targets: &[]elbv2.IApplicationLoadBalancerTarget{svc.LoadBalancerTarget(&awsecs.LoadBalancerTargetOptions{
			ContainerName: conv.Str(w.Task.Props.Containers[0].Name),
			ContainerPort: conv.Num(main.Ports[0].Port),
		})},
	})
	w.listen(p)
	w.Service.ScaleOnRequests(w.TargetGroup)
	if !p.Internal {
		for _, sg := range *w.LoadBalancer.Connections().SecurityGroups() {
			nag.Suppress(sg, nag.Suppression{ID: "AwsSolutions-EC23",
				Reason: "An internet-facing load balancer must accept its listener ports from any address; the tasks behind it accept traffic from the load balancer's security group only."})
		}
	}
	awscdk.NewCfnOutput(w.Construct, conv.Str("URL"), &awscdk.CfnOutputProps{
		Value: awscdk.Fn_Join(conv.Str(""), &[]*string{conv.Str(urlScheme(p.protocol())), w.dnsName(p)}),
	})
	return w
}

func urlScheme(p Protocol) string {
	if p == HTTPS {
		return "https://"
	}
	return "http://"
}

func (w *WebService) dnsName(p Props) *string {
	if p.DomainName != "" {
		return conv.Str(p.DomainName)
	}
	return w.LoadBalancer.LoadBalancerDnsName()
}

// listen adds the client-facing listener (and the HTTP to HTTPS redirect), the certificate and
// the alias record.
func (w *WebService) listen(p Props) {
	open := !p.Internal
	lp := &elbv2.BaseApplicationListenerProps{
		Protocol:            elbv2.ApplicationProtocol_HTTP,
		Port:                conv.Num(80),
		Open:                conv.Bool(open),
		DefaultTargetGroups: &[]elbv2.IApplicationTargetGroup{w.TargetGroup},
	}
	if p.protocol() == HTTPS {
		w.Certificate = p.Certificate
		if w.Certificate == nil {
			w.Certificate = awscertificatemanager.NewCertificate(w.Construct, conv.Str("Certificate"), &awscertificatemanager.CertificateProps{
				DomainName: conv.Str(p.DomainName),
				Validation: awscertificatemanager.CertificateValidation_FromDns(p.HostedZone),
			})
		}
		lp.Protocol, lp.Port = elbv2.ApplicationProtocol_HTTPS, conv.Num(443)
		lp.SslPolicy = DefaultSSLPolicy
		lp.Certificates = &[]elbv2.IListenerCertificate{elbv2.ListenerCertificate_FromCertificateManager(w.Certificate)}
		if !p.NoRedirect {
			w.LoadBalancer.AddRedirect(&elbv2.ApplicationLoadBalancerRedirectConfig{
				SourcePort: conv.Num(80), TargetPort: conv.Num(443),
				SourceProtocol: elbv2.ApplicationProtocol_HTTP, TargetProtocol: elbv2.ApplicationProtocol_HTTPS,
				Open: conv.Bool(open),
			})
		}
	}
	w.Listener = w.LoadBalancer.AddListener(conv.Str(string(p.protocol())), lp)
	if p.Internal {
		// An internal load balancer accepts its listener ports from the VPC only.
		peer := awsec2.Peer_Ipv4(w.Cluster.Vpc().VpcCidrBlock())
		w.LoadBalancer.Connections().AllowFrom(peer, awsec2.Port_Tcp(lp.Port), conv.Str("clients in the VPC"))
		if p.protocol() == HTTPS && !p.NoRedirect {
			w.LoadBalancer.Connections().AllowFrom(peer, awsec2.Port_Tcp(conv.Num(80)), conv.Str("HTTP redirect for clients in the VPC"))
		}
	}
	if p.DomainName != "" && p.HostedZone != nil {
		awsroute53.NewARecord(w.Construct, conv.Str("Alias"), &awsroute53.ARecordProps{
			Zone:       p.HostedZone,
			RecordName: conv.Str(p.DomainName),
			Target:     awsroute53.RecordTarget_FromAlias(awsroute53targets.NewLoadBalancerTarget(w.LoadBalancer, nil)),
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

// DeployTime is the modeled duration of one rolling deployment of the service with its
// configured health check, deregistration delay, stop timeout and deployment percentages.
func (w *WebService) DeployTime() rules.DeployTime {
	r := w.Service.Rolling()
	h := w.props.healthCheck()
	r.HealthCheckInterval, r.HealthyThreshold = conv.Secs(h.Interval), h.HealthyThreshold
	r.DeregistrationDelay = conv.Secs(conv.Or(w.props.DeregistrationDelay, DefaultDeregistrationDelay))
	for _, c := range w.Task.Props.Containers {
		r.StopTimeout = max(r.StopTimeout, conv.Secs(c.StopTimeout))
	}
	return rules.ModelDeployTime(r)
}
