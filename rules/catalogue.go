package rules

import "sort"

// Documentation pages the rules cite.
const (
	docFargateTaskSize         = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size"
	docTaskDefParams           = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html"
	docContainerHealth         = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html"
	docTargetGroupHC           = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html"
	docTargetGroupAttrs        = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html"
	docEphemeral               = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-storage.html"
	docPortMapping             = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html"
	docAutoScaling             = "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html"
	docDeployment              = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html"
	docCapacityStrategy        = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html"
	docHTTPSListener           = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html"
	docContainerDefinition     = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html"
	docFargateParams           = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-task-defs"
	docFargateLogging          = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-logging"
	docSystemControls          = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_systemcontrols"
	docFargateWindows          = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size"
	docQuotas                  = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html"
	docAwsvpc                  = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html"
	docLoadBalancing           = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb.html"
	docPlacement               = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement.html"
	docDaemon                  = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_services.html#service_scheduler_daemon"
	docCapacityProvider        = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/asg-capacity-providers.html"
	docFargateCP               = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html"
	docBlueGreen               = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html"
	docServiceConnect          = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts-deploy.html"
	docExec                    = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html"
	docAnywhere                = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-anywhere.html"
	docScheduler               = "https://docs.aws.amazon.com/scheduler/latest/APIReference/API_EcsParameters.html"
	docSchedulerTypes          = "https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html"
	docSchedulerRetry          = "https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html"
	docSchedulerWindow         = "https://docs.aws.amazon.com/scheduler/latest/APIReference/API_FlexibleTimeWindow.html"
	docDeploymentConfiguration = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html"
	docBlueGreenALB            = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb-resources-for-blue-green.html"
	docLoadBalancer            = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LoadBalancer.html"
	docYAMLMapping             = "https://yaml.org/spec/1.2.2/#mapping"
	docEventsRuleSchedule      = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html"
	docSchedulerDLQ            = "https://docs.aws.amazon.com/scheduler/latest/APIReference/API_DeadLetterConfig.html"
	docCircuitBreaker          = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentCircuitBreaker.html"
	docALBQuotas               = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html"
	docDeploymentControllerAPI = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentController.html"
	docServiceConnectConfig    = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectConfiguration.html"
	docServiceConnectService   = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectService.html"
	docServiceRegistry         = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceRegistry.html"
	docServiceDiscovery        = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-discovery.html"
	docTargetTracking          = "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html"
	docRunTask                 = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html"
	docExpressMode             = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html"
	docContainerDependency     = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html"
	docMountPoint              = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_MountPoint.html"
	docEFSVolume               = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EFSVolumeConfiguration.html"
	docFireLens                = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/firelens-taskdef.html"
	docFireLensConsiderations  = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html"
	docCreateRule              = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html"
	docRestartPolicy           = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerRestartPolicy.html"
	docNLBListeners            = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html"
	docNLBClientIP             = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation"
	docALBTargetGroups         = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html"
	docECSServiceCFN           = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html"
	docCreateLoadBalancer      = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html"
	docCreateTargetGroup       = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html"
	docAwslogs                 = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html"
	docEnvironmentFile         = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EnvironmentFile.html"
	docRegisterTaskDefinition  = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html"
	docLinearService           = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deploy-linear-service.html"
	docRequiresCompatibilities = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#requires_compatibilities"
	docCreateCapacityProvider  = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCapacityProvider.html"
	docAgentConfig             = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html"
	docPredefinedMetric        = "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html"
	docNLBForECS               = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/nlb.html"
	docServiceConnectTLS       = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-tls.html"
	docLifecycleHook           = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHook.html"
	docCodeDeployTermination   = "https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_BlueInstanceTerminationOption.html"
	docContainerMemory         = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_memory"
	docBottlerocket            = "https://bottlerocket.dev/en/os/latest/api/settings/ecs/"
	docExecutionRole           = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html"
	docPlatformVersions        = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-linux-fargate.html"
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
	FargateStopTimeout = Rule{ID: "ECS004", Severity: Error, Source: docContainerDefinition,
		Summary: "a container's stopTimeout on Fargate must not exceed 120 seconds, and its startTimeout is 2-120 seconds",
		Fix:     "set a stop timeout of at most 120 s and a start timeout of 2-120 s"}
	ContainerHealthCheck = Rule{ID: "ECS010", Severity: Error, Source: docContainerHealth,
		Summary: "container health check: a command starting with CMD or CMD-SHELL, interval 5-300 s, timeout 2-60 s, retries 1-10, start period 0-300 s",
		Fix:     "start the command with CMD or CMD-SHELL, and bring each setting into its documented range"}
	TargetGroupHealthCheck = Rule{ID: "ECS020", Severity: Error, Source: docTargetGroupHC,
		Summary: "target group health check: interval 5-300 s, timeout 2-120 s and less than the interval, thresholds 2-10, HTTP codes 200-499",
		Fix:     "bring each health check setting into its documented range"}
	ListenerDependency = Rule{ID: "ECS023", Severity: Warning, Source: docECSServiceCFN,
		Summary: "a service registering with a target group that a listener or listener rule of the template forwards to depends on a listener or rule (DependsOn, or a reference), as the AWS::ECS::Service documentation requires; without it CreateService fails only when CloudFormation happens to create the service first, a race, so this is a warning",
		Fix:     "add DependsOn with the listener and the listener rule that forward to the service's target group"}
	LaunchCompatibility = Rule{ID: "ECS026", Severity: Warning, Source: docRequiresCompatibilities,
		Summary: "a service on Fargate runs a task definition whose RequiresCompatibilities lists FARGATE (the task definition is validated against the compatibilities it lists; ECS refuses others, which the documentation does not state outright, so this is a warning)",
		Fix:     "add FARGATE to the task definition's RequiresCompatibilities, or run the service on EC2"}
	AgentCluster = Rule{ID: "ECS054", Severity: Warning, Source: docAgentConfig,
		Summary: "the instances of a cluster's Auto Scaling group capacity provider name the cluster in their user data (ECS_CLUSTER, or Bottlerocket's [settings.ecs]); otherwise the agent registers them with the cluster named default; a custom image may set it itself, so this is a warning",
		Fix:     "write ECS_CLUSTER=<cluster name> to /etc/ecs/ecs.config in the launch template's user data"}
	ServiceRole = Rule{ID: "ECS038", Severity: Error, Source: docCreateService + "#ECS-CreateService-request-role",
		Summary: "a service's Role (the IAM role ECS calls the load balancer with) is only for a service with a load balancer whose task definition does not use awsvpc; a service that needs the service-linked role (awsvpc, service discovery, the EXTERNAL controller, several target groups) takes none (ECS API Reference, CreateService: role)",
		Fix:     "remove Role: ECS uses its service-linked role AWSServiceRoleForECS"}
	ScalingMetric = Rule{ID: "ECS055", Severity: Error, Source: docPredefinedMetric,
		Summary: "a resource label is only for the ALBRequestCountPerTarget predefined metric: a target tracking policy on any other predefined metric must not set one",
		Fix:     "remove ResourceLabel, or use ALBRequestCountPerTarget"}
	ScalingLabel = Rule{ID: "ECS056", Severity: Warning, Source: docPredefinedMetric,
		Summary: "a target tracking policy on ALBRequestCountPerTarget names the target group whose requests it counts (ResourceLabel); the API reference marks the label optional and does not say what the policy tracks without one, so this is a warning",
		Fix:     "set ResourceLabel to app/<load balancer>/<id>/targetgroup/<name>/<id> (Fn::Join of the load balancer's LoadBalancerFullName and the target group's TargetGroupFullName)"}
	ALBSubnets = Rule{ID: "ECS024", Severity: Warning, Source: docCreateLoadBalancer,
		Summary: "an Application Load Balancer takes subnets from at least two Availability Zones; one subnet is valid on an Outpost or in a Local Zone, which the template does not show, so this is a warning",
		Fix:     "give the load balancer a subnet in each of two or more Availability Zones"}
	TargetGroupVPC = Rule{ID: "ECS025", Severity: Error, Source: docCreateTargetGroup,
		Summary: "a target group whose targets are not a Lambda function names its VPC (VpcId)",
		Fix:     "set VpcId to the VPC of the targets"}
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
		Summary: "capacity provider strategy: at most 20 providers, all Fargate or all Auto Scaling group, base 0-100000 on at most one, weight 0-1000, and with several providers some weight above 0",
		Fix:     "give one provider a base and at least one provider a weight"}
	ScalingTarget = Rule{ID: "ECS043", Severity: Warning, Source: docTargetTracking,
		Summary: "target tracking values are positive, and CPU and memory targets percentages 1-100: the API takes any number in ±2^360 and says only that the value must suit the metric (a percent for utilisation), so this is a warning",
		Fix:     "set a utilisation target between 1 and 100"}
	HTTPSCertificate = Rule{ID: "ECS050", Severity: Error, Source: docHTTPSListener,
		Summary: "an HTTPS listener needs a certificate: give one, or a domain name and hosted zone to validate one",
		Fix:     "set Certificate, or DomainName with HostedZone"}
)

// Template rules: checked on synthesized or hand-written templates.
var (
	FargateUnsupported = Rule{ID: "ECS005", Severity: Error, Source: docFargateParams,
		Summary: "a Fargate task definition uses a parameter Fargate does not support",
		Fix:     "remove the parameter, or run the task on EC2"}
	FargateWindows = Rule{ID: "ECS006", Severity: Error, Source: docFargateWindows,
		Summary: "Windows on Fargate: 1, 2 or 4 vCPU (the 8 and 16 vCPU sizes are Linux only), and not on Fargate Spot",
		Fix:     "use 1, 2 or 4 vCPU with the FARGATE capacity provider"}
	FargateWindowsArch = Rule{ID: "ECS009", Severity: Warning, Source: docFargateWindows,
		Summary: "Windows containers on Fargate run on X86_64",
		Fix:     "set CpuArchitecture X86_64 for Windows task definitions"}
	PlatformVersion = Rule{ID: "ECS011", Severity: Error, Source: docPlatformVersions,
		Summary: "8 and 16 vCPU tasks, ephemeral storage, pidMode, systemControls, EFS volumes, Service Connect and UDP through a Network Load Balancer (ECS Developer Guide, Network Load Balancer considerations) need Fargate Linux platform 1.4.0 or later",
		Fix:     "use PlatformVersion LATEST or 1.4.0"}
	EC2ContainerMemory = Rule{ID: "ECS012", Severity: Error, Source: docContainerMemory,
		Summary: "on EC2, a task definition without task-level memory gives every container a memory limit or reservation",
		Fix:     "set the container's memory (hard limit) or memoryReservation, or the task's memory"}
	BottlerocketUserData = Rule{ID: "ECS013", Severity: Error, Source: docBottlerocket,
		Summary: "Bottlerocket reads TOML settings as user data, not the shell commands of Amazon Linux",
		Fix:     "give Bottlerocket settings (for example [settings.ecs] keys), or use an Amazon Linux ECS-optimized image"}
	ContainerImage = Rule{ID: "ECS014", Severity: Error, Source: docContainerDefinition,
		Summary: "a container's image reference is not empty: up to 255 letters, digits, hyphens, underscores, colons, periods, slashes and number signs, or such a name with @sha256: and 64 hex digits",
		Fix:     "give the container an image reference such as public.ecr.aws/nginx/nginx:1.27 or repository@sha256:<64 hex digits>"}
	ContainersPerTask = Rule{ID: "ECS007", Severity: Error, Source: docQuotas,
		Summary: "a task definition holds at most 10 containers",
		Fix:     "split the containers over several task definitions"}
	ExecutionRole = Rule{ID: "ECS008", Severity: Error, Source: docExecutionRole,
		Summary: "secrets, private registry credentials, and on Fargate awslogs and images from Amazon ECR private repositories, need a task execution role",
		Fix:     "set ExecutionRoleArn to a role with the AmazonECSTaskExecutionRolePolicy permissions"}
	AwsvpcHostPort = Rule{ID: "ECS032", Severity: Error, Source: docAwsvpc,
		Summary: "with awsvpc networking a port mapping's hostPort is omitted or equals its containerPort",
		Fix:     "remove hostPort"}
	TargetType = Rule{ID: "ECS033", Severity: Error, Source: docLoadBalancing,
		Summary: "awsvpc services register with target type ip, bridge and host services with target type instance",
		Fix:     "set the target group's TargetType to match the task definition's network mode"}
	TargetGroupsPerService = Rule{ID: "ECS034", Severity: Error, Source: docQuotas,
		Summary: "a service registers with at most 5 target groups",
		Fix:     "use at most 5 load balancer entries"}
	PublicIPOnEC2 = Rule{ID: "ECS035", Severity: Error, Source: docAwsvpc,
		Summary: "awsvpc tasks on EC2 instances cannot get a public IP",
		Fix:     "set AssignPublicIp DISABLED and give private subnets a NAT gateway or VPC endpoints"}
	LoadBalancerContainer = Rule{ID: "ECS037", Severity: Error, Source: docLoadBalancer,
		Summary: "a service's load balancer names a container of its task definition and one of that container's containerPort mappings",
		Fix:     "set ContainerName to the container that serves the traffic and ContainerPort to a containerPort it maps"}
	BlueGreenTargetGroups = Rule{ID: "ECS039", Severity: Error, Source: docBlueGreenALB,
		Summary: "an ECS-native blue/green, linear or canary service's target group and alternate target group are both forwarded to by its production or test listener rule",
		Fix:     "forward the production listener rule to both target groups (weights 100 and 0), or name a test listener rule that forwards to the other"}
	AwsvpcNetworkConfig = Rule{ID: "ECS036", Severity: Error, Source: docAwsvpc,
		Summary: "a service whose task definition uses awsvpc needs a network configuration",
		Fix:     "set NetworkConfiguration.AwsvpcConfiguration with subnets and security groups"}
	Placement = Rule{ID: "ECS044", Severity: Error, Source: docPlacement,
		Summary: "at most 5 placement strategies and 10 constraints per service, and no placement constraints on Fargate",
		Fix:     "trim the placement settings, or drop the constraints for Fargate"}
	DaemonService = Rule{ID: "ECS045", Severity: Error, Source: docDaemon,
		Summary: "a DAEMON service takes no placement strategy, needs the ECS controller and does not run on Fargate",
		Fix:     "remove PlacementStrategies, use the ECS controller on EC2 capacity"}
	DaemonDesiredCount = Rule{ID: "ECS049", Severity: Warning, Source: docDaemon,
		Summary: "a DAEMON service runs one task per container instance: a desired count is not used",
		Fix:     "remove DesiredCount"}
	ProviderAssociated = Rule{ID: "ECS046", Severity: Error, Source: docCapacityStrategy,
		Summary: "a service's capacity provider strategy names only providers associated with its cluster",
		Fix:     "associate the capacity provider with the cluster (ClusterCapacityProviderAssociations)"}
	StrategyLaunchType = Rule{ID: "ECS047", Severity: Error, Source: docCapacityStrategy,
		Summary: "a service takes a launch type or a capacity provider strategy, not both",
		Fix:     "remove LaunchType"}
	CapacityProviderSettings = Rule{ID: "ECS048", Severity: Error, Source: docCapacityProvider,
		Summary: "managed termination protection needs managed scaling and scale-in protected instances; target capacity is 1-100 %",
		Fix:     "enable managed scaling and NewInstancesProtectedFromScaleIn, or turn managed termination protection off"}
	CodeDeployService = Rule{ID: "ECS060", Severity: Error, Source: docCircuitBreaker,
		Summary: "a CODE_DEPLOY or EXTERNAL service uses neither the deployment circuit breaker nor ECS deployment alarms: both work with the ECS deployment controller only",
		Fix:     "turn them off; with CodeDeploy configure alarms and rollback on the deployment group"}
	CodeDeployGroup = Rule{ID: "ECS061", Severity: Error, Source: docBlueGreen,
		Summary: "ECS blue/green with CodeDeploy: a CODE_DEPLOY service, two target groups, prod and test listeners on one load balancer",
		Fix:     "fix the deployment group's service, target groups or listeners"}
	CodeDeployNLB = Rule{ID: "ECS062", Severity: Error, Source: docBlueGreen,
		Summary: "CodeDeploy blue/green behind a Network Load Balancer supports only the CodeDeployDefault.ECSAllAtOnce deployment configuration",
		Fix:     "use CodeDeployDefault.ECSAllAtOnce, or an Application Load Balancer for canary or linear shifts"}
	BlueGreenOneLoadBalancer = Rule{ID: "ECS064", Severity: Error, Source: docALBQuotas,
		Summary: "an ECS-native blue/green service's production and test listener rules are on listeners of one load balancer: both forward to the same target groups, and a target group serves one load balancer (ELB quota \"Load balancers per target group\": 1)",
		Fix:     "put the test listener on the production listener's load balancer"}
	StrategyController = Rule{ID: "ECS099", Severity: Warning, Source: docDeploymentControllerAPI,
		Summary: "BLUE_GREEN, LINEAR and CANARY are strategies of the ECS deployment controller (the API lists them under ECS); a CODE_DEPLOY or EXTERNAL service's deployments follow that controller",
		Fix:     "use the ECS deployment controller for ECS-native blue/green, linear and canary deployments, or remove Strategy and configure the CodeDeploy deployment group"}
	LifecycleStages = Rule{ID: "ECS098", Severity: Error, Source: docLifecycleHook,
		Summary: "a deployment lifecycle hook runs at the documented stages: RECONCILE_SERVICE, PRE_SCALE_UP, POST_SCALE_UP, TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT; its target type is AWS_LAMBDA (with the function's ARN) or PAUSE, and a PAUSE hook does not run at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT",
		Fix:     "name the stages as the ECS API Reference spells them, give a Lambda hook its function, and use Lambda hooks at the traffic shift stages"}
	TrafficShiftFront = Rule{ID: "ECS067", Severity: Warning, Source: docLinearService,
		Summary: "a LINEAR or CANARY service uses an Application Load Balancer, a Network Load Balancer or Service Connect, through which ECS shifts its traffic: the linear and canary deployment pages require one, their required-resources pages only for managed traffic shifting, so this is a warning; BLUE_GREEN runs without them too",
		Fix:     "add the load balancer (with the alternate target group) or Service Connect, or use BLUE_GREEN or ROLLING"}
	RoutingRewrite = Rule{ID: "ECS066", Severity: Warning, Source: docBlueGreenALB,
		Summary: "a stack update (ecsforge lint --previous) that changes a listener or listener rule a blue/green service routes through: ECS or CodeDeploy changed its routing during the last deployment, and CloudFormation writes the template's back (aws-cdk #36649); the AWS documentation is silent on it, so this is a warning",
		Fix:     "make such a change when the template's first target group holds the tasks (the live weights or default action match the template), or as a new service"}
	BlueGreenBakeTime = Rule{ID: "ECS065", Severity: Warning, Source: docDeploymentConfiguration,
		Summary: "a BLUE_GREEN service sets BakeTimeInMinutes: the ECS API Reference says it must be provided, but templates without it deploy (AWS CDK's own blue/green integration test), so this is a warning",
		Fix:     "set DeploymentConfiguration.BakeTimeInMinutes to how long the blue tasks stay after the traffic shift"}
	CodeDeploySettings = Rule{ID: "ECS063", Severity: Error, Source: docCodeDeployTermination,
		Summary: "CodeDeploy blue/green of an ECS service: the blue task set is kept at most 2880 minutes after the traffic shift, and canary and linear steps are whole percentages",
		Fix:     "set TerminationWaitTimeInMinutes to 0-2880 and the step percentages to whole numbers"}
	ServiceConnect = Rule{ID: "ECS070", Severity: Error, Source: docServiceConnect,
		Summary: "Service Connect: not with CODE_DEPLOY or EXTERNAL controllers, not on Windows, and port names that exist in the task definition",
		Fix:     "use the ECS controller on Linux and name the port mappings Service Connect refers to"}
	ServiceConnectNamespace = Rule{ID: "ECS071", Severity: Error, Source: docServiceConnectConfig,
		Summary: "a Service Connect service names a namespace, or its cluster has a default one (ServiceConnectDefaults)",
		Fix:     "set ServiceConnectConfiguration.Namespace, or the cluster's ServiceConnectDefaults.Namespace"}
	ServiceConnectUnique = Rule{ID: "ECS072", Severity: Error, Source: docServiceConnectService,
		Summary: "Service Connect discovery names, and client alias names with their ports, are unique within a namespace, and a Service Connect service has at most one client alias",
		Fix:     "give each Service Connect service its own DiscoveryName and one client alias with its own DnsName and Port"}
	ServiceConnectLogs = Rule{ID: "ECS073", Severity: Error, Source: docServiceConnectConfig,
		Summary: "Service Connect access logs need the proxy's LogConfiguration: without it they are not delivered",
		Fix:     "set ServiceConnectConfiguration.LogConfiguration (awslogs) next to AccessLogConfiguration"}
	ServiceConnectTLS = Rule{ID: "ECS074", Severity: Error, Source: docServiceConnect,
		Summary: "Service Connect TLS does not support the bridge network mode; only awsvpc",
		Fix:     "use awsvpc networking for services with Service Connect TLS"}
	ServiceConnectTLSRole = Rule{ID: "ECS079", Severity: Warning, Source: docServiceConnectTLS,
		Summary: "Service Connect TLS names the infrastructure role ECS uses for the certificates: the Developer Guide says you need it, the API Reference marks roleArn optional, so this is a warning",
		Fix:     "set Tls.RoleArn to a role with AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity"}
	ServiceConnectTaskMemory = Rule{ID: "ECS076", Severity: Error, Source: docServiceConnect,
		Summary: "a Service Connect service's task definition sets the task memory, above the sum of the containers' memory limits (the rest is the proxy's)",
		Fix:     "set the task definition's Memory above the containers' Memory limits"}
	ServiceConnectHeadroom = Rule{ID: "ECS077", Severity: Warning, Source: docServiceConnect,
		Summary: "ECS recommends leaving 256 CPU units and at least 64 MiB of the task to the Service Connect proxy, beyond the containers' limits",
		Fix:     "raise the task's Cpu and Memory, or lower the containers' limits"}
	ServiceRegistry = Rule{ID: "ECS078", Severity: Error, Source: docServiceRegistry,
		Summary: "a service registry is not used with the none network mode, names the container and port for bridge and host tasks, whose Cloud Map service has SRV records only, and for awsvpc tasks with SRV records either the container and port or Port, not both",
		Fix:     "set ContainerName and ContainerPort (or, for awsvpc with SRV records, Port alone); use SRV records for bridge and host tasks, and awsvpc, bridge or host for a registered service"}
	ExpressService = Rule{ID: "ECS015", Severity: Warning, Source: docExpressMode,
		Summary: "an Express Mode service (AWS::ECS::ExpressGatewayService) runs on Fargate: a Cpu/Memory pair from the Fargate task sizes, a minimum task count not above the maximum, and a CPU or memory target a percentage; the Express Mode docs list no valid values, so these are warnings",
		Fix:     "pick Cpu and Memory from one row of the Fargate task size table, and MinTaskCount at most MaxTaskCount"}
	ContainerDependencies = Rule{ID: "ECS016", Severity: Error, Source: docContainerDependency,
		Summary: "a container's dependsOn condition is START, COMPLETE, SUCCESS or HEALTHY; HEALTHY needs the other container's health check, COMPLETE and SUCCESS a nonessential container",
		Fix:     "give the other container a health check for HEALTHY, or mark it nonessential for COMPLETE and SUCCESS"}
	DependencyCycle = Rule{ID: "ECS017", Severity: Warning, Source: docContainerDependency,
		Summary: "a container's dependsOn names another container of the task, and the dependencies form no cycle (otherwise a container never starts); the ECS documentation states neither, so this is a warning",
		Fix:     "name a container of the task, and break any cycle: one of the containers must not wait for the others"}
	MountPoints = Rule{ID: "ECS018", Severity: Error, Source: docMountPoint,
		Summary: "a mount point names a volume of the task definition, and volumesFrom a container of the task",
		Fix:     "define the volume in the task definition's Volumes, or name an existing container"}
	EssentialContainer = Rule{ID: "ECS019", Severity: Error, Source: docContainerDefinition,
		Summary: "a task definition has at least one essential container",
		Fix:     "mark the main container essential"}
	FireLensRouter = Rule{ID: "ECS082", Severity: Error, Source: docFireLens,
		Summary: "a container that logs with the awsfirelens driver needs a log router container (firelensConfiguration) in its task",
		Fix:     "add the log router container, or log with awslogs"}
	FireLensRouters = Rule{ID: "ECS083", Severity: Warning, Source: docFireLens,
		Summary: "a task has one FireLens log router; the ECS documentation does not state the limit (AWS CDK enforces it), so this is a warning",
		Fix:     "keep one container with firelensConfiguration"}
	AwslogsOptions = Rule{ID: "ECS087", Severity: Error, Source: docAwslogs,
		Summary: "the awslogs log driver of a Fargate task's container sets awslogs-group, awslogs-region and awslogs-stream-prefix (required for the Fargate launch type)",
		Fix:     "set the three options in LogConfiguration.Options"}
	EnvironmentFiles = Rule{ID: "ECS088", Severity: Error, Source: docEnvironmentFile,
		Summary: "a container takes up to ten environment files, each with the .env file extension",
		Fix:     "name the S3 objects with .env, and merge files beyond ten"}
	ContainerMemory = Rule{ID: "ECS089", Severity: Error, Source: docContainerDefinition,
		Summary: "a container that sets both Memory and MemoryReservation has the hard limit at or above the reservation",
		Fix:     "raise Memory or lower MemoryReservation"}
	ResourceNames = Rule{ID: "ECS053", Severity: Error, Source: docRegisterTaskDefinition,
		Summary: "task definition families, service, cluster and capacity provider names are up to 255 letters, numbers, underscores and hyphens, and a capacity provider's does not start with aws, ecs or fargate (RegisterTaskDefinition, CreateService, CreateCluster, CreateCapacityProvider)",
		Fix:     "rename with letters, numbers, underscores and hyphens only"}
	FireLensWindows = Rule{ID: "ECS085", Severity: Error, Source: docFireLensConsiderations,
		Summary: "FireLens log routing is for Linux tasks: Windows containers do not support it",
		Fix:     "log with awslogs on Windows tasks"}
	FireLensSetup = Rule{ID: "ECS086", Severity: Warning, Source: docFireLensConsiderations,
		Summary: "a FireLens task maps no port 24224, where the router listens (the Developer Guide says not to let traffic in on it), and its router does not log with awsfirelens through itself (the documentation is silent on this: a warning)",
		Fix:     "drop the port mapping on 24224, and give the router the awslogs driver"}
	ListenerRules = Rule{ID: "ECS051", Severity: Error, Source: docCreateRule,
		Summary: "a listener rule has a priority of 1-50000 that no other rule of its listener has, at least one condition, at most 5 condition values, and a forward action to at most 5 target groups",
		Fix:     "give each rule of a listener its own priority, one to five condition values, and at most five target groups"}
	RestartPolicy = Rule{ID: "ECS084", Severity: Error, Source: docRestartPolicy,
		Summary: "a container restart policy ignores at most 50 exit codes and waits 60-1800 seconds between restart attempts",
		Fix:     "trim the ignored exit codes, and set RestartAttemptPeriod to 60-1800 s"}
	NLBProtocols = Rule{ID: "ECS052", Severity: Error, Source: docNLBListeners,
		Summary: "listener protocols match their load balancer (Network: TCP, TLS, UDP, TCP_UDP, QUIC, TCP_QUIC; Application: HTTP, HTTPS), a TLS listener has a certificate, an NLB listener forwards to a target group protocol the supported combinations list (TCP: TCP or TCP_UDP; TLS: TCP or TLS; UDP: UDP or TCP_UDP; TCP_UDP: TCP_UDP), target type alb takes TCP only, client IP preservation stays on for UDP, TCP_UDP, QUIC and TCP_QUIC target groups, gRPC and HTTP/2 target groups sit behind HTTPS listeners only, and health checks use TCP, HTTP or HTTPS (not TCP on an HTTP target group)",
		Fix:     "pick the protocol the load balancer type supports, add the certificate, match the target group and health check protocols, or leave client IP preservation on"}
	EFSVolume = Rule{ID: "ECS081", Severity: Error, Source: docEFSVolume,
		Summary: "an EFS volume with IAM authorization or an access point turns on transit encryption, and with an access point its root directory is omitted or /",
		Fix:     "set TransitEncryption ENABLED, and leave RootDirectory to the access point"}
	ExecReadonly = Rule{ID: "ECS075", Severity: Warning, Source: docExec,
		Summary: "ECS Exec's SSM agent needs a writable root filesystem, or writable volumes at its paths (/managed-agents, /var/lib/amazon/ssm, /var/log/amazon/ssm)",
		Fix:     "turn off ReadonlyRootFilesystem or ECS Exec, or mount writable volumes at the SSM agent's paths (taskdef.ExecWritable)"}
	Anywhere = Rule{ID: "ECS080", Severity: Error, Source: docAnywhere,
		Summary: "ECS Anywhere (EXTERNAL) services use no awsvpc, load balancers, service discovery, EFS or capacity providers (the Developer Guide's considerations list)",
		Fix:     "use bridge or host networking, the EXTERNAL launch type, and no load balancer, service registry or EFS volume"}
	ScheduledTask = Rule{ID: "ECS090", Severity: Error, Source: docRunTask,
		Summary: "a scheduled ECS task, which EventBridge runs with RunTask: task count 1-10 (EventBridge Scheduler and Events API references), a network configuration for awsvpc task definitions, a launch type or a capacity provider strategy (not both), a platform version only on Fargate, placement only on EC2 (ECS API Reference, RunTask)",
		Fix:     "set TaskCount 1-10 and NetworkConfiguration.AwsvpcConfiguration; drop LaunchType when a capacity provider strategy is given, PlatformVersion on EC2, placement on Fargate"}
	SchedulerSchedule = Rule{ID: "ECS091", Severity: Error, Source: docSchedulerTypes,
		Summary: "an EventBridge Scheduler schedule: at(yyyy-mm-ddThh:mm:ss), rate(value minutes|hours|days) or cron() with six fields and one ? in day-of-month or day-of-week, in an IANA time zone",
		Fix:     "write the expression in Scheduler's syntax (cron(0 2 * * ? *)) and name the time zone as the IANA database does (Asia/Tokyo)"}
	SchedulerRanges = Rule{ID: "ECS092", Severity: Error, Source: docSchedulerRetry,
		Summary: "a schedule's or an EventBridge rule ECS target's retry policy keeps 60-86400 s of event age and 0-185 attempts; a flexible time window is 1-1440 minutes",
		Fix:     "bring the retry policy and the flexible time window into their documented ranges"}
	SchedulerDeadLetter = Rule{ID: "ECS093", Severity: Error, Source: docSchedulerDLQ,
		Summary: "the dead-letter queue of a schedule or of an EventBridge rule's ECS target is an Amazon SQS queue (its ARN)",
		Fix:     "give DeadLetterConfig.Arn the ARN of an SQS queue (Fn::GetAtt Queue.Arn)"}
	EventsRuleSchedule = Rule{ID: "ECS094", Severity: Error, Source: docEventsRuleSchedule,
		Summary: "an EventBridge scheduled rule: rate(value unit) with a singular unit for 1 and a plural one above, or cron() with six fields and one ? in day-of-month or day-of-week; no at()",
		Fix:     "write rate(1 hour) or rate(5 hours), or cron(0 2 * * ? *); for a one-time run use EventBridge Scheduler"}
	PublicIPPrivateSubnet = Rule{ID: "ECS095", Severity: Warning, Source: docAwsvpc,
		Summary: "a scheduled task asks for a public IP in a subnet the template marks private or isolated (CDK's aws-cdk:subnet-type tag); the documentation does not forbid it, the IP is just never used",
		Fix:     "set AssignPublicIp DISABLED (private subnets reach the internet through a NAT gateway or VPC endpoints), or choose public subnets"}
	DuplicateKeys = Rule{ID: "ECS096", Severity: Warning, Source: docYAMLMapping,
		Summary: "a YAML mapping holds a key twice: YAML requires unique keys, CloudFormation keeps the last value (its documentation does not say so), and the first is silently lost",
		Fix:     "remove one of the two entries, keeping the value you mean"}
	TrafficShiftSettings = Rule{ID: "ECS097", Severity: Error, Source: docDeploymentConfiguration,
		Summary: "ECS-native traffic shifting: LinearConfiguration and CanaryConfiguration only with their strategy, step bake times 0-1440 minutes, linear steps 3-100 % and canaries 0.1-100 % in multiples of 0.1, at most 33 hours of LINEAR or CANARY by CloudFormation's count, and an alternate target group behind a load balancer",
		Fix:     "match the configuration to DeploymentConfiguration.Strategy, bring the values into range, and give each load balancer an AdvancedConfiguration"}
	SlowDeployment = Rule{ID: "ECS100", Severity: Warning, Source: DocSpeedingUpDeployments,
		Summary: "a rolling deployment models above 5 minutes",
		Fix:     "shorten the setting that dominates: health check interval and threshold, deregistration delay or stop timeout"}
)

// Catalogue lists every rule, in ID order.
func Catalogue() []Rule {
	all := []Rule{
		FargateTaskSize, ContainerWithinTask, EphemeralStorage, FargateStopTimeout,
		ContainerHealthCheck, TargetGroupHealthCheck, DeregistrationDelay, StickinessDuration,
		PortRange, PortNames, CapacityRange, DeploymentProgress, CapacityProviderStrategy,
		ScalingTarget, HTTPSCertificate,
		FargateUnsupported, FargateWindows, ContainersPerTask, ContainerNames, ExecutionRole, AwsvpcHostPort,
		TargetType, TargetGroupsPerService, PublicIPOnEC2, AwsvpcNetworkConfig, Placement,
		DaemonService, ProviderAssociated, StrategyLaunchType, CapacityProviderSettings,
		CodeDeployService, CodeDeployGroup, ServiceConnect, ExecReadonly, Anywhere,
		ScheduledTask, SlowDeployment, FargateWindowsArch, DaemonDesiredCount, CodeDeployNLB,
		PlatformVersion, EC2ContainerMemory, BottlerocketUserData, ContainerImage,
		SchedulerSchedule, SchedulerRanges, SchedulerDeadLetter, EventsRuleSchedule, ScheduleExpression, PublicIPPrivateSubnet, DuplicateKeys, LoadBalancerContainer, BlueGreenTargetGroups, TrafficShiftSettings, CodeDeploySettings, BlueGreenOneLoadBalancer, LifecycleStages, StrategyController, BlueGreenBakeTime, RoutingRewrite, TrafficShiftFront, ServiceConnectNamespace, ServiceConnectUnique, ServiceConnectLogs, ServiceConnectTLS, ServiceConnectTLSRole, ServiceConnectTaskMemory, ServiceConnectHeadroom, ServiceRegistry, ExpressService, ContainerDependencies, DependencyCycle, MountPoints, EssentialContainer, EFSVolume, FireLensRouter, FireLensRouters, FireLensWindows, FireLensSetup, ListenerRules, RestartPolicy, NLBProtocols, ListenerDependency, LaunchCompatibility, AgentCluster, ScalingMetric, ScalingLabel, ServiceRole, ALBSubnets, TargetGroupVPC, AwslogsOptions, EnvironmentFiles, ContainerMemory, ResourceNames,
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
}
