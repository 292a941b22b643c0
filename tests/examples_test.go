// Package tests synthesizes every example stack once, with cdk-nag's AwsSolutions checks, and
// checks the templates: snapshots, cdk-nag findings, the properties each pattern promises, and
// the modeled deploy time.
package tests

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/ecsforge/ecsforge/constructs/alb"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/examples/showcase"
	"github.com/ecsforge/ecsforge/forgetest"
	"github.com/ecsforge/ecsforge/patterns/webservice"
	"github.com/ecsforge/ecsforge/rules"
)

var (
	showcaseOnce sync.Once
	showcaseAsm  *forgetest.Assembly
)

// examples synthesizes the showcase app once per test binary.
func examples(t *testing.T) *forgetest.Assembly {
	t.Helper()
	showcaseOnce.Do(func() {
		app := forgetest.NewApp(t)
		showcase.Stacks(app)
		awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
		showcaseAsm = forgetest.Synth(t, app)
	})
	if showcaseAsm == nil {
		t.Fatal("the showcase app did not synthesize")
	}
	return showcaseAsm
}

func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func TestSnapshots(t *testing.T) {
	asm := examples(t)
	if len(asm.Stacks) < 2 {
		t.Fatalf("showcase has %d stacks, want every example", len(asm.Stacks))
	}
	for _, name := range asm.Names() {
		t.Run(name, func(t *testing.T) { forgetest.Snapshot(t, "testdata", asm.Stacks[name]) })
	}
}

func TestCdkNagAwsSolutions(t *testing.T) {
	asm := examples(t)
	for _, name := range asm.Names() {
		s := asm.Stacks[name]
		for _, m := range s.Errors() {
			t.Errorf("%s %s: %s", name, m.Path, m.Text)
		}
	}
}

// resource returns the only resource of typ in s, failing the test otherwise.
func resource(t *testing.T, s forgetest.Stack, typ string) (string, map[string]any) {
	t.Helper()
	rs := s.Template.Resources(typ)
	if len(rs) != 1 {
		t.Fatalf("%s: %d resources of type %s, want 1", s.Name, len(rs), typ)
	}
	for id, r := range rs {
		props, _ := r["Properties"].(map[string]any)
		return id, props
	}
	return "", nil
}

// get walks a path of map keys and list indexes ("0") through v.
func get(v any, path ...string) any {
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func num(t *testing.T, v any) int {
	t.Helper()
	switch x := v.(type) {
	case float64:
		return int(x)
	case string:
		n, err := strconv.Atoi(x)
		if err == nil {
			return n
		}
	}
	t.Fatalf("%v (%T) is not a number", v, v)
	return 0
}

func tgAttribute(tg map[string]any, key string) any {
	attrs, _ := tg["TargetGroupAttributes"].([]any)
	for _, a := range attrs {
		if get(a, "Key") == key {
			return get(a, "Value")
		}
	}
	return nil
}

// modeledDeploy reads the deploy-time model's inputs from a web service template.
func modeledDeploy(t *testing.T, s forgetest.Stack) rules.DeployTime {
	_, svc := resource(t, s, "AWS::ECS::Service")
	_, tg := resource(t, s, "AWS::ElasticLoadBalancingV2::TargetGroup")
	_, td := resource(t, s, "AWS::ECS::TaskDefinition")
	stop := 30 // ECS's default stop timeout when a container sets none
	for _, c := range td["ContainerDefinitions"].([]any) {
		if v := get(c, "StopTimeout"); v != nil {
			stop = num(t, v)
		}
	}
	return rules.ModelDeployTime(rules.RollingDeployment{
		DesiredCount:        num(t, svc["DesiredCount"]),
		MinHealthyPercent:   num(t, get(svc, "DeploymentConfiguration", "MinimumHealthyPercent")),
		MaxPercent:          num(t, get(svc, "DeploymentConfiguration", "MaximumPercent")),
		HealthCheckInterval: num(t, tg["HealthCheckIntervalSeconds"]),
		HealthyThreshold:    num(t, tg["HealthyThresholdCount"]),
		DeregistrationDelay: num(t, tgAttribute(tg, "deregistration_delay.timeout_seconds")),
		StopTimeout:         stop,
	})
}

func TestWebServiceSeed(t *testing.T) {
	s := examples(t).Stack(t, "WebService")
	_, svc := resource(t, s, "AWS::ECS::Service")
	_, tg := resource(t, s, "AWS::ElasticLoadBalancingV2::TargetGroup")
	_, td := resource(t, s, "AWS::ECS::TaskDefinition")
	_, lb := resource(t, s, "AWS::ElasticLoadBalancingV2::LoadBalancer")
	_, cluster := resource(t, s, "AWS::ECS::Cluster")
	_, assoc := resource(t, s, "AWS::ECS::ClusterCapacityProviderAssociations")
	checks := []struct {
		what string
		got  any
		want any
	}{
		{"target type", tg["TargetType"], "ip"},
		{"network mode", td["NetworkMode"], "awsvpc"},
		{"compatibility", get(td, "RequiresCompatibilities", "0"), "FARGATE"},
		{"image", get(td, "ContainerDefinitions", "0", "Image"), "amazon/amazon-ecs-sample"},
		{"container port", get(td, "ContainerDefinitions", "0", "PortMappings", "0", "ContainerPort"), 80.0},
		{"init process", get(td, "ContainerDefinitions", "0", "LinuxParameters", "InitProcessEnabled"), true},
		{"log driver", get(td, "ContainerDefinitions", "0", "LogConfiguration", "LogDriver"), "awslogs"},
		{"public IP", get(svc, "NetworkConfiguration", "AwsvpcConfiguration", "AssignPublicIp"), "DISABLED"},
		{"circuit breaker", get(svc, "DeploymentConfiguration", "DeploymentCircuitBreaker", "Enable"), true},
		{"rollback", get(svc, "DeploymentConfiguration", "DeploymentCircuitBreaker", "Rollback"), true},
		{"min healthy", get(svc, "DeploymentConfiguration", "MinimumHealthyPercent"), 100.0},
		{"max percent", get(svc, "DeploymentConfiguration", "MaximumPercent"), 200.0},
		{"grace period", svc["HealthCheckGracePeriodSeconds"], 30.0},
		{"scheme", lb["Scheme"], "internet-facing"},
		{"container insights", get(cluster, "ClusterSettings", "0", "Value"), "enhanced"},
		{"capacity providers", get(assoc, "CapacityProviders"), []any{"FARGATE", "FARGATE_SPOT"}},
		{"health check path", tg["HealthCheckPath"], "/"},
		{"deregistration delay", tgAttribute(tg, "deregistration_delay.timeout_seconds"), "10"},
	}
	for _, c := range checks {
		if forgetest.Diff(forgetest.Template{"v": c.want}, forgetest.Template{"v": c.got}) != nil {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
	// Tasks sit in private subnets.
	for _, sub := range get(svc, "NetworkConfiguration", "AwsvpcConfiguration", "Subnets").([]any) {
		if ref, _ := get(sub, "Ref").(string); !strings.Contains(ref, "Private") {
			t.Errorf("service subnet %v is not private", sub)
		}
	}
	// Access logs are on, to an encrypted bucket that refuses plain HTTP.
	if !hasAttribute(lb["LoadBalancerAttributes"], "access_logs.s3.enabled", "true") {
		t.Errorf("ALB access logs are off: %v", lb["LoadBalancerAttributes"])
	}
	_, bucket := resource(t, s, "AWS::S3::Bucket")
	if get(bucket, "BucketEncryption", "ServerSideEncryptionConfiguration", "0", "ServerSideEncryptionByDefault", "SSEAlgorithm") != "AES256" {
		t.Errorf("access log bucket is not SSE-S3 encrypted: %v", bucket["BucketEncryption"])
	}
	_, policy := resource(t, s, "AWS::S3::BucketPolicy")
	if !strings.Contains(forgetestJSON(policy), `"aws:SecureTransport":"false"`) {
		t.Errorf("access log bucket policy does not deny plain HTTP")
	}
	if len(s.Template.Resources("AWS::EC2::FlowLog")) != 1 {
		t.Errorf("the new VPC has no flow log")
	}
}

func hasAttribute(attrs any, key, value string) bool {
	l, _ := attrs.([]any)
	for _, a := range l {
		if get(a, "Key") == key && get(a, "Value") == value {
			return true
		}
	}
	return false
}

func forgetestJSON(v map[string]any) string {
	return strings.Join(strings.Fields(string(forgetest.Marshal(v))), "")
}

func TestWebServiceHTTPS(t *testing.T) {
	s := examples(t).Stack(t, "WebServiceHttps")
	listeners := s.Template.Resources("AWS::ElasticLoadBalancingV2::Listener")
	var https, redirect bool
	for _, l := range listeners {
		p := l["Properties"].(map[string]any)
		switch {
		case p["Protocol"] == "HTTPS" && num(t, p["Port"]) == 443:
			https = p["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06" && get(p, "Certificates", "0", "CertificateArn") != nil
		case p["Protocol"] == "HTTP" && get(p, "DefaultActions", "0", "Type") == "redirect":
			redirect = get(p, "DefaultActions", "0", "RedirectConfig", "Protocol") == "HTTPS"
		}
	}
	if !https || !redirect {
		t.Errorf("want an HTTPS listener with the recommended TLS policy and an HTTP->HTTPS redirect; https=%v redirect=%v", https, redirect)
	}
	_, cert := resource(t, s, "AWS::CertificateManager::Certificate")
	if cert["DomainName"] != "app.example.com" || cert["ValidationMethod"] != "DNS" {
		t.Errorf("certificate = %v", cert)
	}
	_, rec := resource(t, s, "AWS::Route53::RecordSet")
	if rec["Name"] != "app.example.com." || rec["Type"] != "A" || get(rec, "AliasTarget") == nil {
		t.Errorf("alias record = %v", rec)
	}
	_, svc := resource(t, s, "AWS::ECS::Service")
	strategy := forgetestJSON(map[string]any{"s": svc["CapacityProviderStrategy"]})
	if !strings.Contains(strategy, `{"Base":1,"CapacityProvider":"FARGATE","Weight":1}`) || !strings.Contains(strategy, `{"CapacityProvider":"FARGATE_SPOT","Weight":3}`) {
		t.Errorf("capacity provider strategy = %s", strategy)
	}
	if svc["EnableExecuteCommand"] != true {
		t.Errorf("ECS Exec is off")
	}
	if get(svc, "DeploymentConfiguration", "Alarms", "AlarmNames", "0") != "WebServiceHttps-Target5xx" || get(svc, "DeploymentConfiguration", "Alarms", "Rollback") != true {
		t.Errorf("deployment alarms = %v", get(svc, "DeploymentConfiguration", "Alarms"))
	}
	_, td := resource(t, s, "AWS::ECS::TaskDefinition")
	c := get(td, "ContainerDefinitions", "0")
	if get(td, "RuntimePlatform", "CpuArchitecture") != "ARM64" || td["Cpu"] != "512" || td["Memory"] != "1024" {
		t.Errorf("task size/platform = %v %v %v", td["Cpu"], td["Memory"], td["RuntimePlatform"])
	}
	if num(t, get(c, "HealthCheck", "Interval")) != 10 || num(t, get(c, "HealthCheck", "Retries")) != 3 || num(t, get(c, "HealthCheck", "Timeout")) != 5 {
		t.Errorf("container health check = %v", get(c, "HealthCheck"))
	}
	secrets := forgetestJSON(map[string]any{"s": get(c, "Secrets")})
	if !strings.Contains(secrets, `"Name":"DB_PASSWORD"`) || !strings.Contains(secrets, `:secret:prod/web/db:password::`) || !strings.Contains(secrets, `"Name":"API_KEY"`) || !strings.Contains(secrets, `parameter/prod/web/api-key`) {
		t.Errorf("secrets = %s", secrets)
	}
	_, tg := resource(t, s, "AWS::ElasticLoadBalancingV2::TargetGroup")
	if !hasAttribute(tg["TargetGroupAttributes"], "stickiness.enabled", "true") || !hasAttribute(tg["TargetGroupAttributes"], "stickiness.lb_cookie.duration_seconds", "3600") {
		t.Errorf("stickiness = %v", tg["TargetGroupAttributes"])
	}
	// Scaling: 2-10 tasks, CPU and request count target tracking, two scheduled actions.
	_, target := resource(t, s, "AWS::ApplicationAutoScaling::ScalableTarget")
	if num(t, target["MinCapacity"]) != 2 || num(t, target["MaxCapacity"]) != 10 || len(target["ScheduledActions"].([]any)) != 2 {
		t.Errorf("scalable target = %v", target)
	}
	metrics := map[string]bool{}
	for _, p := range s.Template.Resources("AWS::ApplicationAutoScaling::ScalingPolicy") {
		m, _ := get(p, "Properties", "TargetTrackingScalingPolicyConfiguration", "PredefinedMetricSpecification", "PredefinedMetricType").(string)
		metrics[m] = true
	}
	if !metrics["ECSServiceAverageCPUUtilization"] || !metrics["ALBRequestCountPerTarget"] {
		t.Errorf("scaling policies track %v", metrics)
	}
}

// TestModeledDeployTime reads the settings that bound a rolling deployment from the synthesized
// templates and checks the model: at most 60 s with the defaults.
func TestModeledDeployTime(t *testing.T) {
	asm := examples(t)
	for _, name := range []string{"WebService", "WebServiceHttps"} {
		d := modeledDeploy(t, asm.Stack(t, name))
		if d.Seconds() > 60 {
			t.Errorf("%s: modeled deployment %s, want at most 60 s", name, d)
		}
		t.Logf("%s: %s", name, d)
	}
	d := modeledDeploy(t, asm.Stack(t, "WebService"))
	if d.Seconds() != 60 || d.Batches != 1 || d.HealthChecks != 10 || d.Deregistration != 10 || d.Stop != 10 {
		t.Errorf("default web service models %s, want 60 s = 1 x (30 + 10 + 10 + 10)", d)
	}
}

// TestCanaryWebService checks the ECS-native canary deployment of the CanaryWebService example:
// the strategy and its timings, blue and green target groups with the same settings behind a
// production rule that forwards to both, alarms on both that roll a deployment back, and the
// service's advanced load balancer configuration with ECS's infrastructure role.
func TestCanaryWebService(t *testing.T) {
	s := examples(t).Stack(t, "CanaryWebService")
	_, svc := resource(t, s, "AWS::ECS::Service")
	dc := svc["DeploymentConfiguration"].(map[string]any)
	jsonEq(t, "strategy", map[string]any{"Strategy": dc["Strategy"], "BakeTimeInMinutes": dc["BakeTimeInMinutes"], "CanaryConfiguration": dc["CanaryConfiguration"]},
		`{"Strategy": "CANARY", "BakeTimeInMinutes": 5, "CanaryConfiguration": {"CanaryPercent": 10, "CanaryBakeTimeInMinutes": 3}}`)
	alarms := s.Template.Resources("AWS::CloudWatch::Alarm")
	names := get(dc, "Alarms", "AlarmNames").([]any)
	if len(alarms) != 4 || len(names) != 4 || get(dc, "Alarms", "Rollback") != true || get(dc, "Alarms", "Enable") != true {
		t.Errorf("deployment alarms %v of %d alarms", dc["Alarms"], len(alarms))
	}
	// Each target group has a 5XX alarm (more than DefaultTarget5XXPerMinute in a minute) and an
	// unhealthy-targets alarm (one or more for DefaultUnhealthyMinutes minutes), on its own
	// target group's dimension.
	var defs []string
	for id, a := range alarms {
		p := a["Properties"].(map[string]any)
		color := "Blue"
		if strings.Contains(id, "Green") {
			color = "Green"
		}
		tgRef := ""
		for _, d := range p["Dimensions"].([]any) {
			if get(d, "Name") == "TargetGroup" {
				tgRef = fmt.Sprint(get(d, "Value", "Fn::GetAtt", "0"))
			}
		}
		own := idOf(t, s, "AWS::ElasticLoadBalancingV2::TargetGroup", map[string]string{"Blue": "WebTargets", "Green": "WebGreenTargets"}[color])
		defs = append(defs, fmt.Sprintf("%s %v %v %v>%v/%v %v %v", color, p["MetricName"], p["Statistic"], p["ComparisonOperator"], p["Threshold"], p["EvaluationPeriods"], p["Period"], tgRef == own))
	}
	sort.Strings(defs)
	want := fmt.Sprintf("[Blue HTTPCode_Target_5XX_Count Sum GreaterThanThreshold>%d/1 60 true Blue UnHealthyHostCount Maximum GreaterThanOrEqualToThreshold>1/%d 60 true Green HTTPCode_Target_5XX_Count Sum GreaterThanThreshold>%d/1 60 true Green UnHealthyHostCount Maximum GreaterThanOrEqualToThreshold>1/%d 60 true]",
		webservice.DefaultTarget5XXPerMinute, webservice.DefaultUnhealthyMinutes, webservice.DefaultTarget5XXPerMinute, webservice.DefaultUnhealthyMinutes)
	if fmt.Sprint(defs) != want {
		t.Errorf("alarms\n got %v\nwant %s", defs, want)
	}
	for _, n := range names {
		if _, ok := alarms[get(n, "Ref").(string)]; !ok {
			t.Errorf("deployment alarm %v is not an alarm of the stack", n)
		}
	}
	var blue, green string
	for id := range s.Template.Resources("AWS::ElasticLoadBalancingV2::TargetGroup") {
		if strings.HasPrefix(id, "WebGreenTargets") {
			green = id
		} else {
			blue = id
		}
	}
	tgs := s.Template.Resources("AWS::ElasticLoadBalancingV2::TargetGroup")
	bp, gp := tgs[blue]["Properties"].(map[string]any), tgs[green]["Properties"].(map[string]any)
	for _, k := range []string{"HealthCheckIntervalSeconds", "HealthCheckPath", "HealthyThresholdCount", "HealthCheckTimeoutSeconds", "Matcher", "TargetGroupAttributes", "TargetType", "Port"} {
		if forgetestJSON(map[string]any{"v": bp[k]}) != forgetestJSON(map[string]any{"v": gp[k]}) {
			t.Errorf("%s differs: blue %v, green %v", k, bp[k], gp[k])
		}
	}
	var ruleID, testRuleID string
	for id, r := range s.Template.Resources("AWS::ElasticLoadBalancingV2::ListenerRule") {
		jsonEq(t, id, get(r, "Properties", "Actions", "0", "ForwardConfig", "TargetGroups"),
			`[{"TargetGroupArn": {"Ref": "`+blue+`"}, "Weight": 100}, {"TargetGroupArn": {"Ref": "`+green+`"}, "Weight": 0}]`)
		if strings.HasPrefix(id, "WebTestRule") {
			testRuleID = id
		} else {
			ruleID = id
		}
	}
	var listener, testListener map[string]any
	for id, r := range s.Template.Resources("AWS::ElasticLoadBalancingV2::Listener") {
		if strings.HasPrefix(id, "WebLBTest") {
			testListener = r["Properties"].(map[string]any)
		} else {
			listener = r["Properties"].(map[string]any)
		}
	}
	if testListener == nil || testListener["Port"] != 8080.0 {
		t.Fatalf("test listener %v", testListener)
	}
	// The test port is open to the office network only.
	var testIngress []string
	for _, r := range s.Template.Resources("AWS::EC2::SecurityGroup") {
		ingress, _ := get(r, "Properties", "SecurityGroupIngress").([]any)
		for _, in := range ingress {
			if get(in, "FromPort") == 8080.0 {
				testIngress = append(testIngress, fmt.Sprint(get(in, "CidrIp")))
			}
		}
	}
	if fmt.Sprint(testIngress) != "[203.0.113.0/24]" {
		t.Errorf("ingress on the test port from %v, want the office network only", testIngress)
	}
	// Only forward actions on the listener: blue/green fails on a mix with fixed responses.
	if get(listener, "DefaultActions", "0", "Type") != "forward" || get(listener, "DefaultActions", "0", "TargetGroupArn", "Ref") != blue {
		t.Errorf("the listener's default action is not a forward to the blue target group: %v", listener["DefaultActions"])
	}
	adv := get(svc, "LoadBalancers", "0", "AdvancedConfiguration").(map[string]any)
	if get(adv, "AlternateTargetGroupArn", "Ref") != green || get(adv, "ProductionListenerRule", "Ref") != ruleID ||
		get(adv, "TestListenerRule", "Ref") != testRuleID || get(svc, "LoadBalancers", "0", "TargetGroupArn", "Ref") != blue {
		t.Errorf("advanced configuration %v", adv)
	}
	// The modeled deployment, from the template's own settings.
	_, td := resource(t, s, "AWS::ECS::TaskDefinition")
	stop := 30
	for _, c := range td["ContainerDefinitions"].([]any) {
		if v := get(c, "StopTimeout"); v != nil {
			stop = num(t, v)
		}
	}
	model := rules.ModelTrafficShift(rules.TrafficShiftDeployment{
		Strategy: dc["Strategy"].(string), StepPercent: get(dc, "CanaryConfiguration", "CanaryPercent").(float64),
		StepBake: 60 * num(t, get(dc, "CanaryConfiguration", "CanaryBakeTimeInMinutes")), Bake: 60 * num(t, dc["BakeTimeInMinutes"]),
		HealthCheckInterval: num(t, bp["HealthCheckIntervalSeconds"]), HealthyThreshold: num(t, bp["HealthyThresholdCount"]),
		DeregistrationDelay: num(t, tgAttribute(bp, "deregistration_delay.timeout_seconds")), StopTimeout: stop,
	})
	if model.Seconds() != 540 {
		t.Errorf("modeled canary deployment %s, want the README's 540 s", model)
	}
	if ds := rules.DeployTimes(mustParse(t, s)); len(ds) != 1 || ds[0].Seconds() != 540 {
		t.Errorf("ecsforge lint's model of the template: %+v", ds)
	}
	roleID := get(adv, "RoleArn", "Fn::GetAtt", "0").(string)
	role := s.Template.Resources("AWS::IAM::Role")[roleID]["Properties"].(map[string]any)
	if !strings.Contains(forgetestJSON(role), "AmazonECSInfrastructureRolePolicyForLoadBalancers") || !strings.Contains(forgetestJSON(role), `"Service":"ecs.amazonaws.com"`) {
		t.Errorf("infrastructure role %s", forgetestJSON(role))
	}
}

// synthNagged synthesizes app with cdk-nag's AwsSolutions checks on the pattern only (a test's
// own functions are not ecsforge's), fails the test on any finding under it, and returns the
// stack named stack.
func synthNagged(t *testing.T, app awscdk.App, pattern constructs.IConstruct, stack string) forgetest.Stack {
	t.Helper()
	awscdk.Aspects_Of(pattern).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	s := forgetest.Synth(t, app).Stack(t, stack)
	under := "/" + *pattern.Node().Id() + "/"
	for _, m := range s.Errors() {
		if strings.Contains(m.Path, under) {
			t.Errorf("cdk-nag on the pattern: %s %s", m.Path, m.Text)
		}
	}
	return s
}

// TestBlueGreenLifecycleHook: a lifecycle hook runs the user's function at the stages given;
// ECS assumes a role made for it that may invoke that function only.
func TestBlueGreenLifecycleHook(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Hooked"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	fn := awslambda.NewFunction(stack, jsii.String("Check"), &awslambda.FunctionProps{
		Runtime: awslambda.Runtime_NODEJS_24_X(), Handler: jsii.String("index.handler"),
		Code: awslambda.Code_FromInline(jsii.String(`exports.handler = async () => ({hookStatus: "SUCCEEDED"});`)),
	})
	p := webservice.Image("amazon/amazon-ecs-sample")
	p.Service.Deployment = &service.Deployment{Strategy: service.BlueGreen,
		Hooks: []service.Hook{{Function: fn, Stages: []service.HookStage{service.PostTestTrafficShift, service.PostProductionTrafficShift}}}}
	s := synthNagged(t, app, webservice.New(stack, "Web", p), "Hooked")
	_, svc := resource(t, s, "AWS::ECS::Service")
	hooks, _ := get(svc, "DeploymentConfiguration", "LifecycleHooks").([]any)
	if len(hooks) != 1 {
		t.Fatalf("lifecycle hooks %v", get(svc, "DeploymentConfiguration"))
	}
	jsonEq(t, "stages", get(hooks[0], "LifecycleStages"), `["POST_TEST_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT"]`)
	fnID := ""
	for id := range s.Template.Resources("AWS::Lambda::Function") {
		if strings.HasPrefix(id, "Check") {
			fnID = id
		}
	}
	if get(hooks[0], "HookTargetArn", "Fn::GetAtt", "0") != fnID {
		t.Errorf("hook target %v, want %s", get(hooks[0], "HookTargetArn"), fnID)
	}
	roleID, _ := get(hooks[0], "RoleArn", "Fn::GetAtt", "0").(string)
	role := s.Template.Resources("AWS::IAM::Role")[roleID]
	if !strings.Contains(forgetestJSON(role), `"Service":"ecs.amazonaws.com"`) {
		t.Errorf("hook role %s", forgetestJSON(role))
	}
	var invoke string
	for id, r := range s.Template.Resources("AWS::IAM::Policy") {
		if strings.Contains(forgetestJSON(r), `"Ref":"`+roleID+`"`) {
			invoke = id + " " + forgetestJSON(get(r, "Properties", "PolicyDocument").(map[string]any))
		}
	}
	if !strings.Contains(invoke, `"Action":"lambda:InvokeFunction"`) || !strings.Contains(invoke, fnID) {
		t.Errorf("the hook role's policy: %s", invoke)
	}
}

// TestBlueGreenTestHeader: test traffic by header is a rule on the production listener, ahead
// of the production rule, and is the service's test listener rule.
func TestBlueGreenTestHeader(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Header"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	p := webservice.Image("amazon/amazon-ecs-sample")
	p.Service.Deployment = &service.Deployment{Strategy: service.Linear}
	p.LoadBalancer.TestHeader = &alb.TestHeader{Name: "X-Test", Values: []string{"green"}}
	webservice.New(stack, "Web", p)
	s := forgetest.Synth(t, app).Stack(t, "Header")
	if n := len(s.Template.Resources("AWS::ElasticLoadBalancingV2::Listener")); n != 1 {
		t.Errorf("%d listeners, want the production listener alone", n)
	}
	var testRule string
	for id, r := range s.Template.Resources("AWS::ElasticLoadBalancingV2::ListenerRule") {
		if strings.HasPrefix(id, "WebTestRule") {
			testRule = id
			jsonEq(t, "test rule", map[string]any{"Priority": get(r, "Properties", "Priority"), "Conditions": get(r, "Properties", "Conditions")},
				`{"Priority": 1, "Conditions": [{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Test", "Values": ["green"]}}]}`)
		}
	}
	_, svc := resource(t, s, "AWS::ECS::Service")
	if testRule == "" || get(svc, "LoadBalancers", "0", "AdvancedConfiguration", "TestListenerRule", "Ref") != testRule {
		t.Errorf("test listener rule %q, service %v", testRule, get(svc, "LoadBalancers"))
	}
	jsonEq(t, "linear", get(svc, "DeploymentConfiguration", "LinearConfiguration"), `{"StepPercent": 10, "StepBakeTimeInMinutes": 3}`)
}

// TestBlueGreenRulesStable: ECS shifts the listener rules' weights during a deployment, and a
// later stack update that touches a rule writes the template's weights back (aws-cdk #36649),
// which can send traffic to the target group without tasks. Ordinary changes (image, task size,
// scaling, health check, deregistration delay, bake times) must leave the rules' template as it
// is; only the rules' own inputs (listener, target groups, priority, test traffic) touch them.
func TestBlueGreenRulesStable(t *testing.T) {
	synth := func(modify func(*webservice.Props)) (string, *rules.Template) {
		app := forgetest.NewApp(t)
		stack := awscdk.NewStack(app, jsii.String("Stable"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
		p := webservice.Image("public.ecr.aws/nginx/nginx:1.27")
		p.Service.Deployment = &service.Deployment{Strategy: service.Canary}
		p.LoadBalancer.TestHeader = &alb.TestHeader{Name: "X-Test", Values: []string{"1"}}
		modify(&p)
		webservice.New(stack, "Web", p)
		s := forgetest.Synth(t, app).Stack(t, "Stable")
		rs := map[string]any{}
		for id, r := range s.Template.Resources("AWS::ElasticLoadBalancingV2::ListenerRule") {
			rs[id] = r
		}
		for id, r := range s.Template.Resources("AWS::ElasticLoadBalancingV2::Listener") {
			rs[id] = r
		}
		return forgetestJSON(rs), mustParse(t, s)
	}
	routingRewrites := func(prev, next *rules.Template) []rules.Finding {
		var out []rules.Finding
		for _, f := range rules.LintUpdate(prev, next) {
			if f.Rule.ID == rules.RoutingRewrite.ID {
				out = append(out, f)
			}
		}
		return out
	}
	base, baseT := synth(func(*webservice.Props) {})
	for name, change := range map[string]func(*webservice.Props){
		"image": func(p *webservice.Props) {
			p.Task.Containers[0].Image = awsecs.ContainerImage_FromRegistry(jsii.String("public.ecr.aws/nginx/nginx:1.28"), nil)
		},
		"task size": func(p *webservice.Props) { p.Task.CPU, p.Task.MemoryMiB = 1024, 2048 },
		"scaling":   func(p *webservice.Props) { p.Service.Scaling = &service.Scaling{Min: 2, Max: 6} },
		"health check": func(p *webservice.Props) {
			p.LoadBalancer.HealthCheck.Path, p.LoadBalancer.HealthCheck.Interval = "/health", 10*time.Second
		},
		"deregistration delay": func(p *webservice.Props) { p.LoadBalancer.DeregistrationDelay = new(30 * time.Second) },
		"bake times": func(p *webservice.Props) {
			p.Service.Deployment.BakeTime, p.Service.Deployment.StepBakeTime = 20*time.Minute, time.Minute
		},
		"desired count": func(p *webservice.Props) { p.Service.DesiredCount = new(4) },
		"alarms":        func(p *webservice.Props) { p.Service.DeploymentAlarms = []string{"orders-latency-p99"} },
	} {
		got, next := synth(change)
		if got != base {
			t.Errorf("changing the %s changes the listener or its rules:\n%s\nwas\n%s", name, got, base)
		}
		if fs := routingRewrites(baseT, next); len(fs) != 0 {
			t.Errorf("changing the %s: ecsforge lint --previous reports %v", name, fs)
		}
	}
	// What does rewrite the routing is reported when the update is linted against the last
	// deployed template: here the test traffic header.
	_, header := synth(func(p *webservice.Props) { p.LoadBalancer.TestHeader.Values = []string{"2"} })
	if fs := routingRewrites(baseT, header); len(fs) != 1 || fs[0].Rule.Severity != rules.Warning || !strings.Contains(fs[0].Message, "Conditions") {
		t.Errorf("a new test header value: ECS066 findings %v, want one on the test rule's conditions", fs)
	}
}

// TestBlueGreenUserAlarms: alarms the user names join the four default deployment alarms on the
// service, with rollback; with CodeDeploy they go to the deployment group's alarm configuration.
func TestBlueGreenUserAlarms(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("UserAlarms"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	for id, ctl := range map[string]service.Controller{"Native": "", "CodeDeploy": service.CodeDeployController} {
		p := webservice.Image("public.ecr.aws/nginx/nginx:1.27")
		p.Service.Deployment = &service.Deployment{Strategy: service.Canary, Controller: ctl}
		if ctl != "" {
			p.LoadBalancer.TestListener = &alb.TestListener{Port: 8080, AllowFrom: []awsec2.IPeer{awsec2.Peer_Ipv4(jsii.String("10.0.0.0/8"))}}
		}
		p.Service.DeploymentAlarms = []string{"orders-latency-p99"}
		webservice.New(stack, id, p)
	}
	s := forgetest.Synth(t, app).Stack(t, "UserAlarms")
	native := byPrefix(t, s, "AWS::ECS::Service", "NativeService")
	names, _ := get(native, "DeploymentConfiguration", "Alarms", "AlarmNames").([]any)
	if len(names) != 5 || names[0] != "orders-latency-p99" || get(native, "DeploymentConfiguration", "Alarms", "Rollback") != true {
		t.Errorf("native service alarms %v, want the user's alarm and the four defaults, with rollback", get(native, "DeploymentConfiguration", "Alarms"))
	}
	dg := byPrefix(t, s, "AWS::CodeDeploy::DeploymentGroup", "CodeDeploy")
	alarms, _ := get(dg, "AlarmConfiguration", "Alarms").([]any)
	found := false
	for _, a := range alarms {
		found = found || get(a, "Name") == "orders-latency-p99"
	}
	if len(alarms) != 5 || !found || get(dg, "AlarmConfiguration", "Enabled") != true {
		t.Errorf("deployment group alarms %v, want the user's alarm and the four defaults", get(dg, "AlarmConfiguration"))
	}
}

// mustParse parses a synthesized stack template with the rule engine's parser.
func mustParse(t *testing.T, s forgetest.Stack) *rules.Template {
	t.Helper()
	tmpl, err := rules.ParseTemplate(s.Name, forgetest.Marshal(s.Template))
	if err != nil {
		t.Fatal(err)
	}
	return tmpl
}
