// Package scheduledtask runs an ECS task on a schedule with EventBridge Scheduler: cron, rate
// or one-time expressions in a time zone, a flexible time window, retries and a dead-letter
// queue with an alarm, Fargate and Fargate Spot or EC2 capacity, a security group of its own,
// a least-privilege Scheduler role, and an alert when a run fails.
//
//	scheduledtask.New(stack, "Nightly", scheduledtask.Props{
//		Task: taskdef.Props{Containers: []taskdef.Container{{Image: image, Command: []string{"batch"}}}},
//		Schedule: scheduledtask.Schedule{Expression: "cron(0 2 * * ? *)", TimeZone: "Asia/Tokyo"},
//	})
//
// EventBridge Scheduler User Guide, "Schedule types":
// https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html; ECS Developer
// Guide, "Scheduling Amazon ECS tasks".
package scheduledtask

import (
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsscheduler"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/constructs/alerts"
	"github.com/ecsforge/ecsforge/constructs/capacity"
	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/internal/conv"
	"github.com/ecsforge/ecsforge/internal/nag"
	"github.com/ecsforge/ecsforge/internal/validate"
	"github.com/ecsforge/ecsforge/rules"
)

// Defaults.
const (
	// DefaultTimeZone is Scheduler's own default: expressions are evaluated in UTC unless a
	// time zone is named (Scheduler User Guide, "Time zones on EventBridge Scheduler").
	DefaultTimeZone = "UTC"
	// DefaultTaskCount starts one task per run (Scheduler API Reference, EcsParameters.TaskCount).
	DefaultTaskCount = 1
	// DefaultRetryAttempts retries a RunTask call that fails (throttling, no capacity) a few
	// times with Scheduler's exponential backoff, instead of its 185, so that a run that cannot
	// start reaches the dead-letter queue and the alarm within DefaultMaxEventAge.
	DefaultRetryAttempts = 5
	// DefaultMaxEventAge gives up on a run that could not start within an hour: a job that
	// starts hours late is usually worse than an alert (Scheduler default: 24 hours).
	DefaultMaxEventAge = time.Hour
	// DefaultDeadLetterRetention keeps undelivered runs for SQS's maximum, 14 days, so that
	// someone back from a long weekend can still see what did not run (SQS Developer Guide,
	// "MessageRetentionPeriod").
	DefaultDeadLetterRetention = 14 * 24 * time.Hour
	// DefaultPlatformVersion is Fargate's LATEST, which receives the platform's security fixes
	// (ECS Developer Guide, "Fargate platform versions").
	DefaultPlatformVersion = "LATEST"
	// EgressPort is the only port the task's security group opens outbound: HTTPS, for image
	// pulls from ECR and public registries, CloudWatch Logs and Secrets Manager. DNS goes to the
	// VPC resolver, which security groups do not filter.
	EgressPort = 443
	// AlarmPeriod is how often the dead-letter queue alarm looks at the queue.
	AlarmPeriod = 5 * time.Minute
)

// DefaultFargateStrategy runs every task on FARGATE (On-Demand).
var DefaultFargateStrategy = []service.Strategy{{Provider: service.Fargate, Weight: 1}}

// Schedule says when the task runs.
type Schedule struct {
	// Expression is cron(minutes hours day-of-month month day-of-week year), rate(value unit)
	// or at(yyyy-mm-ddThh:mm:ss), in Scheduler's syntax (required).
	Expression string
	// TimeZone is an IANA time zone name (default DefaultTimeZone); cron and at are read in it.
	TimeZone string
	// Start and End bound a recurring schedule (zero: unbounded).
	Start, End time.Time
	// FlexibleWindow lets Scheduler start the run up to this long after the scheduled time,
	// in whole minutes, 1-1440 (0: off, the run starts at the scheduled minute).
	FlexibleWindow time.Duration
	// Disabled creates the schedule in the DISABLED state.
	Disabled bool
	// Group is the schedule group's name ("" for the default group).
	Group string
	// After a one-time schedule's run (or a recurring schedule's End) the schedule stays, and
	// invokes nothing more. Scheduler's ActionAfterCompletion DELETE is not offered: the
	// CloudFormation resource has no such property, and a schedule Scheduler deleted would be
	// a resource the stack still believes it owns. Remove the schedule from the app instead.
	// Name is the schedule's name ("" lets CloudFormation name it).
	Name        string
	Description string
}

// Retry is the retry policy of a run whose RunTask call fails.
type Retry struct {
	// MaxAttempts, 0-185 (default DefaultRetryAttempts); new(0) does not retry.
	MaxAttempts *int
	// MaxEventAge, 60 s to 24 h in whole seconds (default DefaultMaxEventAge).
	MaxEventAge time.Duration
}

// Alerts configures the alert on failed runs.
type Alerts struct {
	// Disable creates no alert rule, topic or dead-letter queue alarm.
	Disable bool
	// Topic receives the alerts; nil creates one, encrypted with a new KMS key.
	Topic awssns.ITopic
}

// Props configures a scheduled task.
type Props struct {
	// Cluster to run in; nil creates one (cluster.New) in VPC, or in a new VPC. With Capacity,
	// leave it nil: the task runs in the capacity's cluster.
	Cluster awsecs.ICluster
	VPC     awsec2.IVpc
	// Capacity runs the task on EC2 capacity (capacity.New) instead of Fargate.
	Capacity *capacity.Capacity
	// Task is the task definition; with Capacity it is an EC2 task definition.
	Task     taskdef.Props
	Schedule Schedule
	// TaskCount per run, 1-10 (default DefaultTaskCount).
	TaskCount int
	// CapacityProviders is the capacity provider strategy: on Fargate FARGATE and
	// FARGATE_SPOT (default DefaultFargateStrategy), on EC2 the capacity's (default all on it).
	CapacityProviders []service.Strategy
	// PlacementStrategies and PlacementConstraints place the tasks on EC2 capacity.
	PlacementStrategies  []service.PlacementStrategy
	PlacementConstraints []service.PlacementConstraint
	// Subnets of an awsvpc task (default the VPC's private subnets with egress).
	Subnets *awsec2.SubnetSelection
	// PlatformVersion of a Fargate task (default DefaultPlatformVersion).
	PlatformVersion string
	// NoPropagateTags stops copying the task definition's tags to the tasks.
	NoPropagateTags bool
	// NoManagedTags turns off ECS managed tags (cluster and service names) on the tasks.
	NoManagedTags bool
	// EnableExec turns on ECS Exec in the tasks (the task role then needs the SSM permissions).
	EnableExec bool
	// ReferenceID is attached to the tasks (RunTask's referenceId), up to 1024 characters.
	ReferenceID string
	Retry       Retry
	// DeadLetterQueue receives runs that could not be started; nil creates one (encrypted,
	// TLS only, DefaultDeadLetterRetention).
	DeadLetterQueue awssqs.IQueue
	Alerts          Alerts
}

func (p Props) ec2() bool { return p.Capacity != nil }

func (p Props) normalized() Props {
	if p.ec2() {
		p.Task.Launch = conv.OrZero(p.Task.Launch, taskdef.EC2)
		p.Task.NetworkMode = conv.OrZero(p.Task.NetworkMode, taskdef.AwsVpc)
	}
	p.Schedule.TimeZone = conv.OrZero(p.Schedule.TimeZone, DefaultTimeZone)
	p.TaskCount = conv.OrZero(p.TaskCount, DefaultTaskCount)
	p.Retry.MaxEventAge = conv.OrZero(p.Retry.MaxEventAge, DefaultMaxEventAge)
	if p.Retry.MaxAttempts == nil {
		p.Retry.MaxAttempts = new(DefaultRetryAttempts)
	}
	if !p.ec2() {
		p.PlatformVersion = conv.OrZero(p.PlatformVersion, DefaultPlatformVersion)
		if len(p.CapacityProviders) == 0 {
			p.CapacityProviders = DefaultFargateStrategy
		}
	}
	return p
}

// Validate reports every documented constraint the props break (nil when valid).
func (p Props) Validate() error {
	given := p
	p = p.normalized()
	s := p.Schedule
	errs := []error{p.Task.ValidateAt("Task.")}
	if s.Expression == "" {
		errs = append(errs, rules.Missing("Schedule.Expression", "a schedule needs an expression, e.g. cron(0 2 * * ? *), rate(1 hour) or at(2027-01-01T09:00:00)", rules.SchedulerSchedule.Source))
	} else {
		errs = append(errs, rules.CheckSchedulerExpression("Schedule.Expression", s.Expression))
	}
	errs = append(errs, rules.CheckTimeZone("Schedule.TimeZone", s.TimeZone))
	if !s.Start.IsZero() && !s.End.IsZero() && !s.End.After(s.Start) {
		errs = append(errs, rules.NewViolation(rules.SchedulerSchedule, "Schedule.End", s.End.UTC().Format(time.RFC3339), "must be after Schedule.Start (%s)", s.Start.UTC().Format(time.RFC3339)))
	}
	if s.FlexibleWindow != 0 {
		errs = append(errs, rules.CheckFlexibleWindowDuration("Schedule.FlexibleWindow", s.FlexibleWindow))
	}
	if age := p.Retry.MaxEventAge; age%time.Second != 0 {
		errs = append(errs, rules.NewViolation(rules.SchedulerRanges, "Retry.MaxEventAge", age.String(), "the maximum event age is a whole number of seconds"))
	}
	errs = append(errs,
		rules.CheckRetryPolicy("Retry.MaxEventAge", conv.Secs(p.Retry.MaxEventAge), "Retry.MaxAttempts", *p.Retry.MaxAttempts),
		rules.CheckScheduledTaskCount("TaskCount", p.TaskCount))
	if len(p.ReferenceID) > 1024 {
		errs = append(errs, rules.NewViolation(rules.ScheduledTask, "ReferenceID", fmt.Sprintf("%d characters", len(p.ReferenceID)), "a reference ID is at most 1024 characters"))
	}
	errs = append(errs, p.validateLaunch(given)...)
	return errors.Join(errs...)
}

// validateLaunch checks the settings that belong to one launch type.
func (p Props) validateLaunch(given Props) []error {
	var errs []error
	var items []rules.StrategyItem
	for i, s := range p.CapacityProviders {
		fargate := s.Provider == service.Fargate || s.Provider == service.FargateSpot
		at := fmt.Sprintf("CapacityProviders[%d].Provider", i)
		switch {
		case !p.ec2() && !fargate:
			errs = append(errs, rules.CheckLaunchTypeSetting(at, fmt.Sprintf("%q", s.Provider), fmt.Sprintf("a Fargate task uses the %q or %q capacity provider (EC2: set Capacity)", service.Fargate, service.FargateSpot)))
		case p.ec2() && (fargate || s.Provider == ""):
			errs = append(errs, rules.CheckLaunchTypeSetting(at, fmt.Sprintf("%q", s.Provider), "a task on EC2 capacity uses its capacity provider (capacity.Capacity.Strategy)"))
		}
		items = append(items, rules.StrategyItem{Provider: string(s.Provider), Base: s.Base, Weight: s.Weight})
	}
	errs = append(errs, rules.CheckCapacityProviderStrategy("CapacityProviders", items))
	if p.ec2() {
		if p.Task.Launch != taskdef.EC2 {
			errs = append(errs, rules.CheckLaunchTypeSetting("Task.Launch", fmt.Sprintf("%q", p.Task.Launch), "a task on EC2 capacity has an EC2 task definition"))
		}
		if p.Cluster != nil {
			errs = append(errs, rules.NewViolation(rules.UnknownValue, "Cluster", "set", "with Capacity the task runs in the capacity's cluster: leave Cluster unset"))
		}
		if given.PlatformVersion != "" {
			errs = append(errs, rules.CheckLaunchTypeSetting("PlatformVersion", fmt.Sprintf("%q", given.PlatformVersion), "platform versions are a Fargate setting"))
		}
		errs = append(errs, service.ValidatePlacement("", p.PlacementStrategies, p.PlacementConstraints)...)
	} else {
		if p.Task.Launch == taskdef.EC2 {
			errs = append(errs, rules.CheckLaunchTypeSetting("Task.Launch", `"EC2"`, "an EC2 task needs the EC2 capacity it runs on: set Capacity"))
		}
		if len(p.PlacementStrategies)+len(p.PlacementConstraints) > 0 {
			errs = append(errs, rules.NewViolation(rules.Placement, "PlacementStrategies", "set", "Fargate places tasks itself: placement strategies and constraints are for EC2 capacity"))
		}
	}
	return errs
}

// ScheduledTask is a task definition run by an EventBridge Scheduler schedule.
type ScheduledTask struct {
	constructs.Construct
	Cluster awsecs.ICluster
	Task    *taskdef.TaskDefinition
	// Schedule is the AWS::Scheduler::Schedule.
	Schedule awsscheduler.CfnSchedule
	// Role is the execution role Scheduler assumes to run the task.
	Role awsiam.Role
	// SecurityGroup of an awsvpc task: HTTPS out, nothing in (nil for bridge and host tasks).
	SecurityGroup   awsec2.SecurityGroup
	DeadLetterQueue awssqs.IQueue
	// DeadLetterAlarm fires when a run lands in the dead-letter queue (nil with Alerts.Disable).
	DeadLetterAlarm awscloudwatch.Alarm
	// Alerts on failed runs (nil with Alerts.Disable).
	Alerts *alerts.Alerts
	props  Props
}

// New builds a ScheduledTask. Invalid props fail synth with every violation and build nothing.
func New(scope constructs.Construct, id string, p Props) *ScheduledTask {
	s := &ScheduledTask{props: p.normalized()}
	constructs.NewConstruct_Override(s, scope, conv.Str(id))
	if p.Capacity != nil && !p.Capacity.Built() {
		// The capacity's own violations fail synth; a task on it cannot be built.
		return s
	}
	if validate.Record(s, p.Validate()) {
		return s
	}
	p = s.props
	switch {
	case p.ec2():
		s.Cluster = p.Capacity.Cluster()
		if len(p.CapacityProviders) == 0 {
			p.CapacityProviders = []service.Strategy{p.Capacity.Strategy(0, 1)}
		}
	case p.Cluster != nil:
		s.Cluster = p.Cluster
	default:
		s.Cluster = cluster.New(s, "Cluster", cluster.Props{VPC: p.VPC}).Cluster
	}
	s.Task = taskdef.NewAt(s, "TaskDef", p.Task, "Task.")
	td := s.Task.TaskDefinition

	ecs := &awsscheduler.CfnSchedule_EcsParametersProperty{
		TaskDefinitionArn:    td.TaskDefinitionArn(),
		TaskCount:            conv.Num(p.TaskCount),
		EnableEcsManagedTags: conv.Bool(!p.NoManagedTags),
		EnableExecuteCommand: conv.Bool(p.EnableExec),
		ReferenceId:          conv.OptStr(p.ReferenceID),
	}
	if !p.NoPropagateTags {
		ecs.PropagateTags = conv.Str("TASK_DEFINITION")
	}
	if !p.ec2() {
		ecs.PlatformVersion = conv.Str(p.PlatformVersion)
	}
	var strategy []any
	for _, c := range p.CapacityProviders {
		strategy = append(strategy, &awsscheduler.CfnSchedule_CapacityProviderStrategyItemProperty{
			CapacityProvider: conv.Str(string(c.Provider)), Base: conv.Num(c.Base), Weight: conv.Num(c.Weight),
		})
	}
	ecs.CapacityProviderStrategy = strategy
	if p.Task.NetworkMode == taskdef.AwsVpc || !p.ec2() {
		vpc := s.Cluster.Vpc()
		s.SecurityGroup = awsec2.NewSecurityGroup(s, conv.Str("SecurityGroup"), &awsec2.SecurityGroupProps{
			Vpc:              vpc,
			Description:      conv.Str("Scheduled task " + *s.Node().Path() + ": HTTPS out, nothing in"),
			AllowAllOutbound: conv.Bool(false),
		})
		s.SecurityGroup.AddEgressRule(awsec2.Peer_AnyIpv4(), awsec2.Port_Tcp(conv.Num(EgressPort)), conv.Str("HTTPS: image pulls, logs, secrets"), nil)
		subnets := p.Subnets
		if subnets == nil {
			subnets = &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS}
		}
		ecs.NetworkConfiguration = &awsscheduler.CfnSchedule_NetworkConfigurationProperty{
			AwsvpcConfiguration: &awsscheduler.CfnSchedule_AwsVpcConfigurationProperty{
				Subnets:        vpc.SelectSubnets(subnets).SubnetIds,
				SecurityGroups: &[]*string{s.SecurityGroup.SecurityGroupId()},
				AssignPublicIp: conv.Str("DISABLED"),
			},
		}
	}
	if p.ec2() {
		ecs.PlacementStrategy, ecs.PlacementConstraints = placement(p)
	}

	s.DeadLetterQueue = p.DeadLetterQueue
	if s.DeadLetterQueue == nil {
		q := awssqs.NewQueue(s, conv.Str("DeadLetterQueue"), &awssqs.QueueProps{
			Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
			EnforceSSL:      conv.Bool(true),
			RetentionPeriod: conv.Seconds(DefaultDeadLetterRetention),
		})
		nag.Suppress(q, nag.Suppression{ID: "AwsSolutions-SQS3",
			Reason: "This queue is the schedule's dead-letter queue: it holds runs Scheduler could not start, and has no dead-letter queue of its own."})
		s.DeadLetterQueue = q
	}
	s.Role = s.schedulerRole(td)

	sched := p.Schedule
	window := &awsscheduler.CfnSchedule_FlexibleTimeWindowProperty{Mode: conv.Str("OFF")}
	if sched.FlexibleWindow > 0 {
		window = &awsscheduler.CfnSchedule_FlexibleTimeWindowProperty{Mode: conv.Str("FLEXIBLE"), MaximumWindowInMinutes: conv.Num(int(sched.FlexibleWindow / time.Minute))}
	}
	state := "ENABLED"
	if sched.Disabled {
		state = "DISABLED"
	}
	s.Schedule = awsscheduler.NewCfnSchedule(s, conv.Str("Schedule"), &awsscheduler.CfnScheduleProps{
		ScheduleExpression:         conv.Str(sched.Expression),
		ScheduleExpressionTimezone: conv.Str(sched.TimeZone),
		FlexibleTimeWindow:         window,
		State:                      conv.Str(state),
		GroupName:                  conv.OptStr(sched.Group),
		Name:                       conv.OptStr(sched.Name),
		Description:                conv.OptStr(sched.Description),
		StartDate:                  isoDate(sched.Start),
		EndDate:                    isoDate(sched.End),
		Target: &awsscheduler.CfnSchedule_TargetProperty{
			Arn:           s.Cluster.ClusterArn(),
			RoleArn:       s.Role.RoleArn(),
			EcsParameters: ecs,
			RetryPolicy: &awsscheduler.CfnSchedule_RetryPolicyProperty{
				MaximumEventAgeInSeconds: conv.Num(conv.Secs(p.Retry.MaxEventAge)),
				MaximumRetryAttempts:     conv.Num(*p.Retry.MaxAttempts),
			},
			DeadLetterConfig: &awsscheduler.CfnSchedule_DeadLetterConfigProperty{Arn: s.DeadLetterQueue.QueueArn()},
		},
	})
	if p.ec2() && p.Capacity.Association != nil {
		s.Schedule.Node().AddDependency(p.Capacity.Association)
	}
	// The role's policy must exist before Scheduler validates the target.
	if policy := s.Role.Node().TryFindChild(conv.Str("DefaultPolicy")); policy != nil {
		s.Schedule.Node().AddDependency(policy)
	}

	if !p.Alerts.Disable {
		spot := false
		for _, c := range p.CapacityProviders {
			spot = spot || c.Provider == service.FargateSpot
		}
		s.Alerts = alerts.ForFamily(s, "Alerts", s.Cluster, *td.Family(), alerts.Props{Topic: p.Alerts.Topic, SpotInterruption: spot})
		s.Alerts.AllowAlarms()
		s.DeadLetterAlarm = awscloudwatch.NewAlarm(s, conv.Str("DeadLetterAlarm"), &awscloudwatch.AlarmProps{
			AlarmDescription: conv.Str("A run of scheduled task " + *s.Node().Path() + " could not be started and is in its dead-letter queue"),
			Metric: s.DeadLetterQueue.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{
				Period: conv.Seconds(AlarmPeriod), Statistic: conv.Str("Maximum"),
			}),
			Threshold:          conv.Num(1),
			EvaluationPeriods:  conv.Num(1),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		s.DeadLetterAlarm.AddAlarmAction(awscloudwatchactions.NewSnsAction(s.Alerts.Topic))
	}
	return s
}

// schedulerRole is the execution role of the schedule: RunTask on this task definition family
// in this cluster, PassRole on exactly its task and execution roles, tagging the tasks it
// starts, and sending to the dead-letter queue (ECS Developer Guide, "Amazon ECS EventBridge
// IAM Role"; Scheduler User Guide, "Set up the execution role").
func (s *ScheduledTask) schedulerRole(td awsecs.TaskDefinition) awsiam.Role {
	stack := awscdk.Stack_Of(s)
	role := awsiam.NewRole(s, conv.Str("SchedulerRole"), &awsiam.RoleProps{
		Description: conv.Str("EventBridge Scheduler runs " + *s.Node().Path()),
		AssumedBy: awsiam.NewPrincipalWithConditions(awsiam.NewServicePrincipal(conv.Str("scheduler.amazonaws.com"), nil), &map[string]any{
			"StringEquals": map[string]any{"aws:SourceAccount": stack.Account()},
		}),
	})
	familyArn := stack.FormatArn(&awscdk.ArnComponents{
		Service: conv.Str("ecs"), Resource: conv.Str("task-definition"),
		ResourceName: conv.Str(*td.Family() + ":*"), ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
	})
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:    conv.Strs([]string{"ecs:RunTask"}),
		Resources:  conv.Strs([]string{*familyArn}),
		Conditions: &map[string]any{"ArnEquals": map[string]any{"ecs:cluster": s.Cluster.ClusterArn()}},
	}))
	roles := []string{*td.TaskRole().RoleArn()}
	if er := td.ExecutionRole(); er != nil {
		roles = append(roles, *er.RoleArn())
	}
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:    conv.Strs([]string{"iam:PassRole"}),
		Resources:  conv.Strs(roles),
		Conditions: &map[string]any{"StringEquals": map[string]any{"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
	}))
	tasks := stack.FormatArn(&awscdk.ArnComponents{
		Service: conv.Str("ecs"), Resource: conv.Str("task"),
		ResourceName: conv.Str(*s.Cluster.ClusterName() + "/*"), ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
	})
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:    conv.Strs([]string{"ecs:TagResource"}),
		Resources:  conv.Strs([]string{*tasks}),
		Conditions: &map[string]any{"StringEquals": map[string]any{"ecs:CreateAction": "RunTask"}},
	}))
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   conv.Strs([]string{"sqs:SendMessage"}),
		Resources: conv.Strs([]string{*s.DeadLetterQueue.QueueArn()}),
	}))
	if policy := role.Node().TryFindChild(conv.Str("DefaultPolicy")); policy != nil {
		nag.Suppress(policy, nag.Suppression{ID: "AwsSolutions-IAM5",
			Reason: "ecs:RunTask is allowed on every revision of this one task definition family (family:*) in this cluster only, so a run that starts while a deployment registers a new revision succeeds; ecs:TagResource is allowed on the tasks of this cluster only when RunTask creates them."})
	}
	return role
}

// placement renders the EC2 placement strategies and constraints of the target.
func placement(p Props) (strategies, constraints []any) {
	for _, ps := range p.PlacementStrategies {
		st := &awsscheduler.CfnSchedule_PlacementStrategyProperty{Type: conv.Str(string(ps.Type))}
		if ps.Type != service.Random {
			st.Field = conv.Str(ps.Field)
		}
		strategies = append(strategies, st)
	}
	for _, pc := range p.PlacementConstraints {
		if pc.DistinctInstance {
			constraints = append(constraints, &awsscheduler.CfnSchedule_PlacementConstraintProperty{Type: conv.Str("distinctInstance")})
		} else {
			constraints = append(constraints, &awsscheduler.CfnSchedule_PlacementConstraintProperty{Type: conv.Str("memberOf"), Expression: conv.Str(pc.MemberOf)})
		}
	}
	return strategies, constraints
}

// isoDate renders a start or end date as Scheduler takes it, in UTC (nil for zero).
func isoDate(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	return conv.Str(t.UTC().Format(time.RFC3339))
}

// ToString returns the construct path (jsii subclassing needs an overriding method).
func (s *ScheduledTask) ToString() *string { return s.Node().Path() }
