package rules

// This file holds the container definition rules on logging, environment files and memory,
// and the naming rules of task definition families, services and clusters.

import (
	"fmt"
	"regexp"
	"strings"
)

// awslogsRequired are the awslogs options a Fargate task's container must set: the group and
// region everywhere, the stream prefix "for the Fargate launch type" (docAwslogs).
var awslogsRequired = []string{"awslogs-group", "awslogs-region", "awslogs-stream-prefix"}

// MaxEnvironmentFiles is the most environment files a container takes (docEnvironmentFile).
const MaxEnvironmentFiles = 10

// checkContainerSettings checks each literal container of task definition r: the awslogs
// options on Fargate, the environment files, and the memory limit against the reservation.
func checkContainerSettings(rep *report, r *Resource, ti *taskInfo) {
	for i, c := range listOf(r.Get("ContainerDefinitions")) {
		m, ok := literalMap(c)
		if !ok {
			continue
		}
		at := fmt.Sprintf("ContainerDefinitions.%d.", i)
		if d, _ := strOf(lookup(m, "LogConfiguration.LogDriver")); d == "awslogs" && ti.fargate {
			opts := lookup(m, "LogConfiguration.Options")
			if om, ok := literalMap(opts); ok || absent(m, "LogConfiguration.Options") {
				var missing []string
				for _, k := range awslogsRequired {
					if absent(om, k) {
						missing = append(missing, k)
					}
				}
				if len(missing) > 0 {
					rep.add(AwslogsOptions, r, at+"LogConfiguration.Options", strings.Join(missing, ", "), "the awslogs log driver of a Fargate task needs %s", strings.Join(missing, ", "))
				}
			}
		}
		files, filesKnown := m["EnvironmentFiles"].([]any)
		if filesKnown && len(files) > MaxEnvironmentFiles {
			rep.add(EnvironmentFiles, r, at+"EnvironmentFiles", len(files), "a container takes at most %d environment files", MaxEnvironmentFiles)
		}
		for j, f := range files {
			if v, ok := strOf(lookup(f, "Value")); ok && !strings.HasSuffix(v, ".env") {
				rep.add(EnvironmentFiles, r, fmt.Sprintf("%sEnvironmentFiles.%d.Value", at, j), v, "an environment file has the .env file extension")
			}
		}
		hard, hardOK := intOf(m["Memory"])
		soft, softOK := intOf(m["MemoryReservation"])
		if hardOK && softOK && hard < soft {
			rep.add(ContainerMemory, r, at+"Memory", hard, "the hard limit is below the container's MemoryReservation (%d MiB): memory must be greater", soft)
		}
	}
}

// namePattern is the documented form of task definition families, service names and cluster
// names: "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens"
// (docRegisterTaskDefinition, docCreateService, docCreateCluster).
var namePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

// checkName reports a literal name of r's property prop that is not of namePattern.
func checkName(rep *report, r *Resource, prop, what string) {
	if v, ok := strOf(r.Get(prop)); ok {
		rep.from(r, CheckResourceName(prop, v, what))
	}
}

// CheckResourceName checks the name of a task definition family, service or cluster (what
// names it) against namePattern; "" is no name, which CloudFormation or CDK generates.
func CheckResourceName(prop, name, what string) error {
	if name == "" || namePattern.MatchString(name) {
		return nil
	}
	return NewViolation(ResourceNames, prop, name, "a %s name is up to 255 letters, numbers, underscores and hyphens", what)
}

// CheckCapacityProviderName checks a capacity provider's name: the names' pattern, and none of
// the prefixes ECS reserves, "aws", "ecs" and "fargate" (docCreateCapacityProvider).
func CheckCapacityProviderName(prop, name string) error {
	if !namePattern.MatchString(name) {
		return NewViolation(ResourceNames, prop, name, "a capacity provider name is up to 255 letters, numbers, underscores and hyphens")
	}
	for _, prefix := range []string{"aws", "ecs", "fargate"} {
		if strings.HasPrefix(name, prefix) {
			return NewViolation(ResourceNames, prop, name, "a capacity provider name cannot start with %q: aws, ecs and fargate are reserved (API Reference, CreateCapacityProvider)", prefix).See(docCreateCapacityProvider)
		}
	}
	return nil
}
