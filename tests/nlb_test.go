package tests

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/constructs/nlb"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/forgetest"
	"github.com/ecsforge/ecsforge/patterns/nlbservice"
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
