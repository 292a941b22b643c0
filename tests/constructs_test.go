package tests

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/forgetest"
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
