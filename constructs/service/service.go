// Package service builds a Fargate service: awsvpc networking in private subnets with no public
// IP, a capacity provider strategy over FARGATE and FARGATE_SPOT, a rolling deployment with the
// circuit breaker and rollback, optional deployment alarms and ECS Exec, and auto scaling on
// CPU, memory, ALB requests per target and schedules.
package service

import (
	"errors"
	"fmt"
	"math"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapplicationautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsservicediscovery"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/internal/conv"
	"github.com/ecsforge/ecsforge/internal/nag"
	"github.com/ecsforge/ecsforge/internal/validate"
	"github.com/ecsforge/ecsforge/rules"
)

// Defaults.
const (
	// DefaultDesiredCount runs two tasks, one per Availability Zone of a two-AZ VPC, so the
	// service survives the loss of a task or a zone (ECS Best Practices Guide, "Availability").
	DefaultDesiredCount = 2
	// DefaultMinHealthyPercent keeps full capacity serving during a deployment.
	DefaultMinHealthyPercent = 100
	// DefaultMaxPercent starts every replacement task at once, so a deployment is one batch
	// (ECS Best Practices Guide, "Speeding up deployments").
	DefaultMaxPercent = 200
	// DefaultCircuitBreaker stops a failing deployment and rolls back to the last good one
	// (ECS Developer Guide, "Deployment circuit breaker").
	DefaultCircuitBreaker = true
	// DaemonMinHealthyPercent and DaemonMaxPercent replace a daemon's task on each instance in
	// place, stopping the old task before starting the new one (the ECS defaults for DAEMON
	// services; ECS Developer Guide, "Daemon scheduling strategy").
	DaemonMinHealthyPercent = 0
	DaemonMaxPercent        = 100
	// DefaultScaleTargetPercent is the utilisation target tracking keeps CPU and memory at:
	// headroom for a burst while new tasks start.
	DefaultScaleTargetPercent = 70
)

// CapacityProvider names a Fargate capacity provider.
type CapacityProvider string

// Fargate capacity providers.
const (
	Fargate     CapacityProvider = "FARGATE"
	FargateSpot CapacityProvider = "FARGATE_SPOT"
)

// Strategy is one item of a capacity provider strategy.
type Strategy struct {
	Provider CapacityProvider
	Base     int // tasks placed on this provider first (at most one provider may have a base)
	Weight   int // share of the tasks beyond the bases
}

// Schedule is a scheduled change of the scaling range.
type Schedule struct {
	Name     string
	Cron     string // Application Auto Scaling cron, e.g. "cron(0 8 ? * MON-FRI *)"
	Min, Max *int   // new range; nil leaves a bound as it is
}

// Scaling configures target tracking and scheduled scaling of the task count.
type Scaling struct {
	Min, Max int
	// TargetCPUPercent and TargetMemoryPercent track utilisation (0: off; both 0 and no request
	// target: CPU at DefaultScaleTargetPercent).
	TargetCPUPercent    int
	TargetMemoryPercent int
	// RequestsPerTarget tracks ALB requests per task (0: off). It needs a target group (see
	// Service.ScaleOnRequests, which the web service pattern calls).
	RequestsPerTarget int
	Schedules         []Schedule
}

// StrategyType is a task placement strategy type.
type StrategyType string

// Placement strategy types.
const (
	Spread  StrategyType = "spread"
	Binpack StrategyType = "binpack"
	Random  StrategyType = "random"
)

// PlacementStrategy places the tasks of an EC2 service (ECS Developer Guide, "Task placement
// strategies").
type PlacementStrategy struct {
	Type  StrategyType
	Field string // spread: "attribute:ecs.availability-zone", "instanceId", ...; binpack: "cpu" or "memory"
}

// Placement strategies by name.
var (
	SpreadAcrossAZs       = PlacementStrategy{Spread, "attribute:ecs.availability-zone"}
	SpreadAcrossInstances = PlacementStrategy{Spread, "instanceId"}
	BinpackMemory         = PlacementStrategy{Binpack, "memory"}
	BinpackCPU            = PlacementStrategy{Binpack, "cpu"}
	Randomly              = PlacementStrategy{Type: Random}
	// AZBalancedSpread spreads over Availability Zones, then over instances in each.
	AZBalancedSpread = []PlacementStrategy{SpreadAcrossAZs, SpreadAcrossInstances}
	// AZBalancedBinpack spreads over Availability Zones, then packs instances by memory.
	AZBalancedBinpack = []PlacementStrategy{SpreadAcrossAZs, BinpackMemory}
)

// PlacementConstraint restricts where the tasks of an EC2 service run.
type PlacementConstraint struct {
	// DistinctInstance places each task on a different container instance.
	DistinctInstance bool
	// MemberOf is a cluster query language expression, e.g.
	// "attribute:ecs.instance-type =~ m6i.*" or "attribute:workload == web".
	MemberOf string
}

// EC2 places a service on EC2 capacity instead of Fargate.
type EC2 struct {
	// Daemon runs one task on every container instance: no desired count, placement
	// strategies or auto scaling.
	Daemon               bool
	PlacementStrategies  []PlacementStrategy
	PlacementConstraints []PlacementConstraint
}

// Props configures a Service.
type Props struct {
	Cluster        awsecs.ICluster
	TaskDefinition awsecs.TaskDefinition
	// DesiredCount (default DefaultDesiredCount); new(0) is allowed.
	DesiredCount *int
	// Subnets (default the VPC's private subnets with egress).
	Subnets *awsec2.SubnetSelection
	// AssignPublicIP gives each task a public IP (default off: tasks stay private).
	AssignPublicIP bool
	SecurityGroups []awsec2.ISecurityGroup
	// CapacityProviders is the strategy; empty uses the FARGATE launch type.
	CapacityProviders []Strategy
	// MinHealthyPercent and MaxPercent bound a rolling deployment (defaults 100 and 200).
	MinHealthyPercent *int
	MaxPercent        *int
	// DisableCircuitBreaker turns off the deployment circuit breaker and its rollback.
	DisableCircuitBreaker bool
	// DeploymentAlarms are CloudWatch alarm names that roll a deployment back when they fire.
	DeploymentAlarms []string
	// EnableExec turns on ECS Exec (a shell in running containers, audited in CloudTrail).
	EnableExec bool
	// ServiceName is the physical name; "" lets CloudFormation name it.
	ServiceName string
	// Scaling turns on auto scaling of the task count.
	Scaling *Scaling
	// EC2 runs the service on EC2 capacity (the cluster's Auto Scaling group capacity
	// providers); nil runs it on Fargate. The task definition must be EC2-compatible.
	EC2 *EC2
	// ServiceConnect puts the service in a Service Connect namespace (nil: not in one).
	ServiceConnect *ServiceConnect
	// CloudMap registers the tasks in a Cloud Map DNS namespace, for clients outside the mesh.
	CloudMap *CloudMap
	// Deployment selects ECS-native blue/green, linear or canary deployments (nil: rolling
	// updates). It needs a load balancer with a second target group: the web service pattern
	// builds it.
	Deployment *Deployment
}

func (p Props) desired() int    { return conv.Or(p.DesiredCount, DefaultDesiredCount) }
func (p Props) minHealthy() int { return conv.Or(p.MinHealthyPercent, DefaultMinHealthyPercent) }
func (p Props) maxPercent() int { return conv.Or(p.MaxPercent, DefaultMaxPercent) }

// Validate reports every documented constraint the props break (nil when valid).
func (p Props) Validate() error { return p.ValidateAt("") }

// ValidateAt is Validate with every property path prefixed by at (such as "Service."), for
// constructs that embed these props.
func (p Props) ValidateAt(at string) error {
	errs := []error{rules.CheckDeployment(at+"MinHealthyPercent", p.minHealthy(), at+"MaxPercent", p.maxPercent())}
	deployOK := errs[0] == nil
	errs = append(errs, rules.CheckResourceName(at+"ServiceName", p.ServiceName, "service"))
	if deployOK && (p.EC2 == nil || !p.EC2.Daemon) {
		count, countProp := p.desired(), at+"DesiredCount"
		if p.Scaling != nil && p.DesiredCount == nil {
			count, countProp = p.Scaling.Min, at+"Scaling.Min" // the smallest count a deployment may meet
		}
		errs = append(errs, rules.CheckDeploymentCount(countProp, count, at+"MinHealthyPercent", p.minHealthy(), at+"MaxPercent", p.maxPercent()))
	}
	if p.Scaling == nil || p.DesiredCount != nil {
		sc := conv.Or(p.Scaling, Scaling{})
		errs = append(errs, rules.CheckDesiredCount(at+"DesiredCount", p.desired(), p.Scaling != nil,
			at+"Scaling.Min", sc.Min, at+"Scaling.Max", sc.Max))
	}
	var items []rules.StrategyItem
	for i, s := range p.CapacityProviders {
		fargate := s.Provider == Fargate || s.Provider == FargateSpot
		if p.EC2 == nil && !fargate {
			errs = append(errs, rules.CheckLaunchTypeSetting(fmt.Sprintf("%sCapacityProviders[%d].Provider", at, i), fmt.Sprintf("%q", s.Provider),
				fmt.Sprintf("a Fargate service uses the %q or %q capacity provider (EC2 capacity: set EC2, or use patterns/ec2service)", Fargate, FargateSpot)))
		}
		if p.EC2 != nil && (fargate || s.Provider == "") {
			errs = append(errs, rules.CheckLaunchTypeSetting(fmt.Sprintf("%sCapacityProviders[%d].Provider", at, i), fmt.Sprintf("%q", s.Provider),
				"an EC2 service uses the cluster's Auto Scaling group capacity providers (capacity.Capacity.Strategy)"))
		}
		items = append(items, rules.StrategyItem{Provider: string(s.Provider), Base: s.Base, Weight: s.Weight})
	}
	errs = append(errs, rules.CheckCapacityProviderStrategy(at+"CapacityProviders", items))
	if e := p.EC2; e != nil {
		errs = append(errs, p.validateEC2(at, e)...)
	}
	if sc := p.ServiceConnect; sc != nil {
		errs = append(errs, sc.validate(at)...)
		for i, cp := range sc.Services {
			if cp.TestHeader != nil && (p.Deployment == nil || p.Deployment.UsesCodeDeploy()) {
				errs = append(errs, rules.NewViolation(rules.TrafficShiftSettings, fmt.Sprintf("%sServiceConnect.Services[%d].TestHeader", at, i), "set",
					"Service Connect test traffic serves ECS-native blue/green, linear and canary deployments: set Deployment too"))
			}
		}
	}
	if cm := p.CloudMap; cm != nil {
		errs = append(errs, cm.validate(at)...)
	}
	if d := p.Deployment; d != nil {
		errs = append(errs, d.validate(at)...)
		if d.UsesCodeDeploy() && p.EC2 != nil && p.EC2.Daemon {
			errs = append(errs, rules.NewViolation(rules.DaemonService, at+"Deployment.Controller", CodeDeployController,
				"a daemon service needs the ECS deployment controller"))
		}
		if d.UsesCodeDeploy() && p.ServiceConnect != nil {
			errs = append(errs, rules.NewViolation(rules.ServiceConnect, at+"ServiceConnect", "set",
				"Service Connect does not support the CODE_DEPLOY deployment controller: use the ECS controller (ECS-native blue/green supports Service Connect)"))
		}
	}
	if s := p.Scaling; s != nil {
		sa := at + "Scaling."
		errs = append(errs,
			rules.CheckCapacity(sa+"Min", s.Min, sa+"Max", s.Max),
			rules.CheckUtilizationTarget(sa+"TargetCPUPercent", s.TargetCPUPercent),
			rules.CheckUtilizationTarget(sa+"TargetMemoryPercent", s.TargetMemoryPercent),
			rules.CheckPositiveTarget(sa+"RequestsPerTarget", s.RequestsPerTarget))
		if s.Max <= 0 {
			errs = append(errs, rules.NewViolation(rules.CapacityRange, sa+"Max", s.Max, "auto scaling needs a maximum above 0"))
		}
		for i, sc := range s.Schedules {
			sp := fmt.Sprintf("%sSchedules[%d].", sa, i)
			if sc.Cron == "" {
				errs = append(errs, rules.Missing(sp+"Cron", "a scheduled action needs a schedule expression, e.g. cron(0 8 ? * MON-FRI *)", rules.ScheduleExpression.Source))
			} else {
				errs = append(errs, rules.CheckScalingSchedule(sp+"Cron", sc.Cron))
			}
			switch {
			case sc.Min == nil && sc.Max == nil:
				errs = append(errs, rules.Missing(sp+"Min", "a scheduled action sets a new Min, Max or both", rules.ScheduleExpression.Source))
			case sc.Min != nil && sc.Max != nil:
				errs = append(errs, rules.CheckCapacity(sp+"Min", *sc.Min, sp+"Max", *sc.Max))
			case sc.Min != nil && *sc.Min < 0:
				errs = append(errs, rules.CheckCapacity(sp+"Min", *sc.Min, sp+"Max", math.MaxInt32))
			case sc.Max != nil && *sc.Max < 0:
				errs = append(errs, rules.NewViolation(rules.CapacityRange, sp+"Max", *sc.Max, "must not be negative"))
			}
		}
	}
	return errors.Join(errs...)
}

func (p Props) validateEC2(at string, e *EC2) []error {
	ea := at + "EC2."
	var errs []error
	if p.AssignPublicIP {
		errs = append(errs, rules.CheckNoPublicIPOnEC2(at+"AssignPublicIP"))
	}
	if e.Daemon {
		if p.DesiredCount != nil {
			errs = append(errs, rules.NewViolation(rules.DaemonService, at+"DesiredCount", *p.DesiredCount, "a daemon service runs one task per container instance and takes no desired count"))
		}
		if p.Scaling != nil {
			errs = append(errs, rules.NewViolation(rules.DaemonService, at+"Scaling", "set", "a daemon service runs one task per container instance and does not auto scale"))
		}
		errs = append(errs, rules.CheckDaemonPlacement(ea+"PlacementStrategies", len(e.PlacementStrategies)))
	}
	return append(errs, ValidatePlacement(ea, e.PlacementStrategies, e.PlacementConstraints)...)
}

// ValidatePlacement checks placement strategies and constraints (counts and forms, ECS
// Developer Guide, "Task placement"); at prefixes the property paths. Scheduled tasks on EC2
// capacity share it.
func ValidatePlacement(at string, strategies []PlacementStrategy, constraints []PlacementConstraint) []error {

	errs := []error{rules.CheckPlacementCounts(at+"PlacementStrategies", len(strategies), at+"PlacementConstraints", len(constraints))}
	for i, ps := range strategies {
		pa := fmt.Sprintf("%sPlacementStrategies[%d]", at, i)
		switch {
		case ps.Type == Random:
		case ps.Type == Binpack && (ps.Field == "cpu" || ps.Field == "memory"):
		case ps.Type == Spread && ps.Field != "":
		default:
			errs = append(errs, rules.OneOf(pa, fmt.Sprintf("%s %s", ps.Type, ps.Field), "spread with a field (instanceId, host or attribute:...), binpack with cpu or memory, or random", rules.Placement.Source))
		}
	}
	for i, pc := range constraints {
		if pc.DistinctInstance == (pc.MemberOf != "") {
			errs = append(errs, rules.OneOf(fmt.Sprintf("%sPlacementConstraints[%d]", at, i), fmt.Sprintf("DistinctInstance=%t MemberOf=%q", pc.DistinctInstance, pc.MemberOf), "either DistinctInstance or a MemberOf expression", rules.Placement.Source))
		}
	}
	return errs
}

// Service is an ECS service: Fargate, or EC2 with Props.EC2.
type Service struct {
	constructs.Construct
	// Service is the underlying CDK service (nil when the props were invalid): an
	// awsecs.FargateService, or an awsecs.Ec2Service with Props.EC2.
	Service awsecs.BaseService
	// Scaling is the scalable task count (nil without Props.Scaling).
	Scaling awsecs.ScalableTaskCount
	// CloudMap is the Cloud Map service the tasks register in (nil without Props.CloudMap).
	CloudMap awsservicediscovery.Service
	props    Props
}

// New builds a Service. Invalid props fail synth with every violation and build nothing.
func New(scope constructs.Construct, id string, p Props) *Service {
	s := &Service{props: p}
	constructs.NewConstruct_Override(s, scope, conv.Str(id))
	var missing []error
	if p.Cluster == nil {
		missing = append(missing, rules.Missing("Cluster", "a service needs a cluster", ""))
	}
	if p.TaskDefinition == nil {
		missing = append(missing, rules.Missing("TaskDefinition", "a service needs a task definition", ""))
	}
	if sc := p.ServiceConnect; sc != nil && p.Cluster != nil && p.TaskDefinition != nil {
		missing = append(missing, sc.validateWith(p.Cluster, p.TaskDefinition)...)
	}
	if cm := p.CloudMap; cm != nil {
		missing = append(missing, cm.validateNamespace())
	}
	if validate.Record(s, errors.Join(append(missing, p.Validate())...)) {
		return s
	}
	props := &awsecs.FargateServiceProps{
		Cluster:              p.Cluster,
		TaskDefinition:       p.TaskDefinition,
		DesiredCount:         conv.Num(p.desired()),
		VpcSubnets:           p.Subnets,
		AssignPublicIp:       conv.Bool(p.AssignPublicIP),
		MinHealthyPercent:    conv.Num(p.minHealthy()),
		MaxHealthyPercent:    conv.Num(p.maxPercent()),
		EnableExecuteCommand: conv.Bool(p.EnableExec),
		ServiceName:          conv.OptStr(p.ServiceName),
		CircuitBreaker: &awsecs.DeploymentCircuitBreaker{
			Enable:   conv.Bool(!p.DisableCircuitBreaker),
			Rollback: conv.Bool(!p.DisableCircuitBreaker),
		},
	}
	if props.VpcSubnets == nil {
		props.VpcSubnets = &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS}
	}
	if len(p.SecurityGroups) > 0 {
		sgs := append([]awsec2.ISecurityGroup(nil), p.SecurityGroups...)
		props.SecurityGroups = &sgs
	}
	if len(p.CapacityProviders) > 0 {
		var items []*awsecs.CapacityProviderStrategy
		for _, c := range p.CapacityProviders {
			items = append(items, &awsecs.CapacityProviderStrategy{
				CapacityProvider: conv.Str(string(c.Provider)),
				Base:             conv.OptNum(c.Base),
				Weight:           conv.Num(c.Weight),
			})
		}
		props.CapacityProviderStrategies = &items
	}
	codeDeploy := p.Deployment != nil && p.Deployment.UsesCodeDeploy()
	if codeDeploy {
		// CodeDeploy runs the deployments: no circuit breaker, and the alarms are the
		// deployment group's (ECS Developer Guide, "CodeDeploy blue/green deployments").
		props.DeploymentController = &awsecs.DeploymentController{Type: awsecs.DeploymentControllerType_CODE_DEPLOY}
		props.CircuitBreaker = nil
	}
	if len(p.DeploymentAlarms) > 0 && !codeDeploy {
		props.DeploymentAlarms = &awsecs.DeploymentAlarmConfig{
			AlarmNames: conv.Strs(p.DeploymentAlarms),
			Behavior:   awsecs.AlarmBehavior_ROLLBACK_ON_ALARM,
		}
	}
	if sc := p.ServiceConnect; sc != nil {
		props.ServiceConnectConfiguration = sc.render(s)
	}
	if d := p.Deployment; d != nil {
		d.apply(props)
	}
	if p.EC2 == nil {
		s.Service = awsecs.NewFargateService(s, conv.Str("Service"), props)
	} else {
		s.Service = awsecs.NewEc2Service(s, conv.Str("Service"), ec2Props(props, p))
	}
	if d := p.Deployment; d != nil {
		d.addHooks(s)
	}
	if sc := p.ServiceConnect; sc != nil {
		sc.addTestTraffic(s)
	}
	if cm := p.CloudMap; cm != nil {
		cm.enable(s)
	}
	s.allowFileSystems()
	if p.EnableExec {
		if policy := p.TaskDefinition.TaskRole().Node().TryFindChild(conv.Str("DefaultPolicy")); policy != nil {
			nag.Suppress(policy, nag.Suppression{ID: "AwsSolutions-IAM5", AppliesTo: []string{"Resource::*"},
				Reason: "ECS Exec needs ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel and OpenDataChannel, which support no resource-level permissions (ECS Developer Guide, \"ECS Exec\")."})
		}
	}
	if sc := p.Scaling; sc != nil {
		s.Scaling = s.Service.AutoScaleTaskCount(&awsapplicationautoscaling.EnableScalingProps{
			MinCapacity: conv.Num(sc.Min),
			MaxCapacity: conv.Num(sc.Max),
		})
		cpu := sc.TargetCPUPercent
		if cpu == 0 && sc.TargetMemoryPercent == 0 && sc.RequestsPerTarget == 0 {
			cpu = DefaultScaleTargetPercent
		}
		if cpu > 0 {
			s.Scaling.ScaleOnCpuUtilization(conv.Str("Cpu"), &awsecs.CpuUtilizationScalingProps{
				TargetUtilizationPercent: conv.Num(cpu),
			})
		}
		if sc.TargetMemoryPercent > 0 {
			s.Scaling.ScaleOnMemoryUtilization(conv.Str("Memory"), &awsecs.MemoryUtilizationScalingProps{
				TargetUtilizationPercent: conv.Num(sc.TargetMemoryPercent),
			})
		}
		for i, sch := range sc.Schedules {
			name := conv.OrZero(sch.Name, fmt.Sprintf("Schedule%d", i))
			s.Scaling.ScaleOnSchedule(conv.Str(name), &awsapplicationautoscaling.ScalingSchedule{
				Schedule:    awsapplicationautoscaling.Schedule_Expression(conv.Str(sch.Cron)),
				MinCapacity: optPtrNum(sch.Min),
				MaxCapacity: optPtrNum(sch.Max),
			})
		}
	}
	return s
}

// EFSPort is NFS, the port EFS mount targets accept.
const EFSPort = 2049

// allowFileSystems opens the EFS file systems the task definition mounts to the service's
// security groups on NFS. The rule is written in the service's stack, so a file system in an
// earlier stack creates no dependency cycle.
func (s *Service) allowFileSystems() {
	for _, fs := range taskdef.FileSystems(s.props.TaskDefinition) {
		for _, sg := range *fs.Connections().SecurityGroups() {
			for _, own := range *s.Service.Connections().SecurityGroups() {
				sg.AddIngressRule(own, awsec2.Port_Tcp(conv.Num(EFSPort)), conv.Str("EFS from "+*s.Node().Path()), conv.Bool(true))
			}
		}
	}
}

// ec2Props carries the common service settings over to an EC2 service, with placement, the
// daemon scheduling strategy, and awsvpc settings only for awsvpc task definitions.
func ec2Props(f *awsecs.FargateServiceProps, p Props) *awsecs.Ec2ServiceProps {
	e := &awsecs.Ec2ServiceProps{
		Cluster: f.Cluster, TaskDefinition: f.TaskDefinition, DesiredCount: f.DesiredCount,
		MinHealthyPercent: f.MinHealthyPercent, MaxHealthyPercent: f.MaxHealthyPercent,
		EnableExecuteCommand: f.EnableExecuteCommand, ServiceName: f.ServiceName,
		CircuitBreaker: f.CircuitBreaker, CapacityProviderStrategies: f.CapacityProviderStrategies,
		DeploymentAlarms: f.DeploymentAlarms, Daemon: conv.Bool(p.EC2.Daemon), DeploymentController: f.DeploymentController,
		ServiceConnectConfiguration: f.ServiceConnectConfiguration,
		DeploymentStrategy:          f.DeploymentStrategy, BakeTime: f.BakeTime,
		LinearConfiguration: f.LinearConfiguration, CanaryConfiguration: f.CanaryConfiguration,
	}
	if p.EC2.Daemon {
		e.DesiredCount = nil
		e.MinHealthyPercent, e.MaxHealthyPercent = conv.Num(DaemonMinHealthyPercent), conv.Num(DaemonMaxPercent)
	}
	if p.TaskDefinition.NetworkMode() == awsecs.NetworkMode_AWS_VPC {
		e.VpcSubnets, e.AssignPublicIp, e.SecurityGroups = f.VpcSubnets, f.AssignPublicIp, f.SecurityGroups
	}
	var strategies []awsecs.PlacementStrategy
	for _, ps := range p.EC2.PlacementStrategies {
		switch ps.Type {
		case Random:
			strategies = append(strategies, awsecs.PlacementStrategy_Randomly())
		case Binpack:
			if ps.Field == "cpu" {
				strategies = append(strategies, awsecs.PlacementStrategy_PackedByCpu())
			} else {
				strategies = append(strategies, awsecs.PlacementStrategy_PackedByMemory())
			}
		default:
			strategies = append(strategies, awsecs.PlacementStrategy_SpreadAcross(conv.Str(ps.Field)))
		}
	}
	if len(strategies) > 0 {
		e.PlacementStrategies = &strategies
	}
	var constraints []awsecs.PlacementConstraint
	for _, pc := range p.EC2.PlacementConstraints {
		if pc.DistinctInstance {
			constraints = append(constraints, awsecs.PlacementConstraint_DistinctInstances())
		} else {
			constraints = append(constraints, awsecs.PlacementConstraint_MemberOf(conv.Str(pc.MemberOf)))
		}
	}
	if len(constraints) > 0 {
		e.PlacementConstraints = &constraints
	}
	return e
}

func optPtrNum(p *int) *float64 {
	if p == nil {
		return nil
	}
	return conv.Num(*p)
}

// ScaleOnRequests adds target tracking on ALB requests per task when Props.Scaling asks for it
// (RequestsPerTarget > 0); the target group must already route to this service.
func (s *Service) ScaleOnRequests(tg awselasticloadbalancingv2.ApplicationTargetGroup) {
	if s.Scaling == nil || s.props.Scaling.RequestsPerTarget == 0 {
		return
	}
	s.Scaling.ScaleOnRequestCount(conv.Str("Requests"), &awsecs.RequestCountScalingProps{
		RequestsPerTarget: conv.Num(s.props.Scaling.RequestsPerTarget),
		TargetGroup:       tg,
	})
}

// Rolling returns the service's rolling deployment settings for the deploy-time model.
func (s *Service) Rolling() rules.RollingDeployment {
	return rules.RollingDeployment{
		DesiredCount:      s.props.desired(),
		MinHealthyPercent: s.props.minHealthy(),
		MaxPercent:        s.props.maxPercent(),
	}
}

// ToString returns the construct path (jsii subclassing needs an overriding method).
func (s *Service) ToString() *string { return s.Node().Path() }
