// Package bluegreen holds the blue/green deployment examples: ECS-native blue/green with a test
// listener and a lifecycle hook, an ECS-native canary, a CodeDeploy canary on Fargate, and
// ECS-native blue/green on the EC2 service pattern.
package bluegreen

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/examples/internal/exstack"

	"github.com/ecsforge/ecsforge/constructs/alb"
	"github.com/ecsforge/ecsforge/constructs/capacity"
	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/internal/nag"
	"github.com/ecsforge/ecsforge/patterns/ec2service"
	"github.com/ecsforge/ecsforge/patterns/webservice"
)

// TestPort is the test listener's port in the examples.
const TestPort = 8080

// smokeTest requests the test listener and answers the lifecycle hook: SUCCEEDED on a 2xx
// answer, FAILED (the deployment rolls back) otherwise.
const smokeTest = `exports.handler = async () => {
  try {
    const res = await fetch(process.env.TEST_URL, { signal: AbortSignal.timeout(5000) });
    console.log("test listener answered", res.status);
    return { hookStatus: res.ok ? "SUCCEEDED" : "FAILED" };
  } catch (err) {
    console.log("test listener unreachable", String(err));
    return { hookStatus: "FAILED" };
  }
};`

// BlueGreen serves amazon/amazon-ecs-sample on an internal ALB with ECS-native blue/green
// deployments: the new tasks take the test listener's traffic first, a lifecycle hook after the
// test traffic shift requests them through it and fails the deployment unless they answer, then
// all production traffic moves at once and the old tasks stay for the 5-minute bake.
func BlueGreen(scope constructs.Construct) awscdk.Stack {
	stack := exstack.New(scope, "BlueGreenWebService")
	c := cluster.New(stack, "Cluster", cluster.Props{})
	hookSG := awsec2.NewSecurityGroup(stack, jsii.String("SmokeTestSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc: c.Cluster.Vpc(), AllowAllOutbound: jsii.Bool(false),
		Description: jsii.String("The smoke test hook; it reaches the test listener only"),
	})
	hook := awslambda.NewFunction(stack, jsii.String("SmokeTest"), &awslambda.FunctionProps{
		Runtime:        awslambda.Runtime_NODEJS_24_X(),
		Handler:        jsii.String("index.handler"),
		Code:           awslambda.Code_FromInline(jsii.String(smokeTest)),
		Timeout:        awscdk.Duration_Seconds(jsii.Number(15)),
		Vpc:            c.Cluster.Vpc(),
		SecurityGroups: &[]awsec2.ISecurityGroup{hookSG},
		LogGroup: awslogs.NewLogGroup(stack, jsii.String("SmokeTestLogs"), &awslogs.LogGroupProps{
			Retention: awslogs.RetentionDays_ONE_MONTH, RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
		}),
	})
	p := webservice.Image("amazon/amazon-ecs-sample")
	p.Cluster = c.Cluster
	p.LoadBalancer.Internal = true
	p.LoadBalancer.TestListener = &alb.TestListener{Port: TestPort, AllowFrom: []awsec2.IPeer{hookSG}}
	p.Service.Deployment = &service.Deployment{Strategy: service.BlueGreen,
		Hooks: []service.Hook{{Function: hook, Stages: []service.HookStage{service.PostTestTrafficShift}}}}
	web := webservice.New(stack, "Web", p)
	hook.AddEnvironment(jsii.String("TEST_URL"), awscdk.Fn_Join(jsii.String(""), &[]*string{
		jsii.String("http://"), web.LoadBalancer.LoadBalancerDnsName(), jsii.String(fmt.Sprintf(":%d/", TestPort)),
	}), nil)
	nag.Suppress(hook.Role(), nag.Suppression{ID: "AwsSolutions-IAM4",
		AppliesTo: []string{
			"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
			"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
		},
		Reason: "The AWS-managed policies Lambda documents for a function's logs and its network interfaces in a VPC."})
	return stack
}

// Canary serves amazon/amazon-ecs-sample with ECS-native canary deployments: 10 % of the
// traffic goes to the new tasks for 3 minutes, then the rest, and the old tasks stay 5 minutes
// more; 5XX answers or unhealthy targets in either target group roll a deployment back; a test
// listener on port 8080, open to one office network, reaches the new tasks first.
func Canary(scope constructs.Construct) awscdk.Stack {
	stack := exstack.New(scope, "CanaryWebService")
	p := webservice.Image("amazon/amazon-ecs-sample")
	p.Service.Deployment = &service.Deployment{Strategy: service.Canary, StepPercent: 10}
	// Testers reach the new tasks on port 8080 before production traffic does.
	p.LoadBalancer.TestListener = &alb.TestListener{Port: TestPort, AllowFrom: []awsec2.IPeer{awsec2.Peer_Ipv4(jsii.String("203.0.113.0/24"))}}
	webservice.New(stack, "Web", p)
	return stack
}

// CodeDeploy serves amazon/amazon-ecs-sample on Fargate with CodeDeploy canary deployments:
// CodeDeploy moves the test listener to the new tasks, then 10 % of production traffic for 3
// minutes, then the rest, and stops the old tasks 5 minutes later; the four target group
// alarms roll a deployment back. A stack update registers a new task definition revision; the
// stack's CreateDeployment output rolls it out.
func CodeDeploy(scope constructs.Construct) awscdk.Stack {
	stack := exstack.New(scope, "CodeDeployWebService")
	p := webservice.Image("amazon/amazon-ecs-sample")
	p.Service.Deployment = &service.Deployment{Strategy: service.Canary, StepPercent: 10, Controller: service.CodeDeployController}
	p.LoadBalancer.TestListener = &alb.TestListener{Port: TestPort, AllowFrom: []awsec2.IPeer{awsec2.Peer_Ipv4(jsii.String("203.0.113.0/24"))}}
	webservice.New(stack, "Web", p)
	return stack
}

// Ec2BlueGreen runs nginx with bridge networking on EC2 capacity behind an ALB, with
// ECS-native linear deployments: a fifth of the traffic moves every 2 minutes.
func Ec2BlueGreen(scope constructs.Construct) awscdk.Stack {
	stack := exstack.New(scope, "Ec2BlueGreen")
	c := cluster.New(stack, "Cluster", cluster.Props{})
	capa := capacity.New(stack, "Capacity", capacity.Props{
		Cluster:       c.Cluster,
		InstanceTypes: []string{"m6i.large"},
		MaxCapacity:   4,
		Default:       true,
	})
	ec2service.New(stack, "Web", ec2service.Props{
		Capacity: capa,
		Task: taskdef.Props{
			NetworkMode: taskdef.Bridge,
			Containers: []taskdef.Container{{
				Name:                 "web",
				Image:                awsecs.ContainerImage_FromRegistry(jsii.String("public.ecr.aws/nginx/nginx:1.27"), nil),
				Ports:                []taskdef.Port{{Port: 80}},
				MemoryReservationMiB: 256,
				MemoryMiB:            512,
			}},
		},
		Service: service.Props{
			Deployment: &service.Deployment{Strategy: service.Linear, StepPercent: 20, StepBakeTime: 2 * time.Minute},
		},
		LoadBalancer: &alb.Props{},
	})
	return stack
}
