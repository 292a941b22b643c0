// Package scheduled holds the scheduled task examples: a nightly batch job in Tokyo on Fargate
// Spot with an On-Demand share, and an hourly job on EC2 capacity with placement.
package scheduled

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ecsforge/ecsforge/constructs/capacity"
	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/examples/internal/exstack"
	"github.com/ecsforge/ecsforge/patterns/scheduledtask"
)

// NightlyBatch runs a batch job at 02:00 Tokyo time every day, three quarters of its tasks on
// Fargate Spot and a quarter on Fargate, within a 15-minute window, with 3 retries over at most
// 30 minutes, a dead-letter queue, and alerts on failed runs and Spot interruptions.
func NightlyBatch(scope constructs.Construct) awscdk.Stack {
	stack := exstack.New(scope, "NightlyBatch")
	scheduledtask.New(stack, "Batch", scheduledtask.Props{
		Task: taskdef.Props{
			CPU: 1024, MemoryMiB: 2048, Family: "nightly-batch",
			Containers: []taskdef.Container{{
				Name:    "batch",
				Image:   awsecs.ContainerImage_FromRegistry(new("public.ecr.aws/docker/library/busybox:1.37"), nil),
				Command: []string{"sh", "-c", "echo nightly batch"},
			}},
		},
		Schedule: scheduledtask.Schedule{
			Expression:     "cron(0 2 * * ? *)",
			TimeZone:       "Asia/Tokyo",
			FlexibleWindow: 15 * time.Minute,
			Description:    "Nightly batch at 02:00 JST",
		},
		TaskCount: 2,
		CapacityProviders: []service.Strategy{
			{Provider: service.FargateSpot, Weight: 3},
			{Provider: service.Fargate, Weight: 1},
		},
		Retry: scheduledtask.Retry{MaxAttempts: new(3), MaxEventAge: 30 * time.Minute},
	})
	return stack
}

// HourlyEc2 runs a job every hour on EC2 capacity (bridge networking), spread over
// Availability Zones and packed by memory, on instances with the workload=jobs attribute.
func HourlyEc2(scope constructs.Construct) awscdk.Stack {
	stack := exstack.New(scope, "HourlyEc2")
	c := cluster.New(stack, "Cluster", cluster.Props{})
	capa := capacity.New(stack, "Capacity", capacity.Props{
		Cluster:       c.Cluster,
		InstanceTypes: []string{"m6i.large"},
		MaxCapacity:   2,
		Agent:         capacity.Agent{Attributes: map[string]string{"workload": "jobs"}},
	})
	scheduledtask.New(stack, "Hourly", scheduledtask.Props{
		Capacity: capa,
		Task: taskdef.Props{
			NetworkMode: taskdef.Bridge,
			Family:      "hourly-report",
			Containers: []taskdef.Container{{
				Name:      "report",
				Image:     awsecs.ContainerImage_FromRegistry(new("public.ecr.aws/docker/library/busybox:1.37"), nil),
				Command:   []string{"sh", "-c", "echo hourly report"},
				MemoryMiB: 256,
			}},
		},
		Schedule:             scheduledtask.Schedule{Expression: "rate(1 hour)"},
		PlacementStrategies:  service.AZBalancedBinpack,
		PlacementConstraints: []service.PlacementConstraint{{MemberOf: "attribute:workload == jobs"}},
	})
	return stack
}
