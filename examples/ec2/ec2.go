// Package ec2 holds the EC2 capacity examples: a web service on a managed-scaling capacity
// provider that mixes Spot and On-Demand instances, and a daemon service on Bottlerocket.
package ec2

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/examples/internal/exstack"

	"github.com/ecsforge/ecsforge/constructs/alb"
	"github.com/ecsforge/ecsforge/constructs/capacity"
	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/patterns/ec2service"
)

// WebService runs nginx with bridge networking and dynamic host ports behind an ALB, on
// Amazon Linux 2023 instances: one On-Demand instance as a base, then a quarter On-Demand and
// three quarters Spot over three instance types, packed by memory within each zone.
func WebService(scope constructs.Construct) awscdk.Stack {
	stack := exstack.New(scope, "Ec2WebService")
	c := cluster.New(stack, "Cluster", cluster.Props{})
	capa := capacity.New(stack, "Capacity", capacity.Props{
		Cluster:       c.Cluster,
		InstanceTypes: []string{"m6i.large", "m6a.large", "m5.large"},
		Spot:          &capacity.Spot{OnDemandBase: 1, OnDemandPercentAboveBase: 25},
		MaxCapacity:   6,
		Default:       true,
		Agent: capacity.Agent{
			ReservedMemoryMiB: 256,
			Attributes:        map[string]string{"workload": "web"},
			Tags:              map[string]string{"team": "platform"},
		},
	})
	ec2service.New(stack, "Web", ec2service.Props{
		Capacity: capa,
		Task: taskdef.Props{
			NetworkMode: taskdef.Bridge,
			Containers: []taskdef.Container{{
				Name:                 "web",
				Image:                awsecs.ContainerImage_FromRegistry(new("public.ecr.aws/nginx/nginx:1.27"), nil),
				Ports:                []taskdef.Port{{Port: 80}},
				MemoryReservationMiB: 256,
				MemoryMiB:            512,
			}},
		},
		Service: service.Props{
			EC2: &service.EC2{
				PlacementStrategies:  service.AZBalancedBinpack,
				PlacementConstraints: []service.PlacementConstraint{{MemberOf: "attribute:workload == web"}},
			},
			Scaling: &service.Scaling{Min: 2, Max: 8, TargetCPUPercent: 60},
		},
		LoadBalancer: &alb.Props{},
	})
	return stack
}

// Daemon runs the CloudWatch agent as a daemon, one task on every Bottlerocket (arm64)
// container instance, with the agent's reserved memory in Bottlerocket's TOML settings.
func Daemon(scope constructs.Construct) awscdk.Stack {
	stack := exstack.New(scope, "Ec2Daemon")
	c := cluster.New(stack, "Cluster", cluster.Props{})
	capa := capacity.New(stack, "Capacity", capacity.Props{
		Cluster:       c.Cluster,
		Image:         capacity.BottlerocketARM64,
		InstanceTypes: []string{"m7g.large"},
		// Managed scaling adds instances for tasks placed through the capacity provider; a
		// cluster that only runs a daemon keeps one instance.
		MinCapacity: new(1),
		MaxCapacity: 4,
		Agent:       capacity.Agent{ReservedMemoryMiB: 128},
	})
	ec2service.New(stack, "Agent", ec2service.Props{
		Capacity: capa,
		Task: taskdef.Props{
			NetworkMode: taskdef.Bridge,
			Containers: []taskdef.Container{{
				Name:                 "cloudwatch-agent",
				Image:                awsecs.ContainerImage_FromRegistry(new("public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest"), nil),
				MemoryReservationMiB: 64,
				MemoryMiB:            256,
			}},
		},
		Service: service.Props{EC2: &service.EC2{Daemon: true}},
	})
	return stack
}
