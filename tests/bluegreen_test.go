package tests

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodedeploy"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	elbv2 "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/constructs/alb"
	"github.com/ecsforge/ecsforge/constructs/capacity"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/forgetest"
	"github.com/ecsforge/ecsforge/patterns/ec2service"
	"github.com/ecsforge/ecsforge/patterns/webservice"
	"github.com/ecsforge/ecsforge/rules"
)

// idOf is the logical ID of the one resource of typ whose ID starts with prefix.
func idOf(t *testing.T, s forgetest.Stack, typ, prefix string) string {
	t.Helper()
	var ids []string
	for id := range s.Template.Resources(typ) {
		if strings.HasPrefix(id, prefix) {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("%s: resources of type %s named %s*: %v, want 1", s.Name, typ, prefix, ids)
	}
	return ids[0]
}

// resolve evaluates a template value made of strings, Fn::Join and Ref, with refs giving each
// Ref's value, as CloudFormation would on deploy.
func resolve(t *testing.T, v any, refs map[string]string) string {
	t.Helper()
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if id, ok := x["Ref"].(string); ok {
			val, known := refs[id]
			if !known {
				t.Fatalf("no value for Ref %s", id)
			}
			return val
		}
		if j, ok := x["Fn::Join"].([]any); ok {
			var parts []string
			for _, p := range j[1].([]any) {
				parts = append(parts, resolve(t, p, refs))
			}
			return strings.Join(parts, j[0].(string))
		}
	}
	t.Fatalf("cannot resolve %v", v)
	return ""
}

// TestCodeDeployWebService: the service has the CODE_DEPLOY controller and the task definition
// family alone; the deployment group shifts a 10 % canary for 3 minutes between the two target
// groups on the production and test listeners, rolls back on failure, stop and the four
// alarms, and keeps the blue tasks 5 minutes; the CreateDeployment output is the input of the
// create-deployment call for the stack's revision.
func TestCodeDeployWebService(t *testing.T) {
	s := examples(t).Stack(t, "CodeDeployWebService")
	svcID, svc := resource(t, s, "AWS::ECS::Service")
	tdID, td := resource(t, s, "AWS::ECS::TaskDefinition")
	if get(svc, "DeploymentController", "Type") != "CODE_DEPLOY" || svc["TaskDefinition"] != td["Family"] {
		t.Errorf("controller %v, task definition %v (family %v)", svc["DeploymentController"], svc["TaskDefinition"], td["Family"])
	}
	if !strings.Contains(forgetestJSON(s.Template.Resources("AWS::ECS::Service")[svcID]), `"DependsOn":[`) ||
		!strings.Contains(fmt.Sprint(s.Template.Resources("AWS::ECS::Service")[svcID]["DependsOn"]), tdID) {
		t.Errorf("the service does not depend on the task definition %s: %v", tdID, s.Template.Resources("AWS::ECS::Service")[svcID]["DependsOn"])
	}
	dc := svc["DeploymentConfiguration"].(map[string]any)
	for _, k := range []string{"DeploymentCircuitBreaker", "Alarms", "Strategy"} {
		if dc[k] != nil {
			t.Errorf("a CODE_DEPLOY service has DeploymentConfiguration.%s %v", k, dc[k])
		}
	}
	blue, green := idOf(t, s, "AWS::ElasticLoadBalancingV2::TargetGroup", "WebTargets"), idOf(t, s, "AWS::ElasticLoadBalancingV2::TargetGroup", "WebGreenTargets")
	prod, test := idOf(t, s, "AWS::ElasticLoadBalancingV2::Listener", "WebLBHTTP"), idOf(t, s, "AWS::ElasticLoadBalancingV2::Listener", "WebLBTest")
	if n := len(s.Template.Resources("AWS::ElasticLoadBalancingV2::ListenerRule")); n != 0 {
		t.Errorf("%d listener rules: CodeDeploy reroutes the listeners' default actions", n)
	}
	for _, l := range []string{prod, test} {
		jsonEq(t, l, get(s.Template.Resources("AWS::ElasticLoadBalancingV2::Listener")[l], "Properties", "DefaultActions"),
			`[{"Type": "forward", "TargetGroupArn": {"Ref": "`+blue+`"}}]`)
	}
	if get(svc, "LoadBalancers", "0", "TargetGroupArn", "Ref") != blue || get(svc, "LoadBalancers", "0", "AdvancedConfiguration") != nil {
		t.Errorf("service load balancers %v", svc["LoadBalancers"])
	}
	dgID, dg := resource(t, s, "AWS::CodeDeploy::DeploymentGroup")
	appID, app := resource(t, s, "AWS::CodeDeploy::Application")
	cfgID, cfg := resource(t, s, "AWS::CodeDeploy::DeploymentConfig")
	if app["ComputePlatform"] != "ECS" || get(dg, "ApplicationName", "Ref") != appID || get(dg, "DeploymentConfigName", "Ref") != cfgID {
		t.Errorf("application %v, deployment group application %v and configuration %v", app, dg["ApplicationName"], dg["DeploymentConfigName"])
	}
	jsonEq(t, "configuration", cfg, `{"ComputePlatform": "ECS", "TrafficRoutingConfig": {"Type": "TimeBasedCanary", "TimeBasedCanary": {"CanaryPercentage": 10, "CanaryInterval": 3}}}`)
	jsonEq(t, "style", dg["DeploymentStyle"], `{"DeploymentType": "BLUE_GREEN", "DeploymentOption": "WITH_TRAFFIC_CONTROL"}`)
	jsonEq(t, "routes", get(dg, "LoadBalancerInfo", "TargetGroupPairInfoList"), `[{
		"TargetGroups": [{"Name": {"Fn::GetAtt": ["`+blue+`", "TargetGroupName"]}}, {"Name": {"Fn::GetAtt": ["`+green+`", "TargetGroupName"]}}],
		"ProdTrafficRoute": {"ListenerArns": [{"Ref": "`+prod+`"}]},
		"TestTrafficRoute": {"ListenerArns": [{"Ref": "`+test+`"}]}}]`)
	jsonEq(t, "blue/green", dg["BlueGreenDeploymentConfiguration"], `{
		"DeploymentReadyOption": {"ActionOnTimeout": "CONTINUE_DEPLOYMENT", "WaitTimeInMinutes": 0},
		"TerminateBlueInstancesOnDeploymentSuccess": {"Action": "TERMINATE", "TerminationWaitTimeInMinutes": 5}}`)
	jsonEq(t, "rollback", dg["AutoRollbackConfiguration"], `{"Enabled": true, "Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_REQUEST", "DEPLOYMENT_STOP_ON_ALARM"]}`)
	alarms := s.Template.Resources("AWS::CloudWatch::Alarm")
	watched := get(dg, "AlarmConfiguration", "Alarms").([]any)
	if len(alarms) != 4 || len(watched) != 4 || get(dg, "AlarmConfiguration", "Enabled") != true {
		t.Errorf("deployment group alarms %v of %d alarms", dg["AlarmConfiguration"], len(alarms))
	}
	for _, a := range watched {
		if _, ok := alarms[fmt.Sprint(get(a, "Name", "Ref"))]; !ok {
			t.Errorf("watched alarm %v is not an alarm of the stack", a)
		}
	}
	// The green target group's alarms watch it behind the load balancer although it is on no
	// listener until CodeDeploy routes to it.
	for id, a := range alarms {
		if !strings.Contains(forgetestJSON(a), `"Fn::GetAtt":["WebLB`) {
			t.Errorf("alarm %s has no load balancer dimension: %s", id, forgetestJSON(a))
		}
	}
	roleID := get(dg, "ServiceRoleArn", "Fn::GetAtt", "0").(string)
	role := forgetestJSON(s.Template.Resources("AWS::IAM::Role")[roleID])
	if !strings.Contains(role, "AWSCodeDeployRoleForECS") || !strings.Contains(role, `"Service":"codedeploy.amazonaws.com"`) {
		t.Errorf("CodeDeploy service role %s", role)
	}
	// The create-deployment input, as CloudFormation resolves it.
	var out any
	for id, o := range s.Template["Outputs"].(map[string]any) {
		if strings.HasPrefix(id, "WebCreateDeployment") {
			out = get(o, "Value")
		}
	}
	taskARN := "arn:aws:ecs:eu-west-1:111122223333:task-definition/" + td["Family"].(string) + ":7"
	var input struct {
		ApplicationName, DeploymentGroupName string
		Revision                             struct {
			RevisionType   string
			AppSpecContent struct{ Content string }
		}
	}
	raw := resolve(t, out, map[string]string{appID: "web-app", dgID: "web-group", tdID: taskARN})
	if err := json.Unmarshal([]byte(raw), &input); err != nil {
		t.Fatalf("CreateDeployment output is not JSON: %v\n%s", err, raw)
	}
	if input.ApplicationName != "web-app" || input.DeploymentGroupName != "web-group" || input.Revision.RevisionType != "AppSpecContent" {
		t.Errorf("create-deployment input %+v", input)
	}
	var appSpec any
	if err := json.Unmarshal([]byte(input.Revision.AppSpecContent.Content), &appSpec); err != nil {
		t.Fatalf("AppSpec is not JSON: %v\n%s", err, input.Revision.AppSpecContent.Content)
	}
	jsonEq(t, "AppSpec", appSpec, `{"version": "0.0", "Resources": [{"TargetService": {"Type": "AWS::ECS::Service",
		"Properties": {"TaskDefinition": "`+taskARN+`", "LoadBalancerInfo": {"ContainerName": "app", "ContainerPort": 80}}}}]}`)
	if ds := rules.DeployTimes(mustParse(t, s)); len(ds) != 1 || ds[0].Seconds() != 540 {
		t.Errorf("ecsforge lint's model of the CodeDeploy canary: %+v, want the README's 540 s", ds)
	}
}

// TestBlueGreenWebService: ECS-native blue/green on an internal load balancer whose test
// listener only the smoke test hook may reach, the hook at POST_TEST_TRAFFIC_SHIFT requesting
// that listener.
func TestBlueGreenWebService(t *testing.T) {
	s := examples(t).Stack(t, "BlueGreenWebService")
	_, svc := resource(t, s, "AWS::ECS::Service")
	jsonEq(t, "strategy", map[string]any{"Strategy": get(svc, "DeploymentConfiguration", "Strategy"), "BakeTimeInMinutes": get(svc, "DeploymentConfiguration", "BakeTimeInMinutes")},
		`{"Strategy": "BLUE_GREEN", "BakeTimeInMinutes": 5}`)
	fnID := idOf(t, s, "AWS::Lambda::Function", "SmokeTest")
	hooks, _ := get(svc, "DeploymentConfiguration", "LifecycleHooks").([]any)
	if len(hooks) != 1 || get(hooks[0], "HookTargetArn", "Fn::GetAtt", "0") != fnID {
		t.Fatalf("lifecycle hooks %v", hooks)
	}
	jsonEq(t, "stages", get(hooks[0], "LifecycleStages"), `["POST_TEST_TRAFFIC_SHIFT"]`)
	_, lb := resource(t, s, "AWS::ElasticLoadBalancingV2::LoadBalancer")
	if lb["Scheme"] != "internal" {
		t.Errorf("load balancer scheme %v", lb["Scheme"])
	}
	hookSG := idOf(t, s, "AWS::EC2::SecurityGroup", "SmokeTestSecurityGroup")
	var testIngress []string
	for _, r := range s.Template.Resources("AWS::EC2::SecurityGroupIngress") {
		if get(r, "Properties", "FromPort") == float64(8080) {
			testIngress = append(testIngress, fmt.Sprint(get(r, "Properties", "SourceSecurityGroupId", "Fn::GetAtt", "0")))
		}
	}
	for _, r := range s.Template.Resources("AWS::EC2::SecurityGroup") {
		for _, in := range anySlice(get(r, "Properties", "SecurityGroupIngress")) {
			if get(in, "FromPort") == float64(8080) {
				testIngress = append(testIngress, fmt.Sprint(get(in, "CidrIp")))
			}
		}
	}
	if fmt.Sprint(testIngress) != "["+hookSG+"]" {
		t.Errorf("the test port is open to %v, want the hook's security group alone", testIngress)
	}
	fn := s.Template.Resources("AWS::Lambda::Function")[fnID]
	lbID, _ := resource(t, s, "AWS::ElasticLoadBalancingV2::LoadBalancer")
	jsonEq(t, "TEST_URL", get(fn, "Properties", "Environment", "Variables", "TEST_URL"),
		`{"Fn::Join": ["", ["http://", {"Fn::GetAtt": ["`+lbID+`", "DNSName"]}, ":8080/"]]}`)
	jsonEq(t, "hook security groups", get(fn, "Properties", "VpcConfig", "SecurityGroupIds"), `[{"Fn::GetAtt": ["`+hookSG+`", "GroupId"]}]`)
}

func anySlice(v any) []any { l, _ := v.([]any); return l }

// TestEc2BlueGreen: ECS-native linear deployments on the EC2 service pattern, bridge tasks
// behind two instance target groups, the instances open to the load balancer on the dynamic
// host ports.
func TestEc2BlueGreen(t *testing.T) {
	s := examples(t).Stack(t, "Ec2BlueGreen")
	_, svc := resource(t, s, "AWS::ECS::Service")
	jsonEq(t, "linear", map[string]any{"Strategy": get(svc, "DeploymentConfiguration", "Strategy"), "LinearConfiguration": get(svc, "DeploymentConfiguration", "LinearConfiguration")},
		`{"Strategy": "LINEAR", "LinearConfiguration": {"StepPercent": 20, "StepBakeTimeInMinutes": 2}}`)
	blue, green := idOf(t, s, "AWS::ElasticLoadBalancingV2::TargetGroup", "WebTargets"), idOf(t, s, "AWS::ElasticLoadBalancingV2::TargetGroup", "WebGreenTargets")
	for _, tg := range []string{blue, green} {
		if tt := get(s.Template.Resources("AWS::ElasticLoadBalancingV2::TargetGroup")[tg], "Properties", "TargetType"); tt != "instance" {
			t.Errorf("%s target type %v, want instance for bridge tasks", tg, tt)
		}
	}
	adv := get(svc, "LoadBalancers", "0", "AdvancedConfiguration")
	if get(adv, "AlternateTargetGroupArn", "Ref") != green || get(svc, "LoadBalancers", "0", "TargetGroupArn", "Ref") != blue {
		t.Errorf("load balancers %v", svc["LoadBalancers"])
	}
	dynamic := false
	for _, r := range s.Template.Resources("AWS::EC2::SecurityGroupIngress") {
		p := r["Properties"].(map[string]any)
		if p["FromPort"] == float64(ec2service.DynamicHostPortsFrom) && p["ToPort"] == float64(ec2service.DynamicHostPortsTo) &&
			strings.HasPrefix(fmt.Sprint(get(p, "SourceSecurityGroupId", "Fn::GetAtt", "0")), "WebLBSecurityGroup") {
			dynamic = true
		}
	}
	if !dynamic {
		t.Error("the instances are not open to the load balancer on the dynamic host ports")
	}
	if ds := rules.DeployTimes(mustParse(t, s)); len(ds) != 1 || ds[0].Seconds() != 840 {
		t.Errorf("modeled linear deployment %+v, want the README's 840 s", ds)
	}
}

// TestCodeDeployStackUpdates: CodeDeploy reroutes the listeners during a deployment, and ECS
// refuses a stack update of a CODE_DEPLOY service's task definition. Ordinary changes must
// leave the listeners and the service's template as they are (a new image or task size is a
// new task definition revision only); only the listeners' own inputs touch them.
func TestCodeDeployStackUpdates(t *testing.T) {
	synth := func(modify func(*webservice.Props)) (listeners, svc string) {
		app := forgetest.NewApp(t)
		stack := awscdk.NewStack(app, jsii.String("Stable"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
		p := webservice.Image("public.ecr.aws/nginx/nginx:1.27")
		p.Service.Deployment = &service.Deployment{Strategy: service.Canary, Controller: service.CodeDeployController}
		p.LoadBalancer.TestListener = &alb.TestListener{Port: 8080, AllowFrom: []awsec2.IPeer{awsec2.Peer_Ipv4(jsii.String("10.0.0.0/8"))}}
		modify(&p)
		webservice.New(stack, "Web", p)
		s := forgetest.Synth(t, app).Stack(t, "Stable")
		ls := map[string]any{}
		for id, r := range s.Template.Resources("AWS::ElasticLoadBalancingV2::Listener") {
			ls[id] = r
		}
		_, sp := resource(t, s, "AWS::ECS::Service")
		return forgetestJSON(ls), forgetestJSON(sp)
	}
	baseL, baseS := synth(func(*webservice.Props) {})
	for name, change := range map[string]func(*webservice.Props){
		"image": func(p *webservice.Props) {
			p.Task.Containers[0].Image = awsecs.ContainerImage_FromRegistry(jsii.String("public.ecr.aws/nginx/nginx:1.28"), nil)
		},
		"task size": func(p *webservice.Props) { p.Task.CPU, p.Task.MemoryMiB = 1024, 2048 },
		"environment": func(p *webservice.Props) {
			p.Task.Containers[0].Environment = map[string]string{"LOG_LEVEL": "debug"}
		},
		"health check": func(p *webservice.Props) {
			p.LoadBalancer.HealthCheck.Path, p.LoadBalancer.HealthCheck.Interval = "/health", 10*time.Second
		},
		"deployment settings": func(p *webservice.Props) {
			p.Service.Deployment.BakeTime, p.Service.Deployment.StepPercent = 30*time.Minute, 20
		},
	} {
		l, sv := synth(change)
		if l != baseL {
			t.Errorf("changing the %s changes the listeners:\n%s\nwas\n%s", name, l, baseL)
		}
		if sv != baseS {
			t.Errorf("changing the %s changes the CODE_DEPLOY service, which ECS refuses on a stack update:\n%s\nwas\n%s", name, sv, baseS)
		}
	}
	// Scaling is a change ECS accepts on a CODE_DEPLOY service (desired count); it leaves the
	// listeners alone.
	if l, _ := synth(func(p *webservice.Props) { p.Service.Scaling = &service.Scaling{Min: 2, Max: 6} }); l != baseL {
		t.Errorf("scaling changes the listeners:\n%s", l)
	}
}

// TestBlueGreenBadProps: mistakes in blue/green props fail synth with the property, the value
// and the rule, on both patterns.
func TestBlueGreenBadProps(t *testing.T) {
	codeDeploy := func(p *webservice.Props) *service.Deployment {
		p.Service.Deployment = &service.Deployment{Strategy: service.Canary, Controller: service.CodeDeployController}
		return p.Service.Deployment
	}
	for _, c := range []struct {
		name   string
		modify func(*webservice.Props)
		want   []string
	}{
		{"test header with CodeDeploy", func(p *webservice.Props) {
			codeDeploy(p)
			p.LoadBalancer.TestHeader = &alb.TestHeader{Name: "X-Test", Values: []string{"1"}}
		}, []string{"ECS061", "LoadBalancer.TestHeader=set", "test listener"}},
		{"hooks with CodeDeploy", func(p *webservice.Props) {
			codeDeploy(p).Hooks = []service.Hook{{Stages: []service.HookStage{service.PostScaleUp}}}
		}, []string{"ECS063", "Service.Deployment.Hooks=1", "ECS deployment controller", "CodeDeploy.Hooks"}},
		{"CodeDeploy hook without a function", func(p *webservice.Props) {
			codeDeploy(p).CodeDeploy = &service.CodeDeploy{Hooks: []service.CodeDeployHook{{Event: service.AfterInstall}}}
		}, []string{"Service.Deployment.CodeDeploy.Hooks[0].Function", "Lambda function", "reference-appspec-file-structure-hooks"}},
		{"CodeDeploy hook at an ECS stage", func(p *webservice.Props) {
			codeDeploy(p).CodeDeploy = &service.CodeDeploy{Hooks: []service.CodeDeployHook{{Event: "POST_SCALE_UP", Function: hookFunction()}}}
		}, []string{`Service.Deployment.CodeDeploy.Hooks[0].Event="POST_SCALE_UP"`, "BeforeInstall", "reference-appspec-file-structure-hooks"}},
		{"two CodeDeploy hooks at one event", func(p *webservice.Props) {
			codeDeploy(p).CodeDeploy = &service.CodeDeploy{Hooks: []service.CodeDeployHook{
				{Event: service.AfterAllowTestTraffic, Function: hookFunction()}, {Event: service.AfterAllowTestTraffic, Function: hookFunction()}}}
		}, []string{"ECS063", "Service.Deployment.CodeDeploy.Hooks[1].Event=AfterAllowTestTraffic", "Hooks[0] already runs at AfterAllowTestTraffic", "one Lambda function per lifecycle event"}},
		{"termination wait", func(p *webservice.Props) { codeDeploy(p).BakeTime = 72 * time.Hour },
			[]string{"ECS063", "Service.Deployment.BakeTime=4320 min", "2880"}},
		{"fractional CodeDeploy canary", func(p *webservice.Props) { codeDeploy(p).StepPercent = 12.5 },
			[]string{"ECS063", "Service.Deployment.StepPercent=12.5 %", "whole percentage"}},
		{"approval wait in seconds", func(p *webservice.Props) {
			codeDeploy(p).CodeDeploy = &service.CodeDeploy{ApprovalWait: 90 * time.Second}
		}, []string{"ECS063", "Service.Deployment.CodeDeploy.ApprovalWait=1m30s", "whole, non-negative number of minutes"}},
		{"CodeDeploy settings without the controller", func(p *webservice.Props) {
			p.Service.Deployment = &service.Deployment{Strategy: service.Canary, CodeDeploy: &service.CodeDeploy{ApprovalWait: time.Hour}}
		}, []string{"ECS063", "Service.Deployment.CodeDeploy=set", "service.CodeDeployController"}},
		{"unknown controller", func(p *webservice.Props) {
			p.Service.Deployment = &service.Deployment{Strategy: service.Canary, Controller: "EXTERNAL"}
		}, []string{`Service.Deployment.Controller="EXTERNAL"`, "API_DeploymentController"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			app := forgetest.NewApp(t)
			stack := awscdk.NewStack(app, jsii.String("Bad"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
			p := webservice.Image("amazon/amazon-ecs-sample")
			c.modify(&p)
			webservice.New(stack, "Web", p)
			err := forgetest.SynthError(app)
			if err == nil {
				t.Fatal("synth succeeded")
			}
			for _, w := range append([]string{"[Bad/Web]"}, c.want...) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%s", w, err)
				}
			}
		})
	}
	// The EC2 pattern: a deployment needs the load balancer it shifts traffic on, and a daemon
	// cannot use CodeDeploy.
	app := forgetest.NewApp(t)
	stack, c := ec2Stack(app, "BadEc2")
	capa := capacity.New(stack, "Capacity", capacity.Props{Cluster: c.Cluster, InstanceTypes: []string{"m6i.large"}, MaxCapacity: 2})
	task := taskdef.Props{NetworkMode: taskdef.Bridge, Containers: []taskdef.Container{nginx(256)}}
	ec2service.New(stack, "NoLB", ec2service.Props{Capacity: capa, Task: task,
		Service: service.Props{Deployment: &service.Deployment{Strategy: service.BlueGreen}}})
	ec2service.New(stack, "Daemon", ec2service.Props{Capacity: capa, Task: task, LoadBalancer: &alb.Props{},
		Service: service.Props{EC2: &service.EC2{Daemon: true}, Deployment: &service.Deployment{Strategy: service.BlueGreen, Controller: service.CodeDeployController}}})
	err := forgetest.SynthError(app)
	if err == nil {
		t.Fatal("synth succeeded")
	}
	for _, w := range []string{"[BadEc2/NoLB]", "LoadBalancer=unset", "[BadEc2/Daemon]", "ECS045 Service.Deployment.Controller=CODE_DEPLOY"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%s", w, err)
		}
	}
}

// hookFunction is a Lambda function imported by name, for props that need one; the props
// checks fail synth before anything uses it.
func hookFunction() awslambda.IFunction {
	return awslambda.Function_FromFunctionName(awscdk.NewStack(nil, nil, nil), jsii.String("Hook"), jsii.String("hook"))
}

// TestCodeDeployLifecycleHooks: the AppSpec in the CreateDeployment output names each hook at
// its event, in the order the events run, and each hook's role may report its result on the
// deployment group, and on nothing else.
func TestCodeDeployLifecycleHooks(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("CodeDeployHooks"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	fn := func(id string) awslambda.Function {
		return awslambda.NewFunction(stack, jsii.String(id), &awslambda.FunctionProps{
			Runtime: awslambda.Runtime_NODEJS_24_X(), Handler: jsii.String("index.handler"),
			Code: awslambda.Code_FromInline(jsii.String(`exports.handler = async () => {};`)),
		})
	}
	smoke, gate := fn("Smoke"), fn("Gate")
	p := webservice.Image("amazon/amazon-ecs-sample")
	p.LoadBalancer.TestListener = &alb.TestListener{Port: 8080, AllowFrom: []awsec2.IPeer{awsec2.Peer_Ipv4(jsii.String("203.0.113.0/24"))}}
	p.Service.Deployment = &service.Deployment{Strategy: service.Canary, Controller: service.CodeDeployController,
		CodeDeploy: &service.CodeDeploy{Hooks: []service.CodeDeployHook{
			{Event: service.BeforeAllowTraffic, Function: gate}, {Event: service.AfterAllowTestTraffic, Function: smoke}}}}
	s := synthNagged(t, app, webservice.New(stack, "Web", p), "CodeDeployHooks")
	smokeID, gateID := idOf(t, s, "AWS::Lambda::Function", "Smoke"), idOf(t, s, "AWS::Lambda::Function", "Gate")
	appID, _ := resource(t, s, "AWS::CodeDeploy::Application")
	dgID, _ := resource(t, s, "AWS::CodeDeploy::DeploymentGroup")
	tdID, _ := resource(t, s, "AWS::ECS::TaskDefinition")
	var out any
	for id, o := range s.Template["Outputs"].(map[string]any) {
		if strings.HasPrefix(id, "WebCreateDeployment") {
			out = get(o, "Value")
		}
	}
	raw := resolve(t, out, map[string]string{appID: "app", dgID: "group", tdID: "arn:td:1", smokeID: "smoke-fn", gateID: "gate-fn"})
	var input struct {
		Revision struct{ AppSpecContent struct{ Content string } }
	}
	if err := json.Unmarshal([]byte(raw), &input); err != nil {
		t.Fatalf("CreateDeployment output is not JSON: %v\n%s", err, raw)
	}
	var appSpec map[string]any
	if err := json.Unmarshal([]byte(input.Revision.AppSpecContent.Content), &appSpec); err != nil {
		t.Fatalf("AppSpec is not JSON: %v", err)
	}
	jsonEq(t, "hooks", appSpec["Hooks"], `[{"AfterAllowTestTraffic": "smoke-fn"}, {"BeforeAllowTraffic": "gate-fn"}]`)
	for _, f := range []string{smokeID, gateID} {
		roleID := get(s.Template.Resources("AWS::Lambda::Function")[f], "Properties", "Role", "Fn::GetAtt", "0").(string)
		var got []any
		for _, r := range s.Template.Resources("AWS::IAM::Policy") {
			for _, ref := range anySlice(get(r, "Properties", "Roles")) {
				if get(ref, "Ref") == roleID {
					got = append(got, anySlice(get(r, "Properties", "PolicyDocument", "Statement"))...)
				}
			}
		}
		jsonEq(t, f+" role", got, `[{"Action": "codedeploy:PutLifecycleEventHookExecutionStatus", "Effect": "Allow", "Resource": {"Fn::Join": ["", [
			"arn:aws:codedeploy:eu-west-1:", {"Ref": "AWS::AccountId"}, ":deploymentgroup:", {"Ref": "`+appID+`"}, "/", {"Ref": "`+dgID+`"}]]}}]`)
	}
}

// TestExpressModeComparison: the README's row for ECS Express Mode, modeled from its documented
// defaults (a 5 % canary, 3 minutes, the rest, 3 more minutes; 30 s x 5 health checks, 30 s
// stop timeout; ELB's 300 s deregistration delay, as Express Mode documents none), against the
// CanaryWebService example read from its template.
func TestExpressModeComparison(t *testing.T) {
	express := rules.ModelTrafficShift(rules.TrafficShiftDeployment{Strategy: "CANARY", StepPercent: 5, StepBake: 180, Bake: 180,
		HealthCheckInterval: 30, HealthyThreshold: 5, DeregistrationDelay: 300, StopTimeout: 30})
	if express.Seconds() != 870 || express.Dominant() != "deregistration delay" {
		t.Errorf("Express Mode model %s, want the README's 870 s", express)
	}
	ds := rules.DeployTimes(mustParse(t, examples(t).Stack(t, "CanaryWebService")))
	if len(ds) != 1 || ds[0].Seconds() >= express.Seconds() || ds[0].Shift.Bake <= express.Bake {
		t.Errorf("CanaryWebService %+v: want a faster deployment with a longer bake than Express Mode's %s", ds, express)
	}
}

// TestCodeDeployPredefinedConfig: a predefined configuration is named, not recreated, the
// approval wait holds the deployment for a person, and both models read the configuration.
func TestCodeDeployPredefinedConfig(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Predefined"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	p := webservice.Image("amazon/amazon-ecs-sample")
	p.Service.Deployment = &service.Deployment{Strategy: service.Canary, Controller: service.CodeDeployController,
		CodeDeploy: &service.CodeDeploy{Config: awscodedeploy.EcsDeploymentConfig_CANARY_10PERCENT_15MINUTES(), ApprovalWait: 30 * time.Minute}}
	web := webservice.New(stack, "Web", p)
	s := forgetest.Synth(t, app).Stack(t, "Predefined")
	if n := len(s.Template.Resources("AWS::CodeDeploy::DeploymentConfig")); n != 0 {
		t.Errorf("%d deployment configurations made for a predefined one", n)
	}
	_, dg := resource(t, s, "AWS::CodeDeploy::DeploymentGroup")
	if dg["DeploymentConfigName"] != "CodeDeployDefault.ECSCanary10Percent15Minutes" {
		t.Errorf("deployment configuration %v", dg["DeploymentConfigName"])
	}
	jsonEq(t, "ready option", get(dg, "BlueGreenDeploymentConfiguration", "DeploymentReadyOption"), `{"ActionOnTimeout": "STOP_DEPLOYMENT", "WaitTimeInMinutes": 30}`)
	// 30 s start + 10 s health checks + 900 s canary + 300 s termination wait + 10 s + 10 s.
	shift, ok := web.ShiftTime()
	ds := rules.DeployTimes(mustParse(t, s))
	if !ok || shift.Seconds() != 1260 || len(ds) != 1 || ds[0].Seconds() != 1260 {
		t.Errorf("modeled deployment: pattern %v (%t), template %+v; want 1260 s", shift, ok, ds)
	}
}

// TestModeledTimesTable: the README's table of modeled deployment times, row by row, from the
// pattern's DeployTime() and from the synthesized template (ecsforge lint's model), which must
// agree: web service defaults (5 s x 2 health checks, 10 s deregistration, 10 s stop) with the
// rolling update, BLUE_GREEN, CANARY 10 %, LINEAR 20 % every 2 min and LINEAR 10 %.
func TestModeledTimesTable(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Times"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	rows := []struct {
		id       string
		d        *service.Deployment
		seconds  int
		dominant string
	}{
		{"Rolling", nil, 60, "task start"},
		{"BlueGreen", &service.Deployment{Strategy: service.BlueGreen}, 360, "the bake"},
		{"Canary", &service.Deployment{Strategy: service.Canary}, 540, "the bake"},
		{"Linear20", &service.Deployment{Strategy: service.Linear, StepPercent: 20, StepBakeTime: 2 * time.Minute}, 840, "the steps"},
		{"Linear10", &service.Deployment{Strategy: service.Linear}, 1980, "the steps"},
	}
	webs := map[string]*webservice.WebService{}
	for _, r := range rows {
		p := webservice.Image("public.ecr.aws/nginx/nginx:1.27")
		p.Service.Deployment = r.d
		webs[r.id] = webservice.New(stack, r.id, p)
	}
	s := forgetest.Synth(t, app).Stack(t, "Times")
	fromTemplate := map[string]int{}
	for _, d := range rules.DeployTimes(mustParse(t, s)) {
		for _, r := range rows {
			if strings.HasPrefix(d.LogicalID, r.id+"Service") {
				fromTemplate[r.id] = d.Seconds()
			}
		}
	}
	for _, r := range rows {
		m, ok := webs[r.id].DeployTime()
		if !ok || m.Seconds() != r.seconds || m.Dominant() != r.dominant || (r.d == nil) != (m.Shift == nil) {
			t.Errorf("%s: DeployTime() %s (%t), want %d s, largest part %s", r.id, m, ok, r.seconds, r.dominant)
		}
		if fromTemplate[r.id] != r.seconds {
			t.Errorf("%s: the template models %d s, want %d s", r.id, fromTemplate[r.id], r.seconds)
		}
	}
}

// TestBlueGreenFrontendAlone: the load balancer side of a blue/green deployment is a building
// block of its own (alb.Attach with Target.BlueGreen), for a service wired by hand: two target
// groups with the same settings, a production rule forwarding to both with weights 100 and 0,
// and a test listener on its own port open to the CIDR named only, whose rule does the same.
func TestBlueGreenFrontendAlone(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Front"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	vpc := awsec2.NewVpc(stack, jsii.String("Vpc"), &awsec2.VpcProps{MaxAzs: jsii.Number(2), NatGateways: jsii.Number(0)})
	p := alb.Props{TestListener: &alb.TestListener{Port: 9000, AllowFrom: []awsec2.IPeer{awsec2.Peer_Ipv4(jsii.String("203.0.113.0/24"))}}}
	if err := p.ValidateAt(""); err != nil {
		t.Fatal(err)
	}
	f := alb.Attach(stack, vpc, alb.Target{BlueGreen: true, Port: 8080, TargetType: elbv2.TargetType_IP}, p)
	if f.GreenTargetGroup == nil || f.ProductionRule == nil || f.TestListenerRule == nil {
		t.Fatalf("frontend %+v", f)
	}
	s := forgetest.Synth(t, app).Stack(t, "Front")
	tgs := s.Template.Resources("AWS::ElasticLoadBalancingV2::TargetGroup")
	var settings []string
	for _, tg := range tgs {
		props := tg["Properties"].(map[string]any)
		settings = append(settings, forgetestJSON(map[string]any{"HealthCheckPath": props["HealthCheckPath"], "Interval": props["HealthCheckIntervalSeconds"],
			"Port": props["Port"], "TargetType": props["TargetType"], "Attributes": props["TargetGroupAttributes"]}))
	}
	if len(settings) != 2 || settings[0] != settings[1] {
		t.Errorf("blue and green target groups differ: %v", settings)
	}
	for _, r := range s.Template.Resources("AWS::ElasticLoadBalancingV2::ListenerRule") {
		var weights []any
		for _, w := range get(r, "Properties", "Actions", "0", "ForwardConfig", "TargetGroups").([]any) {
			weights = append(weights, get(w, "Weight"))
		}
		if fmt.Sprint(weights) != "[100 0]" {
			t.Errorf("rule %v weights %v, want 100/0", get(r, "Properties", "Priority"), weights)
		}
	}
	var test []string
	for _, sg := range s.Template.Resources("AWS::EC2::SecurityGroup") {
		for _, in := range listOfAny(get(sg, "Properties", "SecurityGroupIngress")) {
			if get(in, "FromPort") == float64(9000) {
				test = append(test, fmt.Sprint(get(in, "CidrIp")))
			}
		}
	}
	if fmt.Sprint(test) != "[203.0.113.0/24]" {
		t.Errorf("test listener open to %v, want the named CIDR only", test)
	}
	if fs := rules.Lint(mustParse(t, s)); len(fs) != 0 {
		t.Errorf("rule engine findings: %v", fs)
	}
}

func listOfAny(v any) []any { l, _ := v.([]any); return l }

// TestCodeDeployConfigurations: the deployment configuration each strategy derives for
// CodeDeploy: LINEAR a time-based linear configuration with its step and interval, BLUE_GREEN
// the predefined all-at-once one (no configuration resource).
func TestCodeDeployConfigurations(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Configs"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	for id, d := range map[string]*service.Deployment{
		"Linear":    {Strategy: service.Linear, StepPercent: 20, StepBakeTime: 2 * time.Minute, Controller: service.CodeDeployController},
		"AllAtOnce": {Strategy: service.BlueGreen, Controller: service.CodeDeployController},
	} {
		p := webservice.Image("public.ecr.aws/nginx/nginx:1.27")
		p.Service.Deployment = d
		webservice.New(stack, id, p)
	}
	s := forgetest.Synth(t, app).Stack(t, "Configs")
	cfgs := s.Template.Resources("AWS::CodeDeploy::DeploymentConfig")
	if len(cfgs) != 1 {
		t.Fatalf("%d deployment configurations, want the linear one only", len(cfgs))
	}
	for id, cfg := range cfgs {
		jsonEq(t, "linear configuration", cfg["Properties"], `{"ComputePlatform": "ECS", "TrafficRoutingConfig": {"Type": "TimeBasedLinear", "TimeBasedLinear": {"LinearPercentage": 20, "LinearInterval": 2}}}`)
		if got := get(byPrefix(t, s, "AWS::CodeDeploy::DeploymentGroup", "Linear"), "DeploymentConfigName", "Ref"); got != id {
			t.Errorf("the linear deployment group uses %v, want %s", got, id)
		}
	}
	if got := get(byPrefix(t, s, "AWS::CodeDeploy::DeploymentGroup", "AllAtOnce"), "DeploymentConfigName"); got != "CodeDeployDefault.ECSAllAtOnce" {
		t.Errorf("the blue/green deployment group uses %v, want CodeDeployDefault.ECSAllAtOnce", got)
	}
	if fs := rules.Lint(mustParse(t, s)); len(fs) != 0 {
		t.Errorf("rule engine findings: %v", fs)
	}
}
