package tests

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	elbv2 "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/constructs/nlb"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/forgetest"
	"github.com/ecsforge/ecsforge/patterns/nlbservice"
	"github.com/ecsforge/ecsforge/patterns/webservice"
	"github.com/ecsforge/ecsforge/rules"
)

// TestTcpService: an internal Network Load Balancer with its own security group, open on the
// listener port to the VPC only; a TCP target group of type ip with the fast health check and
// deregistration defaults; the tasks open to the load balancer's group only; 70 s modeled.
func TestTcpService(t *testing.T) {
	s := examples(t).Stack(t, "TcpService")
	lbID, lb := resource(t, s, "AWS::ElasticLoadBalancingV2::LoadBalancer")
	sgID := idOf(t, s, "AWS::EC2::SecurityGroup", "CacheSecurityGroup")
	if lb["Type"] != "network" || lb["Scheme"] != "internal" || fmt.Sprint(get(lb, "SecurityGroups", "0", "Fn::GetAtt", "0")) != sgID {
		t.Errorf("load balancer %s: %v", lbID, lb)
	}
	sg := s.Template.Resources("AWS::EC2::SecurityGroup")[sgID]
	vpcID := idOf(t, s, "AWS::EC2::VPC", "CacheClusterVpc")
	jsonEq(t, "listener ports", get(sg, "Properties", "SecurityGroupIngress"), `[{"CidrIp": {"Fn::GetAtt": ["`+vpcID+`", "CidrBlock"]}, "Description": "clients on 6379", "FromPort": 6379, "IpProtocol": "tcp", "ToPort": 6379}]`)
	_, l := resource(t, s, "AWS::ElasticLoadBalancingV2::Listener")
	tgID, tg := resource(t, s, "AWS::ElasticLoadBalancingV2::TargetGroup")
	if l["Port"] != float64(6379) || l["Protocol"] != "TCP" || get(l, "DefaultActions", "0", "TargetGroupArn", "Ref") != tgID {
		t.Errorf("listener %v", l)
	}
	jsonEq(t, "target group", map[string]any{"Port": tg["Port"], "Protocol": tg["Protocol"], "TargetType": tg["TargetType"],
		"HealthCheckProtocol": tg["HealthCheckProtocol"], "HealthCheckIntervalSeconds": tg["HealthCheckIntervalSeconds"],
		"HealthyThresholdCount": tg["HealthyThresholdCount"], "Delay": tgAttribute(tg, "deregistration_delay.timeout_seconds")},
		`{"Port": 6379, "Protocol": "TCP", "TargetType": "ip", "HealthCheckProtocol": "TCP", "HealthCheckIntervalSeconds": 10, "HealthyThresholdCount": 2, "Delay": "10"}`)
	var into []string
	for _, r := range s.Template.Resources("AWS::EC2::SecurityGroupIngress") {
		p := r["Properties"].(map[string]any)
		if strings.HasPrefix(fmt.Sprint(get(p, "GroupId", "Fn::GetAtt", "0")), "CacheServiceSecurityGroup") {
			into = append(into, fmt.Sprintf("%v:%v", get(p, "SourceSecurityGroupId", "Fn::GetAtt", "0"), p["FromPort"]))
		}
	}
	if fmt.Sprint(into) != fmt.Sprintf("[%s:6379]", sgID) {
		t.Errorf("ingress into the tasks %v, want the load balancer's group on 6379 only", into)
	}
	if ds := rules.DeployTimes(mustParse(t, s)); len(ds) != 1 || ds[0].Seconds() != 70 {
		t.Errorf("modeled deployment %+v, want 70 s", ds)
	}
}

// TestTcpServiceMistakes: NLB props are checked before anything is built.
func TestTcpServiceMistakes(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Bad"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	nlbservice.New(stack, "Cache", nlbservice.Props{
		Task: taskdef.Props{Containers: []taskdef.Container{{Image: awsecs.ContainerImage_FromRegistry(jsii.String("redis"), nil), Ports: []taskdef.Port{{Port: 6379}}}}},
		LoadBalancer: nlb.Props{
			Listeners:   []nlb.Listener{{Port: 6379, Protocol: nlb.TLS}, {Port: 6379}},
			HealthCheck: nlb.HealthCheck{Interval: 400 * time.Second},
		},
	})
	err := forgetest.SynthError(app)
	for _, w := range []string{
		"ECS200 LoadBalancer.Listeners[0].Certificate=unset: a TLS listener needs a certificate",
		"LoadBalancer.Listeners[1].Port=6379: another listener of the load balancer has this port",
		"ECS020 LoadBalancer.HealthCheck.Interval=400 s",
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
}

// TestTlsService: TLS listeners terminate TLS with the certificate and ELB's recommended policy
// (or the one given) and forward to a TCP target group; an HTTP health check, client IP
// preservation and proxy protocol v2 land on the target group as set.
func TestTlsService(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Tls"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	const certARN = "arn:aws:acm:eu-west-1:111122223333:certificate/tls"
	cert := awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("Certificate"), jsii.String(certARN))
	nlbservice.New(stack, "Mqtt", nlbservice.Props{
		Task: taskdef.Props{Containers: []taskdef.Container{{Image: awsecs.ContainerImage_FromRegistry(jsii.String("eclipse-mosquitto"), nil),
			Ports: []taskdef.Port{{Port: 1883}}}}},
		LoadBalancer: nlb.Props{
			Listeners: []nlb.Listener{
				{Port: 8883, Protocol: nlb.TLS, Certificate: cert},
				{Port: 9883, Protocol: nlb.TLS, Certificate: cert, SSLPolicy: elbv2.SslPolicy_TLS13_13},
			},
			HealthCheck:      nlb.HealthCheck{HTTPPath: "/healthz", Port: 8080},
			PreserveClientIP: jsii.Bool(true),
			ProxyProtocol:    true,
		},
	})
	s := forgetest.Synth(t, app).Stack(t, "Tls")
	tgID, tg := resource(t, s, "AWS::ElasticLoadBalancingV2::TargetGroup")
	var listeners []string
	for _, r := range s.Template.Resources("AWS::ElasticLoadBalancingV2::Listener") {
		l := r["Properties"].(map[string]any)
		listeners = append(listeners, fmt.Sprintf("%v/%v/%v/%v/%v", l["Protocol"], l["Port"], l["SslPolicy"], get(l, "Certificates", "0", "CertificateArn"), get(l, "DefaultActions", "0", "TargetGroupArn", "Ref") == tgID))
	}
	sort.Strings(listeners)
	if want := fmt.Sprintf("[TLS/8883/ELBSecurityPolicy-TLS13-1-2-2021-06/%s/true TLS/9883/ELBSecurityPolicy-TLS13-1-3-2021-06/%s/true]", certARN, certARN); fmt.Sprint(listeners) != want {
		t.Errorf("listeners (protocol/port/policy/certificate/to the target group)\n got %v\nwant %s", listeners, want)
	}
	jsonEq(t, "target group", map[string]any{"Protocol": tg["Protocol"], "Port": tg["Port"], "HealthCheckProtocol": tg["HealthCheckProtocol"],
		"HealthCheckPath": tg["HealthCheckPath"], "HealthCheckPort": tg["HealthCheckPort"],
		"Preserve": tgAttribute(tg, "preserve_client_ip.enabled"), "Proxy": tgAttribute(tg, "proxy_protocol_v2.enabled")},
		`{"Protocol": "TCP", "Port": 1883, "HealthCheckProtocol": "HTTP", "HealthCheckPath": "/healthz", "HealthCheckPort": "8080", "Preserve": "true", "Proxy": "true"}`)
	if fs := rules.Lint(mustParse(t, s)); len(fs) != 0 {
		t.Errorf("rule engine findings: %v", fs)
	}
	bad := nlb.Props{Listeners: []nlb.Listener{{Port: 6379, SSLPolicy: elbv2.SslPolicy_TLS13_13}}}
	if err := bad.ValidateAt("LoadBalancer."); err == nil || !strings.Contains(err.Error(), "LoadBalancer.Listeners[0].SSLPolicy=") || !strings.Contains(err.Error(), "a security policy is for a TLS listener") {
		t.Errorf("a policy on a TCP listener: %v", err)
	}
}

// TestUdpService: a UDP listener forwards to a UDP target group whose health check runs over
// TCP on the port named; the load balancer and the tasks open UDP on the service port and TCP
// on the health check port only.
func TestUdpService(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Udp"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	nlbservice.New(stack, "Dns", nlbservice.Props{
		Task: taskdef.Props{Containers: []taskdef.Container{{Image: awsecs.ContainerImage_FromRegistry(jsii.String("coredns/coredns"), nil),
			Ports: []taskdef.Port{{Port: 53, Protocol: taskdef.UDP}, {Port: 8080}}}}},
		LoadBalancer: nlb.Props{Internal: true, Listeners: []nlb.Listener{{Port: 53, Protocol: nlb.UDP}}, HealthCheck: nlb.HealthCheck{Port: 8080}},
	})
	s := forgetest.Synth(t, app).Stack(t, "Udp")
	_, l := resource(t, s, "AWS::ElasticLoadBalancingV2::Listener")
	_, tg := resource(t, s, "AWS::ElasticLoadBalancingV2::TargetGroup")
	if l["Protocol"] != "UDP" || tg["Protocol"] != "UDP" || tg["HealthCheckProtocol"] != "TCP" || tg["HealthCheckPort"] != "8080" {
		t.Errorf("listener %v, target group %v", l, tg)
	}
	var into []string
	for _, r := range s.Template.Resources("AWS::EC2::SecurityGroupIngress") {
		p := r["Properties"].(map[string]any)
		if strings.HasPrefix(fmt.Sprint(get(p, "GroupId", "Fn::GetAtt", "0")), "DnsServiceSecurityGroup") {
			into = append(into, fmt.Sprintf("%v/%v", p["IpProtocol"], p["FromPort"]))
		}
	}
	sort.Strings(into)
	if fmt.Sprint(into) != "[tcp/8080 udp/53]" {
		t.Errorf("ingress into the tasks %v", into)
	}
	if fs := rules.Lint(mustParse(t, s)); len(fs) != 0 {
		t.Errorf("rule engine findings: %v", fs)
	}
	for _, c := range []struct {
		lb   nlb.Props
		want string
	}{
		{nlb.Props{Listeners: []nlb.Listener{{Port: 53, Protocol: nlb.UDP}}}, "LoadBalancer.HealthCheck.Port=unset"},
		{nlb.Props{Listeners: []nlb.Listener{{Port: 53, Protocol: nlb.UDP}, {Port: 80}}, HealthCheck: nlb.HealthCheck{Port: 8080}}, "ECS052 LoadBalancer.Listeners=TCP and UDP"},
		{nlb.Props{Listeners: []nlb.Listener{{Port: 53, Protocol: nlb.UDP}}, HealthCheck: nlb.HealthCheck{Port: 8080}, PreserveClientIP: jsii.Bool(false)}, "ECS052 LoadBalancer.PreserveClientIP=false"},
	} {
		if err := c.lb.ValidateAt("LoadBalancer."); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want %q, got %v", c.want, err)
		}
	}
}

// TestUdpPortOnAnALB: a UDP main port behind an Application Load Balancer, or a TCP port
// behind UDP listeners, is a violation at synth, not a CDK panic.
func TestUdpPortOnAnALB(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Bad"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	p := webservice.Image("amazon/amazon-ecs-sample")
	p.Task.Containers[0].Ports = []taskdef.Port{{Port: 53, Protocol: taskdef.UDP}}
	webservice.New(stack, "Web", p)
	nlbservice.New(stack, "Dns", nlbservice.Props{
		Task:         taskdef.Props{Containers: []taskdef.Container{{Image: awsecs.ContainerImage_FromRegistry(jsii.String("coredns/coredns"), nil), Ports: []taskdef.Port{{Port: 53}}}}},
		LoadBalancer: nlb.Props{Listeners: []nlb.Listener{{Port: 53, Protocol: nlb.UDP}}, HealthCheck: nlb.HealthCheck{Port: 8080}},
	})
	err := forgetest.SynthError(app)
	for _, w := range []string{"[Bad/Web] ECS052 Task.Containers[0].Ports[0].Protocol=udp", "[Bad/Dns] ECS052 Task.Containers[0].Ports[0].Protocol=tcp"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
}
