// Command usermod is a CDK app written the way a user of ecsforge writes one, in its own Go
// module: a network stack (VPC, cluster, EC2 capacity) and two service stacks that use it, a
// Fargate web service and a bridge-mode service on the EC2 capacity. The tests synthesize it
// with the CDK CLI. With USERMOD_BAD=1 it makes two mistakes in props, to show what a user sees.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"

	"github.com/ecsforge/ecsforge"
	"github.com/ecsforge/ecsforge/constructs/alb"
	"github.com/ecsforge/ecsforge/constructs/capacity"
	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/patterns/ec2service"
	"github.com/ecsforge/ecsforge/patterns/webservice"
)

func main() {
	app := ecsforge.NewApp(nil)
	env := &awscdk.Environment{Region: new("eu-west-1")}

	network := awscdk.NewStack(app, new("Network"), &awscdk.StackProps{Env: env})
	c := cluster.New(network, "Cluster", cluster.Props{NATGateways: new(1)})
	capa := capacity.New(network, "Capacity", capacity.Props{Cluster: c.Cluster, MaxCapacity: 4})

	web := awscdk.NewStack(app, new("Web"), &awscdk.StackProps{Env: env})
	p := webservice.Image("amazon/amazon-ecs-sample")
	p.Cluster = c.Cluster
	if os.Getenv("USERMOD_BAD") == "1" {
		p.Task.CPU, p.Task.MemoryMiB = 256, 4096
		p.Service.DesiredCount = new(-1)
	}
	webservice.New(web, "Site", p)

	api := awscdk.NewStack(app, new("Api"), &awscdk.StackProps{Env: env})
	ec2service.New(api, "Api", ec2service.Props{
		Capacity: capa,
		Task: taskdef.Props{NetworkMode: taskdef.Bridge, Containers: []taskdef.Container{{
			Image: awsecs.ContainerImage_FromRegistry(new("nginx"), nil),
			Ports: []taskdef.Port{{Port: 80}}, MemoryMiB: 256,
		}}},
		LoadBalancer: &alb.Props{Internal: true},
	})

	err := ecsforge.Synth(app)
	ecsforge.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
