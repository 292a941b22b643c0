// Package nlb holds the Network Load Balancer example: a TCP service.
package nlb

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/examples/internal/exstack"

	"github.com/ecsforge/ecsforge/constructs/nlb"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/internal/nag"
	"github.com/ecsforge/ecsforge/patterns/nlbservice"
)

// TCPService runs Redis behind an internal Network Load Balancer on port 6379, reachable from
// the VPC only, with TCP health checks.
func TCPService(scope constructs.Construct) awscdk.Stack {
	stack := exstack.New(scope, "TcpService")
	s := nlbservice.New(stack, "Cache", nlbservice.Props{
		Task: taskdef.Props{Containers: []taskdef.Container{{
			Name:  "redis",
			Image: awsecs.ContainerImage_FromRegistry(jsii.String("public.ecr.aws/docker/library/redis:7.4"), nil),
			Ports: []taskdef.Port{{Port: 6379}},
		}}},
		LoadBalancer: nlb.Props{Internal: true, Listeners: []nlb.Listener{{Port: 6379}}},
	})
	nag.Suppress(s.Frontend.LoadBalancer, nag.Suppression{ID: "AwsSolutions-ELB2",
		Reason: "A Network Load Balancer writes access logs only for TLS listeners (ELB Network Load Balancers Guide, \"Access logs\"); this one has a TCP listener."})
	return stack
}
