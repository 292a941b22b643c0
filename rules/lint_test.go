package rules

import (
	"fmt"
	"strings"
	"testing"
)

// fargateTask is a valid Fargate task definition in YAML; %s is spliced into its properties
// (at 4 spaces) and %s into its first container (at 8 spaces).
const fargateTask = `
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "512"
      ExecutionRoleArn: !GetAtt ExecRole.Arn
%s
      ContainerDefinitions:
        - Name: app
          Image: nginx
          PortMappings:
            - ContainerPort: 80
              Name: http
%s
`

func task(props, container string) string {
	return fmt.Sprintf(fargateTask, indent(props, 6), indent(container, 10))
}

func indent(s string, n int) string {
	if s == "" {
		return ""
	}
	pad := strings.Repeat(" ", n)
	lines := strings.Split(strings.Trim(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = pad + l
	}
	return strings.Join(lines, "\n")
}

// service appends a service (and whatever else) to a template; %s goes into its properties.
func service(props string) string {
	return `
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref Task
` + indent(props, 6) + "\n"
}

const cluster = `
  Cluster:
    Type: AWS::ECS::Cluster
  Assoc:
    Type: AWS::ECS::ClusterCapacityProviderAssociations
    Properties:
      Cluster: !Ref Cluster
      CapacityProviders: [FARGATE, FARGATE_SPOT]
      DefaultCapacityProviderStrategy: []
`

const awsvpcNet = `NetworkConfiguration:
  AwsvpcConfiguration:
    Subnets: [subnet-1]`

// tg is a target group with fast health checks (so ECS100 stays quiet); props add to them.
func tg(props string) string {
	return `
  TG:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Protocol: HTTP
      Port: 80
      HealthCheckIntervalSeconds: 5
      HealthyThresholdCount: 2
` + indent(props, 6) + "\n"
}

const header = "Resources:\n"

func TestLintRules(t *testing.T) {
	cases := []struct {
		rule      string
		bad, good string
	}{
		{"ECS001", task("", "") + "", ""}, // filled below
	}
	cases = cases[:0]
	add := func(rule, bad, good string) { cases = append(cases, struct{ rule, bad, good string }{rule, bad, good}) }

	add("ECS001", strings.Replace(task("", ""), `Memory: "512"`, `Memory: "4096"`, 1),
		strings.Replace(task("", ""), `Memory: "512"`, `Memory: "2048"`, 1))
	add("ECS001", strings.Replace(strings.Replace(task("", ""), `Cpu: "256"`, `Cpu: "1 vCPU"`, 1), `Memory: "512"`, `Memory: "1 GB"`, 1),
		strings.Replace(strings.Replace(task("", ""), `Cpu: "256"`, `Cpu: "1 vCPU"`, 1), `Memory: "512"`, `Memory: "2 GB"`, 1))
	add("ECS002", task("", "Memory: 1024"), task("", "Memory: 512"))
	add("ECS003", task("EphemeralStorage: {SizeInGiB: 10}", ""), task("EphemeralStorage: {SizeInGiB: 30}", ""))
	add("ECS004", task("", "StopTimeout: 300"), task("", "StopTimeout: 120"))
	add("ECS005", task("", "Privileged: true"), task("", "Privileged: false"))
	add("ECS005", task("", "Links: [db]"), task("", "Links: []"))
	add("ECS005", task("PidMode: host", ""), task("PidMode: task", ""))
	add("ECS005", task("IpcMode: host", ""), task("", ""))
	add("ECS005", task("", "ResourceRequirements: [{Type: GPU, Value: '1'}]"), task("", ""))
	add("ECS005", task("", "DnsServers: [10.0.0.2]"), task("", ""))
	add("ECS005", task("", "ExtraHosts: [{Hostname: a, IpAddress: 10.0.0.1}]"), task("", ""))
	add("ECS005", task("", "LinuxParameters: {MaxSwap: 100}"), task("", "LinuxParameters: {InitProcessEnabled: true}"))
	add("ECS005", task("", "LinuxParameters: {Capabilities: {Add: [NET_ADMIN]}}"), task("", "LinuxParameters: {Capabilities: {Add: [SYS_PTRACE]}}"))
	add("ECS005", task("", "SystemControls: [{Namespace: vm.swappiness, Value: '10'}]"), task("", "SystemControls: [{Namespace: net.core.somaxconn, Value: '1024'}]"))
	add("ECS005", task("Volumes: [{Name: d, DockerVolumeConfiguration: {Scope: task}}]", ""), task("Volumes: [{Name: d}]", ""))
	add("ECS005", task("Volumes: [{Name: d, Host: {SourcePath: /var/log}}]", ""), task("Volumes: [{Name: d, Host: {}}]", ""))
	add("ECS005", task("PlacementConstraints: [{Type: memberOf, Expression: 'attribute:x == y'}]", ""), task("", ""))
	add("ECS005", task("", "LogConfiguration: {LogDriver: json-file}"), task("", "LogConfiguration: {LogDriver: awslogs}"))
	add("ECS005", task("", "FirelensConfiguration: {Type: fluentbit, Options: {config-file-type: s3, config-file-value: 'arn:aws:s3:::b/c'}}"),
		task("", "FirelensConfiguration: {Type: fluentbit, Options: {config-file-type: file, config-file-value: /c.conf}}"))
	add("ECS005", strings.Replace(task("", ""), "NetworkMode: awsvpc", "NetworkMode: bridge", 1), task("", ""))
	windows := func(cpu, arch string) string {
		return strings.Replace(strings.Replace(task("RuntimePlatform: {OperatingSystemFamily: WINDOWS_SERVER_2022_CORE, CpuArchitecture: "+arch+"}", ""), `Cpu: "256"`, `Cpu: "`+cpu+`"`, 1), `Memory: "512"`, `Memory: "2048"`, 1)
	}
	add("ECS006", windows("256", "X86_64"), windows("1024", "X86_64"))
	add("ECS009", windows("1024", "ARM64"), windows("1024", "X86_64"))
	many := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "        - {Name: c%d, Image: busybox, Essential: false}\n", i)
		}
		return strings.Replace(task("", ""), "      ContainerDefinitions:\n", "      ContainerDefinitions:\n"+b.String(), 1)
	}
	add("ECS007", many(10), many(9))
	add("ECS008", strings.Replace(task("", "Secrets: [{Name: A, ValueFrom: arn:aws:ssm:eu-west-1:1:parameter/a}]"), "ExecutionRoleArn: !GetAtt ExecRole.Arn", "", 1),
		task("", "Secrets: [{Name: A, ValueFrom: arn:aws:ssm:eu-west-1:1:parameter/a}]"))
	add("ECS010", task("", "HealthCheck: {Command: [CMD, 'true'], Interval: 1}"), task("", "HealthCheck: {Command: [CMD, 'true'], Interval: 5}"))
	add("ECS020", header+tg("HealthCheckTimeoutSeconds: 5"), header+tg("HealthCheckTimeoutSeconds: 4"))
	add("ECS020", header+tg("UnhealthyThresholdCount: 1"), header+tg(""))
	add("ECS020", header+tg("Matcher: {HttpCode: '200-600'}"), header+tg("Matcher: {HttpCode: '200-499'}"))
	add("ECS021", header+tg("TargetGroupAttributes: [{Key: deregistration_delay.timeout_seconds, Value: '4000'}]"), header+tg("TargetGroupAttributes: [{Key: deregistration_delay.timeout_seconds, Value: '3600'}]"))
	add("ECS022", header+tg("TargetGroupAttributes: [{Key: stickiness.lb_cookie.duration_seconds, Value: '0'}]"), header+tg("TargetGroupAttributes: [{Key: stickiness.lb_cookie.duration_seconds, Value: '60'}]"))
	add("ECS030", task("", "PortMappings: [{ContainerPort: 0}]"), task("", "PortMappings: [{ContainerPort: 8080}]"))
	add("ECS031", task("", "PortMappings: [{ContainerPort: 80, Name: HTTP}]"), task("", "PortMappings: [{ContainerPort: 80, Name: http}]"))
	add("ECS032", task("", "PortMappings: [{ContainerPort: 80, HostPort: 8080}]"), task("", "PortMappings: [{ContainerPort: 80, HostPort: 80}]"))
	lbService := func(targetType string) string {
		return task("", "") + cluster + tg("TargetType: "+targetType+"\nTargetGroupAttributes: [{Key: deregistration_delay.timeout_seconds, Value: '10'}]") + service("LaunchType: FARGATE\n"+awsvpcNet+"\nLoadBalancers: [{ContainerName: app, ContainerPort: 80, TargetGroupArn: !Ref TG}]")
	}
	add("ECS033", lbService("instance"), lbService("ip"))
	fiveLBs := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString("  - {ContainerName: app, ContainerPort: 80, TargetGroupArn: !Ref TG}\n")
		}
		return task("", "") + cluster + tg("TargetType: ip\nTargetGroupAttributes: [{Key: deregistration_delay.timeout_seconds, Value: '10'}]") + service("LaunchType: FARGATE\n"+awsvpcNet+"\nLoadBalancers:\n"+b.String())
	}
	add("ECS034", fiveLBs(6), fiveLBs(5))
	ec2Task := strings.Replace(strings.Replace(task("", "Memory: 512"), "RequiresCompatibilities: [FARGATE]", "RequiresCompatibilities: [EC2]", 1), `Cpu: "256"`, "", 1)
	add("ECS035", ec2Task+cluster+service("LaunchType: EC2\nNetworkConfiguration: {AwsvpcConfiguration: {Subnets: [s], AssignPublicIp: ENABLED}}"),
		ec2Task+cluster+service("LaunchType: EC2\nNetworkConfiguration: {AwsvpcConfiguration: {Subnets: [s], AssignPublicIp: DISABLED}}"))
	add("ECS036", task("", "")+cluster+service("LaunchType: FARGATE"), task("", "")+cluster+service("LaunchType: FARGATE\n"+awsvpcNet))
	add("ECS041", task("", "")+cluster+service("LaunchType: FARGATE\n"+awsvpcNet+"\nDeploymentConfiguration: {MinimumHealthyPercent: 100, MaximumPercent: 100}"),
		task("", "")+cluster+service("LaunchType: FARGATE\n"+awsvpcNet+"\nDeploymentConfiguration: {MinimumHealthyPercent: 50, MaximumPercent: 100}"))
	strategy := func(items string) string {
		return task("", "") + cluster + service(awsvpcNet+"\nCapacityProviderStrategy: "+items)
	}
	add("ECS042", strategy("[{CapacityProvider: FARGATE, Base: 1, Weight: 1}, {CapacityProvider: FARGATE_SPOT, Base: 1, Weight: 1}]"),
		strategy("[{CapacityProvider: FARGATE, Base: 1, Weight: 1}, {CapacityProvider: FARGATE_SPOT, Weight: 1}]"))
	bridgeTask := strings.Replace(ec2Task, "NetworkMode: awsvpc", "NetworkMode: bridge", 1)
	add("ECS044", bridgeTask+cluster+service("LaunchType: EC2\nPlacementStrategies: [{Type: random}, {Type: random}, {Type: random}, {Type: random}, {Type: random}, {Type: random}]"),
		bridgeTask+cluster+service("LaunchType: EC2\nPlacementStrategies: [{Type: spread, Field: 'attribute:ecs.availability-zone'}, {Type: binpack, Field: memory}]"))
	add("ECS044", task("", "")+cluster+service("LaunchType: FARGATE\n"+awsvpcNet+"\nPlacementConstraints: [{Type: distinctInstance}]"), task("", "")+cluster+service("LaunchType: FARGATE\n"+awsvpcNet))
	add("ECS042", strategy("[{CapacityProvider: FARGATE, Weight: 1}, {CapacityProvider: MyAsgProvider, Weight: 1}]"), strategy("[{CapacityProvider: FARGATE, Weight: 1}]"))
	add("ECS045", bridgeTask+cluster+service("LaunchType: EC2\nSchedulingStrategy: DAEMON\nPlacementStrategies: [{Type: binpack, Field: memory}]"), bridgeTask+cluster+service("LaunchType: EC2\nSchedulingStrategy: DAEMON"))
	add("ECS045", task("", "")+cluster+service("LaunchType: FARGATE\n"+awsvpcNet+"\nSchedulingStrategy: DAEMON"), task("", "")+cluster+service("LaunchType: FARGATE\n"+awsvpcNet+"\nSchedulingStrategy: REPLICA"))
	add("ECS049", bridgeTask+cluster+service("LaunchType: EC2\nSchedulingStrategy: DAEMON\nDesiredCount: 2"), bridgeTask+cluster+service("LaunchType: EC2\nSchedulingStrategy: DAEMON"))
	add("ECS046", strategy("[{CapacityProvider: MyAsgProvider, Weight: 1}]"), strategy("[{CapacityProvider: FARGATE_SPOT, Weight: 1}]"))
	add("ECS047", task("", "")+cluster+service("LaunchType: FARGATE\n"+awsvpcNet+"\nCapacityProviderStrategy: [{CapacityProvider: FARGATE, Weight: 1}]"),
		task("", "")+cluster+service(awsvpcNet+"\nCapacityProviderStrategy: [{CapacityProvider: FARGATE, Weight: 1}]"))
	cp := func(mtp, scaling, protect string) string {
		return `
Resources:
  ASG:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {MinSize: '0', MaxSize: '10', NewInstancesProtectedFromScaleIn: ` + protect + `}
  CP:
    Type: AWS::ECS::CapacityProvider
    Properties:
      AutoScalingGroupProvider:
        AutoScalingGroupArn: !Ref ASG
        ManagedTerminationProtection: ` + mtp + `
        ManagedScaling: {Status: ` + scaling + `, TargetCapacity: 100}
`
	}
	add("ECS048", cp("ENABLED", "DISABLED", "true"), cp("ENABLED", "ENABLED", "true"))
	add("ECS048", cp("ENABLED", "ENABLED", "false"), cp("DISABLED", "ENABLED", "false"))
	add("ECS048", strings.Replace(cp("DISABLED", "ENABLED", "true"), "TargetCapacity: 100", "TargetCapacity: 0", 1), cp("DISABLED", "ENABLED", "true"))
	cd := func(extra string) string {
		return task("", "") + cluster + service("LaunchType: FARGATE\n"+awsvpcNet+"\nDeploymentController: {Type: CODE_DEPLOY}\n"+extra)
	}
	add("ECS060", cd("DeploymentConfiguration: {DeploymentCircuitBreaker: {Enable: true, Rollback: true}}"), cd(""))
	add("ECS060", cd("DeploymentConfiguration: {Alarms: {Enable: true, Rollback: true, AlarmNames: [a]}}"), cd(""))
	dg := func(controller, testLB, targets, lbType, config string) string {
		return task("", "") + cluster + service("LaunchType: FARGATE\n"+awsvpcNet+"\nDeploymentController: {Type: "+controller+"}") + `
  LB1:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: ` + lbType + `}
  LB2:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: ` + lbType + `}
  Prod:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref LB1, Port: 80}
  Test:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref ` + testLB + `, Port: 8080}
  DG:
    Type: AWS::CodeDeploy::DeploymentGroup
    Properties:
      DeploymentConfigName: ` + config + `
      ECSServices: [{ClusterName: !Ref Cluster, ServiceName: !GetAtt Service.Name}]
      LoadBalancerInfo:
        TargetGroupPairInfoList:
          - TargetGroups: ` + targets + `
            ProdTrafficRoute: {ListenerArns: [!Ref Prod]}
            TestTrafficRoute: {ListenerArns: [!Ref Test]}
`
	}
	two := "[{Name: blue}, {Name: green}]"
	add("ECS061", dg("ECS", "LB1", two, "application", "CodeDeployDefault.ECSAllAtOnce"), dg("CODE_DEPLOY", "LB1", two, "application", "CodeDeployDefault.ECSLinear10PercentEvery1Minutes"))
	add("ECS061", dg("CODE_DEPLOY", "LB2", two, "application", "CodeDeployDefault.ECSAllAtOnce"), dg("CODE_DEPLOY", "LB1", two, "application", "CodeDeployDefault.ECSAllAtOnce"))
	add("ECS061", dg("CODE_DEPLOY", "LB1", "[{Name: blue}]", "application", "CodeDeployDefault.ECSAllAtOnce"), dg("CODE_DEPLOY", "LB1", two, "application", "CodeDeployDefault.ECSAllAtOnce"))
	add("ECS062", dg("CODE_DEPLOY", "LB1", two, "network", "CodeDeployDefault.ECSCanary10Percent5Minutes"), dg("CODE_DEPLOY", "LB1", two, "network", "CodeDeployDefault.ECSAllAtOnce"))
	sc := func(controller, port string) string {
		return task("", "") + cluster + service(awsvpcNet+"\nLaunchType: FARGATE\nDeploymentController: {Type: "+controller+"}\nServiceConnectConfiguration: {Enabled: true, Namespace: ns, Services: [{PortName: "+port+"}]}")
	}
	add("ECS070", sc("CODE_DEPLOY", "http"), sc("ECS", "http"))
	add("ECS070", sc("ECS", "grpc"), sc("ECS", "http"))
	add("ECS075", task("", "ReadonlyRootFilesystem: true")+cluster+service("LaunchType: FARGATE\n"+awsvpcNet+"\nEnableExecuteCommand: true"),
		task("", "ReadonlyRootFilesystem: false")+cluster+service("LaunchType: FARGATE\n"+awsvpcNet+"\nEnableExecuteCommand: true"))
	extTask := strings.Replace(bridgeTask, "RequiresCompatibilities: [EC2]", "RequiresCompatibilities: [EXTERNAL]", 1)
	add("ECS080", strings.Replace(extTask, "NetworkMode: bridge", "NetworkMode: awsvpc", 1)+cluster+service("LaunchType: EXTERNAL"), extTask+cluster+service("LaunchType: EXTERNAL"))
	add("ECS080", extTask+cluster+tg("TargetType: instance")+service("LaunchType: EXTERNAL\nLoadBalancers: [{ContainerName: app, ContainerPort: 80, TargetGroupArn: !Ref TG}]"), extTask+cluster+service("LaunchType: EXTERNAL"))
	schedule := func(ecs string) string {
		return task("", "") + `
  Schedule:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: rate(1 hour)
      FlexibleTimeWindow: {Mode: "OFF"}
      Target:
        Arn: arn:aws:ecs:eu-west-1:1:cluster/c
        RoleArn: arn:aws:iam::1:role/r
        EcsParameters:
          TaskDefinitionArn: !Ref Task
` + indent(ecs, 10) + "\n"
	}
	add("ECS090", schedule("TaskCount: 11\n"+awsvpcNet), schedule("TaskCount: 10\n"+awsvpcNet))
	add("ECS090", schedule("TaskCount: 1"), schedule("TaskCount: 1\n"+awsvpcNet))
	rule := func(net string) string {
		return task("", "") + `
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
      Targets:
        - Id: t
          Arn: arn:aws:ecs:eu-west-1:1:cluster/c
          EcsParameters:
            TaskDefinitionArn: !Ref Task
` + indent(net, 12) + "\n"
	}
	add("ECS090", rule(""), rule(awsvpcNet))
	slow := func(dereg string) string {
		return task("", "StopTimeout: 30") + cluster + tg("TargetType: ip\nTargetGroupAttributes: [{Key: deregistration_delay.timeout_seconds, Value: '"+dereg+"'}]") +
			service("LaunchType: FARGATE\n"+awsvpcNet+"\nLoadBalancers: [{ContainerName: app, ContainerPort: 80, TargetGroupArn: !Ref TG}]")
	}
	add("ECS100", slow("300"), slow("30"))

	covered := map[string]bool{}
	for i, c := range cases {
		covered[c.rule] = true
		t.Run(fmt.Sprintf("%s/%d", c.rule, i), func(t *testing.T) {
			bad := lintYAML(t, c.bad)
			if !hasRule(bad, c.rule) {
				t.Errorf("bad template: no %s finding; got %v", c.rule, bad)
			}
			for _, f := range bad {
				if f.Rule.ID == c.rule && (f.LogicalID == "" || f.Property == "" || f.Message == "") {
					t.Errorf("finding lacks location or message: %+v", f)
				}
			}
			if good := lintYAML(t, c.good); len(good) > 0 {
				t.Errorf("valid neighbour rejected: %v", good)
			}
		})
	}
	for _, r := range Catalogue() {
		if !covered[r.ID] && !propsOnly[r.ID] {
			t.Errorf("rule %s has no template test", r.ID)
		}
	}
}

// propsOnly are rules checked on construct props only: a template has no such property.
var propsOnly = map[string]bool{"ECS040": true, "ECS043": true, "ECS050": true}

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
      DesiredCount: !Ref P
      NetworkConfiguration: !Ref P
      DeploymentConfiguration: {MinimumHealthyPercent: !Ref P, MaximumPercent: !Ref P}
      CapacityProviderStrategy: [{CapacityProvider: !Ref P, Base: !Ref P, Weight: !Ref P}]
      LoadBalancers: [{ContainerName: app, ContainerPort: 80, TargetGroupArn: !Ref TG}]
      ServiceConnectConfiguration: {Enabled: !Ref P, Services: [{PortName: !Ref P}]}
  Schedule:
    Type: AWS::Scheduler::Schedule
    Properties:
      Target: {EcsParameters: {TaskCount: !Ref P, TaskDefinitionArn: !Ref P}}
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
  B: {Type: AWS::SNS::Topic}
`))
	if err != nil {
		t.Fatal(err)
	}
	a := tmpl.Resources["A"]
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
