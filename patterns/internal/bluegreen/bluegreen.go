// Package bluegreen wires a service's traffic-shifting deployment to its Application Load
// Balancer, for the web service and EC2 service patterns alike: the blue and green target
// groups, the alarms a deployment watches, and either ECS-native blue/green (production and
// test listener rules whose weights ECS shifts) or CodeDeploy blue/green (listeners CodeDeploy
// reroutes, an application, a deployment group and the input of each new deployment as a stack
// output).
package bluegreen

import (
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodedeploy"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	elbv2 "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawscloudwatch"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/constructs/alb"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/internal/conv"
	"github.com/ecsforge/ecsforge/internal/nag"
	"github.com/ecsforge/ecsforge/rules"
)

// Alarm defaults: the alarms every blue/green, linear or canary deployment of the patterns
// watches, on both target groups (each takes the new tasks in turn).
const (
	// DefaultTarget5XXPerMinute: more than a few 5XX answers a minute from the tasks means a bad
	// release; one may be noise.
	DefaultTarget5XXPerMinute = 5
	// DefaultUnhealthyMinutes: a target unhealthy for two minutes in a row is not a slow start
	// (the health check needs 10 s to mark a task healthy).
	DefaultUnhealthyMinutes = 2
)

// Input is what a pattern hands over: the service props (Cluster, TaskDefinition and
// Deployment set), the load balancer props, and the container and port that take the traffic.
type Input struct {
	VPC          awsec2.IVpc
	Service      service.Props
	LoadBalancer alb.Props
	Container    string
	Port         int
	TargetType   elbv2.TargetType
	// Grace is the service's health check grace period.
	Grace time.Duration
}

// Built is the wiring: the load balancer front, the service, the alarms, and with CodeDeploy
// the application, deployment configuration and deployment group.
type Built struct {
	Frontend         *alb.Frontend
	Service          *service.Service
	Alarms           []awscloudwatch.Alarm
	Application      awscodedeploy.IEcsApplication
	DeploymentConfig awscodedeploy.IEcsDeploymentConfig
	DeploymentGroup  awscodedeploy.EcsDeploymentGroup
}

// Build wires in.Service's deployment (in.Service.Deployment must be set and the props valid)
// in scope, with the children "LB", "Targets", "GreenTargets", the alarms and "Service".
func Build(scope constructs.Construct, in Input) *Built {
	d := *in.Service.Deployment
	b := &Built{}
	b.Frontend = alb.Attach(scope, in.VPC, alb.Target{Port: in.Port, TargetType: in.TargetType, BlueGreen: true, CodeDeploy: d.UsesCodeDeploy()}, in.LoadBalancer)
	f := b.Frontend
	sp := in.Service
	for i, tg := range []elbv2.ApplicationTargetGroup{f.TargetGroup, f.GreenTargetGroup} {
		color := []string{"Blue", "Green"}[i]
		failing := awscloudwatch.NewAlarm(scope, conv.Str(color+"Target5XX"), &awscloudwatch.AlarmProps{
			AlarmDescription:   conv.Str("Tasks behind the " + strings.ToLower(color) + " target group of " + *scope.Node().Path() + " answer with 5XX errors; a deployment in progress rolls back"),
			Metric:             metric(f, tg, "HTTPCode_Target_5XX_Count", "Sum"),
			Threshold:          conv.Num(DefaultTarget5XXPerMinute),
			EvaluationPeriods:  conv.Num(1),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		unhealthy := awscloudwatch.NewAlarm(scope, conv.Str(color+"Unhealthy"), &awscloudwatch.AlarmProps{
			AlarmDescription:   conv.Str("Targets of the " + strings.ToLower(color) + " target group of " + *scope.Node().Path() + " are unhealthy; a deployment in progress rolls back"),
			Metric:             metric(f, tg, "UnHealthyHostCount", "Maximum"),
			Threshold:          conv.Num(1),
			EvaluationPeriods:  conv.Num(DefaultUnhealthyMinutes),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		b.Alarms = append(b.Alarms, failing, unhealthy)
	}
	userAlarms := sp.DeploymentAlarms
	if !d.UsesCodeDeploy() {
		sp.DeploymentAlarms = append(append([]string(nil), userAlarms...), alarmNames(b.Alarms)...)
	}
	b.Service = service.New(scope, "Service", sp)
	svc := b.Service.Service
	svc.Node().DefaultChild().(awsecs.CfnService).SetHealthCheckGracePeriodSeconds(conv.Num(conv.Secs(in.Grace)))
	opts := &awsecs.LoadBalancerTargetOptions{ContainerName: conv.Str(in.Container), ContainerPort: conv.Num(in.Port)}
	if d.UsesCodeDeploy() {
		f.TargetGroup.AddTarget(svc.LoadBalancerTarget(opts))
		b.codeDeploy(scope, in, d, userAlarms)
	} else {
		alternate := &awsecs.AlternateTargetProps{
			AlternateTargetGroup: f.GreenTargetGroup,
			ProductionListener:   awsecs.ListenerRuleConfiguration_ApplicationListenerRule(f.ProductionRule),
		}
		if f.TestListenerRule != nil {
			alternate.TestListener = awsecs.ListenerRuleConfiguration_ApplicationListenerRule(f.TestListenerRule)
		}
		opts.AlternateTarget = awsecs.NewAlternateTarget(conv.Str("BlueGreen"), alternate)
		f.TargetGroup.AddTarget(svc.LoadBalancerTarget(opts))
		if role := svc.Node().TryFindChild(conv.Str("BlueGreenRole")); role != nil {
			nag.Suppress(role, nag.Suppression{ID: "AwsSolutions-IAM4",
				AppliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"},
				Reason:    "The AWS-managed policy ECS documents for the infrastructure role that shifts load balancer traffic in ECS blue/green deployments (ECS Developer Guide, \"Amazon ECS infrastructure IAM role for load balancers\")."})
		}
	}
	b.Service.ScaleOnRequests(f.TargetGroup)
	return b
}

// metric is a one-minute ALB metric of a target group behind the front's load balancer. It is
// built from the names, not from the target group's own metrics, because a CodeDeploy green
// target group is attached to no listener until CodeDeploy routes traffic to it.
func metric(f *alb.Frontend, tg elbv2.ApplicationTargetGroup, name, statistic string) awscloudwatch.Metric {
	return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace:  conv.Str("AWS/ApplicationELB"),
		MetricName: conv.Str(name),
		DimensionsMap: &map[string]*string{
			"LoadBalancer": f.LoadBalancer.LoadBalancerFullName(),
			"TargetGroup":  tg.TargetGroupFullName(),
		},
		Period:    conv.Seconds(time.Minute),
		Statistic: conv.Str(statistic),
	})
}

func alarmNames(alarms []awscloudwatch.Alarm) []string {
	var names []string
	for _, a := range alarms {
		names = append(names, *a.AlarmName())
	}
	return names
}

// codeDeploy builds the CodeDeploy side: the application, the deployment configuration, the
// deployment group on both target groups and listeners with rollback on failure, on stop and
// on alarm, and the "CreateDeployment" output.
func (b *Built) codeDeploy(scope constructs.Construct, in Input, d service.Deployment, userAlarms []string) {
	cd := conv.Or(d.CodeDeploy, service.CodeDeploy{})
	b.Application = cd.Application
	if b.Application == nil {
		b.Application = awscodedeploy.NewEcsApplication(scope, conv.Str("CodeDeployApplication"), nil)
	}
	b.DeploymentConfig = cd.Config
	if b.DeploymentConfig == nil {
		b.DeploymentConfig = deploymentConfig(scope, d)
	}
	alarms := make([]interfacesawscloudwatch.IAlarmRef, 0, len(b.Alarms)+len(userAlarms))
	for _, a := range b.Alarms {
		alarms = append(alarms, a)
	}
	for i, name := range userAlarms {
		alarms = append(alarms, awscloudwatch.Alarm_FromAlarmName(scope, conv.Str("DeploymentAlarm"+strconv.Itoa(i)), conv.Str(name)))
	}
	bg := &awscodedeploy.EcsBlueGreenDeploymentConfig{
		BlueTargetGroup:     b.Frontend.TargetGroup,
		GreenTargetGroup:    b.Frontend.GreenTargetGroup,
		Listener:            b.Frontend.Listener,
		TerminationWaitTime: conv.Seconds(d.Bake()),
	}
	if b.Frontend.TestListener != nil {
		bg.TestListener = b.Frontend.TestListener
	}
	if cd.ApprovalWait > 0 {
		bg.DeploymentApprovalWaitTime = conv.Seconds(cd.ApprovalWait)
	}
	b.DeploymentGroup = awscodedeploy.NewEcsDeploymentGroup(scope, conv.Str("DeploymentGroup"), &awscodedeploy.EcsDeploymentGroupProps{
		Application:               b.Application,
		Service:                   b.Service.Service,
		DeploymentConfig:          b.DeploymentConfig,
		BlueGreenDeploymentConfig: bg,
		Alarms:                    &alarms,
		AutoRollback: &awscodedeploy.AutoRollbackConfig{
			FailedDeployment: conv.Bool(true), StoppedDeployment: conv.Bool(true), DeploymentInAlarm: conv.Bool(true),
		},
	})
	nag.Suppress(b.DeploymentGroup.Role(), nag.Suppression{ID: "AwsSolutions-IAM4",
		AppliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/AWSCodeDeployRoleForECS"},
		Reason:    "The AWS-managed policy CodeDeploy documents for its service role in ECS blue/green deployments (CodeDeploy User Guide, \"Amazon ECS service role for CodeDeploy\")."})
	// A hook reports its result on this deployment group (CodeDeploy User Guide, "Tutorial:
	// Deploy an Amazon ECS service with a validation test", step 3); the service role's
	// AWSCodeDeployRoleForECS already invokes any function (AWS Managed Policy Reference). An
	// imported function has no role here: grant it the same statement where it is defined.
	for _, h := range cd.Hooks {
		h.Function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   conv.Strs([]string{"codedeploy:PutLifecycleEventHookExecutionStatus"}),
			Resources: &[]*string{b.DeploymentGroup.DeploymentGroupArn()},
		}))
	}
	b.createDeploymentOutput(scope, in, cd.Hooks)
}

// deploymentConfig is the CodeDeploy configuration the strategy asks for: all at once for
// BLUE_GREEN, else a time-based canary or linear configuration with the step and interval.
func deploymentConfig(scope constructs.Construct, d service.Deployment) awscodedeploy.IEcsDeploymentConfig {
	interval := awscdk.Duration_Minutes(conv.Num(int(d.StepBake() / time.Minute)))
	percent := jsii.Number(d.Step())
	var routing awscodedeploy.TrafficRouting
	switch d.Strategy {
	case service.Canary:
		routing = awscodedeploy.TrafficRouting_TimeBasedCanary(&awscodedeploy.TimeBasedCanaryTrafficRoutingProps{Interval: interval, Percentage: percent})
	case service.Linear:
		routing = awscodedeploy.TrafficRouting_TimeBasedLinear(&awscodedeploy.TimeBasedLinearTrafficRoutingProps{Interval: interval, Percentage: percent})
	default:
		return awscodedeploy.EcsDeploymentConfig_ALL_AT_ONCE()
	}
	return awscodedeploy.NewEcsDeploymentConfig(scope, conv.Str("DeploymentConfig"), &awscodedeploy.EcsDeploymentConfigProps{TrafficRouting: routing})
}

// createDeploymentOutput writes the input of "aws deploy create-deployment --cli-input-json"
// for the task definition revision the stack holds: the application, the deployment group and
// the AppSpec naming the revision, the container, the port and the hooks. After a stack update
// that registers a new revision, that command rolls it out.
func (b *Built) createDeploymentOutput(scope constructs.Construct, in Input, hooks []service.CodeDeployHook) {
	stack := awscdk.Stack_Of(scope)
	appSpec := map[string]any{
		"version": "0.0",
		"Resources": []any{map[string]any{"TargetService": map[string]any{
			"Type": "AWS::ECS::Service",
			"Properties": map[string]any{
				"TaskDefinition":   in.Service.TaskDefinition.TaskDefinitionArn(),
				"LoadBalancerInfo": map[string]any{"ContainerName": in.Container, "ContainerPort": in.Port},
			},
		}}},
	}
	// The AppSpec lists the hooks in the order the events run (CodeDeploy User Guide, AppSpec
	// 'hooks' section), each by its function's name.
	var names []any
	for _, e := range service.CodeDeployEvents {
		for _, h := range hooks {
			if h.Event == e {
				names = append(names, map[string]any{string(e): h.Function.FunctionName()})
			}
		}
	}
	if len(names) > 0 {
		appSpec["Hooks"] = names
	}
	input := map[string]any{
		"applicationName":     b.Application.ApplicationName(),
		"deploymentGroupName": b.DeploymentGroup.DeploymentGroupName(),
		"revision": map[string]any{
			"revisionType":   "AppSpecContent",
			"appSpecContent": map[string]any{"content": stack.ToJsonString(appSpec, nil)},
		},
	}
	awscdk.NewCfnOutput(scope, conv.Str(CreateDeploymentOutput), &awscdk.CfnOutputProps{
		Description: conv.Str("aws deploy create-deployment --cli-input-json '<this value>' rolls out the stack's task definition revision to " + *scope.Node().Path()),
		Value:       stack.ToJsonString(input, nil),
	})
}

// CreateDeploymentOutput is the id of the stack output that holds the CodeDeploy deployment
// input.
const CreateDeploymentOutput = "CreateDeployment"

// ShiftTime models one deployment with the load balancer's health check, deregistration delay
// and the containers' longest stop timeout (s); false when the steps are not known at synth (a
// custom CodeDeploy configuration).
func ShiftTime(d service.Deployment, lb alb.Props, stop int) (rules.ShiftTime, bool) {
	h := lb.EffectiveHealthCheck()
	m, ok := d.Model(conv.Secs(h.Interval), h.HealthyThreshold, conv.Secs(lb.EffectiveDeregistrationDelay()), stop)
	if !ok {
		return rules.ShiftTime{}, false
	}
	return rules.ModelTrafficShift(m), true
}

// Validate checks what only the two together decide: test traffic needs a traffic-shifting
// deployment, and CodeDeploy takes test traffic on a test listener only (its production route
// is a listener, not a rule). lbAt prefixes the load balancer's property paths.
func Validate(d *service.Deployment, lb alb.Props, lbAt string) []error {
	var errs []error
	if lb.TestListener != nil && d == nil {
		errs = append(errs, rules.NewViolation(rules.TrafficShiftSettings, lbAt+"TestListener", "set",
			"a test listener serves blue/green, linear and canary deployments: set Service.Deployment too"))
	}
	if lb.TestHeader != nil && d == nil {
		errs = append(errs, rules.NewViolation(rules.TrafficShiftSettings, lbAt+"TestHeader", "set",
			"test traffic by header serves blue/green, linear and canary deployments: set Service.Deployment too"))
	}
	if lb.Route != nil && d != nil {
		errs = append(errs, rules.NewViolation(rules.TrafficShiftSettings, lbAt+"Route", "set",
			"blue/green, linear and canary deployments need a load balancer of the service's own here: ecsforge does not build them on a shared listener yet"))
	}
	if lb.TestHeader != nil && d != nil && d.UsesCodeDeploy() {
		errs = append(errs, rules.NewViolation(rules.CodeDeployGroup, lbAt+"TestHeader", "set",
			"CodeDeploy routes test traffic through a test listener (TestTrafficRoute), not a header rule: set TestListener instead"))
	}
	return errs
}
