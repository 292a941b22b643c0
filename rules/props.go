package rules

import (
	"errors"
	"fmt"
	"sort"
)

// Documentation pages the props rules cite.
const (
	docCreateService        = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html"
	docServiceAutoScaling   = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-auto-scaling.html"
	docScheduledAction      = "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html"
	docLaunchTypes          = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/launch_types.html"
	docAccessLogs           = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html"
	docInstancesDistrib     = "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstancesDistribution.html"
	docAutoScalingGroup     = "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html"
	docWarmPool             = "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutWarmPool.html"
	docManagedScaling       = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedScaling.html"
	docCapacityAssociations = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-clustercapacityproviderassociations.html"
)

// Props rules: constraints ecsforge checks on construct props before anything is synthesized.
// They share the message format of the template rules; a template has no props to read, so
// the template linter does not run them.
var (
	MissingProp = Rule{ID: "ECS200", Severity: Error, Source: docCreateService,
		Summary: "a construct is missing something it cannot be built without (a cluster, a task definition, an image, a command)",
		Fix:     "set the named prop"}
	UnknownValue = Rule{ID: "ECS201", Severity: Error, Source: docTaskDefParams,
		Summary: "a prop with a closed set of values has a value outside it",
		Fix:     "use one of the values the message lists (the package's typed constants)"}
	ContainerNames = Rule{ID: "ECS202", Severity: Error, Source: docContainerDefinition,
		Summary: "container names are unique in a task: up to 255 letters, digits, hyphens and underscores",
		Fix:     "give every container after the first a unique name"}
	DesiredCount = Rule{ID: "ECS203", Severity: Error, Source: docServiceAutoScaling,
		Summary: "a service's desired count is 0 or more and, with auto scaling, within its minimum and maximum",
		Fix:     "set DesiredCount to 0 or more; with auto scaling leave it unset or choose a count between Scaling.Min and Scaling.Max"}
	// ScheduleExpression is checked on props and on templates (ScalableTarget ScheduledActions).
	ScheduleExpression = Rule{ID: "ECS204", Severity: Error, Source: docScheduledAction,
		Summary: "a scheduled scaling action's schedule is at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(minutes hours day-of-month month day-of-week year)",
		Fix:     "write the expression in one of the three documented forms"}
	LaunchTypeSetting = Rule{ID: "ECS205", Severity: Error, Source: docLaunchTypes,
		Summary: "a setting of one launch type (Fargate or EC2) is given to a construct or pattern of the other",
		Fix:     "remove the setting, or use the construct or pattern for that launch type (patterns/webservice for Fargate, patterns/ec2service for EC2)"}
	AccessLogsRegion = Rule{ID: "ECS206", Severity: Error, Source: docAccessLogs,
		Summary: "ALB access logs need the stack's region: the bucket policy names the region's Elastic Load Balancing log delivery",
		Fix:     "set Env.Region on the stack (the account may stay unresolved)"}
	AutoScalingGroupSize = Rule{ID: "ECS207", Severity: Error, Source: docInstancesDistrib,
		Summary: "EC2 capacity: an On-Demand base of 0 or more, an On-Demand share of 0-100 % above it, non-negative warm pool sizes",
		Fix:     "set the Spot and warm pool settings within their ranges"}
	ConnectToNetworkMode = Rule{ID: "ECS209", Severity: Error, Source: docServiceConnect,
		Summary: "ConnectTo opens a Service Connect server's own security group on its ports: the server runs awsvpc tasks (bridge tasks' proxies take the instances' dynamic host ports)",
		Fix:     "give the server awsvpc tasks, or open the instances' upper dynamic port range to the client's security group yourself"}
	CrossStackCapacity = Rule{ID: "ECS208", Severity: Error, Source: docCapacityAssociations,
		Summary: "a cluster's capacity providers are associated by one resource, in one stack, deployed after the providers",
		Fix:     "create the capacity (capacity.New) in the stack that defines the cluster; services in other stacks can run on it"}
)

// PropsCatalogue lists the props rules, in ID order.
func PropsCatalogue() []Rule {
	all := []Rule{MissingProp, UnknownValue, DesiredCount,
		LaunchTypeSetting, AccessLogsRegion, AutoScalingGroupSize, CrossStackCapacity, ConnectToNetworkMode}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
}

// Missing reports that a required prop is unset; doc is the page that says it is required
// ("" for the rule's).
func Missing(prop, detail, doc string) error {
	return violation(MissingProp, prop, "unset", "%s", detail).See(doc)
}

// OneOf reports a value outside its closed set; allowed is the set as the user writes it.
func OneOf(prop string, value any, allowed, doc string) error {
	return violation(UnknownValue, prop, fmt.Sprintf("%q", fmt.Sprint(value)), "must be %s", allowed).See(doc)
}

// CheckContainerName checks the name of a task's container (i is its index): the first may
// be unnamed (a default is used), later ones need a name; names are unique.
func CheckContainerName(prop string, i int, name string, seen map[string]bool) error {
	switch {
	case name == "" && i > 0:
		return violation(ContainerNames, prop, "unset", "every container after the first needs a name")
	case name != "" && !containerName.MatchString(name):
		return violation(ContainerNames, prop, fmt.Sprintf("%q", name), "must be 1-255 letters, digits, hyphens or underscores")
	case name != "" && seen[name]:
		return violation(ContainerNames, prop, fmt.Sprintf("%q", name), "is the name of another container of the task")
	}
	return nil
}

// CheckDesiredCount checks a service's desired count, against the scaling range when the
// service auto scales (scaling false: min and max are ignored).
func CheckDesiredCount(prop string, desired int, scaling bool, minProp string, min int, maxProp string, max int) error {
	if desired < 0 {
		return violation(DesiredCount, prop, desired, "must not be negative").See(docCreateService)
	}
	if scaling && min <= max && (desired < min || desired > max) {
		return violation(DesiredCount, prop, desired, "must lie between %s (%d) and %s (%d): auto scaling would move it into that range at the next scaling activity", minProp, min, maxProp, max)
	}
	return nil
}

// CheckLaunchTypeSetting reports a setting that belongs to the other launch type.
func CheckLaunchTypeSetting(prop string, value any, detail string) error {
	return violation(LaunchTypeSetting, prop, value, "%s", detail)
}

// CheckAccessLogsRegion reports ALB access logs in a stack without a region.
func CheckAccessLogsRegion(prop string) error {
	return violation(AccessLogsRegion, prop, "region unresolved", "ALB access logs need the stack's region (ELB delivers them from a per-region account)")
}

// CheckAutoScalingGroupMax checks an Auto Scaling group's maximum size.
func CheckAutoScalingGroupMax(prop string, max int) error {
	if max < 1 {
		return violation(CapacityRange, prop, max, "the Auto Scaling group needs a maximum size of at least 1 (it starts empty and managed scaling grows it up to this)").See(docAutoScalingGroup)
	}
	return nil
}

// CheckSpotDistribution checks the On-Demand base and percentage of a mixed instances policy.
func CheckSpotDistribution(baseProp string, base int, percentProp string, percent int) error {
	var errs []error
	if base < 0 {
		errs = append(errs, violation(AutoScalingGroupSize, baseProp, base, "must not be negative").See(docInstancesDistrib))
	}
	if percent < 0 || percent > 100 {
		errs = append(errs, violation(AutoScalingGroupSize, percentProp, percent, "must be between 0 and 100 %%").WithUnit(" %").See(docInstancesDistrib))
	}
	return errors.Join(errs...)
}

// CheckWarmPoolSize checks the sizes of a warm pool (0 means unset).
func CheckWarmPoolSize(minProp string, min int, maxProp string, max int) error {
	var errs []error
	if min < 0 {
		errs = append(errs, violation(AutoScalingGroupSize, minProp, min, "must not be negative").See(docWarmPool))
	}
	if max < 0 {
		errs = append(errs, violation(AutoScalingGroupSize, maxProp, max, "must not be negative (0 leaves it to the group's maximum)").See(docWarmPool))
	}
	return errors.Join(errs...)
}

// CheckScalingSteps checks managed scaling's minimum and maximum step sizes (0 means unset:
// ECS's 1 and 10000).
func CheckScalingSteps(minProp string, min int, maxProp string, max int) error {
	var errs []error
	for _, s := range []struct {
		prop string
		v    int
	}{{minProp, min}, {maxProp, max}} {
		if s.v != 0 {
			errs = append(errs, inRange(CapacityProviderSettings, s.prop, s.v, 1, 10000, ""))
		}
	}
	if min > 0 && max > 0 && min > max {
		errs = append(errs, violation(CapacityProviderSettings, minProp, min, "must not exceed %s (%d)", maxProp, max))
	}
	for _, e := range errs {
		if v, ok := e.(*Violation); ok {
			v.See(docManagedScaling)
		}
	}
	return errors.Join(errs...)
}

// Leaves flattens err (errors joined with errors.Join, nested any depth) into its leaf errors:
// each is a *Violation or, for a check outside the catalogues, a plain error.
func Leaves(err error) []error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*Violation); ok {
		return []error{err}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Leaves(e)...)
		}
		return out
	}
	return []error{err}
}
