// Package ec2service runs an ECS service on EC2 capacity (an Auto Scaling group capacity
// provider, see constructs/capacity): a replica service behind an Application Load Balancer
// with awsvpc networking (target type ip) or bridge networking with dynamic host ports (target
// type instance), placed by strategies and constraints; or a daemon service, one task on every
// container instance.
package ec2service

import (
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodedeploy"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	elbv2 "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/constructs/alb"
	"github.com/ecsforge/ecsforge/constructs/capacity"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/internal/conv"
	"github.com/ecsforge/ecsforge/internal/validate"
	"github.com/ecsforge/ecsforge/patterns/internal/bluegreen"
	"github.com/ecsforge/ecsforge/rules"
)

// Defaults.
var (
	// DefaultPlacement spreads a replica service's tasks over Availability Zones, then over
	// instances: the ECS console's "AZ balanced spread", which keeps the service up through the
	// loss of an instance or a zone (ECS Developer Guide, "Task placement strategies").
	DefaultPlacement = service.AZBalancedSpread
)

const (
	// DynamicHostPortsFrom and DynamicHostPortsTo are the host ports bridge tasks get: the
	// Linux ephemeral range (32768-60999) and older agents' 49153-65535 (ECS Developer Guide,
	// "ECS_DYNAMIC_HOST_PORT_RANGE"); CDK opens the same range.
	DynamicHostPortsFrom = 32768
	DynamicHostPortsTo   = 65535
	// DefaultHealthCheckGracePeriod covers task start on an instance that may itself still be
	// launching when managed scaling adds capacity (the instance warm-up plus the task start).
	DefaultHealthCheckGracePeriod = capacity.DefaultInstanceWarmup + 30*time.Second
)

// Props configures a service on EC2 capacity.
type Props struct {
	// Capacity is the EC2 capacity the service runs on; its cluster is the service's cluster.
	Capacity *capacity.Capacity
	// Task is the task definition (its Launch is EC2 whatever it says; NetworkMode awsvpc by
	// default, or bridge or host). Containers need memory limits unless Task.MemoryMiB is set.
	Task taskdef.Props
	// Service settings; Service.EC2 holds placement and the daemon switch (nil: DefaultPlacement).
	// Service.CapacityProviders defaults to Capacity with weight 1 (a daemon uses the EC2
	// launch type and runs on every instance of the cluster).
	Service service.Props
	// LoadBalancer puts an ALB in front of the first container's first port (nil: none).
	LoadBalancer *alb.Props
	// HealthCheckGracePeriod with a load balancer (default DefaultHealthCheckGracePeriod).
	HealthCheckGracePeriod *time.Duration
}

func (p Props) normalized() Props {
	p.Task.Launch = taskdef.EC2
	p.Task.NetworkMode = conv.OrZero(p.Task.NetworkMode, taskdef.AwsVpc)
	if p.Service.EC2 == nil {
		p.Service.EC2 = &service.EC2{}
	}
	if e := *p.Service.EC2; !e.Daemon && e.PlacementStrategies == nil {
		e.PlacementStrategies = DefaultPlacement
		p.Service.EC2 = &e
	}
	return p
}

// Validate reports every documented constraint the props break (nil when valid).
func (p Props) Validate() error {
	p = p.normalized()
	errs := []error{p.Task.ValidateAt("Task."), p.Service.ValidateAt("Service.")}
	if p.Service.Deployment != nil && p.LoadBalancer == nil {
		errs = append(errs, rules.Missing("LoadBalancer", "blue/green, linear and canary deployments shift traffic between two target groups of a load balancer: set LoadBalancer", rules.TrafficShiftSettings.Source))
	}
	if p.Service.ServiceConnect != nil && p.Task.MemoryMiB == 0 {
		errs = append(errs, rules.Missing("Task.MemoryMiB", fmt.Sprintf("Service Connect needs the task memory set, above the containers' limits by at least the %d MiB ECS recommends for its proxy", rules.ProxyMemoryMiB), rules.ServiceConnectTaskMemory.Source))
	}
	if p.Capacity == nil {
		errs = append(errs, rules.Missing("Capacity", "an EC2 service needs the EC2 capacity it runs on (capacity.New)", rules.CapacityProviderSettings.Source))
	}
	if lb := p.LoadBalancer; lb != nil {
		errs = append(errs, lb.ValidateAt("LoadBalancer."))
		errs = append(errs, bluegreen.Validate(p.Service.Deployment, *lb, "LoadBalancer.")...)
		if len(p.Task.Containers) > 0 && len(p.Task.Containers[0].Ports) > 0 && p.Task.Containers[0].Ports[0].Protocol == taskdef.UDP {
			errs = append(errs, rules.NewViolation(rules.NLBProtocols, "Task.Containers[0].Ports[0].Protocol", "udp", "an Application Load Balancer forwards HTTP over TCP"))
		}
		if len(p.Task.Containers) > 0 && len(p.Task.Containers[0].Ports) == 0 {
			errs = append(errs, rules.Missing("Task.Containers[0].Ports", "a load balanced service needs the main container to expose a port", rules.TargetType.Source))
		}
	}
	return errors.Join(errs...)
}

// Service is a service on EC2 capacity.
type Service struct {
	constructs.Construct
	Task    *taskdef.TaskDefinition
	Service *service.Service
	// Frontend is the load balancer (nil without Props.LoadBalancer).
	Frontend *alb.Frontend
	// DeploymentAlarms exist with Service.Deployment, and DeploymentGroup with CodeDeploy.
	DeploymentAlarms []awscloudwatch.Alarm
	DeploymentGroup  awscodedeploy.EcsDeploymentGroup
	props            Props
}

// New builds the service. Invalid props fail synth with every violation and build nothing.
func New(scope constructs.Construct, id string, p Props) *Service {
	s := &Service{props: p.normalized()}
	constructs.NewConstruct_Override(s, scope, conv.Str(id))
	if p.Capacity != nil && !p.Capacity.Built() {
		// The capacity's own violations fail synth; a service on it cannot be built.
		return s
	}
	err := p.Validate()
	if p.LoadBalancer != nil && p.LoadBalancer.Route == nil {
		err = errors.Join(err, alb.CheckRegion(s, "LoadBalancer."))
	}
	if validate.Record(s, err) {
		return s
	}
	p = s.props
	s.Task = taskdef.NewAt(s, "TaskDef", p.Task, "Task.")
	sp := p.Service
	sp.Cluster, sp.TaskDefinition = p.Capacity.Cluster(), s.Task.TaskDefinition
	if len(sp.CapacityProviders) == 0 && !sp.EC2.Daemon {
		// A daemon runs on every instance of the cluster with the EC2 launch type.
		sp.CapacityProviders = []service.Strategy{p.Capacity.Strategy(0, 1)}
	}
	var lb *alb.Props
	var main taskdef.Container
	targetType := elbv2.TargetType_IP
	if lb = p.LoadBalancer; lb != nil {
		main = s.Task.Props.Containers[0]
		if p.Task.NetworkMode != taskdef.AwsVpc {
			targetType = elbv2.TargetType_INSTANCE
		}
	}
	grace := conv.Or(p.HealthCheckGracePeriod, DefaultHealthCheckGracePeriod)
	if sp.Deployment != nil {
		b := bluegreen.Build(s, bluegreen.Input{
			VPC: p.Capacity.Cluster().Vpc(), Service: sp, LoadBalancer: *lb,
			Container: main.Name, Port: main.Ports[0].Port, TargetType: targetType, Grace: grace,
		})
		s.Service, s.Frontend, s.DeploymentAlarms, s.DeploymentGroup = b.Service, b.Frontend, b.Alarms, b.DeploymentGroup
	} else {
		s.Service = service.New(s, "Service", sp)
	}
	svc := s.Service.Service
	// Delete the service before the capacity's Auto Scaling group is force-deleted.
	if p.Capacity.ForceDelete != nil {
		svc.Node().AddDependency(p.Capacity.ForceDelete)
	}
	// A service can use a provider only once it is associated with the cluster.
	if p.Capacity.Association != nil {
		svc.Node().AddDependency(p.Capacity.Association)
	}
	if lb != nil {
		if sp.Deployment == nil {
			svc.Node().DefaultChild().(awsecs.CfnService).SetHealthCheckGracePeriodSeconds(conv.Num(conv.Secs(grace)))
			s.Frontend = alb.Attach(s, p.Capacity.Cluster().Vpc(), alb.Target{
				Target: svc.LoadBalancerTarget(&awsecs.LoadBalancerTargetOptions{
					ContainerName: conv.Str(main.Name),
					ContainerPort: conv.Num(main.Ports[0].Port),
				}),
				Port:       main.Ports[0].Port,
				TargetType: targetType,
			}, *lb)
			s.Service.ScaleOnRequests(s.Frontend.TargetGroup)
		}
		if p.Task.NetworkMode != taskdef.AwsVpc {
			// Bridge and host tasks receive traffic on the instances' ports.
			ports := awsec2.Port_TcpRange(conv.Num(DynamicHostPortsFrom), conv.Num(DynamicHostPortsTo))
			if p.Task.NetworkMode == taskdef.Host {
				ports = awsec2.Port_Tcp(conv.Num(main.Ports[0].Port))
			}
			// remoteRule true keeps the instance group's ingress rule in the load balancer's
			// stack when the capacity is in another one, so the capacity's stack does not refer
			// to a later stack (no dependency cycle).
			desc := conv.Str("load balancer to tasks")
			var lbConnections awsec2.Connections
			if lb.Route != nil {
				lbConnections = lb.Route.Listener.Connections()
			} else {
				lbConnections = s.Frontend.LoadBalancer.Connections()
			}
			for _, lbSG := range *lbConnections.SecurityGroups() {
				p.Capacity.SecurityGroup.AddIngressRule(lbSG, ports, desc, conv.Bool(true))
				lbSG.AddEgressRule(p.Capacity.SecurityGroup, ports, desc, conv.Bool(false))
			}
		}
	}
	return s
}

// ShiftTime is the modeled duration of one blue/green, linear or canary deployment of the
// service (false for a rolling service, see DeployTime, and for a custom CodeDeploy
// configuration, whose steps are not known at synth).
func (s *Service) ShiftTime() (rules.ShiftTime, bool) {
	d := s.props.Service.Deployment
	if d == nil || s.props.LoadBalancer == nil {
		return rules.ShiftTime{}, false
	}
	stop := s.Task.LongestStopTimeout()
	return bluegreen.ShiftTime(*d, *s.props.LoadBalancer, stop)
}

// DeployTime is the modeled deployment of a replica service: the traffic shift of a blue/green,
// linear or canary deployment (ShiftTime), or else the rolling update (instance launches that
// managed scaling may need come on top). It is false for a CodeDeploy configuration of the
// user's own, whose steps are not known at synth.
func (s *Service) DeployTime() (rules.Modeled, bool) {
	if s.props.Service.Deployment != nil {
		sh, ok := s.ShiftTime()
		return rules.Modeled{Shift: &sh}, ok
	}
	r := s.Service.Rolling()
	if lb := s.props.LoadBalancer; lb != nil {
		h := lb.EffectiveHealthCheck()
		r.HealthCheckInterval, r.HealthyThreshold = conv.Secs(h.Interval), h.HealthyThreshold
		r.DeregistrationDelay = conv.Secs(lb.EffectiveDeregistrationDelay())
	}
	r.StopTimeout = max(r.StopTimeout, s.Task.LongestStopTimeout())
	return rules.Modeled{Deploy: rules.ModelDeployTime(r)}, true
}

// ToString returns the construct path (jsii subclassing needs an overriding method).
func (s *Service) ToString() *string { return s.Node().Path() }
