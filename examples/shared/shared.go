// Package shared holds the shared load balancer example: two services behind one HTTPS ALB.
package shared

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/examples/internal/exstack"

	"github.com/ecsforge/ecsforge/constructs/alb"
	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/patterns/webservice"
)

// CertificateARN is the example's certificate for example.com and *.example.com.
const CertificateARN = "arn:aws:acm:eu-west-1:111122223333:certificate/12345678-1234-1234-1234-123456789012"

// TwoServices puts an API at api.example.com and an admin console at example.com/admin/* behind
// one HTTPS load balancer; any other request gets 404. Each service has its own target group,
// health check and deregistration delay, and accepts traffic from the load balancer only; the
// API scales on requests per target.
func TwoServices(scope constructs.Construct) awscdk.Stack {
	stack := exstack.New(scope, "SharedAlb")
	c := cluster.New(stack, "Cluster", cluster.Props{})
	front := alb.NewShared(stack, "Front", c.VPC, alb.Props{
		Certificate: awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("Certificate"), jsii.String(CertificateARN)),
	})

	api := webservice.Image("amazon/amazon-ecs-sample")
	api.Cluster = c.Cluster
	api.LoadBalancer.Route = &alb.Route{Listener: front.Listener, Priority: 10, Hosts: []string{"api.example.com"}}
	api.Service.Scaling = &service.Scaling{Min: 2, Max: 6, RequestsPerTarget: 500}
	webservice.New(stack, "Api", api)

	admin := webservice.Image("amazon/amazon-ecs-sample")
	admin.Cluster = c.Cluster
	admin.LoadBalancer.Route = &alb.Route{Listener: front.Listener, Priority: 20, Hosts: []string{"example.com"}, Paths: []string{"/admin/*"}}
	admin.LoadBalancer.HealthCheck.Path = "/"
	webservice.New(stack, "Admin", admin)
	return stack
}
