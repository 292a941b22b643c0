// Package nlbservice runs a Fargate service behind a Network Load Balancer: TCP or TLS clients
// reach the tasks (awsvpc, target type ip) through the load balancer's security group only.
package nlbservice

import (
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/nlb"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/internal/conv"
	"github.com/ecsforge/ecsforge/internal/validate"
	"github.com/ecsforge/ecsforge/rules"
)

// DefaultHealthCheckGracePeriod lets a task start (the model's 30 s) before failing load
// balancer health checks count against it.
const DefaultHealthCheckGracePeriod = 30 * time.Second

// Props configures the service.
type Props struct {
	// Cluster to run in; nil creates one (cluster.New) in VPC, or in a new VPC.
	Cluster awsecs.ICluster
	VPC     awsec2.IVpc
	// Task is the task definition; its first container's first port takes the traffic.
	Task taskdef.Props
	// Service settings; Cluster and TaskDefinition are set by the pattern.
	Service service.Props
	// LoadBalancer configures the Network Load Balancer.
	LoadBalancer nlb.Props
	// HealthCheckGracePeriod (default DefaultHealthCheckGracePeriod).
	HealthCheckGracePeriod *time.Duration
}

// Validate reports every documented constraint the props break (nil when valid).
func (p Props) Validate() error {
	errs := []error{p.Task.ValidateAt("Task."), p.Service.ValidateAt("Service."), p.LoadBalancer.ValidateAt("LoadBalancer.")}
	if p.Task.Launch != "" && p.Task.Launch != taskdef.Fargate {
		errs = append(errs, rules.CheckLaunchTypeSetting("Task.Launch", fmt.Sprintf("%q", p.Task.Launch), "the NLB service runs on Fargate"))
	}
	if p.Service.EC2 != nil || p.Service.Deployment != nil {
		errs = append(errs, rules.CheckLaunchTypeSetting("Service", "EC2 or Deployment", "the NLB service runs rolling updates on Fargate; EC2 placement and blue/green are not built for it"))
	}
	if len(p.Task.Containers) > 0 && len(p.Task.Containers[0].Ports) == 0 {
		errs = append(errs, rules.Missing("Task.Containers[0].Ports", "the main container exposes the port the load balancer forwards to", rules.TargetType.Source))
	} else if len(p.Task.Containers) > 0 {
		portUDP := p.Task.Containers[0].Ports[0].Protocol == taskdef.UDP
		if portUDP != p.LoadBalancer.UDP() {
			errs = append(errs, rules.NewViolation(rules.NLBProtocols, "Task.Containers[0].Ports[0].Protocol", conv.OrZero(string(p.Task.Containers[0].Ports[0].Protocol), "tcp"),
				"the main port's protocol must match the listeners': UDP listeners forward to a udp port, TCP and TLS listeners to a tcp one"))
		}
	}
	return errors.Join(errs...)
}

// Service is a Fargate service behind a Network Load Balancer.
type Service struct {
	constructs.Construct
	Cluster  awsecs.ICluster
	Task     *taskdef.TaskDefinition
	Service  *service.Service
	Frontend *nlb.Frontend
	props    Props
}

// New builds the service. Invalid props fail synth with every violation and build nothing.
func New(scope constructs.Construct, id string, p Props) *Service {
	s := &Service{props: p}
	constructs.NewConstruct_Override(s, scope, conv.Str(id))
	if validate.Record(s, p.Validate()) {
		return s
	}
	s.Cluster = p.Cluster
	if s.Cluster == nil {
		s.Cluster = cluster.New(s, "Cluster", cluster.Props{VPC: p.VPC}).Cluster
	}
	s.Task = taskdef.NewAt(s, "TaskDef", p.Task, "Task.")
	sp := p.Service
	sp.Cluster, sp.TaskDefinition = s.Cluster, s.Task.TaskDefinition
	s.Service = service.New(s, "Service", sp)
	svc := s.Service.Service
	svc.Node().DefaultChild().(awsecs.CfnService).SetHealthCheckGracePeriodSeconds(conv.Num(conv.Secs(conv.Or(p.HealthCheckGracePeriod, DefaultHealthCheckGracePeriod))))
	main := s.Task.Props.Containers[0]
	target := &awsecs.LoadBalancerTargetOptions{ContainerName: conv.Str(main.Name), ContainerPort: conv.Num(main.Ports[0].Port)}
	if main.Ports[0].Protocol == taskdef.UDP {
		target.Protocol = awsecs.Protocol_UDP
	}
	s.Frontend = nlb.Attach(s, s.Cluster.Vpc(), nlb.Target{
		Target:      svc.LoadBalancerTarget(target),
		Connections: svc.Connections(),
		Port:        main.Ports[0].Port,
	}, p.LoadBalancer)
	return s
}

// DeployTime is the modeled rolling deployment with the NLB's health check and deregistration
// (always known: the pattern deploys by rolling update).
func (s *Service) DeployTime() (rules.Modeled, bool) {
	r := s.Service.Rolling()
	h := s.props.LoadBalancer.EffectiveHealthCheck()
	r.HealthCheckInterval, r.HealthyThreshold = conv.Secs(h.Interval), h.HealthyThreshold
	r.DeregistrationDelay = conv.Secs(s.props.LoadBalancer.EffectiveDeregistrationDelay())
	r.StopTimeout = max(r.StopTimeout, s.Task.LongestStopTimeout())
	return rules.Modeled{Deploy: rules.ModelDeployTime(r)}, true
}

// ToString returns the construct path (jsii subclassing needs an overriding method).
func (s *Service) ToString() *string { return s.Node().Path() }
