package tests

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/constructs/alerts"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/forgetest"
	"github.com/ecsforge/ecsforge/patterns/scheduledtask"
	"github.com/ecsforge/ecsforge/patterns/webservice"
)

// byPrefix returns the one resource of typ whose logical ID starts with prefix.
func byPrefix(t *testing.T, s forgetest.Stack, typ, prefix string) map[string]any {
	t.Helper()
	var found []map[string]any
	for id, r := range s.Template.Resources(typ) {
		if strings.HasPrefix(id, prefix) {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: %d resources of type %s named %s*, want 1", s.Name, len(found), typ, prefix)
	}
	props, _ := found[0]["Properties"].(map[string]any)
	return props
}

// jsonEq compares a template value with the JSON of what it should be.
func jsonEq(t *testing.T, what string, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation for %s: %v", what, err)
	}
	if !reflect.DeepEqual(got, w) {
		g, _ := json.Marshal(got)
		t.Errorf("%s:\n got %s\nwant %s", what, g, want)
	}
}

func TestNightlyBatch(t *testing.T) {
	s := examples(t).Stack(t, "NightlyBatch")
	_, sched := resource(t, s, "AWS::Scheduler::Schedule")
	jsonEq(t, "schedule", map[string]any{
		"ScheduleExpression": sched["ScheduleExpression"], "ScheduleExpressionTimezone": sched["ScheduleExpressionTimezone"],
		"FlexibleTimeWindow": sched["FlexibleTimeWindow"], "State": sched["State"],
	}, `{"ScheduleExpression": "cron(0 2 * * ? *)", "ScheduleExpressionTimezone": "Asia/Tokyo",
		"FlexibleTimeWindow": {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15}, "State": "ENABLED"}`)
	target := get(sched, "Target").(map[string]any)
	jsonEq(t, "target", map[string]any{"Arn": target["Arn"], "RetryPolicy": target["RetryPolicy"], "DeadLetterConfig": target["DeadLetterConfig"]},
		`{"Arn": {"Fn::GetAtt": ["BatchCluster4330916B", "Arn"]},
		  "RetryPolicy": {"MaximumEventAgeInSeconds": 1800, "MaximumRetryAttempts": 3},
		  "DeadLetterConfig": {"Arn": {"Fn::GetAtt": ["BatchDeadLetterQueueF9DFFFE6", "Arn"]}}}`)
	ecs := target["EcsParameters"].(map[string]any)
	jsonEq(t, "task", map[string]any{"TaskCount": ecs["TaskCount"], "CapacityProviderStrategy": ecs["CapacityProviderStrategy"],
		"PlatformVersion": ecs["PlatformVersion"], "PropagateTags": ecs["PropagateTags"], "EnableECSManagedTags": ecs["EnableECSManagedTags"],
		"TaskDefinitionArn": ecs["TaskDefinitionArn"], "LaunchType": ecs["LaunchType"]},
		`{"TaskCount": 2, "CapacityProviderStrategy": [{"CapacityProvider": "FARGATE_SPOT", "Weight": 3, "Base": 0}, {"CapacityProvider": "FARGATE", "Weight": 1, "Base": 0}],
		  "PlatformVersion": "LATEST", "PropagateTags": "TASK_DEFINITION", "EnableECSManagedTags": true,
		  "TaskDefinitionArn": {"Ref": "BatchTaskDefTask987DC994"}, "LaunchType": null}`)
	jsonEq(t, "network", get(ecs, "NetworkConfiguration"), `{"AwsvpcConfiguration": {"AssignPublicIp": "DISABLED",
		"SecurityGroups": [{"Fn::GetAtt": ["BatchSecurityGroup2CDE977B", "GroupId"]}],
		"Subnets": [{"Ref": "BatchClusterVpcPrivateSubnet1Subnet0C729AF3"}, {"Ref": "BatchClusterVpcPrivateSubnet2Subnet0425A094"}]}}`)

	sg := byPrefix(t, s, "AWS::EC2::SecurityGroup", "BatchSecurityGroup")
	if sg["SecurityGroupIngress"] != nil {
		t.Errorf("the task's security group has ingress: %v", sg["SecurityGroupIngress"])
	}
	jsonEq(t, "egress", sg["SecurityGroupEgress"], `[{"CidrIp": "0.0.0.0/0", "Description": "HTTPS: image pulls, logs, secrets", "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443}]`)
	for id, r := range s.Template.Resources("AWS::EC2::SecurityGroupIngress") {
		if strings.Contains(forgetestJSON(r), "BatchSecurityGroup") {
			t.Errorf("%s opens the task's security group", id)
		}
	}

	// The Scheduler role may do exactly four things.
	role := byPrefix(t, s, "AWS::IAM::Role", "BatchSchedulerRole")
	jsonEq(t, "trust", get(role, "AssumeRolePolicyDocument", "Statement"), `[{"Action": "sts:AssumeRole", "Effect": "Allow",
		"Principal": {"Service": "scheduler.amazonaws.com"}, "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}]`)
	if role["ManagedPolicyArns"] != nil || role["Policies"] != nil {
		t.Errorf("the Scheduler role has other policies: %v %v", role["ManagedPolicyArns"], role["Policies"])
	}
	policy := byPrefix(t, s, "AWS::IAM::Policy", "BatchSchedulerRoleDefaultPolicy")
	jsonEq(t, "scheduler role policy", get(policy, "PolicyDocument", "Statement"), `[
	 {"Action": "ecs:RunTask", "Effect": "Allow",
	  "Condition": {"ArnEquals": {"ecs:cluster": {"Fn::GetAtt": ["BatchCluster4330916B", "Arn"]}}},
	  "Resource": {"Fn::Join": ["", ["arn:aws:ecs:eu-west-1:", {"Ref": "AWS::AccountId"}, ":task-definition/nightly-batch:*"]]}},
	 {"Action": "iam:PassRole", "Effect": "Allow",
	  "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
	  "Resource": [{"Fn::GetAtt": ["BatchTaskDefTaskExecutionRole523BAF4A", "Arn"]}, {"Fn::GetAtt": ["BatchTaskDefTaskTaskRoleCB8C2EA1", "Arn"]}]},
	 {"Action": "ecs:TagResource", "Effect": "Allow",
	  "Condition": {"StringEquals": {"ecs:CreateAction": "RunTask"}},
	  "Resource": {"Fn::Join": ["", ["arn:aws:ecs:eu-west-1:", {"Ref": "AWS::AccountId"}, ":task/", {"Ref": "BatchCluster4330916B"}, "/*"]]}},
	 {"Action": "sqs:SendMessage", "Effect": "Allow", "Resource": {"Fn::GetAtt": ["BatchDeadLetterQueueF9DFFFE6", "Arn"]}}]`)

	// The dead-letter queue: encrypted, 14 days, TLS only, with an alarm to the alert topic.
	q := byPrefix(t, s, "AWS::SQS::Queue", "BatchDeadLetterQueue")
	jsonEq(t, "queue", q, `{"MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": true}`)
	qp := byPrefix(t, s, "AWS::SQS::QueuePolicy", "BatchDeadLetterQueuePolicy")
	if !strings.Contains(forgetestJSON(qp), `"aws:SecureTransport":"false"`) {
		t.Errorf("the dead-letter queue accepts plain HTTP: %s", forgetestJSON(qp))
	}
	_, alarm := resource(t, s, "AWS::CloudWatch::Alarm")
	jsonEq(t, "alarm", map[string]any{"MetricName": alarm["MetricName"], "Namespace": alarm["Namespace"], "Threshold": alarm["Threshold"],
		"ComparisonOperator": alarm["ComparisonOperator"], "AlarmActions": alarm["AlarmActions"], "Statistic": alarm["Statistic"]},
		`{"MetricName": "ApproximateNumberOfMessagesVisible", "Namespace": "AWS/SQS", "Threshold": 1, "Statistic": "Maximum",
		  "ComparisonOperator": "GreaterThanOrEqualToThreshold", "AlarmActions": [{"Ref": "BatchAlertsTopic8A8A2AED"}]}`)

	// Failed runs and Spot interruptions go to the encrypted topic.
	failures := byPrefix(t, s, "AWS::Events::Rule", "BatchAlertsFailures")
	jsonEq(t, "failure pattern", failures["EventPattern"], `{"source": ["aws.ecs"], "detail-type": ["ECS Task State Change"],
		"detail": {"clusterArn": [{"Fn::GetAtt": ["BatchCluster4330916B", "Arn"]}], "group": ["family:nightly-batch"], "lastStatus": ["STOPPED"],
		  "$or": [{"containers": {"exitCode": [{"anything-but": 0}]}}, {"stopCode": ["TaskFailedToStart"]}]}}`)
	if got := get(failures, "Targets", "0", "Arn"); !reflect.DeepEqual(got, map[string]any{"Ref": "BatchAlertsTopic8A8A2AED"}) {
		t.Errorf("failure rule target %v", got)
	}
	if msg, _ := get(failures, "Targets", "0", "InputTransformer", "InputTemplate").(string); !strings.Contains(msg, "<detail-stoppedReason>") {
		t.Errorf("the alert does not say why the task stopped: %q", msg)
	}
	spot := byPrefix(t, s, "AWS::Events::Rule", "BatchAlertsSpotInterruption")
	jsonEq(t, "spot pattern", get(spot, "EventPattern", "detail"), `{"clusterArn": [{"Fn::GetAtt": ["BatchCluster4330916B", "Arn"]}],
		"group": ["family:nightly-batch"], "stopCode": ["SpotInterruption"], "lastStatus": [{"anything-but": "STOPPED"}]}`)
	topic := byPrefix(t, s, "AWS::SNS::Topic", "BatchAlertsTopic")
	if get(topic, "KmsMasterKeyId") == nil {
		t.Error("the alert topic is not encrypted")
	}
	key := byPrefix(t, s, "AWS::KMS::Key", "BatchAlertsKey")
	if !strings.Contains(forgetestJSON(key), `"Service":["cloudwatch.amazonaws.com","events.amazonaws.com"]`) {
		t.Errorf("EventBridge and CloudWatch cannot use the topic's key: %s", forgetestJSON(key))
	}
}

func TestHourlyEc2(t *testing.T) {
	s := examples(t).Stack(t, "HourlyEc2")
	_, sched := resource(t, s, "AWS::Scheduler::Schedule")
	if sched["ScheduleExpression"] != "rate(1 hour)" || sched["ScheduleExpressionTimezone"] != "UTC" {
		t.Errorf("schedule %v in %v", sched["ScheduleExpression"], sched["ScheduleExpressionTimezone"])
	}
	ecs := get(sched, "Target", "EcsParameters").(map[string]any)
	providers := s.Template.Resources("AWS::ECS::CapacityProvider")
	if len(providers) != 1 {
		t.Fatalf("%d capacity providers", len(providers))
	}
	for id := range providers {
		jsonEq(t, "strategy", ecs["CapacityProviderStrategy"], `[{"CapacityProvider": {"Ref": "`+id+`"}, "Base": 0, "Weight": 1}]`)
	}
	jsonEq(t, "placement", map[string]any{"PlacementStrategy": ecs["PlacementStrategy"], "PlacementConstraints": ecs["PlacementConstraints"]},
		`{"PlacementStrategy": [{"Type": "spread", "Field": "attribute:ecs.availability-zone"}, {"Type": "binpack", "Field": "memory"}],
		  "PlacementConstraints": [{"Type": "memberOf", "Expression": "attribute:workload == jobs"}]}`)
	for _, k := range []string{"NetworkConfiguration", "PlatformVersion", "LaunchType"} {
		if ecs[k] != nil {
			t.Errorf("a bridge task on EC2 capacity has %s %v", k, ecs[k])
		}
	}
	if got := len(s.Template.Resources("AWS::Events::Rule")); got != 1 {
		t.Errorf("%d event rules, want the failure alert alone (no Spot on EC2 capacity)", got)
	}
}

// TestScheduledTaskBadProps checks that synth fails with every violation of bad props.
func TestScheduledTaskBadProps(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Bad"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	scheduledtask.New(stack, "Job", scheduledtask.Props{
		Task:      taskdef.Props{Containers: []taskdef.Container{{Image: awsecs.ContainerImage_FromRegistry(jsii.String("busybox"), nil)}}},
		Schedule:  scheduledtask.Schedule{Expression: "cron(0 2 * * *)", TimeZone: "Asia/Tokio", FlexibleWindow: 30 * time.Second},
		TaskCount: 11,
		Retry:     scheduledtask.Retry{MaxAttempts: new(200)},
	})
	err := forgetest.SynthError(app)
	for _, want := range []string{
		`[Bad/Job] ECS091 Schedule.Expression="cron(0 2 * * *)": cron() takes 6 fields`,
		`ECS091 Schedule.TimeZone="Asia/Tokio"`,
		`ECS092 Schedule.FlexibleWindow=30s: a flexible time window is a whole number of minutes; fix: bring the retry policy and the flexible time window into their documented ranges (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_FlexibleTimeWindow.html)`,
		`ECS092 Retry.MaxAttempts=200`,
		`ECS090 TaskCount=11`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
	if fs := forgetest.Findings(err); len(fs) != 5 {
		t.Errorf("want 5 findings, got %+v", fs)
	}
}

// TestServiceAlerts puts the failure alert on a web service's tasks.
func TestServiceAlerts(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Alerts"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	web := webservice.New(stack, "Web", webservice.Image("amazon/amazon-ecs-sample"))
	alerts.ForService(stack, "WebAlerts", web.Service.Service, alerts.Props{SpotInterruption: true})
	s := forgetest.Synth(t, app).Stack(t, "Alerts")
	failures := byPrefix(t, s, "AWS::Events::Rule", "WebAlertsFailures")
	jsonEq(t, "service failures", get(failures, "EventPattern", "detail"), `{"clusterArn": [{"Fn::GetAtt": ["WebCluster5D090ECB", "Arn"]}],
		"group": [{"Fn::Join": ["", ["service:", {"Fn::GetAtt": ["WebService436DDF84", "Name"]}]]}],
		"lastStatus": ["STOPPED"], "stopCode": ["TaskFailedToStart", "EssentialContainerExited"]}`)
	byPrefix(t, s, "AWS::Events::Rule", "WebAlertsSpotInterruption")
}
