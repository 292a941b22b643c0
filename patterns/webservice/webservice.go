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

	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodedeploy"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	elbv2 "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/constructs/alb"
	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/internal/conv"
	"github.com/ecsforge/ecsforge/internal/validate"
	"github.com/ecsforge/ecsforge/patterns/internal/bluegreen"
	"github.com/ecsforge/ecsforge/rules"
)

// Defaults. With them (and alb's) the deploy-time model gives 30 s task start + 5 s x 2
// health checks + 10 s deregistration delay + 10 s stop timeout = 60 s, in one batch
// (service.DefaultMaxPercent 200).
const (
	// DefaultContainerPort is the port of the main container when it declares none: the port
	// amazon/amazon-ecs-sample and CDK's ApplicationLoadBalancedFargateService use.
	DefaultContainerPort = 80
	// DefaultHealthCheckGracePeriod lets a task start (the model's 30 s) before failing ALB
	// health checks count against it (ECS Developer Guide, "healthCheckGracePeriodSeconds").
	DefaultHealthCheckGracePeriod = 30 * time.Second
)

// Props configures a web service.
type Props struct {
	// Cluster to run in; nil creates one (cluster.New) in VPC, or in a new VPC.
	Cluster awsecs.ICluster
	VPC     awsec2.IVpc
	// Task is the task definition; its first container receives the traffic on its first port.
	Task taskdef.Props
	// Service holds the service settings; its Cluster and TaskDefinition are set by the pattern.
	Service service.Props
	// LoadBalancer configures the ALB: protocol, certificate or domain, health check,
	// deregistration delay, stickiness, access logs.
	LoadBalancer alb.Props
	// HealthCheckGracePeriod (default DefaultHealthCheckGracePeriod).
	HealthCheckGracePeriod *time.Duration
}

// Image is the smallest useful Props: one container from a public registry image.
func Image(ref string) Props {
	return Props{Task: taskdef.Props{Containers: []taskdef.Container{{
		Image: awsecs.ContainerImage_FromRegistry(conv.Str(ref), nil),
	}}}}
}

// Task size of a web service in a Service Connect namespace when Task sets none: the smallest
// Fargate task (taskdef.DefaultCPU, 256) plus the 256 CPU units ECS recommends for the Service
// Connect proxy, and the smallest memory Fargate accepts with 512 CPU units, which leaves far
// more than the recommended 64 MiB (ECS Developer Guide, "Service Connect configuration").
const (
	ConnectTaskCPU       = taskdef.DefaultCPU + rules.ProxyCPU
	ConnectTaskMemoryMiB = 1024
)

// withPort gives the main container DefaultContainerPort when it declares no port, and a task
// in a Service Connect namespace the proxy's headroom when it sets no size.
func (p Props) withPort() Props {
	if p.Service.ServiceConnect != nil && p.Task.CPU == 0 && p.Task.MemoryMiB == 0 {
		p.Task.CPU, p.Task.MemoryMiB = ConnectTaskCPU, ConnectTaskMemoryMiB
	}
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
	var errs []error
	if p.Task.Launch != "" && p.Task.Launch != taskdef.Fargate {
		errs = append(errs, rules.CheckLaunchTypeSetting("Task.Launch", fmt.Sprintf("%q", p.Task.Launch), "the web service runs on Fargate; use patterns/ec2service for EC2"))
	}
	if p.Service.EC2 != nil {
		errs = append(errs, rules.CheckLaunchTypeSetting("Service.EC2", "set", "the web service runs on Fargate; use patterns/ec2service for EC2"))
	}
	errs = append(errs, bluegreen.Validate(p.Service.Deployment, p.LoadBalancer, "LoadBalancer.")...)
	if len(p.Task.Containers) > 0 && len(p.Task.Containers[0].Ports) > 0 && p.Task.Containers[0].Ports[0].Protocol == taskdef.UDP {
		errs = append(errs, rules.NewViolation(rules.NLBProtocols, "Task.Containers[0].Ports[0].Protocol", "udp", "an Application Load Balancer forwards HTTP over TCP: use patterns/nlbservice with a UDP listener"))
	}
	return errors.Join(append(errs,
		p.Task.ValidateAt("Task."),
		p.Service.ValidateAt("Service."),
		p.LoadBalancer.ValidateAt("LoadBalancer."),
	)...)
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
	// GreenTargetGroup and DeploymentAlarms exist with Service.Deployment, ProductionRule with
	// ECS-native deployments, and TestListener with LoadBalancer.TestListener too.
	GreenTargetGroup elbv2.ApplicationTargetGroup
	ProductionRule   elbv2.ApplicationListenerRule
	TestListener     elbv2.ApplicationListener
	DeploymentAlarms []awscloudwatch.Alarm
	// Rule sends a LoadBalancer.Route's requests to TargetGroup on the shared listener
	// (LoadBalancer and Listener are then nil: they belong to alb.NewShared).
	Rule elbv2.ApplicationListenerRule
	// DeploymentGroup is the CodeDeploy deployment group (Service.Deployment with
	// service.CodeDeployController).
	DeploymentGroup awscodedeploy.EcsDeploymentGroup
	props           Props
}

// New builds a WebService. Invalid props fail synth with every violation and build nothing.
func New(scope constructs.Construct, id string, p Props) *WebService {
	w := &WebService{props: p.withPort()}
	constructs.NewConstruct_Override(w, scope, conv.Str(id))
	var region error
	if p.LoadBalancer.Route == nil {
		region = alb.CheckRegion(w, "LoadBalancer.")
	}
	if validate.Record(w, errors.Join(p.Validate(), region)) {
		return w
	}
	p = w.props
	w.Cluster = p.Cluster
	if w.Cluster == nil {
		w.Cluster = cluster.New(w, "Cluster", cluster.Props{VPC: p.VPC}).Cluster
	}
	vpc := w.Cluster.Vpc()
	w.Task = taskdef.NewAt(w, "TaskDef", p.Task, "Task.")

	sp := p.Service
	sp.Cluster, sp.TaskDefinition = w.Cluster, w.Task.TaskDefinition
	if sp.Deployment != nil {
		w.newBlueGreen(vpc, sp, p)
		return w
	}
	w.Service = service.New(w, "Service", sp)
	svc := w.Service.Service
	setGracePeriod(svc, p)

	port := p.Task.Containers[0].Ports[0].Port
	f := alb.Attach(w, vpc, alb.Target{
		Target: svc.LoadBalancerTarget(&awsecs.LoadBalancerTargetOptions{
			ContainerName: conv.Str(w.Task.Props.Containers[0].Name),
			ContainerPort: conv.Num(port),
		}),
		Port:       port,
		TargetType: elbv2.TargetType_IP,
	}, p.LoadBalancer)
	w.LoadBalancer, w.Listener, w.TargetGroup, w.Certificate, w.AccessLogs = f.LoadBalancer, f.Listener, f.TargetGroup, f.Certificate, f.AccessLogs
	w.Rule = f.Rule
	w.Service.ScaleOnRequests(w.TargetGroup)
	return w
}

// setGracePeriod sets the service's health check grace period (CDK's L2 sets one only with a
// load balancer it attaches itself).
func setGracePeriod(svc awsecs.BaseService, p Props) {
	grace := conv.Or(p.HealthCheckGracePeriod, DefaultHealthCheckGracePeriod)
	svc.Node().DefaultChild().(awsecs.CfnService).SetHealthCheckGracePeriodSeconds(conv.Num(conv.Secs(grace)))
}

// Blue/green alarm defaults (see bluegreen): every blue/green, linear or canary deployment of
// the pattern watches 5XX answers and unhealthy targets on both target groups.
const (
	DefaultTarget5XXPerMinute = bluegreen.DefaultTarget5XXPerMinute
	DefaultUnhealthyMinutes   = bluegreen.DefaultUnhealthyMinutes
)

// newBlueGreen builds the service with a traffic-shifting deployment (ECS-native or
// CodeDeploy): the load balancer with blue and green target groups, alarms on both that roll a
// deployment back, and the service registered with them.
func (w *WebService) newBlueGreen(vpc awsec2.IVpc, sp service.Props, p Props) {
	b := bluegreen.Build(w, bluegreen.Input{
		VPC: vpc, Service: sp, LoadBalancer: p.LoadBalancer,
		Container: w.Task.Props.Containers[0].Name, Port: p.Task.Containers[0].Ports[0].Port,
		TargetType: elbv2.TargetType_IP,
		Grace:      conv.Or(p.HealthCheckGracePeriod, DefaultHealthCheckGracePeriod),
	})
	f := b.Frontend
	w.LoadBalancer, w.Listener, w.TargetGroup, w.Certificate, w.AccessLogs = f.LoadBalancer, f.Listener, f.TargetGroup, f.Certificate, f.AccessLogs
	w.GreenTargetGroup, w.ProductionRule, w.TestListener = f.GreenTargetGroup, f.ProductionRule, f.TestListener
	w.DeploymentAlarms, w.Service, w.DeploymentGroup = b.Alarms, b.Service, b.DeploymentGroup
}

// ShiftTime is the modeled duration of one blue/green, linear or canary deployment of the
// service (false for a rolling service, see DeployTime, and for a custom CodeDeploy
// configuration, whose steps are not known at synth).
func (w *WebService) ShiftTime() (rules.ShiftTime, bool) {
	d := w.props.Service.Deployment
	if d == nil {
		return rules.ShiftTime{}, false
	}
	stop := w.Task.LongestStopTimeout()
	return bluegreen.ShiftTime(*d, w.props.LoadBalancer, stop)
}

// DeployTime is the modeled duration of one deployment of the service: the traffic shift of a
// blue/green, linear or canary deployment (ShiftTime), or else the rolling update with its
// health check, deregistration delay, stop timeout and deployment percentages. It is false for
// a CodeDeploy configuration of the user's own, whose steps are not known at synth.
func (w *WebService) DeployTime() (rules.Modeled, bool) {
	if w.props.Service.Deployment != nil {
		s, ok := w.ShiftTime()
		return rules.Modeled{Shift: &s}, ok
	}
	r := w.Service.Rolling()
	h := w.props.LoadBalancer.EffectiveHealthCheck()
	r.HealthCheckInterval, r.HealthyThreshold = conv.Secs(h.Interval), h.HealthyThreshold
	r.DeregistrationDelay = conv.Secs(w.props.LoadBalancer.EffectiveDeregistrationDelay())
	r.StopTimeout = max(r.StopTimeout, w.Task.LongestStopTimeout())
	return rules.Modeled{Deploy: rules.ModelDeployTime(r)}, true
}

// ToString returns the construct path (jsii subclassing needs an overriding method).
func (w *WebService) ToString() *string { return w.Node().Path() }
