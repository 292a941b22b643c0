// Package capacity builds EC2 capacity for an ECS cluster: an Auto Scaling group capacity
// provider with managed scaling, managed termination protection (and the scale-in protection
// it needs) and managed draining; one instance type or several with Spot; ECS-optimized
// Amazon Linux 2023 (x86_64, arm64, GPU) or Bottlerocket, each with its own user data; and the
// container agent settings the ECS Developer Guide recommends.
package capacity

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/internal/conv"
	"github.com/ecsforge/ecsforge/internal/nag"
	"github.com/ecsforge/ecsforge/internal/validate"
	"github.com/ecsforge/ecsforge/rules"
)

// Documentation pages the props checks cite.
const (
	docECSOptimizedAMIs = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-optimized_AMI.html"
)

// Image is the machine image of the container instances.
type Image string

// Machine images. Each resolves to the latest ECS-optimized image through its public SSM
// parameter at deploy time, so synth needs no account lookup.
const (
	AmazonLinux2023      Image = "AL2023"       // /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended
	AmazonLinux2023ARM64 Image = "AL2023_ARM64" // .../amazon-linux-2023/arm64/recommended
	AmazonLinux2023GPU   Image = "AL2023_GPU"   // .../amazon-linux-2023/gpu/recommended (NVIDIA)
	Bottlerocket         Image = "BOTTLEROCKET" // /aws/service/bottlerocket/aws-ecs-2/x86_64
	BottlerocketARM64    Image = "BOTTLEROCKET_ARM64"
	BottlerocketGPU      Image = "BOTTLEROCKET_NVIDIA" // aws-ecs-2-nvidia
)

func (i Image) bottlerocket() bool { return strings.HasPrefix(string(i), "BOTTLEROCKET") }
func (i Image) gpu() bool          { return i == AmazonLinux2023GPU || i == BottlerocketGPU }
func (i Image) arm() bool          { return i == AmazonLinux2023ARM64 || i == BottlerocketARM64 }

// Defaults.
const (
	// DefaultImage is ECS-optimized Amazon Linux 2023, the current recommended ECS AMI
	// (ECS Developer Guide, "Amazon ECS-optimized Linux AMIs").
	DefaultImage = AmazonLinux2023
	// DefaultInstanceType is general purpose x86_64 (like the default image) with 2 vCPU and
	// 8 GiB: room for several small tasks without idle capacity per instance.
	DefaultInstanceType = "m6i.large"
	// DefaultMinCapacity starts the Auto Scaling group empty: managed scaling adds instances
	// when tasks need them (seed notes, "Capacity Provider": create the group with 0 instances).
	DefaultMinCapacity = 0
	// DefaultTargetCapacityPercent keeps no idle instance: managed scaling sizes the group to
	// exactly what the tasks need (ECS Developer Guide, "Managed scaling").
	DefaultTargetCapacityPercent = 100
	// DefaultInstanceWarmup is how long a new instance is left to register before its metrics
	// count (the ECS default is 300 s; an ECS-optimized instance registers within a minute).
	DefaultInstanceWarmup = 90 * time.Second
	// DefaultRootVolumeGiB is the encrypted gp3 root volume of Amazon Linux instances: room for
	// images and container layers (the AMI's own 30 GiB).
	DefaultRootVolumeGiB = 30
	// DefaultForceDeleteTimeout bounds the force-delete handler: two API calls, well within a
	// minute; CloudFormation waits for its answer (CloudFormation User Guide, "Custom resources").
	DefaultForceDeleteTimeout = time.Minute
	// DefaultForceDeleteLogRetention keeps the handler's few log lines a month, enough to see
	// what a stack deletion did.
	DefaultForceDeleteLogRetention = awslogs.RetentionDays_ONE_MONTH
	// DefaultSpotAllocation picks Spot pools by price and capacity, the strategy EC2 Auto
	// Scaling recommends (EC2 Auto Scaling User Guide, "Allocation strategies").
	DefaultSpotAllocation = awsautoscaling.SpotAllocationStrategy_PRICE_CAPACITY_OPTIMIZED
)

// Spot runs part of the group on Spot Instances.
type Spot struct {
	// OnDemandBase instances are always On-Demand.
	OnDemandBase int
	// OnDemandPercentAboveBase is the On-Demand share beyond the base (0: all Spot).
	OnDemandPercentAboveBase int
}

// WarmPool keeps pre-initialised stopped instances for faster scale-out. The agent gets
// ECS_WARM_POOLS_CHECK so instances in the pool do not register with the cluster.
type WarmPool struct {
	MinSize int
	// MaxPrepared caps the pool plus the group (0: the group's maximum).
	MaxPrepared int
}

// Agent holds the container agent settings ecsforge writes into user data.
type Agent struct {
	// ReservedMemoryMiB is kept from tasks for the OS and agent (ECS_RESERVED_MEMORY).
	ReservedMemoryMiB int
	// Attributes are custom container instance attributes, for memberOf placement
	// constraints (ECS_INSTANCE_ATTRIBUTES).
	Attributes map[string]string
	// Tags are container instance tags (ECS_CONTAINER_INSTANCE_TAGS; Amazon Linux only).
	Tags map[string]string
	// AllowTaskIMDS lets tasks reach the instance metadata service (and so the instance role).
	// Off by default: awsvpc tasks are blocked by ECS_AWSVPC_BLOCK_IMDS (awsvpc-block-imds on
	// Bottlerocket), bridge tasks by an IMDSv2 hop limit of 1 (ECS Developer Guide, "Amazon ECS
	// container instance IAM role").
	AllowTaskIMDS bool
	// ExtraUserData is appended as is: shell commands on Amazon Linux, TOML on Bottlerocket.
	ExtraUserData []string
}

// Props configures EC2 capacity for a cluster.
type Props struct {
	// Cluster receives the capacity provider; its VPC hosts the instances. A cluster defined in
	// the app must be in the capacity's own stack (cluster.New's Cluster, or awsecs.NewCluster):
	// ECS associates all of a cluster's capacity providers through one resource, which CDK keeps
	// next to the cluster (see the README, "Stack layouts"); another stack's fails synth
	// (ECS208). An imported cluster (awsecs.Cluster_FromClusterAttributes, with its VPC) works:
	// the capacity then writes the cluster's association itself (this provider, FARGATE and
	// FARGATE_SPOT), so the cluster must have no capacity providers associated elsewhere.
	Cluster awsecs.ICluster
	// Subnets for the instances (default the VPC's private subnets with egress).
	Subnets *awsec2.SubnetSelection
	// InstanceTypes: one, or several for a mixed instances policy (default DefaultInstanceType).
	InstanceTypes []string
	// Image (default DefaultImage).
	Image Image
	// MinCapacity (default 0) and MaxCapacity (required) of the Auto Scaling group.
	MinCapacity *int
	MaxCapacity int
	// Spot runs part of the group on Spot Instances (needs no extra instance type).
	Spot *Spot
	// TargetCapacityPercent of managed scaling, 1-100 (default DefaultTargetCapacityPercent).
	TargetCapacityPercent int
	// MinimumScalingStep and MaximumScalingStep bound managed scaling's steps (0: ECS's 1 and 10000).
	MinimumScalingStep, MaximumScalingStep int
	// InstanceWarmup of managed scaling (default DefaultInstanceWarmup).
	InstanceWarmup time.Duration
	// DisableManagedScaling, DisableManagedTerminationProtection and DisableManagedDraining
	// turn those features off; all three are on by default.
	DisableManagedScaling, DisableManagedTerminationProtection, DisableManagedDraining bool
	// ProviderName is the capacity provider's name; "" lets CDK name it.
	ProviderName string
	// Default makes this provider the cluster's default capacity provider strategy with
	// DefaultBase and DefaultWeight (weight 0 is taken as 1).
	Default                    bool
	DefaultBase, DefaultWeight int
	Agent                      Agent
	WarmPool                   *WarmPool
}

func (p Props) image() Image { return conv.OrZero(p.Image, DefaultImage) }

// Validate reports every documented constraint the props break (nil when valid).
func (p Props) Validate() error {
	var errs []error
	if err := rules.CheckAutoScalingGroupMax("MaxCapacity", p.MaxCapacity); err != nil {
		errs = append(errs, err)
	} else {
		errs = append(errs, rules.CheckCapacity("MinCapacity", conv.Or(p.MinCapacity, DefaultMinCapacity), "MaxCapacity", p.MaxCapacity))
	}
	if p.TargetCapacityPercent != 0 {
		errs = append(errs, rules.CheckTargetCapacity("TargetCapacityPercent", p.TargetCapacityPercent))
	}
	if p.DisableManagedScaling && !p.DisableManagedTerminationProtection {
		errs = append(errs, rules.CheckTerminationProtectionNeedsScaling("DisableManagedScaling"))
	}
	errs = append(errs, rules.CheckScalingSteps("MinimumScalingStep", p.MinimumScalingStep, "MaximumScalingStep", p.MaximumScalingStep))
	if p.ProviderName != "" {
		errs = append(errs, rules.CheckCapacityProviderName("ProviderName", p.ProviderName))
	}
	switch img := p.image(); img {
	case AmazonLinux2023, AmazonLinux2023ARM64, AmazonLinux2023GPU, Bottlerocket, BottlerocketARM64, BottlerocketGPU:
		if img.bottlerocket() {
			for i, line := range p.Agent.ExtraUserData {
				errs = append(errs, rules.CheckBottlerocketUserData(fmt.Sprintf("Agent.ExtraUserData[%d]", i), line))
			}
			if len(p.Agent.Tags) > 0 {
				errs = append(errs, rules.NewViolation(rules.BottlerocketUserData, "Agent.Tags", len(p.Agent.Tags), "Bottlerocket has no container instance tag setting (ECS_CONTAINER_INSTANCE_TAGS); tag the Auto Scaling group instead"))
			}
			if p.WarmPool != nil {
				errs = append(errs, rules.NewViolation(rules.BottlerocketUserData, "WarmPool", "set", "Bottlerocket has no setting for ECS_WARM_POOLS_CHECK, so warm pool instances would register with the cluster"))
			}
		}
	default:
		errs = append(errs, rules.OneOf("Image", img, "one of the capacity.Image constants (AmazonLinux2023, AmazonLinux2023ARM64, AmazonLinux2023GPU, Bottlerocket, BottlerocketARM64, BottlerocketGPU)", docECSOptimizedAMIs))
	}
	if s := p.Spot; s != nil {
		errs = append(errs, rules.CheckSpotDistribution("Spot.OnDemandBase", s.OnDemandBase, "Spot.OnDemandPercentAboveBase", s.OnDemandPercentAboveBase))
	}
	if w := p.WarmPool; w != nil {
		errs = append(errs, rules.CheckWarmPoolSize("WarmPool.MinSize", w.MinSize, "WarmPool.MaxPrepared", w.MaxPrepared))
	}
	if p.Default {
		errs = append(errs, rules.CheckCapacityProviderStrategy("Default", []rules.StrategyItem{{Base: p.DefaultBase, Weight: max(p.DefaultWeight, 1)}}))
	}
	return errors.Join(errs...)
}

// Capacity is an Auto Scaling group capacity provider associated with a cluster.
type Capacity struct {
	constructs.Construct
	AutoScalingGroup awsautoscaling.AutoScalingGroup
	LaunchTemplate   awsec2.LaunchTemplate
	Provider         awsecs.AsgCapacityProvider
	// SecurityGroup of the instances (bridge and host tasks use it).
	SecurityGroup awsec2.SecurityGroup
	// UserData of the instances (shell on Amazon Linux, TOML on Bottlerocket).
	UserData awsec2.UserData
	// ForceDelete deletes the Auto Scaling group with ForceDelete while the whole stack is being
	// deleted, so that scale-in protected instances do not hang the deletion (see the README).
	// Nil with DisableManagedTerminationProtection.
	ForceDelete awscdk.CustomResource
	// ForceDeleteFunction is the Lambda function behind ForceDelete.
	ForceDeleteFunction awslambda.Function
	// Association associates the provider with an imported cluster (nil for a cluster defined
	// in the app, whose own association CDK writes). Services and schedules on the capacity
	// depend on it.
	Association awsecs.CfnClusterCapacityProviderAssociations
	props       Props
}

// Cluster is the cluster the capacity provider is associated with.
func (c *Capacity) Cluster() awsecs.ICluster { return c.props.Cluster }

// Built reports whether the capacity was built: false when its props were invalid (synth then
// fails with their violations), and constructs that use it build nothing.
func (c *Capacity) Built() bool { return c != nil && c.Provider != nil }

// Strategy is this provider as an item of a service's capacity provider strategy (a zero
// Strategy when the capacity was not built).
func (c *Capacity) Strategy(base, weight int) service.Strategy {
	if !c.Built() {
		return service.Strategy{}
	}
	return service.Strategy{Provider: service.CapacityProvider(*c.Provider.CapacityProviderName()), Base: base, Weight: weight}
}

// ToString returns the construct path (jsii subclassing needs an overriding method).
func (c *Capacity) ToString() *string { return c.Node().Path() }

// New builds the capacity. Invalid props fail synth with every violation and build nothing.
func New(scope constructs.Construct, id string, p Props) *Capacity {
	c := &Capacity{props: p}
	constructs.NewConstruct_Override(c, scope, conv.Str(id))
	var placement error
	cl, concrete := p.Cluster.(awsecs.Cluster)
	switch {
	case p.Cluster == nil:
		placement = rules.Missing("Cluster", "EC2 capacity needs the cluster it serves", rules.CapacityProviderSettings.Source)
	case !concrete && clusterVpc(p.Cluster) == nil:
		placement = rules.Missing("Cluster", "an imported cluster needs its VPC, the instances run in it: import it with awsecs.Cluster_FromClusterAttributes and ClusterAttributes.Vpc (Cluster_FromClusterArn knows no VPC)", rules.CapacityProviderSettings.Source)
	case concrete && *awscdk.Stack_Of(cl).Node().Path() != *awscdk.Stack_Of(c).Node().Path():
		placement = rules.NewViolation(rules.CrossStackCapacity, "Cluster", fmt.Sprintf("in stack %s", *awscdk.Stack_Of(cl).Node().Path()),
			"the capacity is in stack %s, but CDK associates a cluster's capacity providers in the cluster's stack, which deploys first and so cannot refer to a provider of a later stack: create the capacity with capacity.New in stack %s, next to the cluster; services in other stacks can use it",
			*awscdk.Stack_Of(c).Node().Path(), *awscdk.Stack_Of(cl).Node().Path())
	}
	if validate.Record(c, errors.Join(placement, p.Validate())) {
		return c
	}
	img := p.image()
	vpc := p.Cluster.Vpc()
	types := p.InstanceTypes
	if len(types) == 0 {
		types = []string{DefaultInstanceType}
	}

	role := awsiam.NewRole(c, conv.Str("InstanceRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(conv.Str("ec2.amazonaws.com"), nil),
	})
	c.SecurityGroup = awsec2.NewSecurityGroup(c, conv.Str("InstanceSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc: vpc, Description: conv.Str("ECS container instances"),
	})
	machineImage, userData, blocks := machine(img)
	c.UserData = userData
	c.LaunchTemplate = awsec2.NewLaunchTemplate(c, conv.Str("LaunchTemplate"), &awsec2.LaunchTemplateProps{
		MachineImage:            machineImage,
		UserData:                userData,
		Role:                    role,
		SecurityGroup:           c.SecurityGroup,
		RequireImdsv2:           conv.Bool(true),
		HttpPutResponseHopLimit: conv.Num(imdsHopLimit(p.Agent.AllowTaskIMDS)),
		BlockDevices:            &blocks,
		InstanceType:            instanceTypeIfSingle(types, p.Spot),
	})

	asgProps := &awsautoscaling.AutoScalingGroupProps{
		Vpc:         vpc,
		VpcSubnets:  p.Subnets,
		MinCapacity: conv.Num(conv.Or(p.MinCapacity, DefaultMinCapacity)),
		MaxCapacity: conv.Num(p.MaxCapacity),
	}
	if asgProps.VpcSubnets == nil {
		asgProps.VpcSubnets = &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS}
	}
	if len(types) > 1 || p.Spot != nil {
		var overrides []*awsautoscaling.LaunchTemplateOverrides
		for _, t := range types {
			overrides = append(overrides, &awsautoscaling.LaunchTemplateOverrides{InstanceType: awsec2.NewInstanceType(conv.Str(t))})
		}
		dist := &awsautoscaling.InstancesDistribution{OnDemandPercentageAboveBaseCapacity: conv.Num(100)}
		if s := p.Spot; s != nil {
			dist = &awsautoscaling.InstancesDistribution{
				OnDemandBaseCapacity:                conv.Num(s.OnDemandBase),
				OnDemandPercentageAboveBaseCapacity: conv.Num(s.OnDemandPercentAboveBase),
				SpotAllocationStrategy:              DefaultSpotAllocation,
			}
		}
		asgProps.MixedInstancesPolicy = &awsautoscaling.MixedInstancesPolicy{
			LaunchTemplate:          c.LaunchTemplate,
			LaunchTemplateOverrides: &overrides,
			InstancesDistribution:   dist,
		}
	} else {
		asgProps.LaunchTemplate = c.LaunchTemplate
	}
	c.AutoScalingGroup = awsautoscaling.NewAutoScalingGroup(c, conv.Str("Group"), asgProps)
	if w := p.WarmPool; w != nil {
		c.AutoScalingGroup.AddWarmPool(&awsautoscaling.WarmPoolOptions{
			MinSize:                  conv.Num(w.MinSize),
			MaxGroupPreparedCapacity: conv.OptNum(w.MaxPrepared),
			PoolState:                awsautoscaling.PoolState_STOPPED,
		})
	}

	imageType := awsecs.MachineImageType_AMAZON_LINUX_2
	if img.bottlerocket() {
		// CDK does not detect Bottlerocket from the image: say it, or it writes shell user data.
		imageType = awsecs.MachineImageType_BOTTLEROCKET
	}
	c.Provider = awsecs.NewAsgCapacityProvider(c, conv.Str("Provider"), &awsecs.AsgCapacityProviderProps{
		AutoScalingGroup:                   c.AutoScalingGroup,
		CapacityProviderName:               conv.OptStr(p.ProviderName),
		EnableManagedScaling:               conv.Bool(!p.DisableManagedScaling),
		EnableManagedTerminationProtection: conv.Bool(!p.DisableManagedTerminationProtection),
		EnableManagedDraining:              conv.Bool(!p.DisableManagedDraining),
		TargetCapacityPercent:              conv.Num(conv.OrZero(p.TargetCapacityPercent, DefaultTargetCapacityPercent)),
		MinimumScalingStepSize:             conv.OptNum(p.MinimumScalingStep),
		MaximumScalingStepSize:             conv.OptNum(p.MaximumScalingStep),
		InstanceWarmupPeriod:               conv.Num(conv.Secs(conv.OrZero(p.InstanceWarmup, DefaultInstanceWarmup))),
		MachineImageType:                   imageType,
		SpotInstanceDraining:               conv.Bool(p.Spot != nil),
	})
	if concrete {
		cl.AddAsgCapacityProvider(c.Provider, &awsecs.AddAutoScalingGroupCapacityOptions{
			MachineImageType:     imageType,
			SpotInstanceDraining: conv.Bool(p.Spot != nil),
		})
	} else {
		c.joinImported(role, img)
	}
	// CDK's lines (ECS_CLUSTER, or [settings.ecs] cluster) come first; ecsforge's follow.
	userData.AddCommands(agentSettings(img, p)...)
	if p.Default && concrete {
		cl.AddDefaultCapacityProviderStrategy(&[]*awsecs.CapacityProviderStrategy{{
			CapacityProvider: c.Provider.CapacityProviderName(),
			Base:             conv.OptNum(p.DefaultBase),
			Weight:           conv.Num(max(p.DefaultWeight, 1)),
		}})
	}
	var clusterResource constructs.IConstruct
	if concrete {
		clusterResource = cl.Node().DefaultChild() // the AWS::ECS::Cluster only
	}
	c.handleDeletion(clusterResource)
	c.suppressNag(role)
	return c
}

// imdsHopLimit 1 keeps the instance metadata service (IMDSv2) reachable from the instance but
// not from bridge-mode containers, one network hop further (EC2 User Guide, "Instance metadata
// options"); 2 lets them reach it.
func imdsHopLimit(allowTasks bool) int {
	if allowTasks {
		return 2
	}
	return 1
}

func instanceTypeIfSingle(types []string, spot *Spot) awsec2.InstanceType {
	if len(types) == 1 && spot == nil {
		return awsec2.NewInstanceType(conv.Str(types[0]))
	}
	return nil
}

func machine(img Image) (awsec2.IMachineImage, awsec2.UserData, []*awsec2.BlockDevice) {
	encrypted := func(dev string, gib int) *awsec2.BlockDevice {
		return &awsec2.BlockDevice{DeviceName: conv.Str(dev), Volume: awsec2.BlockDeviceVolume_Ebs(conv.Num(gib), &awsec2.EbsDeviceOptions{
			Encrypted: conv.Bool(true), VolumeType: awsec2.EbsDeviceVolumeType_GP3,
		})}
	}
	if img.bottlerocket() {
		variant := awsecs.BottlerocketEcsVariant_AWS_ECS_2
		if img.gpu() {
			variant = awsecs.BottlerocketEcsVariant_AWS_ECS_2_NVIDIA
		}
		arch := awsec2.InstanceArchitecture_X86_64
		if img.arm() {
			arch = awsec2.InstanceArchitecture_ARM_64
		}
		// Bottlerocket has an OS volume (xvda, 2 GiB) and a data volume (xvdb) for images.
		return awsecs.NewBottleRocketImage(&awsecs.BottleRocketImageProps{Variant: variant, Architecture: arch}),
			awsec2.UserData_Custom(conv.Str("")),
			[]*awsec2.BlockDevice{encrypted("/dev/xvda", 2), encrypted("/dev/xvdb", bottlerocketDataVolumeGiB)}
	}
	hw := awsecs.AmiHardwareType_STANDARD
	switch img {
	case AmazonLinux2023ARM64:
		hw = awsecs.AmiHardwareType_ARM
	case AmazonLinux2023GPU:
		hw = awsecs.AmiHardwareType_GPU
	}
	return awsecs.EcsOptimizedImage_AmazonLinux2023(hw, nil), awsec2.UserData_ForLinux(nil),
		[]*awsec2.BlockDevice{encrypted("/dev/xvda", DefaultRootVolumeGiB)}
}

// bottlerocketDataVolumeGiB is Bottlerocket's default data volume size (Bottlerocket AMIs).
const bottlerocketDataVolumeGiB = 20

// agentSettings are the container agent settings, as ecs.config lines on Amazon Linux or
// [settings.ecs] TOML keys on Bottlerocket (they follow CDK's "[settings.ecs]" header).
func agentSettings(img Image, p Props) []*string {
	a := p.Agent
	spot := p.Spot != nil
	var lines []string
	if img.bottlerocket() {
		lines = append(lines, fmt.Sprintf("awsvpc-block-imds = %t", !a.AllowTaskIMDS))
		if spot {
			lines = append(lines, "enable-spot-instance-draining = true")
		}
		if a.ReservedMemoryMiB > 0 {
			lines = append(lines, fmt.Sprintf("reserved-memory = %d", a.ReservedMemoryMiB))
		}
		if len(a.Attributes) > 0 {
			lines = append(lines, "[settings.ecs.instance-attributes]")
			for _, k := range slices.Sorted(maps.Keys(a.Attributes)) {
				lines = append(lines, fmt.Sprintf("%q = %q", k, a.Attributes[k]))
			}
		}
	} else {
		cfg := func(k, v string) { lines = append(lines, fmt.Sprintf("echo %s=%s >> /etc/ecs/ecs.config", k, v)) }
		if !a.AllowTaskIMDS {
			cfg("ECS_AWSVPC_BLOCK_IMDS", "true")
		}
		if spot {
			// CDK adds this only for a spotPrice group, not for a mixed instances policy.
			cfg("ECS_ENABLE_SPOT_INSTANCE_DRAINING", "true")
		}
		if a.ReservedMemoryMiB > 0 {
			cfg("ECS_RESERVED_MEMORY", fmt.Sprint(a.ReservedMemoryMiB))
		}
		if len(a.Attributes) > 0 {
			cfg("ECS_INSTANCE_ATTRIBUTES", shellJSON(a.Attributes))
		}
		if len(a.Tags) > 0 {
			cfg("ECS_CONTAINER_INSTANCE_TAGS", shellJSON(a.Tags))
		}
		if img.gpu() {
			cfg("ECS_ENABLE_GPU_SUPPORT", "true")
		}
		if p.WarmPool != nil {
			cfg("ECS_WARM_POOLS_CHECK", "true")
		}
	}
	lines = append(lines, a.ExtraUserData...)
	out := make([]*string, len(lines))
	for i, l := range lines {
		out[i] = conv.Str(l)
	}
	return out
}

// shellJSON renders m as compact JSON in single quotes for an echo command.
func shellJSON(m map[string]string) string {
	b, _ := json.Marshal(m)
	return "'" + strings.ReplaceAll(string(b), "'", `'\''`) + "'"
}

// handleDeletion makes the stack deletable. CloudFormation does not force-delete an Auto
// Scaling group, so instances that managed termination protection keeps scale-in protected
// hang the deletion (aws-cdk issues #14732 and #18179). A custom resource, deleted before the
// group, force-deletes the group, but only when its handler reads that the whole stack is
// being deleted (forcedelete.js): removing the resource from the template, or renaming it,
// leaves the group alone. The group depends on the cluster, so the cluster is deleted only
// once its instances are gone (containers-roadmap #631).
func (c *Capacity) handleDeletion(cluster constructs.IConstruct) {
	if cluster != nil {
		c.AutoScalingGroup.Node().AddDependency(cluster)
	}
	if c.props.DisableManagedTerminationProtection {
		return
	}
	stack := awscdk.Stack_Of(c)
	groupArn := stack.FormatArn(&awscdk.ArnComponents{
		Service: conv.Str("autoscaling"), Resource: conv.Str("autoScalingGroup"),
		ResourceName: conv.Str("*:autoScalingGroupName/" + *c.AutoScalingGroup.AutoScalingGroupName()),
		ArnFormat:    awscdk.ArnFormat_COLON_RESOURCE_NAME,
	})
	logs := awslogs.NewLogGroup(c, conv.Str("ForceDeleteLogs"), &awslogs.LogGroupProps{
		Retention:     DefaultForceDeleteLogRetention,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	role := awsiam.NewRole(c, conv.Str("ForceDeleteRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(conv.Str("lambda.amazonaws.com"), nil),
	})
	policy := awsiam.NewPolicy(c, conv.Str("ForceDeletePolicy"), &awsiam.PolicyProps{
		Roles: &[]awsiam.IRole{role},
		Statements: &[]awsiam.PolicyStatement{
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: conv.Strs([]string{"cloudformation:DescribeStacks"}), Resources: &[]*string{stack.StackId()},
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: conv.Strs([]string{"autoscaling:DeleteAutoScalingGroup"}), Resources: &[]*string{groupArn},
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: conv.Strs([]string{"logs:CreateLogStream", "logs:PutLogEvents"}), Resources: &[]*string{logs.LogGroupArn()},
			}),
		},
	})
	c.ForceDeleteFunction = awslambda.NewFunction(c, conv.Str("ForceDeleteHandler"), &awslambda.FunctionProps{
		Runtime:     awslambda.Runtime_NODEJS_24_X(),
		Handler:     conv.Str("index.handler"),
		Code:        awslambda.Code_FromInline(conv.Str(forceDeleteJS)),
		Timeout:     conv.Seconds(DefaultForceDeleteTimeout),
		Role:        role,
		LogGroup:    logs,
		Description: conv.Str("Force-deletes the EC2 capacity's Auto Scaling group while its stack is being deleted"),
	})
	c.ForceDelete = awscdk.NewCustomResource(c, conv.Str("ForceDeleteGroup"), &awscdk.CustomResourceProps{
		ServiceToken: c.ForceDeleteFunction.FunctionArn(),
		ResourceType: conv.Str("Custom::ForceDeleteAutoScalingGroup"),
		Properties:   &map[string]any{"AutoScalingGroupName": c.AutoScalingGroup.AutoScalingGroupName()},
	})
	// Deleted before the group, and before its handler can no longer read or delete.
	c.ForceDelete.Node().AddDependency(c.AutoScalingGroup, policy)
	nag.Suppress(policy, nag.Suppression{ID: "AwsSolutions-IAM5",
		Reason: "An Auto Scaling group ARN holds a group ID known only after deployment; the statement is scoped to this group's name and to autoscaling:DeleteAutoScalingGroup."})
}

// clusterVpc is the cluster's VPC, or nil for a cluster that does not know it (CDK raises an
// error for the VPC of a cluster imported with Cluster_FromClusterArn).
func clusterVpc(c awsecs.ICluster) (vpc awsec2.IVpc) {
	defer func() {
		if recover() != nil {
			vpc = nil
		}
	}()
	return c.Vpc()
}

// joinImported does for a cluster imported into this stack what CDK's
// Cluster.AddAsgCapacityProvider does for a cluster it defines: the agent's cluster setting,
// the instance role's ECS permissions, and the association of the provider with the cluster.
// The association lists the whole set of the cluster's providers (here this one, FARGATE and
// FARGATE_SPOT) and its default strategy, so the cluster must have no capacity providers
// associated anywhere else (CloudFormation User Guide,
// AWS::ECS::ClusterCapacityProviderAssociations).
func (c *Capacity) joinImported(role awsiam.Role, img Image) {
	cluster := c.props.Cluster
	if img.bottlerocket() {
		c.UserData.AddCommands(conv.Str("[settings.ecs]"), conv.Str(fmt.Sprintf("cluster = \"%s\"", *cluster.ClusterName())))
		role.AddManagedPolicy(awsiam.ManagedPolicy_FromAwsManagedPolicyName(conv.Str("AmazonSSMManagedInstanceCore")))
		role.AddManagedPolicy(awsiam.ManagedPolicy_FromAwsManagedPolicyName(conv.Str("service-role/AmazonEC2ContainerServiceforEC2Role")))
	} else {
		c.UserData.AddCommands(conv.Str(fmt.Sprintf("echo ECS_CLUSTER=%s >> /etc/ecs/ecs.config", *cluster.ClusterName())))
		if c.props.Spot != nil {
			c.UserData.AddCommands(conv.Str("echo ECS_ENABLE_SPOT_INSTANCE_DRAINING=true >> /etc/ecs/ecs.config"))
		}
	}
	for _, st := range []*awsiam.PolicyStatementProps{
		{Actions: conv.Strs([]string{"ecs:DeregisterContainerInstance", "ecs:RegisterContainerInstance", "ecs:Submit*"}), Resources: &[]*string{cluster.ClusterArn()}},
		{Actions: conv.Strs([]string{"ecs:Poll", "ecs:StartTelemetrySession"}), Resources: conv.Strs([]string{"*"}),
			Conditions: &map[string]any{"ArnEquals": map[string]any{"ecs:cluster": cluster.ClusterArn()}}},
		{Actions: conv.Strs([]string{"ecs:DiscoverPollEndpoint", "ecr:GetAuthorizationToken", "logs:CreateLogStream", "logs:PutLogEvents"}), Resources: conv.Strs([]string{"*"})},
	} {
		role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(st))
	}
	strategy := []any{}
	if c.props.Default {
		strategy = append(strategy, &awsecs.CfnClusterCapacityProviderAssociations_CapacityProviderStrategyProperty{
			CapacityProvider: c.Provider.CapacityProviderName(),
			Base:             conv.OptNum(c.props.DefaultBase),
			Weight:           conv.Num(max(c.props.DefaultWeight, 1)),
		})
	}
	c.Association = awsecs.NewCfnClusterCapacityProviderAssociations(c, conv.Str("Association"), &awsecs.CfnClusterCapacityProviderAssociationsProps{
		Cluster:                         cluster.ClusterName(),
		CapacityProviders:               &[]any{c.Provider.CapacityProviderName(), "FARGATE", "FARGATE_SPOT"},
		DefaultCapacityProviderStrategy: strategy,
	})
}

//go:embed forcedelete.js
var forceDeleteJS string

func (c *Capacity) suppressNag(role awsiam.Role) {
	if policy := role.Node().TryFindChild(conv.Str("DefaultPolicy")); policy != nil {
		nag.Suppress(policy, nag.Suppression{ID: "AwsSolutions-IAM5", AppliesTo: []string{"Resource::*", "Action::ecs:Submit*"},
			Reason: "The container agent's ecs:DiscoverPollEndpoint, ecr:GetAuthorizationToken and CloudWatch Logs actions that CDK grants support no resource-level permissions; ecs:Submit* (state changes) is scoped to the cluster."})
	}
	if c.props.image().bottlerocket() {
		nag.Suppress(role, nag.Suppression{ID: "AwsSolutions-IAM4", AppliesTo: []string{
			"Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore",
			"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
		}, Reason: "The AWS-maintained policies for ECS container instances and for SSM, which Bottlerocket's control container uses; CDK attaches them for Bottlerocket capacity."})
	}
	nag.Suppress(c.AutoScalingGroup, nag.Suppression{ID: "AwsSolutions-AS3",
		Reason: "ECS reports capacity provider scaling through the cluster and CloudWatch; Auto Scaling group notifications would duplicate it."})
}
