package tests

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/constructs/alb"
	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/forgetest"
	"github.com/ecsforge/ecsforge/patterns/webservice"
	"github.com/ecsforge/ecsforge/rules"
)

// TestSharedAlb: two services on one HTTPS load balancer: the listener answers 404 by default,
// one rule per service with its conditions and priority forwards to that service's own target
// group, each service accepts traffic from the load balancer's security group only, and the API
// scales on its own target group's requests.
func TestSharedAlb(t *testing.T) {
	s := examples(t).Stack(t, "SharedAlb")
	if n := len(s.Template.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer")); n != 1 {
		t.Fatalf("%d load balancers, want one shared", n)
	}
	https := idOf(t, s, "AWS::ElasticLoadBalancingV2::Listener", "FrontLBHTTPS")
	jsonEq(t, "default action", get(s.Template.Resources("AWS::ElasticLoadBalancingV2::Listener")[https], "Properties", "DefaultActions"),
		`[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain", "MessageBody": "not found"}}]`)
	for prefix, want := range map[string]string{
		"ApiRule":   `{"Priority": 10, "Conditions": [{"Field": "host-header", "HostHeaderConfig": {"Values": ["api.example.com"]}}]}`,
		"AdminRule": `{"Priority": 20, "Conditions": [{"Field": "host-header", "HostHeaderConfig": {"Values": ["example.com"]}}, {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/admin/*"]}}]}`,
	} {
		r := byPrefix(t, s, "AWS::ElasticLoadBalancingV2::ListenerRule", prefix)
		jsonEq(t, prefix, map[string]any{"Priority": r["Priority"], "Conditions": r["Conditions"]}, want)
		svc := strings.TrimSuffix(prefix, "Rule")
		if get(r, "ListenerArn", "Ref") != https || get(r, "Actions", "0", "TargetGroupArn", "Ref") != idOf(t, s, "AWS::ElasticLoadBalancingV2::TargetGroup", svc+"Targets") {
			t.Errorf("%s: listener %v, actions %v", prefix, r["ListenerArn"], r["Actions"])
		}
	}
	lbSG := idOf(t, s, "AWS::EC2::SecurityGroup", "FrontLBSecurityGroup")
	var into []string
	for _, r := range s.Template.Resources("AWS::EC2::SecurityGroupIngress") {
		p := r["Properties"].(map[string]any)
		to := fmt.Sprint(get(p, "GroupId", "Fn::GetAtt", "0"))
		if strings.HasPrefix(to, "ApiService") || strings.HasPrefix(to, "AdminService") {
			into = append(into, fmt.Sprintf("%s<-%v:%v", strings.SplitN(to, "Service", 2)[0], get(p, "SourceSecurityGroupId", "Fn::GetAtt", "0"), p["FromPort"]))
		}
	}
	sort.Strings(into)
	if want := fmt.Sprintf("[Admin<-%s:80 Api<-%s:80]", lbSG, lbSG); fmt.Sprint(into) != want {
		t.Errorf("ingress into the services %v, want %s", into, want)
	}
	policy := byPrefix(t, s, "AWS::ApplicationAutoScaling::ScalingPolicy", "ApiServiceTaskCountTargetRequests")
	label := forgetestJSON(map[string]any{"l": get(policy, "TargetTrackingScalingPolicyConfiguration", "PredefinedMetricSpecification", "ResourceLabel")})
	if !strings.Contains(label, idOf(t, s, "AWS::ElasticLoadBalancingV2::TargetGroup", "ApiTargets")) {
		t.Errorf("the API scales on %s", label)
	}
}

// TestSharedAlbMistakes: a route's priority, conditions and the settings that belong to the
// shared load balancer are checked, and two routes with one priority on one listener fail synth.
func TestSharedAlbMistakes(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Bad"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	c := cluster.New(stack, "Cluster", cluster.Props{NATGateways: new(1)})
	front := alb.NewShared(stack, "Front", c.VPC, alb.Props{})
	add := func(id string, r alb.Route, modify func(*webservice.Props)) {
		p := webservice.Image("amazon/amazon-ecs-sample")
		p.Cluster = c.Cluster
		r.Listener = front.Listener
		p.LoadBalancer.Route = &r
		if modify != nil {
			modify(&p)
		}
		webservice.New(stack, id, p)
	}
	add("High", alb.Route{Priority: 60000, Paths: []string{"/a"}}, nil)
	add("NoCondition", alb.Route{Priority: 5}, nil)
	add("TooMany", alb.Route{Priority: 6, Hosts: []string{"a", "b", "c"}, Paths: []string{"/1", "/2", "/3"}}, nil)
	add("Domain", alb.Route{Priority: 7, Paths: []string{"/d"}}, func(p *webservice.Props) { p.LoadBalancer.Internal = true })
	add("BlueGreen", alb.Route{Priority: 8, Paths: []string{"/bg"}}, func(p *webservice.Props) {
		p.Service.Deployment = &service.Deployment{Strategy: service.BlueGreen}
	})
	err := forgetest.SynthError(app)
	for _, w := range []string{
		"[Bad/High] ECS051 LoadBalancer.Route.Priority=60000",
		"[Bad/NoCondition] ECS051 LoadBalancer.Route.Conditions=0: a rule needs at least one condition",
		"[Bad/TooMany] ECS051 LoadBalancer.Route.Conditions=6: a rule takes at most 5 condition values",
		"[Bad/Domain] ECS051 LoadBalancer.Internal=set",
		"[Bad/BlueGreen] ECS097 LoadBalancer.Route=set",
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
	// Valid props, but two routes with one priority on one listener: the template rule.
	dup := forgetest.NewApp(t)
	ds := awscdk.NewStack(dup, jsii.String("Dup"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	dc := cluster.New(ds, "Cluster", cluster.Props{NATGateways: new(1)})
	dfront := alb.NewShared(ds, "Front", dc.VPC, alb.Props{})
	for _, id := range []string{"One", "Two"} {
		p := webservice.Image("amazon/amazon-ecs-sample")
		p.Cluster = dc.Cluster
		p.LoadBalancer.Route = &alb.Route{Listener: dfront.Listener, Priority: 30, Paths: []string{"/" + id}}
		webservice.New(ds, id, p)
	}
	if err := forgetest.SynthError(dup); err == nil || !strings.Contains(err.Error(), "ECS051") || !strings.Contains(err.Error(), "of the same listener has priority 30") {
		t.Errorf("want the duplicate priority, got %v", err)
	}
}

// TestGRPCTargetGroup: a gRPC service's target group speaks gRPC and its health check asks the
// gRPC health path and accepts status 0.
func TestGRPCTargetGroup(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Grpc"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	cert := awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("Certificate"), jsii.String("arn:aws:acm:eu-west-1:111122223333:certificate/grpc"))
	p := webservice.Image("public.ecr.aws/nginx/nginx:1.27")
	p.LoadBalancer.ProtocolVersion = alb.GRPC
	p.LoadBalancer.Certificate = cert
	webservice.New(stack, "Api", p)
	// HTTP/2 with an ECS-native blue/green test listener: the test listener is HTTPS too.
	h2 := webservice.Image("public.ecr.aws/nginx/nginx:1.27")
	h2.LoadBalancer.ProtocolVersion = alb.HTTP2
	h2.LoadBalancer.Certificate = cert
	h2.Service.Deployment = &service.Deployment{Strategy: service.BlueGreen}
	h2.LoadBalancer.TestListener = &alb.TestListener{Port: 8443, AllowFrom: []awsec2.IPeer{awsec2.Peer_Ipv4(jsii.String("10.0.0.0/8"))}}
	webservice.New(stack, "H2", h2)
	s := forgetest.Synth(t, app).Stack(t, "Grpc")
	tgs := s.Template.Resources("AWS::ElasticLoadBalancingV2::TargetGroup")
	versions := map[string]int{}
	for id, tg := range tgs {
		v := fmt.Sprint(get(tg, "Properties", "ProtocolVersion"))
		versions[v]++
		if v == "GRPC" {
			jsonEq(t, "gRPC target group "+id, map[string]any{"Matcher": get(tg, "Properties", "Matcher"), "HealthCheckPath": get(tg, "Properties", "HealthCheckPath")},
				`{"Matcher": {"GrpcCode": "0"}, "HealthCheckPath": "/AWS.ALB/healthcheck"}`)
		}
	}
	if fmt.Sprint(versions) != "map[GRPC:1 HTTP2:2]" {
		t.Errorf("target group protocol versions %v, want one gRPC and the HTTP/2 blue and green", versions)
	}
	// Every listener forwarding to them is HTTPS (the only listener protocol ELB supports for
	// these protocol versions); port 80 redirects.
	var listeners []string
	for _, l := range s.Template.Resources("AWS::ElasticLoadBalancingV2::Listener") {
		acts := fmt.Sprint(get(l, "Properties", "DefaultActions"))
		listeners = append(listeners, fmt.Sprintf("%v/%v/%v", get(l, "Properties", "Protocol"), get(l, "Properties", "Port"), strings.Contains(acts, "redirect")))
		if get(l, "Properties", "Protocol") == "HTTPS" && len(get(l, "Properties", "Certificates").([]any)) != 1 {
			t.Errorf("HTTPS listener without its certificate: %v", l)
		}
	}
	sort.Strings(listeners)
	if want := "[HTTP/80/true HTTP/80/true HTTPS/443/false HTTPS/443/false HTTPS/8443/false]"; fmt.Sprint(listeners) != want {
		t.Errorf("listeners (protocol/port/redirect) %v, want %s", listeners, want)
	}
	if fs := rules.Lint(mustParse(t, s)); len(fs) != 0 {
		t.Errorf("rule engine findings: %v", fs)
	}
	bad := webservice.Image("x")
	bad.LoadBalancer.HealthCheck.GRPCCodes = "0"
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "LoadBalancer.HealthCheck.GRPCCodes=0: gRPC codes are for ProtocolVersion alb.GRPC") {
		t.Errorf("gRPC codes without gRPC: %v", err)
	}
	for _, v := range []alb.ProtocolVersion{alb.GRPC, alb.HTTP2} {
		plain := webservice.Image("x")
		plain.LoadBalancer.ProtocolVersion = v
		if err := plain.Validate(); err == nil || !strings.Contains(err.Error(), fmt.Sprintf(`ECS052 LoadBalancer.ProtocolVersion=%s: target groups of protocol version %s take HTTPS listeners only`, v, v)) {
			t.Errorf("%s behind an HTTP listener: %v", v, err)
		}
	}
}

// TestSharedAlbAcrossStacks: the shared load balancer lives in a network stack and the services
// in another; each route renders its method, source IP, header and query string conditions,
// each service's target group keeps its own health check and deregistration delay, and the
// services accept the shared load balancer's security group (imported across stacks) only.
func TestSharedAlbAcrossStacks(t *testing.T) {
	app := forgetest.NewApp(t)
	env := &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}}
	network := awscdk.NewStack(app, jsii.String("Network"), env)
	c := cluster.New(network, "Cluster", cluster.Props{})
	front := alb.NewShared(network, "Front", c.VPC, alb.Props{})
	services := awscdk.NewStack(app, jsii.String("Services"), env)
	orders := webservice.Image("public.ecr.aws/nginx/nginx:1.27")
	orders.Cluster = c.Cluster
	orders.LoadBalancer.Route = &alb.Route{Listener: front.Listener, Priority: 10, Methods: []string{"POST", "PUT"}, SourceIPs: []string{"10.0.0.0/8"}}
	orders.LoadBalancer.HealthCheck = alb.HealthCheck{Path: "/orders/health", Interval: 15 * time.Second}
	webservice.New(services, "Orders", orders)
	beta := webservice.Image("public.ecr.aws/nginx/nginx:1.27")
	beta.Cluster = c.Cluster
	beta.LoadBalancer.Route = &alb.Route{Listener: front.Listener, Priority: 20, Header: &alb.TestHeader{Name: "x-channel", Values: []string{"beta"}}, Query: map[string]string{"version": "2", "lang": "en"}}
	delay := 45 * time.Second
	beta.LoadBalancer.DeregistrationDelay = &delay
	webservice.New(services, "Beta", beta)
	out := forgetest.Synth(t, app)
	s := out.Stack(t, "Services")
	for prefix, want := range map[string]string{
		"OrdersRule": `{"Priority": 10, "Conditions": [{"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["POST", "PUT"]}}, {"Field": "source-ip", "SourceIpConfig": {"Values": ["10.0.0.0/8"]}}]}`,
		"BetaRule":   `{"Priority": 20, "Conditions": [{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "x-channel", "Values": ["beta"]}}, {"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "lang", "Value": "en"}, {"Key": "version", "Value": "2"}]}}]}`,
	} {
		r := byPrefix(t, s, "AWS::ElasticLoadBalancingV2::ListenerRule", prefix)
		jsonEq(t, prefix, map[string]any{"Priority": r["Priority"], "Conditions": r["Conditions"]}, want)
		if !fromStack(r["ListenerArn"], "Network") {
			t.Errorf("%s: listener %v, want the network stack's listener imported", prefix, r["ListenerArn"])
		}
	}
	settings := map[string]string{}
	for _, prefix := range []string{"OrdersTargets", "BetaTargets"} {
		tg := byPrefix(t, s, "AWS::ElasticLoadBalancingV2::TargetGroup", prefix)
		settings[prefix] = fmt.Sprintf("%v/%v/%v", tg["HealthCheckPath"], tg["HealthCheckIntervalSeconds"], tgAttribute(tg, "deregistration_delay.timeout_seconds"))
	}
	if want := fmt.Sprintf("map[BetaTargets:%s/%v/45 OrdersTargets:/orders/health/15/%v]", alb.DefaultHealthCheckPath, alb.DefaultHealthCheckInterval.Seconds(), alb.DefaultDeregistrationDelay.Seconds()); fmt.Sprint(settings) != want {
		t.Errorf("target groups (path/interval/delay) %v, want %s", settings, want)
	}
	var from []string
	for _, r := range s.Template.Resources("AWS::EC2::SecurityGroupIngress") {
		from = append(from, fmt.Sprintf("%v:%v", fromStack(get(r, "Properties", "SourceSecurityGroupId"), "Network"), get(r, "Properties", "FromPort")))
	}
	if fmt.Sprint(from) != "[true:80 true:80]" {
		t.Errorf("ingress into the services %v, want the imported load balancer group on 80 for each", from)
	}
	for _, name := range []string{"Network", "Services"} {
		if fs := rules.Lint(mustParse(t, out.Stack(t, name))); len(fs) != 0 {
			t.Errorf("%s: rule engine findings: %v", name, fs)
		}
	}
}

// fromStack reports whether v is a value of stack's outputs: CDK's cross-stack reference
// (Fn::GetStackOutput, or Fn::ImportValue of an export named after the stack).
func fromStack(v any, stack string) bool {
	if o, ok := get(v, "Fn::GetStackOutput").(map[string]any); ok {
		return o["StackName"] == stack
	}
	name, _ := get(v, "Fn::ImportValue").(string)
	return strings.HasPrefix(name, stack+":")
}

// TestImportedListener: a service joins a listener made elsewhere, by ARN and security group ID:
// its rule names the ARN, and its tasks accept that security group only.
func TestImportedListener(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Joined"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	const arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/shared/1234567890abcdef/fedcba0987654321"
	listener := alb.ImportListener(stack, "Shared", arn, "sg-0123456789abcdef0")
	p := webservice.Image("amazon/amazon-ecs-sample")
	p.LoadBalancer.Route = &alb.Route{Listener: listener, Priority: 40, Paths: []string{"/reports/*"}}
	webservice.New(stack, "Reports", p)
	s := forgetest.Synth(t, app).Stack(t, "Joined")
	if n := len(s.Template.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer")); n != 0 {
		t.Errorf("%d load balancers made for a route on an imported listener", n)
	}
	_, rule := resource(t, s, "AWS::ElasticLoadBalancingV2::ListenerRule")
	if rule["ListenerArn"] != arn || rule["Priority"] != float64(40) {
		t.Errorf("rule %v", rule)
	}
	var from []string
	for _, r := range s.Template.Resources("AWS::EC2::SecurityGroupIngress") {
		from = append(from, fmt.Sprint(get(r, "Properties", "SourceSecurityGroupId")))
	}
	if fmt.Sprint(from) != "[sg-0123456789abcdef0]" {
		t.Errorf("the tasks accept %v, want the imported listener's security group only", from)
	}
}

// TestDerivedPriorities: routes without a priority on a NewShared listener get 10, 20, ... in
// the order they are built, around the explicit ones; on an imported listener a route needs
// its own.
func TestDerivedPriorities(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Derived"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	c := cluster.New(stack, "Cluster", cluster.Props{NATGateways: new(1)})
	front := alb.NewShared(stack, "Front", c.VPC, alb.Props{})
	for _, r := range []struct {
		id   string
		prio int
	}{{"A", 10}, {"B", 0}, {"C", 0}} {
		p := webservice.Image("amazon/amazon-ecs-sample")
		p.Cluster = c.Cluster
		p.LoadBalancer.Route = &alb.Route{Listener: front.Listener, Priority: r.prio, Paths: []string{"/" + r.id}}
		webservice.New(stack, r.id, p)
	}
	s := forgetest.Synth(t, app).Stack(t, "Derived")
	got := map[string]any{}
	for _, id := range []string{"A", "B", "C"} {
		got[id] = byPrefix(t, s, "AWS::ElasticLoadBalancingV2::ListenerRule", id+"Rule")["Priority"]
	}
	jsonEq(t, "priorities", got, `{"A": 10, "B": 20, "C": 30}`)

	bad := forgetest.NewApp(t)
	bs := awscdk.NewStack(bad, jsii.String("Bad"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	p := webservice.Image("amazon/amazon-ecs-sample")
	p.LoadBalancer.Route = &alb.Route{Listener: alb.ImportListener(bs, "L", "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/x/1/2", "sg-1"), Paths: []string{"/x"}}
	webservice.New(bs, "X", p)
	if err := forgetest.SynthError(bad); err == nil || !strings.Contains(err.Error(), "ECS051 LoadBalancer.Route.Priority=0: only a listener of alb.NewShared derives priorities") {
		t.Errorf("want the explicit-priority violation, got %v", err)
	}
}
