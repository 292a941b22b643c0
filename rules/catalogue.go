package rules

// Documentation pages the rules cite.
const (
	docFargateTaskSize  = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size"
	docTaskDefParams    = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html"
	docContainerHealth  = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html"
	docTargetGroupHC    = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html"
	docTargetGroupAttrs = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html"
	docEphemeral        = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-storage.html"
	docPortMapping      = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html"
	docAutoScaling      = "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html"
	docDeployment       = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html"
	docCapacityStrategy = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html"
	docHTTPSListener    = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html"
	docStopTimeout      = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html"
)

// The catalogue. IDs are stable: users acknowledge findings by ID.
var (
	FargateTaskSize = Rule{ID: "ECS001", Severity: Error, Source: docFargateTaskSize,
		Summary: "Fargate task CPU and memory must be one of the supported combinations",
		Fix:     "pick a CPU value and a memory value from the same row of the Fargate task size table"}
	ContainerWithinTask = Rule{ID: "ECS002", Severity: Error, Source: docTaskDefParams,
		Summary: "the containers' CPU and memory must fit within the task's CPU and memory",
		Fix:     "raise the task size or lower the containers' limits"}
	EphemeralStorage = Rule{ID: "ECS003", Severity: Error, Source: docEphemeral,
		Summary: "Fargate ephemeral storage must be between 21 and 200 GiB",
		Fix:     "leave it unset for the 20 GiB default, or set 21-200 GiB"}
	FargateStopTimeout = Rule{ID: "ECS004", Severity: Error, Source: docStopTimeout,
		Summary: "a container's stopTimeout on Fargate must not exceed 120 seconds",
		Fix:     "set a stop timeout of 0-120 s"}
	ContainerHealthCheck = Rule{ID: "ECS010", Severity: Error, Source: docContainerHealth,
		Summary: "container health check: interval 5-300 s, timeout 2-60 s, retries 1-10, start period 0-300 s",
		Fix:     "bring each health check setting into its documented range"}
	TargetGroupHealthCheck = Rule{ID: "ECS020", Severity: Error, Source: docTargetGroupHC,
		Summary: "target group health check: interval 5-300 s, timeout 2-120 s and less than the interval, thresholds 2-10, HTTP codes 200-499",
		Fix:     "bring each health check setting into its documented range"}
	DeregistrationDelay = Rule{ID: "ECS021", Severity: Error, Source: docTargetGroupAttrs,
		Summary: "target group deregistration delay must be between 0 and 3600 seconds",
		Fix:     "set deregistration_delay.timeout_seconds to 0-3600"}
	StickinessDuration = Rule{ID: "ECS022", Severity: Error, Source: docTargetGroupAttrs,
		Summary: "load balancer cookie stickiness duration must be between 1 second and 7 days",
		Fix:     "set a duration of 1 s to 604800 s, or turn stickiness off"}
	PortRange = Rule{ID: "ECS030", Severity: Error, Source: docPortMapping,
		Summary: "container and listener ports must be between 1 and 65535",
		Fix:     "use a port number in 1-65535"}
	PortNames = Rule{ID: "ECS031", Severity: Error, Source: docPortMapping,
		Summary: "port mapping names must be unique in a task and made of lowercase letters, digits, '-' and '_' (at most 64 characters)",
		Fix:     "rename the port mapping"}
	CapacityRange = Rule{ID: "ECS040", Severity: Error, Source: docAutoScaling,
		Summary: "auto scaling minimum capacity must be non-negative and not above the maximum",
		Fix:     "set 0 <= min <= max"}
	DeploymentProgress = Rule{ID: "ECS041", Severity: Error, Source: docDeployment,
		Summary: "a rolling deployment must be able to start a new task or stop an old one: minimumHealthyPercent 0-100 and maximumPercent above it",
		Fix:     "use minimumHealthyPercent 100 with maximumPercent 200 (or lower the minimum)"}
	CapacityProviderStrategy = Rule{ID: "ECS042", Severity: Error, Source: docCapacityStrategy,
		Summary: "capacity provider strategy: base 0-100000 on at most one provider, weight 0-1000, and some weight above 0",
		Fix:     "give one provider a base and at least one provider a weight"}
	ScalingTarget = Rule{ID: "ECS043", Severity: Error, Source: docAutoScaling,
		Summary: "target tracking values must be positive; CPU and memory targets are percentages 1-100",
		Fix:     "set a utilisation target between 1 and 100"}
	HTTPSCertificate = Rule{ID: "ECS050", Severity: Error, Source: docHTTPSListener,
		Summary: "an HTTPS listener needs a certificate: give one, or a domain name and hosted zone to validate one",
		Fix:     "set Certificate, or DomainName with HostedZone"}
)

// Catalogue lists every rule, in ID order.
func Catalogue() []Rule {
	return []Rule{
		FargateTaskSize, ContainerWithinTask, EphemeralStorage, FargateStopTimeout,
		ContainerHealthCheck, TargetGroupHealthCheck, DeregistrationDelay, StickinessDuration,
		PortRange, PortNames, CapacityRange, DeploymentProgress, CapacityProviderStrategy,
		ScalingTarget, HTTPSCertificate,
	}
}
