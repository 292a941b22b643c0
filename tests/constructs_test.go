package tests

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/constructs/alerts"
	"github.com/ecsforge/ecsforge/constructs/capacity"
	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/forgetest"
	"github.com/ecsforge/ecsforge/patterns/ec2service"
	"github.com/ecsforge/ecsforge/patterns/scheduledtask"
	"github.com/ecsforge/ecsforge/patterns/webservice"
)

// TestInternalServiceInGivenVPC: a cluster in a VPC the user owns, and an internal ALB that
// accepts clients from the VPC only.
func TestInternalServiceInGivenVPC(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Internal"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	vpc := awsec2.NewVpc(stack, jsii.String("MyVpc"), &awsec2.VpcProps{MaxAzs: jsii.Number(2), NatGateways: jsii.Number(1)})
	c := cluster.New(stack, "Cluster", cluster.Props{VPC: vpc, ClusterName: "internal"})
	p := webservice.Image("amazon/amazon-ecs-sample")
	p.Cluster = c.Cluster
	p.LoadBalancer.Internal = true
	webservice.New(stack, "Api", p)
	s := forgetest.Synth(t, app).Stack(t, "Internal")

	if n := len(s.Template.Resources("AWS::EC2::VPC")); n != 1 {
		t.Errorf("%d VPCs, want only the given one", n)
	}
	if n := len(s.Template.Resources("AWS::EC2::FlowLog")); n != 0 {
		t.Errorf("a flow log was added to the user's VPC")
	}
	_, cl := resource(t, s, "AWS::ECS::Cluster")
	if cl["ClusterName"] != "internal" {
		t.Errorf("cluster name = %v", cl["ClusterName"])
	}
	_, lb := resource(t, s, "AWS::ElasticLoadBalancingV2::LoadBalancer")
	if lb["Scheme"] != "internal" {
		t.Errorf("scheme = %v", lb["Scheme"])
	}
	for id, sg := range s.Template.Resources("AWS::EC2::SecurityGroup") {
		if !strings.Contains(id, "LB") {
			continue
		}
		in := forgetestJSON(map[string]any{"i": get(sg, "Properties", "SecurityGroupIngress")})
		if strings.Contains(in, "0.0.0.0/0") || !strings.Contains(in, `"CidrIp":{"Fn::GetAtt":["MyVpc`) {
			t.Errorf("internal ALB security group ingress = %s, want the VPC CIDR only", in)
		}
		if strings.Contains(forgetestJSON(sg), "cdk_nag") {
			t.Errorf("internal ALB carries the public-ALB EC23 suppression")
		}
	}
}

// counter is an aspect that counts the constructs it visits.
type counter struct{ n int }

func (c *counter) Visit(constructs.IConstruct) { c.n++ }

// TestEveryTypeIsAConstruct passes every exported ecsforge construct type wherever CDK takes
// an IConstruct: Stack_Of, Node(), Aspects_Of, Validations_Of(...).Acknowledge, AddDependency,
// and the construct tree, which returns the ecsforge value itself.
func TestEveryTypeIsAConstruct(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Real"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	marker := awscdk.NewCfnWaitConditionHandle(stack, jsii.String("Marker"), nil)
	c := cluster.New(stack, "Cluster", cluster.Props{NATGateways: new(1)})
	td := taskdef.New(stack, "TaskDef", taskdef.Props{Containers: []taskdef.Container{{Image: awsecs.ContainerImage_FromRegistry(jsii.String("nginx"), nil)}}})
	capa := capacity.New(stack, "Capacity", capacity.Props{Cluster: c.Cluster, MaxCapacity: 2})
	all := map[string]constructs.IConstruct{
		"Cluster":  c,
		"TaskDef":  td,
		"Service":  service.New(stack, "Service", service.Props{Cluster: c.Cluster, TaskDefinition: td.TaskDefinition}),
		"Capacity": capa,
		"Web":      webservice.New(stack, "Web", webservice.Props{Cluster: c.Cluster, Task: webservice.Image("nginx").Task}),
		"Ec2":      ec2service.New(stack, "Ec2", ec2service.Props{Capacity: capa, Task: taskdef.Props{Containers: []taskdef.Container{nginx(256)}}}),
		"Job": scheduledtask.New(stack, "Job", scheduledtask.Props{Cluster: c.Cluster,
			Task:     taskdef.Props{Containers: []taskdef.Container{{Image: awsecs.ContainerImage_FromRegistry(jsii.String("busybox"), nil)}}},
			Schedule: scheduledtask.Schedule{Expression: "rate(1 day)"}}),
		"Alerts": alerts.ForFamily(stack, "Alerts", c.Cluster, "family", alerts.Props{}),
	}
	counters := map[string]*counter{}
	for id, x := range all {
		if got := *awscdk.Stack_Of(x).StackName(); got != "Real" {
			t.Errorf("%s: Stack_Of = %s", id, got)
		}
		if got := *x.Node().Path(); got != "Real/"+id {
			t.Errorf("%s: path %s", id, got)
		}
		if got := stack.Node().FindChild(jsii.String(id)); got != x {
			t.Errorf("%s: the construct tree holds %T, not the ecsforge value", id, got)
		}
		counters[id] = &counter{}
		awscdk.Aspects_Of(x).Add(counters[id], nil)
		awscdk.Validations_Of(x).Acknowledge(&awscdk.Acknowledgment{Id: jsii.String("ecsforge::ECS100"), Reason: jsii.String("a construct can be acknowledged on")})
		x.Node().AddDependency(marker)
	}
	s := forgetest.Synth(t, app).Stack(t, "Real")
	for id := range all {
		if counters[id].n < 2 {
			t.Errorf("%s: the aspect visited %d constructs", id, counters[id].n)
		}
	}
	// AddDependency on an ecsforge construct reaches every resource it made.
	for logicalID, r := range s.Template.Resources("") {
		if logicalID == "Marker" || strings.HasPrefix(logicalID, "BootstrapVersion") {
			continue
		}
		if !strings.Contains(fmt.Sprint(r["DependsOn"]), "Marker") && !strings.HasPrefix(logicalID, "Custom") && !strings.HasPrefix(logicalID, "AWS679") {
			t.Errorf("%s does not depend on the marker: %v", logicalID, r["DependsOn"])
		}
	}
}
