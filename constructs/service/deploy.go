package service

import (
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscodedeploy"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"

	"github.com/ecsforge/ecsforge/internal/conv"
	"github.com/ecsforge/ecsforge/internal/nag"
	"github.com/ecsforge/ecsforge/rules"
)

// DeploymentStrategy is an ECS-native deployment strategy that shifts traffic from the running
// tasks (blue) to a new set (green) behind a load balancer (ECS Developer Guide, "Amazon ECS
// blue/green deployments").
type DeploymentStrategy string

// Deployment strategies besides the default rolling update.
const (
	// BlueGreen shifts all production traffic to the green tasks at once, then waits BakeTime
	// before the blue tasks stop (the rollback window).
	BlueGreen DeploymentStrategy = "BLUE_GREEN"
	// Linear shifts StepPercent of the traffic at a time, waiting StepBakeTime between steps.
	Linear DeploymentStrategy = "LINEAR"
	// Canary shifts StepPercent of the traffic, waits StepBakeTime, then shifts the rest.
	Canary DeploymentStrategy = "CANARY"
)

// Deployment defaults (ECS API Reference, DeploymentConfiguration, LinearConfiguration,
// CanaryConfiguration).
const (
	// DefaultBakeTime keeps the blue tasks for 5 minutes after all traffic reaches green: the
	// slowest default alarm (unhealthy targets, two one-minute periods) fits twice over, with
	// time for the metrics to arrive, and two full sets of tasks run no longer than that.
	DefaultBakeTime = 5 * time.Minute
	// DefaultLinearStepPercent and DefaultCanaryPercent are ECS's own defaults.
	DefaultLinearStepPercent = 10.0
	DefaultCanaryPercent     = 5.0
	// DefaultStepBakeTime waits 3 minutes between traffic shifts: three one-minute alarm
	// periods, enough for either default alarm to fire on the share the new tasks take (ECS
	// Express Mode's canary waits the same; ECS Developer Guide, Express Mode service updates).
	DefaultStepBakeTime = 3 * time.Minute
)

// Controller runs a service's deployments.
type Controller string

// Deployment controllers for traffic-shifting deployments.
const (
	// ECSController: ECS shifts the production listener rule's weights (the default).
	ECSController Controller = "ECS"
	// CodeDeployController: CodeDeploy shifts traffic between the target groups by rerouting
	// the listeners; the service has the CODE_DEPLOY deployment controller, and a new task
	// definition reaches it through a CodeDeploy deployment, not a stack update.
	CodeDeployController Controller = "CODE_DEPLOY"
)

// docDeploymentController lists the deployment controller types.
const docDeploymentController = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentController.html"

// CodeDeploy holds the settings only CodeDeploy blue/green deployments have.
type CodeDeploy struct {
	// Config is a predefined or custom ECS deployment configuration (for example
	// awscodedeploy.EcsDeploymentConfig_CANARY_10PERCENT_5MINUTES()); nil derives one from
	// Strategy, StepPercent and StepBakeTime (BLUE_GREEN: CodeDeployDefault.ECSAllAtOnce).
	Config awscodedeploy.IEcsDeploymentConfig
	// ApprovalWait holds a deployment, with test traffic on the green tasks, until someone
	// runs "aws deploy continue-deployment", for at most this long (whole minutes); a
	// deployment not continued in time stops and rolls back. 0 shifts production traffic as
	// soon as the green tasks are ready.
	ApprovalWait time.Duration
	// Application is the CodeDeploy application (nil: one is made for the service).
	Application awscodedeploy.IEcsApplication
	// Hooks are the Lambda functions the AppSpec of each deployment names at its lifecycle
	// events, one per event; a hook reports Succeeded or Failed (which rolls the deployment
	// back) with PutLifecycleEventHookExecutionStatus, which ecsforge allows the function's
	// role on the deployment group.
	Hooks []CodeDeployHook
}

// CodeDeployEvent is a lifecycle event of a CodeDeploy ECS deployment at which a hook runs
// (CodeDeploy User Guide, "AppSpec 'hooks' section for an Amazon ECS deployment").
type CodeDeployEvent string

// The lifecycle events of a CodeDeploy ECS deployment that run hooks, in the order they run.
const (
	// BeforeInstall runs before the replacement task set is created; no rollback is possible.
	BeforeInstall CodeDeployEvent = "BeforeInstall"
	// AfterInstall runs once the replacement task set is created and has a target group.
	AfterInstall CodeDeployEvent = "AfterInstall"
	// AfterAllowTestTraffic runs once the test listener serves the replacement task set.
	AfterAllowTestTraffic CodeDeployEvent = "AfterAllowTestTraffic"
	// BeforeAllowTraffic runs before production traffic shifts to the replacement task set.
	BeforeAllowTraffic CodeDeployEvent = "BeforeAllowTraffic"
	// AfterAllowTraffic runs once production traffic reaches the replacement task set.
	AfterAllowTraffic CodeDeployEvent = "AfterAllowTraffic"
)

// CodeDeployEvents lists the events in the order a deployment runs them.
var CodeDeployEvents = []CodeDeployEvent{BeforeInstall, AfterInstall, AfterAllowTestTraffic, BeforeAllowTraffic, AfterAllowTraffic}

// docAppSpecHooks lists the lifecycle events of an ECS deployment and the hooks' structure.
const docAppSpecHooks = "https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-ecs"

// CodeDeployHook is a Lambda function a CodeDeploy deployment invokes at one lifecycle event.
type CodeDeployHook struct {
	Event    CodeDeployEvent
	Function awslambda.IFunction
}

// Deployment selects a traffic-shifting deployment for a service behind an Application Load
// Balancer: ECS-native (the default) or CodeDeploy.
type Deployment struct {
	Strategy DeploymentStrategy
	// Controller is ECSController (default) or CodeDeployController.
	Controller Controller
	// CodeDeploy settings (CodeDeployController only).
	CodeDeploy *CodeDeploy
	// BakeTime after the last traffic shift, in whole minutes (default DefaultBakeTime): the
	// blue tasks keep running for a rollback (with CodeDeploy, the wait before they stop).
	BakeTime time.Duration
	// StepPercent of production traffic per step: LINEAR 3-100, CANARY 0.1-100, in steps of
	// 0.1 (defaults DefaultLinearStepPercent, DefaultCanaryPercent).
	StepPercent float64
	// StepBakeTime between steps, whole minutes up to rules.MaxStepBakeMinutes (default DefaultStepBakeTime).
	StepBakeTime time.Duration
	// Hooks run Lambda functions at deployment lifecycle stages; ECS assumes a role that may
	// invoke exactly each function (ecsforge makes it).
	Hooks []Hook
}

// HookStage is a deployment lifecycle stage (ECS Developer Guide, "Lifecycle hooks for Amazon
// ECS service deployments").
type HookStage = awsecs.DeploymentLifecycleStage

// Lifecycle stages a hook can run at.
var (
	ReconcileService           = awsecs.DeploymentLifecycleStage_RECONCILE_SERVICE
	PreScaleUp                 = awsecs.DeploymentLifecycleStage_PRE_SCALE_UP
	PostScaleUp                = awsecs.DeploymentLifecycleStage_POST_SCALE_UP
	TestTrafficShift           = awsecs.DeploymentLifecycleStage_TEST_TRAFFIC_SHIFT
	PostTestTrafficShift       = awsecs.DeploymentLifecycleStage_POST_TEST_TRAFFIC_SHIFT
	ProductionTrafficShift     = awsecs.DeploymentLifecycleStage_PRODUCTION_TRAFFIC_SHIFT
	PostProductionTrafficShift = awsecs.DeploymentLifecycleStage_POST_PRODUCTION_TRAFFIC_SHIFT
)

// Hook is a Lambda function a deployment invokes at the given stages; it answers SUCCEEDED,
// FAILED (which rolls the deployment back) or IN_PROGRESS.
type Hook struct {
	Function awslambda.IFunction
	Stages   []HookStage
}

// UsesCodeDeploy reports whether CodeDeploy runs the deployments.
func (d Deployment) UsesCodeDeploy() bool { return d.Controller == CodeDeployController }

// Bake is the bake time with its default.
func (d Deployment) Bake() time.Duration { return d.bake() }

// Step is the step percent with its default (0 for BLUE_GREEN).
func (d Deployment) Step() float64 {
	if d.Strategy == BlueGreen {
		return 0
	}
	return d.step()
}

// StepBake is the step bake time with its default.
func (d Deployment) StepBake() time.Duration { return d.stepBake() }

func (d Deployment) bake() time.Duration     { return conv.OrZero(d.BakeTime, DefaultBakeTime) }
func (d Deployment) stepBake() time.Duration { return conv.OrZero(d.StepBakeTime, DefaultStepBakeTime) }
func (d Deployment) step() float64 {
	if d.StepPercent != 0 {
		return d.StepPercent
	}
	if d.Strategy == Canary {
		return DefaultCanaryPercent
	}
	return DefaultLinearStepPercent
}

// validate checks the strategy and its documented ranges; at prefixes the property paths.
func (d Deployment) validate(at string) []error {
	pa := at + "Deployment."
	var errs []error
	switch d.Strategy {
	case BlueGreen, Linear, Canary:
	default:
		return []error{rules.OneOf(pa+"Strategy", d.Strategy, "service.BlueGreen, service.Linear or service.Canary", rules.TrafficShiftSettings.Source)}
	}
	if b := d.bake(); b < 0 || b%time.Minute != 0 {
		errs = append(errs, rules.NewViolation(rules.TrafficShiftSettings, pa+"BakeTime", b.String(), "a bake time is a whole, non-negative number of minutes"))
	}
	switch d.Controller {
	case "", ECSController:
		if d.CodeDeploy != nil {
			errs = append(errs, rules.NewViolation(rules.CodeDeploySettings, pa+"CodeDeploy", "set", "CodeDeploy settings need Controller: service.CodeDeployController"))
		}
	case CodeDeployController:
		return append(errs, d.validateCodeDeploy(pa)...)
	default:
		return []error{rules.OneOf(pa+"Controller", d.Controller, "service.ECSController (or unset) or service.CodeDeployController", docDeploymentController)}
	}
	for i, h := range d.Hooks {
		ha := fmt.Sprintf("%sHooks[%d].", pa, i)
		if h.Function == nil {
			errs = append(errs, rules.Missing(ha+"Function", "a lifecycle hook needs the Lambda function to invoke", rules.TrafficShiftSettings.Source))
		}
		if len(h.Stages) == 0 {
			errs = append(errs, rules.Missing(ha+"Stages", "a lifecycle hook runs at one or more stages (service.PreScaleUp, ...)", rules.TrafficShiftSettings.Source))
		}
	}
	if d.Strategy == BlueGreen {
		if d.StepPercent != 0 || d.StepBakeTime != 0 {
			errs = append(errs, rules.NewViolation(rules.TrafficShiftSettings, pa+"StepPercent", "set", "steps are for LINEAR and CANARY; BLUE_GREEN shifts all traffic at once"))
		}
		return errs
	}
	errs = append(errs, rules.CheckStepPercent(pa+"StepPercent", string(d.Strategy), d.step()))
	if sb := d.stepBake(); sb%time.Minute != 0 {
		errs = append(errs, rules.NewViolation(rules.TrafficShiftSettings, pa+"StepBakeTime", sb.String(), "a bake time is a whole number of minutes"))
	} else {
		errs = append(errs, rules.CheckStepBake(pa+"StepBakeTime", int(sb/time.Minute)))
	}
	// CloudFormation rejects LINEAR and CANARY deployments it counts as longer than 33 hours.
	errs = append(errs, rules.CheckShiftDuration(pa+"BakeTime", string(d.Strategy), int(d.bake()/time.Minute), int(d.stepBake()/time.Minute), d.step()))
	return errs
}

// validateCodeDeploy checks a CodeDeploy deployment: the termination wait (BakeTime), whole
// minutes and percentages for the derived configuration, and no settings CodeDeploy lacks.
func (d Deployment) validateCodeDeploy(pa string) []error {
	cd := conv.Or(d.CodeDeploy, CodeDeploy{})
	var errs []error
	if b := d.bake(); b < 0 || b%time.Minute != 0 {
		errs = append(errs, rules.NewViolation(rules.CodeDeploySettings, pa+"BakeTime", b.String(), "CodeDeploy waits a whole, non-negative number of minutes before it stops the blue tasks"))
	} else {
		errs = append(errs, rules.CheckTerminationWait(pa+"BakeTime", int(b/time.Minute)))
	}
	if w := cd.ApprovalWait; w < 0 || w%time.Minute != 0 {
		errs = append(errs, rules.NewViolation(rules.CodeDeploySettings, pa+"CodeDeploy.ApprovalWait", w.String(), "CodeDeploy waits a whole, non-negative number of minutes for a deployment to be continued"))
	}
	if len(d.Hooks) > 0 {
		errs = append(errs, rules.NewViolation(rules.CodeDeploySettings, pa+"Hooks", len(d.Hooks),
			"ECS lifecycle hooks need the ECS deployment controller; CodeDeploy runs the hooks its AppSpec names: use CodeDeploy.Hooks"))
	}
	seen := map[CodeDeployEvent]int{}
	for i, h := range cd.Hooks {
		ha := fmt.Sprintf("%sCodeDeploy.Hooks[%d].", pa, i)
		if h.Function == nil {
			errs = append(errs, rules.Missing(ha+"Function", "a CodeDeploy hook needs the Lambda function to invoke", docAppSpecHooks))
		}
		switch j, dup := seen[h.Event]; {
		case !slices.Contains(CodeDeployEvents, h.Event):
			errs = append(errs, rules.OneOf(ha+"Event", string(h.Event), "service.BeforeInstall, AfterInstall, AfterAllowTestTraffic, BeforeAllowTraffic or AfterAllowTraffic (the events of an ECS deployment)", docAppSpecHooks))
		case dup:
			errs = append(errs, rules.NewViolation(rules.CodeDeploySettings, ha+"Event", string(h.Event),
				"Hooks[%d] already runs at %s: an AppSpec names one Lambda function per lifecycle event (CodeDeploy User Guide, AppSpec 'hooks' section)", j, h.Event))
		default:
			seen[h.Event] = i
		}
	}
	steps := d.StepPercent != 0 || d.StepBakeTime != 0
	switch {
	case cd.Config != nil && steps:
		errs = append(errs, rules.NewViolation(rules.CodeDeploySettings, pa+"StepPercent", "set", "CodeDeploy.Config sets the traffic shifting: leave StepPercent and StepBakeTime unset"))
	case cd.Config != nil:
	case d.Strategy == BlueGreen:
		if steps {
			errs = append(errs, rules.NewViolation(rules.TrafficShiftSettings, pa+"StepPercent", "set", "steps are for LINEAR and CANARY; BLUE_GREEN shifts all traffic at once"))
		}
	default:
		errs = append(errs, rules.CheckCodeDeployPercent(pa+"StepPercent", d.step()))
		if sb := d.stepBake(); sb <= 0 || sb%time.Minute != 0 {
			errs = append(errs, rules.NewViolation(rules.CodeDeploySettings, pa+"StepBakeTime", sb.String(), "CodeDeploy shifts traffic at intervals of a whole, positive number of minutes"))
		}
	}
	return errs
}

// addHooks registers the lifecycle hooks on the built service; each gets a role ECS assumes
// that may invoke its function.
func (d Deployment) addHooks(s *Service) {
	for i, h := range d.Hooks {
		id := fmt.Sprintf("Hook%d", i)
		s.Service.AddLifecycleHook(awsecs.NewDeploymentLifecycleLambdaTarget(h.Function, conv.Str(id),
			&awsecs.DeploymentLifecycleLambdaTargetProps{LifecycleStages: &h.Stages}))
		if role := s.Service.Node().TryFindChild(conv.Str(id + "Role")); role != nil {
			if policy := role.Node().TryFindChild(conv.Str("DefaultPolicy")); policy != nil {
				nag.Suppress(policy, nag.Suppression{ID: "AwsSolutions-IAM5",
					Reason: "lambda:InvokeFunction on the hook's one function and its versions and aliases (<function ARN>:*), as CDK grants it; nothing else."})
			}
		}
	}
}

// Model is the deploy-time model's input for this deployment with the given load balancer
// health check (interval s, healthy threshold), deregistration delay and stop timeout (s).
// It is false for a CodeDeploy configuration other than a predefined one, whose steps are not
// known at synth.
func (d Deployment) Model(interval, threshold, deregistration, stop int) (rules.TrafficShiftDeployment, bool) {
	m := rules.TrafficShiftDeployment{Strategy: string(d.Strategy), StepPercent: d.step(),
		StepBake: int(d.stepBake() / time.Second), Bake: int(d.bake() / time.Second),
		HealthCheckInterval: interval, HealthyThreshold: threshold, DeregistrationDelay: deregistration, StopTimeout: stop}
	if d.UsesCodeDeploy() && d.CodeDeploy != nil && d.CodeDeploy.Config != nil {
		name := d.CodeDeploy.Config.DeploymentConfigName()
		c, ok := rules.CodeDeployPredefined(*name)
		if !ok {
			return m, false
		}
		m.Strategy, m.StepPercent, m.StepBake = c.Strategy, c.Percent, 60*c.IntervalMinutes
	}
	return m, true
}

// apply sets the deployment on the CDK service props. With CodeDeploy the deployment group
// holds the strategy, and CDK gives the service the task definition's family alone, so that a
// stack update registers new revisions without touching the service (which ECS refuses for a
// CODE_DEPLOY service).
func (d Deployment) apply(f *awsecs.FargateServiceProps) {
	if d.UsesCodeDeploy() {
		return
	}
	f.DeploymentStrategy = awsecs.DeploymentStrategy(d.Strategy)
	f.BakeTime = conv.Seconds(d.bake())
	shift := &awsecs.TrafficShiftConfig{StepPercent: &[]float64{d.step()}[0], StepBakeTime: conv.Seconds(d.stepBake())}
	switch d.Strategy {
	case Linear:
		f.LinearConfiguration = shift
	case Canary:
		f.CanaryConfiguration = shift
	}
}
