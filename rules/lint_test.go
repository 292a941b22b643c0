package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLintRules lints testdata/cases: for each rule, <RULE>_<n>_bad.yaml must produce a
// finding of that rule, and its valid neighbour <RULE>_<n>_good.yaml no finding at all.
func TestLintRules(t *testing.T) {
	bads, err := filepath.Glob("testdata/cases/*_bad.yaml")
	if err != nil || len(bads) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	covered := map[string]bool{}
	for _, bad := range bads {
		rule, _, _ := strings.Cut(filepath.Base(bad), "_")
		covered[rule] = true
		good := strings.TrimSuffix(bad, "_bad.yaml") + "_good.yaml"
		// A case with a _previous.yaml is a stack update: bad and good are linted as updates
		// of the template deployed before.
		lint := func(t *testing.T, path string) []Finding { return lintFile(t, path) }
		if prev := strings.TrimSuffix(bad, "_bad.yaml") + "_previous.yaml"; fileExists(prev) {
			lint = func(t *testing.T, path string) []Finding {
				t.Helper()
				before, err := Load(prev)
				if err != nil {
					t.Fatal(err)
				}
				after, err := Load(path)
				if err != nil {
					t.Fatal(err)
				}
				return LintUpdate(before[0], after[0])
			}
		}
		t.Run(strings.TrimSuffix(filepath.Base(bad), "_bad.yaml"), func(t *testing.T) {
			fs := lint(t, bad)
			if !hasRule(fs, rule) {
				t.Errorf("%s: no %s finding; got %v", bad, rule, fs)
			}
			for _, f := range fs {
				if f.Rule.ID == rule && (f.LogicalID == "" || f.Subject() == "" || f.Message == "") {
					t.Errorf("finding lacks location or message: %+v", f)
				}
			}
			if fs := lint(t, good); len(fs) > 0 {
				t.Errorf("%s: valid neighbour rejected: %v", good, fs)
			}
		})
	}
	for _, r := range Catalogue() {
		if !covered[r.ID] && !propsOnly[r.ID] {
			t.Errorf("rule %s has no case in testdata/cases", r.ID)
		}
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func lintFile(t *testing.T, path string) []Finding {
	t.Helper()
	ts, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return Lint(ts[0])
}

// propsOnly are rules checked on construct props only: a template has no such property.
var propsOnly = map[string]bool{}

func lintYAML(t *testing.T, src string) []Finding {
	t.Helper()
	tmpl, err := ParseTemplate("test.yaml", []byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return Lint(tmpl)
}

func hasRule(fs []Finding, id string) bool {
	for _, f := range fs {
		if f.Rule.ID == id {
			return true
		}
	}
	return false
}

// TestIntrinsicsNeverFail puts intrinsic functions in every position the rules read: no rule
// may report an error on a value it cannot know.
func TestIntrinsicsNeverFail(t *testing.T) {
	src := `
Parameters: {P: {Type: String}}
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE, !Ref P]
      NetworkMode: !Ref P
      Cpu: !Ref P
      Memory: !Ref P
      PidMode: !Ref P
      EphemeralStorage: {SizeInGiB: !Ref P}
      RuntimePlatform: {OperatingSystemFamily: !Ref P, CpuArchitecture: !Ref P}
      ExecutionRoleArn: !Ref P
      Volumes: !Ref P
      ContainerDefinitions:
        - Name: !Ref P
          Image: !Sub "${P}:latest"
          Cpu: !Ref P
          Memory: !Ref P
          StopTimeout: !Ref P
          Privileged: !Ref P
          HealthCheck: {Command: !Ref P, Interval: !Ref P, Timeout: !Ref P, Retries: !Ref P, StartPeriod: !Ref P}
          PortMappings: [{ContainerPort: !Ref P, HostPort: !Ref P, Name: !Ref P}]
          LinuxParameters: {Capabilities: {Add: [!Ref P]}, MaxSwap: !If [C, 1, !Ref "AWS::NoValue"]}
          Ulimits: [{Name: !Ref P}]
          SystemControls: [{Namespace: !Ref P}]
          LogConfiguration: {LogDriver: !Ref P}
  TG:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Protocol: !Ref P
      TargetType: !Ref P
      HealthCheckIntervalSeconds: !Ref P
      HealthCheckTimeoutSeconds: !Ref P
      HealthyThresholdCount: !Ref P
      Matcher: {HttpCode: !Ref P}
      TargetGroupAttributes: [{Key: deregistration_delay.timeout_seconds, Value: !Ref P}]
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !ImportValue shared-cluster
      TaskDefinition: !Ref Task
      LaunchType: !Ref P
      DeploymentController: {Type: !Ref P}
      DesiredCount: !Ref P
      NetworkConfiguration: !Ref P
      DeploymentConfiguration: {MinimumHealthyPercent: !Ref P, MaximumPercent: !Ref P}
      CapacityProviderStrategy: [{CapacityProvider: !Ref P, Base: !Ref P, Weight: !Ref P}]
      LoadBalancers: [{ContainerName: app, ContainerPort: 80, TargetGroupArn: !Ref TG}]
      ServiceConnectConfiguration: {Enabled: !Ref P, Services: [{PortName: !Ref P}]}
  Daemon:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      SchedulingStrategy: DAEMON
      LaunchType: !Ref P
      DeploymentController: {Type: !Ref P}
      DesiredCount: !Ref P
      PlacementStrategies: !Ref P
  Schedule:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: !Ref P
      ScheduleExpressionTimezone: !Ref P
      FlexibleTimeWindow: {Mode: FLEXIBLE, MaximumWindowInMinutes: !Ref P}
      Target:
        EcsParameters: {TaskCount: !Ref P, TaskDefinitionArn: !Ref P, LaunchType: !Ref P, PlatformVersion: !Ref P,
          NetworkConfiguration: {AwsvpcConfiguration: {AssignPublicIp: !Ref P, Subnets: [!Ref P]}}}
        RetryPolicy: {MaximumEventAgeInSeconds: !Ref P, MaximumRetryAttempts: !Ref P}
        DeadLetterConfig: {Arn: !Ref P}
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: !Ref P
      Targets: [{Id: t, Arn: !Ref P, EcsParameters: {TaskCount: !Ref P, TaskDefinitionArn: !Ref Task}, DeadLetterConfig: {Arn: !ImportValue dlq}}]
  IfTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "512"
      ContainerDefinitions:
        - !If [C, {Name: web, Image: nginx, PortMappings: [{ContainerPort: 80}]}, !Ref "AWS::NoValue"]
        - {Name: side, Image: nginx, PortMappings: !Ref P}
  IfService:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref IfTask
      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [subnet-1]}}
      LoadBalancers: [{ContainerName: web, ContainerPort: 80, TargetGroupArn: !Ref TG}, {ContainerName: side, ContainerPort: !Ref P, TargetGroupArn: !Ref TG}]
  CP:
    Type: AWS::ECS::CapacityProvider
    Properties:
      AutoScalingGroupProvider:
        AutoScalingGroupArn: !Ref P
        ManagedTerminationProtection: !Ref P
        ManagedScaling: {Status: !Ref P, TargetCapacity: !Ref P}
  DG:
    Type: AWS::CodeDeploy::DeploymentGroup
    Properties:
      DeploymentConfigName: !Ref P
      ECSServices: [{ClusterName: !Ref P, ServiceName: !GetAtt Service.Name}]
      LoadBalancerInfo:
        TargetGroupPairInfoList: [{TargetGroups: !Ref P, ProdTrafficRoute: {ListenerArns: !Ref P}, TestTrafficRoute: {ListenerArns: [!Ref P]}}]
  LT:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {ImageId: !Ref P, UserData: !Base64 {"Fn::Sub": "${P}"}}
  Target:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties: {MinCapacity: !Ref P, MaxCapacity: 2, ScheduledActions: [{Schedule: !Ref P, Timezone: !Ref P}]}
  Policy:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: !Ref P
        PredefinedMetricSpecification: {PredefinedMetricType: !Ref P}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {Protocol: !Ref P, Certificates: !Ref P}
`
	if fs := lintYAML(t, src); HasErrors(fs) {
		t.Errorf("intrinsics caused errors: %v", fs)
	}
}

func TestParseTemplateYAMLShortForms(t *testing.T) {
	tmpl, err := ParseTemplate("t.yaml", []byte(`
Resources:
  A:
    Type: AWS::SNS::Topic
    Properties:
      X: !GetAtt B.Arn
      Y: !Sub "${AWS::Region}"
      Z: !Select [0, !GetAZs ""]
      W: !Select [1, [!Ref A, !Ref B]]
  B: {Type: AWS::SNS::Topic}
`))
	if err != nil {
		t.Fatal(err)
	}
	a := tmpl.Resources["A"]
	if tmpl.Target(a.Get("W")) != tmpl.Resources["B"] || tmpl.Target(a.Get("Z")) != nil {
		t.Errorf("!Select resolution: W=%v Z=%v", tmpl.Target(a.Get("W")), tmpl.Target(a.Get("Z")))
	}
	if tmpl.Target(a.Get("X")) != tmpl.Resources["B"] {
		t.Errorf("!GetAtt B.Arn does not resolve to B: %v", a.Get("X"))
	}
	if fmt.Sprint(a.Get("Y")) != "map[Fn::Sub:${AWS::Region}]" || fmt.Sprint(a.Get("Z")) != "map[Fn::Select:[0 map[Fn::GetAZs:]]]" {
		t.Errorf("short forms: %v %v", a.Get("Y"), a.Get("Z"))
	}
	for _, bad := range []string{"", "[1, 2]", "Foo: bar", "{"} {
		if _, err := ParseTemplate("bad", []byte(bad)); err == nil {
			t.Errorf("%q parsed as a template", bad)
		}
	}
}

// TestServiceTaskDefinitionByFamily: a service that names its task definition by family (as
// CDK does for CODE_DEPLOY services) gets the task-level service checks.
func TestServiceTaskDefinitionByFamily(t *testing.T) {
	for _, ref := range []string{"web", "web:3"} {
		fs := lintYAML(t, `
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: web
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "512"
      ContainerDefinitions: [{Name: app, Image: nginx}]
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: `+ref+`
      DeploymentController: {Type: CODE_DEPLOY}
`)
		if !hasRule(fs, AwsvpcNetworkConfig.ID) {
			t.Errorf("TaskDefinition %q: the awsvpc task's service without a network configuration was not found: %v", ref, fs)
		}
	}
}

// TestStuckDeploymentHasNoDeployTime: a service whose deployment cannot progress is an error
// (ECS041) and is not listed with a modeled time of 0 s.
func TestStuckDeploymentHasNoDeployTime(t *testing.T) {
	b, err := os.ReadFile("testdata/cases/ECS041_2_bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := ParseTemplate("stuck.yaml", b)
	if err != nil {
		t.Fatal(err)
	}
	if !hasRule(Lint(tmpl), DeploymentProgress.ID) {
		t.Error("no ECS041")
	}
	if ds := DeployTimes(tmpl); len(ds) != 0 {
		t.Errorf("modeled: %+v", ds)
	}
}

// TestNativeBlueGreenIsNotRolling: ECS-native blue/green, linear and canary deployments (and a
// strategy behind Fn::If) are not modeled as rolling updates, nor checked as one.
func TestNativeBlueGreenIsNotRolling(t *testing.T) {
	b, err := os.ReadFile("testdata/cases/ECS041_2_bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{"BLUE_GREEN", "LINEAR", "CANARY", "!If [C, BLUE_GREEN, ROLLING]"} {
		src := strings.Replace(string(b), "DeploymentConfiguration: {", "DeploymentConfiguration: {Strategy: "+st+", ", 1)
		tmpl, err := ParseTemplate("bg.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if fs := Lint(tmpl); hasRule(fs, DeploymentProgress.ID) || hasRule(fs, SlowDeployment.ID) {
			t.Errorf("%s: %v", st, fs)
		}
		if ds := DeployTimes(tmpl); len(ds) != 0 {
			t.Errorf("%s modeled as rolling: %+v", st, ds)
		}
	}
}

// TestTrafficShiftModeled: a canary service with a literal bake time is listed with its
// traffic-shift model, ECS's canary defaults filling in what the template leaves out.
func TestTrafficShiftModeled(t *testing.T) {
	b, err := os.ReadFile("testdata/cases/ECS041_2_good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(b), "DeploymentConfiguration: {", "DeploymentConfiguration: {Strategy: CANARY, BakeTimeInMinutes: 10, ", 1)
	tmpl, err := ParseTemplate("canary.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ds := DeployTimes(tmpl)
	if len(ds) != 1 || ds[0].Shift == nil {
		t.Fatalf("deploys %+v", ds)
	}
	// ECS's canary defaults: 5 %, 10 minutes between the shifts; the template's 10-minute bake;
	// no load balancer in this template, so no health checks or drain; ECS's 30 s stop.
	if got := ds[0].Seconds(); got != 30+600+600+30 || ds[0].Shift.Steps != 2 {
		t.Errorf("modeled %s", ds[0].Model())
	}
}

// TestTrafficShiftNLBDelay: a BLUE_GREEN service behind a TCP target group waits ECS's
// 10 minutes in each of the two traffic shift stages; an ALB target group, or a protocol behind
// a parameter, adds nothing.
func TestTrafficShiftNLBDelay(t *testing.T) {
	const src = `
Parameters:
  Protocol: {Type: String}
Resources:
  Blue:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Protocol: %s, Port: 80, TargetType: ip, VpcId: vpc-1, HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 2,
      TargetGroupAttributes: [{Key: deregistration_delay.timeout_seconds, Value: "30"}]}
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: c
      TaskDefinition: td
      DesiredCount: 2
      DeploymentConfiguration: {Strategy: BLUE_GREEN, BakeTimeInMinutes: 5}
      LoadBalancers: [{TargetGroupArn: !Ref Blue, ContainerName: app, ContainerPort: 80}]
`
	for _, c := range []struct {
		protocol string
		want     int
	}{
		{"TCP", 30 + 20 + 300 + 30 + 30 + 2*NLBStageDelaySeconds},
		{"HTTP", 30 + 20 + 300 + 30 + 30},
		{"!Ref Protocol", 30 + 20 + 300 + 30 + 30},
	} {
		tmpl, err := ParseTemplate("nlb.yaml", []byte(fmt.Sprintf(src, c.protocol)))
		if err != nil {
			t.Fatal(err)
		}
		ds := DeployTimes(tmpl)
		if len(ds) != 1 || ds[0].Shift == nil || ds[0].Seconds() != c.want {
			t.Fatalf("%s: deploys %+v, want %d s", c.protocol, ds, c.want)
		}
		if nlb := strings.Contains(ds[0].Model(), "Network Load Balancer delay"); nlb != (c.protocol == "TCP") {
			t.Errorf("%s: %s", c.protocol, ds[0].Model())
		}
	}
}
