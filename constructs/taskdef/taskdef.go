// Package taskdef builds a Fargate task definition from plain Go container specs: image, named
// port mappings, CPU and memory, environment, secrets from Secrets Manager and SSM Parameter
// Store, awslogs with retention, container health check, read-only root filesystem, init
// process, runtime platform and ephemeral storage.
package taskdef

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsefs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskinesisfirehose"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/internal/conv"
	"github.com/ecsforge/ecsforge/internal/validate"
	"github.com/ecsforge/ecsforge/rules"
)

// Defaults.
const (
	// DefaultCPU is the smallest Fargate task, 0.25 vCPU (Fargate task size table).
	DefaultCPU = 256
	// DefaultMemoryMiB is the smallest memory that 0.25 vCPU accepts (Fargate task size table).
	DefaultMemoryMiB = 512
	// DefaultContainerName names the first container when no name is given.
	DefaultContainerName = "app"
	// DefaultStopTimeout gives a container 10 s between SIGTERM and SIGKILL instead of ECS's
	// 30 s: enough to finish in-flight work once the load balancer has drained it, and it
	// shortens every deployment (ECS Best Practices Guide, "Speeding up deployments").
	DefaultStopTimeout = 10 * time.Second
	// DefaultLogRetention keeps container logs for a month; CloudWatch Logs would keep them
	// forever by default (CloudWatch Logs User Guide, "Change log data retention").
	DefaultLogRetention = awslogs.RetentionDays_ONE_MONTH
	// DefaultInitProcess runs an init process as PID 1, which reaps zombie processes such as
	// those ECS Exec sessions leave (ECS Developer Guide, "Using ECS Exec").
	DefaultInitProcess = true
	// ECS's own container health check defaults, used to validate a partly-set health check
	// (ECS API Reference, HealthCheck).
	ecsHealthInterval = 30 * time.Second
	ecsHealthTimeout  = 5 * time.Second
	ecsHealthRetries  = 3
)

// Documentation pages the props checks cite.
const (
	docNetworkMode        = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#network_mode"
	docContainerDefs      = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definitions"
	docRuntimePlatform    = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#runtime-platform"
	docContainerImage     = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_image"
	docContainerHealthCmd = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html"
	docVolumes            = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_data_volumes.html"
	docEnvironmentFiles   = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/use-environment-file.html"
)

// Architecture is the task's CPU architecture.
type Architecture string

// Architectures.
const (
	X86_64 Architecture = "X86_64"
	ARM64  Architecture = "ARM64"
)

// Protocol is a port mapping's transport protocol.
type Protocol string

// Protocols.
const (
	TCP Protocol = "tcp"
	UDP Protocol = "udp"
)

// AppProtocol is the application protocol of a named port (used by Service Connect).
type AppProtocol string

// Application protocols.
const (
	HTTP  AppProtocol = "http"
	HTTP2 AppProtocol = "http2"
	GRPC  AppProtocol = "grpc"
)

// Port is a container port mapping. On awsvpc the host port is the container port.
type Port struct {
	Port        int
	Name        string      // optional; needed for Service Connect
	Protocol    Protocol    // default TCP
	AppProtocol AppProtocol // optional
}

// HealthCheck is a container health check. Zero durations and retries take ECS's defaults
// (30 s interval, 5 s timeout, 3 retries, no start period).
type HealthCheck struct {
	Command     []string // e.g. {"CMD-SHELL", "curl -f http://localhost/ || exit 1"}
	Interval    time.Duration
	Timeout     time.Duration
	Retries     int
	StartPeriod time.Duration
}

// Container is one container of the task.
type Container struct {
	Name string // default DefaultContainerName for the first container
	// Image is required (ECS200). A literal reference (ContainerImage_FromRegistry) is checked
	// against the documented format when the container is built (ECS014): an empty one fails.
	Image awsecs.ContainerImage
	Ports []Port
	// CPU units reserved for the container (0: share the task's).
	CPU int
	// MemoryMiB is the hard limit (0: the task's memory).
	MemoryMiB int
	// MemoryReservationMiB is the soft limit (0: none).
	MemoryReservationMiB int
	Command              []string
	EntryPoint           []string
	Environment          map[string]string
	// Secrets maps environment variable names to secrets (see SecretsManager, SSMParameter).
	Secrets                map[string]awsecs.Secret
	HealthCheck            *HealthCheck
	ReadonlyRootFilesystem bool
	// InitProcess runs an init process (default DefaultInitProcess); new(false) turns it off.
	InitProcess *bool
	// StopTimeout between SIGTERM and SIGKILL (default DefaultStopTimeout; at most 120 s on Fargate).
	StopTimeout time.Duration
	// NonEssential marks a sidecar whose exit does not stop the task.
	NonEssential bool
	// MountPoints mount volumes of Props.Volumes into the container.
	MountPoints []MountPoint
	// VolumesFrom mounts every volume of another container of the task.
	VolumesFrom []VolumeFrom
	// DependsOn holds the container back until others reach a condition (container start
	// order; ECS Developer Guide, "Container dependency").
	DependsOn []Dependency
	// Ulimits override the resource limits of the container's processes.
	Ulimits []Ulimit
	// DockerLabels are labels added to the container.
	DockerLabels map[string]string
	// User runs the container's processes as this user (name, uid, uid:gid, ...).
	User string
	// WorkingDirectory of the container's command.
	WorkingDirectory string
	// StartTimeout is how long ECS waits for the container's dependencies before giving up on
	// it (0: ECS's default).
	StartTimeout time.Duration
	// AddCapabilities and DropCapabilities change the container's Linux capabilities
	// ("SYS_PTRACE", "NET_ADMIN", ...; Fargate adds SYS_PTRACE only).
	AddCapabilities, DropCapabilities []string
	// SharedMemoryMiB (/dev/shm) and Tmpfs mounts are EC2 only.
	SharedMemoryMiB int
	Tmpfs           []Tmpfs
	// EnvironmentFiles are .env files in S3 whose variables the container gets; ecsforge lets
	// the execution role read exactly these objects.
	EnvironmentFiles []EnvironmentFile
	// Restart restarts the container in place when it exits, instead of stopping the task
	// (nil: off; ECS Developer Guide, "Restart individual containers in Amazon ECS tasks").
	Restart *RestartPolicy
}

// RestartPolicy is a container restart policy.
type RestartPolicy struct {
	// IgnoredExitCodes end the container without a restart (at most 50).
	IgnoredExitCodes []int
	// AttemptPeriod the container must have run before it may restart again, 60-1800 s
	// (0: ECS's 300 s).
	AttemptPeriod time.Duration
}

// Tmpfs is a tmpfs mount (EC2 only).
type Tmpfs struct {
	Path    string
	SizeMiB int
}

// EnvironmentFile is one object of an S3 bucket.
type EnvironmentFile struct {
	Bucket awss3.IBucket
	Key    string
}

// ExecWritable gives a container with a read-only root filesystem the writable directories
// ECS Exec's SSM agent needs (rules.ExecAgentPaths), as bind mounts on the task's storage: add
// the volumes to Props.Volumes and the mount points to the container's MountPoints.
func ExecWritable() ([]Volume, []MountPoint) {
	var vs []Volume
	var ms []MountPoint
	for i, p := range rules.ExecAgentPaths {
		name := fmt.Sprintf("ecs-exec-%d", i)
		vs = append(vs, Volume{Name: name})
		ms = append(ms, MountPoint{Volume: name, Path: p})
	}
	return vs, ms
}

// MountPoint mounts a task volume at Path.
type MountPoint struct {
	Volume   string // the Name of one of Props.Volumes
	Path     string // the path in the container
	ReadOnly bool
}

// VolumeFrom mounts the volumes of Container.
type VolumeFrom struct {
	Container string
	ReadOnly  bool
}

// Condition is what a container waits for in another.
type Condition string

// Dependency conditions (ECS API Reference, ContainerDependency).
const (
	// Start: the other container has started.
	Start Condition = rules.ConditionStart
	// Complete: the other (nonessential) container has exited.
	Complete Condition = rules.ConditionComplete
	// Success: the other (nonessential) container has exited with status 0.
	Success Condition = rules.ConditionSuccess
	// Healthy: the other container passes its health check.
	Healthy Condition = rules.ConditionHealthy
)

// Dependency makes a container wait for Container to reach Condition.
type Dependency struct {
	Container string
	Condition Condition
}

// Ulimit is a resource limit (awsecs.UlimitName, such as awsecs.UlimitName_NOFILE).
type Ulimit struct {
	Name       awsecs.UlimitName
	Soft, Hard int
}

// Volume is a task volume: a bind mount on the task's storage (Fargate's ephemeral storage, or
// the instance's Docker storage), or a Docker volume on EC2.
type Volume struct {
	Name string
	// Docker makes it a Docker volume (EC2 only): scoped to the task unless Shared.
	Docker *DockerVolume
	// EFS makes it an Amazon EFS file system (Fargate platform 1.4.0 or later, or EC2).
	EFS *EFSVolume
}

// EFS defaults (ECS Developer Guide, "Amazon EFS volumes").
const (
	// DefaultEFSTransitEncryption encrypts NFS traffic with TLS: the data crosses the VPC.
	DefaultEFSTransitEncryption = true
	// DefaultEFSIAM mounts with the task role's IAM authorization, so only this task's role
	// (granted by ecsforge) may mount the file system.
	DefaultEFSIAM = true
)

// EFSVolume mounts an EFS file system. ecsforge grants the task role the mount (and, for a
// volume some container mounts writable, write) permission on the file system, limited to the
// access point when one is given; a service running the task gets NFS access to the file
// system's security groups.
type EFSVolume struct {
	FileSystem awsefs.IFileSystem
	// AccessPoint enforces its root directory and POSIX user (nil: none).
	AccessPoint awsefs.IAccessPoint
	// RootDirectory of the file system to mount ("": its root); not with an access point.
	RootDirectory string
	// NoTransitEncryption turns TLS off (not with IAM authorization or an access point).
	NoTransitEncryption bool
	// NoIAM mounts without IAM authorization.
	NoIAM bool
}

// settings is what rules.CheckEFSVolume reads.
func (e EFSVolume) settings(at string) rules.EFSSettings {
	return rules.EFSSettings{Prop: at, TransitEncryption: !e.NoTransitEncryption, TransitKnown: true,
		IAM: !e.NoIAM, AccessPoint: e.AccessPoint != nil, RootDirectory: e.RootDirectory, RootDirectoryKnown: true,
		RootDirectoryProperty: at + "RootDirectory"}
}

// DockerVolume configures a Docker volume.
type DockerVolume struct {
	// Driver (default DefaultDockerVolumeDriver).
	Driver string
	// Shared keeps the volume after the task stops, for other tasks on the instance.
	Shared bool
	// Autoprovision creates a Shared volume that does not exist yet.
	Autoprovision bool
	DriverOptions map[string]string
	Labels        map[string]string
}

// DefaultDockerVolumeDriver is Docker's built-in driver: the volume lives on the instance.
const DefaultDockerVolumeDriver = "local"

// Launch is where the task runs.
type Launch string

// Launch types.
const (
	Fargate Launch = "FARGATE"
	EC2     Launch = "EC2"
)

// NetworkMode is an EC2 task's network mode (Fargate tasks always use awsvpc).
type NetworkMode string

// Network modes.
const (
	AwsVpc NetworkMode = "awsvpc"
	Bridge NetworkMode = "bridge"
	Host   NetworkMode = "host"
)

// Props configures a task definition: Fargate by default, or EC2.
type Props struct {
	// Launch is Fargate (default) or EC2.
	Launch Launch
	// NetworkMode of an EC2 task (default AwsVpc); Fargate tasks always use awsvpc.
	NetworkMode NetworkMode
	// CPU units of the task (Fargate default DefaultCPU; on EC2 0 leaves it unset).
	CPU int
	// MemoryMiB of the task (Fargate default DefaultMemoryMiB; on EC2 0 leaves it unset, and
	// every container then needs MemoryMiB or MemoryReservationMiB).
	MemoryMiB int
	// Containers; the first is the main one, which receives load balancer traffic.
	Containers []Container
	// Architecture of a Fargate task (default X86_64); EC2 tasks run on their instances'.
	Architecture Architecture
	// EphemeralStorageGiB (0: Fargate's 20 GiB; else 21-200).
	EphemeralStorageGiB int
	// Family is the task definition family; "" lets CDK derive it.
	Family string
	// LogRetention of the task's log group (default DefaultLogRetention).
	LogRetention awslogs.RetentionDays
	// Volumes the containers mount (MountPoints).
	Volumes []Volume
	// FireLens routes every container's logs through an AWS for Fluent Bit router container
	// (nil: each container logs to the task's log group with awslogs).
	FireLens *FireLens
}

// FireLens defaults (ECS Developer Guide, "Send Amazon ECS logs to an AWS service or AWS
// Partner").
const (
	// DefaultFireLensImage is AWS for Fluent Bit's stable tag in the public ECR gallery.
	DefaultFireLensImage = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"
	// FireLensRouterName names the router container.
	FireLensRouterName = "log_router"
	// FireLensRouterMemoryReservationMiB is the router's soft memory limit, the 50 MiB of the
	// guide's examples.
	FireLensRouterMemoryReservationMiB = 50
	// FireLensS3FileSize closes an S3 object at 1 MiB instead of Fluent Bit's 100 MiB, so that
	// logs reach the bucket soon and a stopped task loses little (Fluent Bit, "Amazon S3" output).
	FireLensS3FileSize = "1M"
	// FireLensS3UploadTimeout uploads at least every minute (Fluent Bit's default is 10 min).
	FireLensS3UploadTimeout = "1m"
	// FireLensS3PutObject uploads each file with one PutObject call, which the task role is
	// granted alone, instead of a multipart upload.
	FireLensS3PutObject = "On"
	// FireLensCloudWatchAutoCreateGroup is off: the stack creates the task's log group, with
	// its retention, so the router needs no logs:CreateLogGroup.
	FireLensCloudWatchAutoCreateGroup = "false"
)

// FireLens configures the log router and where it sends the containers' logs: the task's log
// group (CloudWatch Logs, the default), a Kinesis Data Firehose delivery stream, or an S3
// bucket. ecsforge grants the task role exactly the write permission the output needs.
type FireLens struct {
	// Image of the router (default DefaultFireLensImage).
	Image awsecs.ContainerImage
	// Firehose sends the logs to this delivery stream instead.
	Firehose awskinesisfirehose.IDeliveryStream
	// S3 sends the logs to this bucket instead.
	S3 awss3.IBucket
}

// relations is what rules.CheckContainers reads of the props.
func (p Props) relations(at string) rules.TaskRelations {
	t := rules.TaskRelations{ContainersKnown: true, VolumesKnown: true, Volumes: map[string]bool{}, Fargate: p.Launch == Fargate}
	for i, v := range p.Volumes {
		t.Volumes[v.Name] = true
		if v.Docker != nil {
			t.DockerVolumes = append(t.DockerVolumes, fmt.Sprintf("%sVolumes[%d].Docker", at, i))
		}
		if v.EFS != nil {
			ea := fmt.Sprintf("%sVolumes[%d].EFS.", at, i)
			s := v.EFS.settings(ea)
			// The props say "NoTransitEncryption", not CloudFormation's "TransitEncryption".
			s.Prop = ea + "No"
			t.EFS = append(t.EFS, s)
		}
	}
	for i, c := range p.Containers {
		ca := fmt.Sprintf("%sContainers[%d]", at, i)
		cr := rules.ContainerRelations{Property: ca, Name: c.Name, Essential: !c.NonEssential, EssentialProp: ca + ".NonEssential",
			HasHealthCheck: c.HealthCheck != nil, Known: true}
		for j, d := range c.DependsOn {
			cr.DependsOn = append(cr.DependsOn, rules.Dependency{Property: fmt.Sprintf("%s.DependsOn[%d].Container", ca, j), Container: d.Container, Condition: string(d.Condition)})
		}
		for j, m := range c.MountPoints {
			cr.MountPoints = append(cr.MountPoints, rules.ContainerRef{Property: fmt.Sprintf("%s.MountPoints[%d].Volume", ca, j), Name: m.Volume})
		}
		for j, v := range c.VolumesFrom {
			cr.VolumesFrom = append(cr.VolumesFrom, rules.ContainerRef{Property: fmt.Sprintf("%s.VolumesFrom[%d].Container", ca, j), Name: v.Container})
		}
		t.Containers = append(t.Containers, cr)
	}
	return t
}

// SecretsManager exposes a Secrets Manager secret, or one JSON field of it ("" for the whole
// secret), as a container environment variable.
func SecretsManager(secret awssecretsmanager.ISecret, field string) awsecs.Secret {
	return awsecs.Secret_FromSecretsManager(secret, conv.OptStr(field))
}

// SSMParameter exposes an SSM Parameter Store parameter as a container environment variable.
func SSMParameter(p awsssm.IParameter) awsecs.Secret {
	return awsecs.Secret_FromSsmParameter(p)
}

// withDefaults returns p with every default filled in.
func (p Props) withDefaults() Props {
	p.Launch = conv.OrZero(p.Launch, Fargate)
	p.NetworkMode = conv.OrZero(p.NetworkMode, AwsVpc)
	if p.Launch == Fargate {
		p.CPU = conv.OrZero(p.CPU, DefaultCPU)
		p.MemoryMiB = conv.OrZero(p.MemoryMiB, DefaultMemoryMiB)
	}
	p.Architecture = conv.OrZero(p.Architecture, X86_64)
	p.LogRetention = conv.OrZero(p.LogRetention, DefaultLogRetention)
	cs := make([]Container, len(p.Containers))
	for i, c := range p.Containers {
		if i == 0 {
			c.Name = conv.OrZero(c.Name, DefaultContainerName)
		}
		c.StopTimeout = conv.OrZero(c.StopTimeout, DefaultStopTimeout)
		if c.HealthCheck != nil {
			hc := *c.HealthCheck
			hc.Interval = conv.OrZero(hc.Interval, ecsHealthInterval)
			hc.Timeout = conv.OrZero(hc.Timeout, ecsHealthTimeout)
			hc.Retries = conv.OrZero(hc.Retries, ecsHealthRetries)
			c.HealthCheck = &hc
		}
		cs[i] = c
	}
	p.Containers = cs
	return p
}

// Validate reports every documented constraint the props break (nil when valid).
func (p Props) Validate() error { return p.ValidateAt("") }

// ValidateAt is Validate with every property path prefixed by at (such as "Task."), for
// constructs that embed these props.
func (p Props) ValidateAt(at string) error {
	archSet := p.Architecture != ""
	p = p.withDefaults()
	errs := []error{rules.CheckResourceName(at+"Family", p.Family, "task definition family")}
	fargate := p.Launch == Fargate
	switch {
	case fargate:
		errs = append(errs,
			rules.CheckFargateTaskSize(at+"CPU", p.CPU, at+"MemoryMiB", p.MemoryMiB),
			rules.CheckEphemeralStorage(at+"EphemeralStorageGiB", p.EphemeralStorageGiB))
		if p.NetworkMode != AwsVpc {
			errs = append(errs, rules.CheckFargateNetworkMode(at+"NetworkMode", string(p.NetworkMode)))
		}
	case p.Launch == EC2:
		if p.NetworkMode != AwsVpc && p.NetworkMode != Bridge && p.NetworkMode != Host {
			errs = append(errs, rules.OneOf(at+"NetworkMode", p.NetworkMode, fmt.Sprintf("%q, %q or %q", AwsVpc, Bridge, Host), docNetworkMode))
		}
		if archSet {
			errs = append(errs, rules.CheckLaunchTypeSetting(at+"Architecture", p.Architecture, "a Fargate setting: EC2 tasks run on their instances' architecture (choose an arm64 image for the capacity)"))
		}
		if p.EphemeralStorageGiB != 0 {
			errs = append(errs, rules.CheckLaunchTypeSetting(at+"EphemeralStorageGiB", p.EphemeralStorageGiB, "ephemeral storage is a Fargate setting: size EC2 storage on the instances"))
		}
	default:
		errs = append(errs, rules.OneOf(at+"Launch", p.Launch, fmt.Sprintf("%q or %q", Fargate, EC2), rules.LaunchTypeSetting.Source))
	}
	if len(p.Containers) == 0 {
		errs = append(errs, rules.Missing(at+"Containers", "a task definition needs at least one container", docContainerDefs))
	}
	if p.Architecture != X86_64 && p.Architecture != ARM64 {
		errs = append(errs, rules.OneOf(at+"Architecture", p.Architecture, fmt.Sprintf("%q or %q", X86_64, ARM64), docRuntimePlatform))
	}
	cpus, mems := map[string]int{}, map[string]int{}
	names := map[string]bool{}
	var ports []rules.NamedPort
	for i, c := range p.Containers {
		ca := fmt.Sprintf("%sContainers[%d]", at, i)
		errs = append(errs, rules.CheckContainerName(ca+".Name", i, c.Name, names))
		names[c.Name] = true
		if c.Image == nil {
			errs = append(errs, rules.Missing(ca+".Image", "a container needs an image (an empty image reference is none)", docContainerImage))
		}
		cpus[c.Name], mems[c.Name] = c.CPU, c.MemoryMiB
		for j, port := range c.Ports {
			pa := fmt.Sprintf("%s.Ports[%d]", ca, j)
			errs = append(errs, rules.CheckPort(pa+".Port", port.Port))
			ports = append(ports, rules.NamedPort{Property: pa + ".Name", Name: port.Name})
		}
		if r := c.Restart; r != nil {
			errs = append(errs, rules.CheckRestartPolicy(ca+".Restart", len(r.IgnoredExitCodes), conv.Secs(r.AttemptPeriod)))
		}
		if len(c.EnvironmentFiles) > rules.MaxEnvironmentFiles {
			errs = append(errs, rules.NewViolation(rules.EnvironmentFiles, ca+".EnvironmentFiles", len(c.EnvironmentFiles), "a container takes at most %d environment files", rules.MaxEnvironmentFiles))
		}
		for j, ef := range c.EnvironmentFiles {
			if ef.Bucket == nil || ef.Key == "" {
				errs = append(errs, rules.Missing(fmt.Sprintf("%s.EnvironmentFiles[%d]", ca, j), "an environment file is a bucket and an object key", docEnvironmentFiles))
			} else if !strings.HasSuffix(ef.Key, ".env") {
				errs = append(errs, rules.NewViolation(rules.EnvironmentFiles, fmt.Sprintf("%s.EnvironmentFiles[%d].Key", ca, j), ef.Key, "an environment file has the .env file extension"))
			}
		}
		if c.MemoryMiB > 0 && c.MemoryReservationMiB > c.MemoryMiB {
			errs = append(errs, rules.NewViolation(rules.ContainerMemory, ca+".MemoryMiB", c.MemoryMiB, "the hard limit is below the container's MemoryReservationMiB (%d): memory must be greater", c.MemoryReservationMiB).WithUnit(" MiB"))
		}
		if fargate {
			errs = append(errs, rules.CheckFargateCapabilities(ca+".AddCapabilities", c.AddCapabilities))
			if c.SharedMemoryMiB != 0 {
				errs = append(errs, rules.NewViolation(rules.FargateUnsupported, ca+".SharedMemoryMiB", c.SharedMemoryMiB, "Fargate does not support sharedMemorySize"))
			}
			if len(c.Tmpfs) > 0 {
				errs = append(errs, rules.NewViolation(rules.FargateUnsupported, ca+".Tmpfs", len(c.Tmpfs), "Fargate does not support tmpfs"))
			}
			errs = append(errs, rules.CheckFargateStopTimeout(ca+".StopTimeout", conv.Secs(c.StopTimeout)))
			if c.StartTimeout != 0 {
				errs = append(errs, rules.CheckFargateStartTimeout(ca+".StartTimeout", conv.Secs(c.StartTimeout)))
			}
		} else if p.MemoryMiB == 0 {
			errs = append(errs, rules.CheckContainerMemorySet(ca, c.MemoryMiB, c.MemoryReservationMiB))
		}
		if hc := c.HealthCheck; hc != nil {
			if len(hc.Command) == 0 {
				errs = append(errs, rules.Missing(ca+".HealthCheck.Command", "a health check needs a command (CMD or CMD-SHELL form)", docContainerHealthCmd))
			} else {
				errs = append(errs, rules.CheckHealthCheckCommand(ca+".HealthCheck.Command[0]", hc.Command[0]))
			}
			errs = append(errs, rules.CheckContainerHealthCheck(ca+".HealthCheck", rules.ContainerHealthCheckSeconds{
				Interval: conv.Secs(hc.Interval), Timeout: conv.Secs(hc.Timeout),
				Retries: hc.Retries, StartPeriod: conv.Secs(hc.StartPeriod),
			}))
		}
	}
	vnames := map[string]bool{}
	for i, v := range p.Volumes {
		va := fmt.Sprintf("%sVolumes[%d].Name", at, i)
		switch {
		case v.Name == "":
			errs = append(errs, rules.Missing(va, "a volume needs a name its mount points refer to", docVolumes))
		case vnames[v.Name]:
			errs = append(errs, rules.NewViolation(rules.MountPoints, va, v.Name, "another volume of the task has this name"))
		}
		vnames[v.Name] = true
		if v.EFS != nil && v.Docker != nil {
			errs = append(errs, rules.NewViolation(rules.MountPoints, fmt.Sprintf("%sVolumes[%d].Docker", at, i), "set", "a volume is an EFS file system or a Docker volume, not both"))
		}
		if v.EFS != nil && v.EFS.FileSystem == nil {
			errs = append(errs, rules.Missing(fmt.Sprintf("%sVolumes[%d].EFS.FileSystem", at, i), "an EFS volume needs its file system", docVolumes))
		}
	}
	for i, c := range p.Containers {
		for j, m := range c.MountPoints {
			if m.Path == "" {
				errs = append(errs, rules.Missing(fmt.Sprintf("%sContainers[%d].MountPoints[%d].Path", at, i, j), "a mount point needs the path in the container", docVolumes))
			}
		}
	}
	errs = append(errs, rules.CheckContainers(p.relations(at))...)
	if fl := p.FireLens; fl != nil {
		if fl.Firehose != nil && fl.S3 != nil {
			errs = append(errs, rules.NewViolation(rules.FireLensRouter, at+"FireLens.S3", "set", "FireLens sends the logs to one output: Firehose or S3, not both"))
		}
		for i, c := range p.Containers {
			if c.Name == FireLensRouterName {
				errs = append(errs, rules.NewViolation(rules.ContainerNames, fmt.Sprintf("%sContainers[%d].Name", at, i), c.Name, "the FireLens router container has this name"))
			}
			for j, port := range c.Ports {
				if port.Port == rules.FireLensPort {
					errs = append(errs, rules.NewViolation(rules.FireLensSetup, fmt.Sprintf("%sContainers[%d].Ports[%d].Port", at, i, j), port.Port, "the FireLens router listens on this port inside the task"))
				}
			}
		}
	}
	errs = append(errs,
		rules.CheckPortNames(ports),
		rules.CheckContainersFitTask(at+"Containers[].CPU", at+"Containers[].MemoryMiB", orUnbounded(p.CPU), orUnbounded(p.MemoryMiB), cpus, mems))
	return errors.Join(errs...)
}

// TaskDefinition is a Fargate task definition with its containers and log group.
type TaskDefinition struct {
	constructs.Construct
	// TaskDefinition is the underlying CDK task definition (nil when the props were invalid):
	// an awsecs.FargateTaskDefinition on Fargate.
	TaskDefinition awsecs.TaskDefinition
	// Containers in the order of Props.Containers.
	Containers []awsecs.ContainerDefinition
	// LogGroup receives every container's logs.
	LogGroup awslogs.LogGroup
	// Props with defaults filled in.
	Props Props
}

// LongestStopTimeout is the longest stop timeout of the task's containers, in seconds: what the
// deploy-time models wait for an old task to stop.
func (t *TaskDefinition) LongestStopTimeout() int {
	longest := 0
	for _, c := range t.Props.Containers {
		longest = max(longest, conv.Secs(c.StopTimeout))
	}
	return longest
}

// Main is the first container, the one a load balancer sends traffic to.
func (t *TaskDefinition) Main() awsecs.ContainerDefinition { return t.Containers[0] }

// New builds a TaskDefinition. Invalid props fail synth with every violation and build nothing.
func New(scope constructs.Construct, id string, p Props) *TaskDefinition {
	return NewAt(scope, id, p, "")
}

// NewAt is New with every property path of its violations prefixed by at (such as "Task."),
// for patterns whose props hold task definition props.
func NewAt(scope constructs.Construct, id string, p Props, at string) *TaskDefinition {
	t := &TaskDefinition{Props: p.withDefaults()}
	constructs.NewConstruct_Override(t, scope, conv.Str(id))
	if validate.Record(t, p.ValidateAt(at)) {
		return t
	}
	p = t.Props
	t.LogGroup = awslogs.NewLogGroup(t, conv.Str("Logs"), &awslogs.LogGroupProps{Retention: p.LogRetention})
	platform := &awsecs.RuntimePlatform{
		CpuArchitecture:       cpuArchitecture(p.Architecture),
		OperatingSystemFamily: awsecs.OperatingSystemFamily_LINUX(),
	}
	if p.Launch == EC2 {
		t.TaskDefinition = awsecs.NewTaskDefinition(t, conv.Str("Task"), &awsecs.TaskDefinitionProps{
			Compatibility: awsecs.Compatibility_EC2,
			NetworkMode:   networkMode(p.NetworkMode),
			Cpu:           optNumStr(p.CPU),
			MemoryMiB:     optNumStr(p.MemoryMiB),
			Family:        conv.OptStr(p.Family),
		})
	} else {
		t.TaskDefinition = awsecs.NewFargateTaskDefinition(t, conv.Str("Task"), &awsecs.FargateTaskDefinitionProps{
			Cpu:                 conv.Num(p.CPU),
			MemoryLimitMiB:      conv.Num(p.MemoryMiB),
			EphemeralStorageGiB: conv.OptNum(p.EphemeralStorageGiB),
			Family:              conv.OptStr(p.Family),
			RuntimePlatform:     platform,
		})
	}
	for _, v := range p.Volumes {
		vol := &awsecs.Volume{Name: conv.Str(v.Name)}
		if d := v.Docker; d != nil {
			scope := awsecs.Scope_TASK
			if d.Shared {
				scope = awsecs.Scope_SHARED
			}
			vol.DockerVolumeConfiguration = &awsecs.DockerVolumeConfiguration{
				Driver: conv.Str(conv.OrZero(d.Driver, DefaultDockerVolumeDriver)), Scope: scope,
				Autoprovision: conv.Bool(d.Autoprovision), DriverOpts: conv.StrMap(d.DriverOptions), Labels: conv.StrMap(d.Labels),
			}
		}
		if e := v.EFS; e != nil {
			vol.EfsVolumeConfiguration = t.efs(v.Name, e, p.Containers)
		}
		t.TaskDefinition.AddVolume(vol)
	}
	if fl := p.FireLens; fl != nil {
		t.addRouter(fl)
	}
	var bad []error
	for i, c := range p.Containers {
		def := t.addContainer(c)
		t.Containers = append(t.Containers, def)
		bad = append(bad, checkImage(fmt.Sprintf("%sContainers[%d].Image", at, i), def))
	}
	t.addDependencies()
	validate.Record(t, errors.Join(bad...))
	return t
}

// checkImage checks the image reference a container definition resolved to (ECS014). Only a
// ContainerImage knows its reference, once bound to its container; a reference built from
// tokens (an ECR repository, an asset) is left to the deploy.
func checkImage(prop string, def awsecs.ContainerDefinition) error {
	ref := def.ImageName()
	if ref == nil || *awscdk.Token_IsUnresolved(ref) {
		return nil
	}
	return rules.CheckImage(prop, *ref)
}

// orUnbounded treats an unset (0) task-level CPU or memory of an EC2 task as no limit.
func orUnbounded(n int) int {
	if n == 0 {
		return math.MaxInt32
	}
	return n
}

func optNumStr(n int) *string {
	if n == 0 {
		return nil
	}
	return conv.Str(fmt.Sprint(n))
}

func networkMode(m NetworkMode) awsecs.NetworkMode {
	switch m {
	case Bridge:
		return awsecs.NetworkMode_BRIDGE
	case Host:
		return awsecs.NetworkMode_HOST
	}
	return awsecs.NetworkMode_AWS_VPC
}

func cpuArchitecture(a Architecture) awsecs.CpuArchitecture {
	if a == ARM64 {
		return awsecs.CpuArchitecture_ARM64()
	}
	return awsecs.CpuArchitecture_X86_64()
}

func (t *TaskDefinition) addContainer(c Container) awsecs.ContainerDefinition {
	opts := &awsecs.ContainerDefinitionOptions{
		ContainerName:          conv.Str(c.Name),
		Image:                  c.Image,
		Cpu:                    conv.OptNum(c.CPU),
		MemoryLimitMiB:         conv.OptNum(c.MemoryMiB),
		MemoryReservationMiB:   conv.OptNum(c.MemoryReservationMiB),
		Command:                conv.Strs(c.Command),
		EntryPoint:             conv.Strs(c.EntryPoint),
		Environment:            conv.StrMap(c.Environment),
		Essential:              conv.Bool(!c.NonEssential),
		ReadonlyRootFilesystem: conv.Bool(c.ReadonlyRootFilesystem),
		StopTimeout:            conv.Seconds(c.StopTimeout),
		Logging:                t.logging(c.Name),
	}
	if len(c.Secrets) > 0 {
		s := make(map[string]awsecs.Secret, len(c.Secrets))
		for k, v := range c.Secrets {
			s[k] = v
		}
		opts.Secrets = &s
	}
	init := conv.Or(c.InitProcess, DefaultInitProcess)
	if init || len(c.AddCapabilities) > 0 || len(c.DropCapabilities) > 0 || c.SharedMemoryMiB > 0 || len(c.Tmpfs) > 0 {
		lp := awsecs.NewLinuxParameters(t, conv.Str(c.Name+"Linux"), &awsecs.LinuxParametersProps{
			InitProcessEnabled: conv.Bool(init),
			SharedMemorySize:   conv.OptNum(c.SharedMemoryMiB),
		})
		for _, cp := range c.AddCapabilities {
			lp.AddCapabilities(awsecs.Capability(cp))
		}
		for _, cp := range c.DropCapabilities {
			lp.DropCapabilities(awsecs.Capability(cp))
		}
		for _, m := range c.Tmpfs {
			lp.AddTmpfs(&awsecs.Tmpfs{ContainerPath: conv.Str(m.Path), Size: conv.Num(m.SizeMiB)})
		}
		opts.LinuxParameters = lp
	}
	if len(c.EnvironmentFiles) > 0 {
		var files []awsecs.EnvironmentFile
		exec := t.TaskDefinition.ObtainExecutionRole()
		for _, ef := range c.EnvironmentFiles {
			files = append(files, awsecs.EnvironmentFile_FromBucket(ef.Bucket, conv.Str(ef.Key), nil))
			// The execution role reads the file and the bucket's location (ECS Developer Guide,
			// "Amazon ECS task execution IAM role", Amazon S3 file permissions).
			exec.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: conv.Strs([]string{"s3:GetObject"}), Resources: &[]*string{ef.Bucket.ArnForObjects(conv.Str(ef.Key))},
			}))
			exec.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: conv.Strs([]string{"s3:GetBucketLocation"}), Resources: &[]*string{ef.Bucket.BucketArn()},
			}))
		}
		opts.EnvironmentFiles = &files
	}
	if hc := c.HealthCheck; hc != nil {
		opts.HealthCheck = &awsecs.HealthCheck{
			Command:     conv.Strs(hc.Command),
			Interval:    conv.Seconds(hc.Interval),
			Timeout:     conv.Seconds(hc.Timeout),
			Retries:     conv.Num(hc.Retries),
			StartPeriod: conv.OptSeconds(hc.StartPeriod),
		}
	}
	var ports []*awsecs.PortMapping
	for _, port := range c.Ports {
		pm := &awsecs.PortMapping{
			ContainerPort: conv.Num(port.Port),
			Name:          conv.OptStr(port.Name),
			Protocol:      awsecs.Protocol_TCP,
		}
		if port.Protocol == UDP {
			pm.Protocol = awsecs.Protocol_UDP
		}
		if port.AppProtocol != "" {
			pm.AppProtocol = appProtocol(port.AppProtocol)
		}
		ports = append(ports, pm)
	}
	if len(ports) > 0 {
		opts.PortMappings = &ports
	}
	if r := c.Restart; r != nil {
		opts.EnableRestartPolicy = conv.Bool(true)
		if len(r.IgnoredExitCodes) > 0 {
			codes := make([]*float64, len(r.IgnoredExitCodes))
			for i, code := range r.IgnoredExitCodes {
				codes[i] = conv.Num(code)
			}
			opts.RestartIgnoredExitCodes = &codes
		}
		opts.RestartAttemptPeriod = conv.OptSeconds(r.AttemptPeriod)
	}
	if len(c.DockerLabels) > 0 {
		opts.DockerLabels = conv.StrMap(c.DockerLabels)
	}
	opts.User = conv.OptStr(c.User)
	opts.WorkingDirectory = conv.OptStr(c.WorkingDirectory)
	opts.StartTimeout = conv.OptSeconds(c.StartTimeout)
	def := t.TaskDefinition.AddContainer(conv.Str(c.Name), opts)
	for _, m := range c.MountPoints {
		def.AddMountPoints(&awsecs.MountPoint{SourceVolume: conv.Str(m.Volume), ContainerPath: conv.Str(m.Path), ReadOnly: conv.Bool(m.ReadOnly)})
	}
	for _, v := range c.VolumesFrom {
		def.AddVolumesFrom(&awsecs.VolumeFrom{SourceContainer: conv.Str(v.Container), ReadOnly: conv.Bool(v.ReadOnly)})
	}
	for _, u := range c.Ulimits {
		def.AddUlimits(&awsecs.Ulimit{Name: u.Name, SoftLimit: conv.Num(u.Soft), HardLimit: conv.Num(u.Hard)})
	}
	return def
}

// logging is a container's log driver: awslogs into the task's log group, or FireLens.
func (t *TaskDefinition) logging(name string) awsecs.LogDriver {
	fl := t.Props.FireLens
	if fl == nil {
		return awsecs.LogDriver_AwsLogs(&awsecs.AwsLogDriverProps{LogGroup: t.LogGroup, StreamPrefix: conv.Str(name)})
	}
	region := awscdk.Stack_Of(t).Region()
	var opts map[string]*string
	switch {
	case fl.Firehose != nil:
		opts = map[string]*string{"Name": conv.Str("kinesis_firehose"), "region": region, "delivery_stream": fl.Firehose.DeliveryStreamName()}
	case fl.S3 != nil:
		opts = map[string]*string{"Name": conv.Str("s3"), "region": region, "bucket": fl.S3.BucketName(),
			"total_file_size": conv.Str(FireLensS3FileSize), "upload_timeout": conv.Str(FireLensS3UploadTimeout), "use_put_object": conv.Str(FireLensS3PutObject)}
	default:
		opts = map[string]*string{"Name": conv.Str("cloudwatch_logs"), "region": region, "log_group_name": t.LogGroup.LogGroupName(),
			"log_stream_prefix": conv.Str(name + "/"), "auto_create_group": conv.Str(FireLensCloudWatchAutoCreateGroup)}
	}
	return awsecs.LogDrivers_Firelens(&awsecs.FireLensLogDriverProps{Options: &opts})
}

// addRouter adds the FireLens router container, whose own logs go to the task's log group with
// awslogs, and grants the task role the write permission of the output.
func (t *TaskDefinition) addRouter(fl *FireLens) {
	img := fl.Image
	if img == nil {
		img = awsecs.ContainerImage_FromRegistry(conv.Str(DefaultFireLensImage), nil)
	}
	t.TaskDefinition.AddFirelensLogRouter(conv.Str(FireLensRouterName), &awsecs.FirelensLogRouterDefinitionOptions{
		ContainerName:        conv.Str(FireLensRouterName),
		Image:                img,
		Essential:            conv.Bool(true),
		MemoryReservationMiB: conv.Num(FireLensRouterMemoryReservationMiB),
		FirelensConfig:       &awsecs.FirelensConfig{Type: awsecs.FirelensLogRouterType_FLUENTBIT},
		Logging:              awsecs.LogDriver_AwsLogs(&awsecs.AwsLogDriverProps{LogGroup: t.LogGroup, StreamPrefix: conv.Str(FireLensRouterName)}),
	})
	role := t.TaskDefinition.TaskRole()
	switch {
	case fl.Firehose != nil:
		fl.Firehose.GrantPutRecords(role)
	case fl.S3 != nil:
		// Fluent Bit's s3 output with use_put_object writes with PutObject alone; GrantPut
		// would add the legal hold, retention, tagging and multipart abort actions.
		role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   conv.Strs([]string{"s3:PutObject"}),
			Resources: conv.Strs([]string{*fl.S3.ArnForObjects(conv.Str("*"))}),
		}))
		if key := fl.S3.EncryptionKey(); key != nil {
			key.GrantEncrypt(role)
		}
	default:
		t.LogGroup.GrantWrite(role)
	}
}

// efs is the EFS configuration of volume name, with the task role's grant on the file system.
func (t *TaskDefinition) efs(name string, e *EFSVolume, containers []Container) *awsecs.EfsVolumeConfiguration {
	onOff := func(b bool) *string {
		if b {
			return conv.Str("ENABLED")
		}
		return conv.Str("DISABLED")
	}
	cfg := &awsecs.EfsVolumeConfiguration{
		FileSystemId:      e.FileSystem.FileSystemId(),
		TransitEncryption: onOff(!e.NoTransitEncryption),
		RootDirectory:     conv.OptStr(e.RootDirectory),
	}
	auth := &awsecs.AuthorizationConfig{}
	if e.AccessPoint != nil {
		auth.AccessPointId = e.AccessPoint.AccessPointId()
	}
	if !e.NoIAM {
		auth.Iam = onOff(true)
		actions := []string{"elasticfilesystem:ClientMount"}
		for _, c := range containers {
			for _, m := range c.MountPoints {
				if m.Volume == name && !m.ReadOnly {
					actions = []string{"elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"}
				}
			}
		}
		st := &awsiam.PolicyStatementProps{
			Actions:   conv.Strs(actions),
			Resources: conv.Strs([]string{*e.FileSystem.FileSystemArn()}),
		}
		if e.AccessPoint != nil {
			st.Conditions = &map[string]any{"StringEquals": map[string]any{"elasticfilesystem:AccessPointArn": e.AccessPoint.AccessPointArn()}}
		}
		t.TaskDefinition.AddToTaskRolePolicy(awsiam.NewPolicyStatement(st))
	}
	if auth.AccessPointId != nil || auth.Iam != nil {
		cfg.AuthorizationConfig = auth
	}
	fileSystems.add(t.TaskDefinition, e.FileSystem)
	return cfg
}

// fileSystems records the EFS file systems of each task definition, for the services that run
// it (service.New opens the file systems' security groups to the service).
var fileSystems = &fsRegistry{m: map[awsecs.TaskDefinition][]awsefs.IFileSystem{}}

type fsRegistry struct {
	mu sync.Mutex
	m  map[awsecs.TaskDefinition][]awsefs.IFileSystem
}

func (r *fsRegistry) add(td awsecs.TaskDefinition, fs awsefs.IFileSystem) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[td] = append(r.m[td], fs)
}

// FileSystems are the EFS file systems td mounts, when ecsforge built it.
func FileSystems(td awsecs.TaskDefinition) []awsefs.IFileSystem {
	fileSystems.mu.Lock()
	defer fileSystems.mu.Unlock()
	return append([]awsefs.IFileSystem(nil), fileSystems.m[td]...)
}

// addDependencies wires each container's DependsOn once every container exists.
func (t *TaskDefinition) addDependencies() {
	for i, c := range t.Props.Containers {
		for _, d := range c.DependsOn {
			for j, other := range t.Props.Containers {
				if other.Name == d.Container {
					t.Containers[i].AddContainerDependencies(&awsecs.ContainerDependency{
						Container: t.Containers[j], Condition: awsecs.ContainerDependencyCondition(d.Condition),
					})
				}
			}
		}
	}
}

func appProtocol(a AppProtocol) awsecs.AppProtocol {
	switch a {
	case HTTP2:
		return awsecs.AppProtocol_Http2()
	case GRPC:
		return awsecs.AppProtocol_Grpc()
	}
	return awsecs.AppProtocol_Http()
}

// ToString returns the construct path (jsii subclassing needs an overriding method).
func (t *TaskDefinition) ToString() *string { return t.Node().Path() }
