// Package connect holds the Service Connect example: three services in one namespace that find
// each other by name.
package connect

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/examples/internal/exstack"

	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/patterns/webservice"
)

// Namespace is the example's Service Connect namespace.
const Namespace = "shop"

// App is a three-service application in the "shop" namespace: web behind the public ALB calls
// api through Service Connect (client only), api serves HTTP on port 80 as http://api with
// timeouts, and worker, with no load balancer, calls api too (client only). Every proxy writes
// JSON access logs; api's security group accepts web's and worker's on port 80 and nothing else.
func App(scope constructs.Construct) awscdk.Stack {
	stack := exstack.New(scope, "ServiceConnectApp")
	c := cluster.New(stack, "Cluster", cluster.Props{Namespace: Namespace})
	logs := &service.AccessLogs{}

	api := service.New(stack, "Api", service.Props{
		Cluster: c.Cluster,
		// The container's limits leave 256 CPU units and 512 MiB of the task to the proxy.
		TaskDefinition: taskdef.New(stack, "ApiTask", taskdef.Props{CPU: 512, MemoryMiB: 1024, Containers: []taskdef.Container{{
			Name:      "api",
			CPU:       256,
			MemoryMiB: 512,
			Image:     awsecs.ContainerImage_FromRegistry(jsii.String("public.ecr.aws/nginx/nginx:1.27"), nil),
			Ports:     []taskdef.Port{{Port: 80, Name: "http", AppProtocol: taskdef.HTTP}},
		}}}).TaskDefinition,
		ServiceConnect: &service.ServiceConnect{
			Services: []service.ConnectPort{{
				PortName: "http", DiscoveryName: "api", DNSName: "api", Port: 80,
				IdleTimeout: 5 * time.Minute, PerRequestTimeout: 10 * time.Second,
			}},
			AccessLogs: logs,
		},
	})

	p := webservice.Image("amazon/amazon-ecs-sample")
	p.Cluster = c.Cluster
	p.Service.ServiceConnect = &service.ServiceConnect{AccessLogs: logs}
	web := webservice.New(stack, "Web", p)

	worker := service.New(stack, "Worker", service.Props{
		Cluster:      c.Cluster,
		DesiredCount: new(1),
		// The smallest task plus the proxy's share: the container's limits leave 256 CPU units
		// and 512 MiB to it (service.New takes the task definition as it is sized).
		TaskDefinition: taskdef.New(stack, "WorkerTask", taskdef.Props{CPU: taskdef.DefaultCPU + service.ProxyCPU, MemoryMiB: 1024, Containers: []taskdef.Container{{
			Name:      "worker",
			CPU:       taskdef.DefaultCPU,
			MemoryMiB: 512,
			Image:     awsecs.ContainerImage_FromRegistry(jsii.String("public.ecr.aws/docker/library/busybox:1.37"), nil),
			Command:   []string{"sh", "-c", "while true; do wget -q -O /dev/null http://api/ || echo api unreachable; sleep 60; done"},
		}}}).TaskDefinition,
		ServiceConnect: &service.ServiceConnect{AccessLogs: logs},
	})

	web.Service.ConnectTo(api)
	worker.ConnectTo(api)
	return stack
}
