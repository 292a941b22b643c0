// Package alerts tells people when ECS tasks fail: an EventBridge rule on ECS "Task State
// Change" events for one task group (the tasks of a task definition family that RunTask or a
// schedule starts, or the tasks of one service), delivered to an encrypted SNS topic, and,
// for Fargate Spot, a rule on the two-minute interruption warning.
//
// ECS Developer Guide, "Amazon ECS task state change events":
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html
package alerts

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/internal/conv"
)

// Stop codes of a stopped task (ECS API Reference, Task.stopCode).
const (
	StopFailedToStart      = "TaskFailedToStart"
	StopEssentialExited    = "EssentialContainerExited"
	StopSpotInterruption   = "SpotInterruption"
	taskStateChange        = "ECS Task State Change"
	statusStopped          = "STOPPED"
	serviceGroupPrefix     = "service:"
	familyGroupPrefix      = "family:"
	cloudWatchAlarmService = "cloudwatch.amazonaws.com"
)

// Kind says which stopped tasks are failures.
type Kind int

const (
	// Runs are tasks that run to completion (scheduled or RunTask): a task fails when a
	// container exits with a non-zero code or the task never started.
	Runs Kind = iota
	// ServiceTasks are long-running: a task of a service fails when an essential container
	// exits, whatever its code, or the task never started. Tasks the scheduler stops (scale-in,
	// deployments) and tasks a user stops are not failures.
	ServiceTasks
)

// Props configures the alerts of one task group.
type Props struct {
	Cluster awsecs.ICluster
	// Group is the ECS task group: "family:<family>" for tasks RunTask starts without a group,
	// "service:<name>" for the tasks of a service (ForFamily and ForService set it).
	Group string
	Kind  Kind
	// Topic receives the alerts; nil creates a topic encrypted with a new KMS key.
	Topic awssns.ITopic
	// SpotInterruption also alerts on the Fargate Spot two-minute interruption warning.
	SpotInterruption bool
}

// Alerts are the rules and the topic of one task group.
type Alerts struct {
	constructs.Construct
	Topic awssns.ITopic
	// Key encrypts a created topic (nil for a given one).
	Key      awskms.IKey
	Failures awsevents.Rule
	// Spot is the interruption warning rule (nil unless Props.SpotInterruption).
	Spot awsevents.Rule
}

// ForFamily alerts on failed runs of a task definition family in a cluster.
func ForFamily(scope constructs.Construct, id string, cluster awsecs.ICluster, family string, p Props) *Alerts {
	p.Cluster, p.Group, p.Kind = cluster, familyGroupPrefix+family, Runs
	return New(scope, id, p)
}

// ForService alerts on tasks of a service that stop unexpectedly.
func ForService(scope constructs.Construct, id string, svc awsecs.BaseService, p Props) *Alerts {
	p.Cluster, p.Group, p.Kind = svc.Cluster(), serviceGroupPrefix+*svc.ServiceName(), ServiceTasks
	return New(scope, id, p)
}

// New builds the alerts.
func New(scope constructs.Construct, id string, p Props) *Alerts {
	a := &Alerts{Topic: p.Topic}
	constructs.NewConstruct_Override(a, scope, conv.Str(id))
	if a.Topic == nil {
		key := awskms.NewKey(a, conv.Str("Key"), &awskms.KeyProps{
			Description:       conv.Str("Encrypts the ECS task alerts topic " + *a.Node().Path()),
			EnableKeyRotation: conv.Bool(true),
		})
		a.Key = key
		a.Topic = awssns.NewTopic(a, conv.Str("Topic"), &awssns.TopicProps{MasterKey: key, EnforceSSL: conv.Bool(true)})
	}
	detail := map[string]any{
		"clusterArn": []any{p.Cluster.ClusterArn()},
		"group":      []any{p.Group},
		"lastStatus": []any{statusStopped},
	}
	if p.Kind == Runs {
		detail["$or"] = []any{
			map[string]any{"containers": map[string]any{"exitCode": []any{map[string]any{"anything-but": 0}}}},
			map[string]any{"stopCode": []any{StopFailedToStart}},
		}
	} else {
		detail["stopCode"] = []any{StopFailedToStart, StopEssentialExited}
	}
	a.Failures = a.rule("Failures", "ECS tasks of "+p.Group+" that failed", detail,
		"ECS task <task> of <group> in <cluster> stopped (<stopCode>): <reason>")
	if p.SpotInterruption {
		a.Spot = a.rule("SpotInterruption", "Fargate Spot interruption warnings for "+p.Group, map[string]any{
			"clusterArn": []any{p.Cluster.ClusterArn()},
			"group":      []any{p.Group},
			"stopCode":   []any{StopSpotInterruption},
			"lastStatus": []any{map[string]any{"anything-but": statusStopped}},
		}, "Fargate Spot interrupts ECS task <task> of <group> in <cluster> in two minutes: <reason>")
	}
	return a
}

// rule routes task state change events matching detail to the topic with a readable message.
func (a *Alerts) rule(id, description string, detail map[string]any, message string) awsevents.Rule {
	r := awsevents.NewRule(a, conv.Str(id), &awsevents.RuleProps{
		Description: conv.Str(description),
		EventPattern: &awsevents.EventPattern{
			Source:     conv.Strs([]string{"aws.ecs"}),
			DetailType: conv.Strs([]string{taskStateChange}),
			Detail:     &detail,
		},
	})
	text := message
	for k, path := range map[string]string{"<task>": "$.detail.taskArn", "<group>": "$.detail.group",
		"<cluster>": "$.detail.clusterArn", "<stopCode>": "$.detail.stopCode", "<reason>": "$.detail.stoppedReason"} {
		text = strings.ReplaceAll(text, k, *awsevents.EventField_FromPath(conv.Str(path)))
	}
	r.AddTarget(awseventstargets.NewSnsTopic(a.Topic, &awseventstargets.SnsTopicProps{
		Message: awsevents.RuleTargetInput_FromText(conv.Str(text)),
	}))
	return r
}

// AllowAlarms lets CloudWatch alarms publish to a created topic: its KMS key must allow
// CloudWatch to encrypt (SNS Developer Guide, "Configure AWS KMS permissions for AWS services").
func (a *Alerts) AllowAlarms() {
	if a.Key != nil {
		a.Key.Grant(awsiam.NewServicePrincipal(conv.Str(cloudWatchAlarmService), nil), conv.Str("kms:Decrypt"), conv.Str("kms:GenerateDataKey*"))
	}
}

// ToString returns the construct path (jsii subclassing needs an overriding method).
func (a *Alerts) ToString() *string { return a.Node().Path() }
