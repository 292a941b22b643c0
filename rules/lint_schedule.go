package rules

// This file holds the rules on ECS targets of EventBridge Scheduler schedules and EventBridge rules.

import (
	"strings"
)

// checkScheduledTask checks an ECS target of an EventBridge schedule or rule.
func checkScheduledTask(rep *report, r *Resource, at string, ecs any) {
	if n, ok := intOf(lookup(ecs, "TaskCount")); ok {
		rep.from(r, CheckScheduledTaskCount(at+"EcsParameters.TaskCount", n))
	}
	lt, _ := strOf(lookup(ecs, "LaunchType"))
	if lt != "" && len(listOf(lookup(ecs, "CapacityProviderStrategy"))) > 0 {
		rep.add(ScheduledTask, r, at+"EcsParameters.LaunchType", lt, "a target takes a launch type or a capacity provider strategy, not both")
	}
	if pv, ok := strOf(lookup(ecs, "PlatformVersion")); ok && lt == "EC2" {
		rep.add(ScheduledTask, r, at+"EcsParameters.PlatformVersion", pv, "a platform version is used only with the FARGATE launch type")
	}
	if lt == "FARGATE" {
		for _, k := range []string{"PlacementConstraints", "PlacementStrategy"} {
			if len(listOf(lookup(ecs, k))) > 0 {
				rep.add(ScheduledTask, r, at+"EcsParameters."+k, "set", "tasks on Fargate take no placement strategies or constraints")
			}
		}
	}
	vpcAt := at + "EcsParameters.NetworkConfiguration.AwsvpcConfiguration."
	if ip, _ := strOf(lookup(ecs, "NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp")); ip == "ENABLED" {
		if lt == "EC2" {
			rep.from(r, CheckNoPublicIPOnEC2(vpcAt+"AssignPublicIp"))
		}
		for i, sn := range listOf(lookup(ecs, "NetworkConfiguration.AwsvpcConfiguration.Subnets")) {
			if sub := rep.t.Target(sn); sub != nil && sub.Type == "AWS::EC2::Subnet" {
				if kind := tagValue(sub.Get("Tags"), "aws-cdk:subnet-type"); kind == "Private" || kind == "Isolated" {
					rep.add(PublicIPPrivateSubnet, r, vpcAt+"AssignPublicIp", ip, "subnet %s (Subnets.%d) is a %s subnet (its aws-cdk:subnet-type tag): the public IP is never reachable and the task's traffic does not use it", sub.LogicalID, i, strings.ToLower(kind))
					break
				}
			}
		}
	}
	task := taskOf(rep.t.Target(lookup(ecs, "TaskDefinitionArn")))
	if task != nil && task.networkMode == "awsvpc" && lookup(ecs, "NetworkConfiguration") == nil {
		rep.add(ScheduledTask, r, at+"EcsParameters.NetworkConfiguration", "unset", "task definition %s uses awsvpc: the target needs a network configuration with subnets", task.r.LogicalID)
	}
}

// tagValue is the literal value of the tag key in a CloudFormation Tags list ("" if absent).
func tagValue(tags any, key string) string {
	for _, t := range listOf(tags) {
		if k, _ := strOf(lookup(t, "Key")); k == key {
			v, _ := strOf(lookup(t, "Value"))
			return v
		}
	}
	return ""
}
