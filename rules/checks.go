package rules

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// fargateMemory lists, per Fargate task CPU value, the valid memory values in MiB as
// [first, last, step] (docFargateTaskSize). 8 and 16 vCPU need Linux platform 1.4.0, the
// platform CDK's LATEST resolves to.
var fargateMemory = map[int][3]int{
	256:   {512, 2048, 512}, // listed values are 512, 1024, 2048: see FargateMemoryValues
	512:   {1024, 4096, 1024},
	1024:  {2048, 8192, 1024},
	2048:  {4096, 16384, 1024},
	4096:  {8192, 30720, 1024},
	8192:  {16384, 61440, 4096},
	16384: {32768, 122880, 8192},
}

// FargateCPUValues are the task CPU units Fargate accepts, smallest first.
var FargateCPUValues = []int{256, 512, 1024, 2048, 4096, 8192, 16384}

// FargateMemoryValues returns the memory values (MiB) Fargate accepts with cpu units.
func FargateMemoryValues(cpu int) []int {
	if cpu == 256 {
		return []int{512, 1024, 2048}
	}
	r, ok := fargateMemory[cpu]
	if !ok {
		return nil
	}
	var out []int
	for m := r[0]; m <= r[1]; m += r[2] {
		out = append(out, m)
	}
	return out
}

// CheckFargateTaskSize checks a Fargate task's CPU units and memory (MiB).
func CheckFargateTaskSize(cpuProp string, cpu int, memProp string, mem int) error {
	mems := FargateMemoryValues(cpu)
	if mems == nil {
		return violation(FargateTaskSize, cpuProp, cpu, "Fargate task CPU must be one of %s units", joinInts(FargateCPUValues)).WithUnit(" CPU units")
	}
	for _, m := range mems {
		if m == mem {
			return nil
		}
	}
	return violation(FargateTaskSize, memProp, mem, "with %d CPU units Fargate accepts %s MiB", cpu, describeMemory(cpu)).WithUnit(" MiB")
}

func describeMemory(cpu int) string {
	if cpu == 256 {
		return "512, 1024 or 2048"
	}
	r := fargateMemory[cpu]
	return fmt.Sprintf("%d to %d in steps of %d", r[0], r[1], r[2])
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// CheckContainersFitTask checks that the sum of the containers' CPU and hard memory limits fit
// in the task's, reporting on cpuProp and memProp. Zero container values are unset and not counted.
func CheckContainersFitTask(cpuProp, memProp string, taskCPU, taskMem int, containerCPU, containerMem map[string]int) error {
	var errs []error
	sumCPU, sumMem := 0, 0
	for _, c := range containerCPU {
		sumCPU += c
	}
	for _, m := range containerMem {
		sumMem += m
	}
	if sumCPU > taskCPU {
		errs = append(errs, violation(ContainerWithinTask, cpuProp, sumCPU, "the containers reserve %d CPU units but the task has %d", sumCPU, taskCPU).WithUnit(" CPU units"))
	}
	if sumMem > taskMem {
		errs = append(errs, violation(ContainerWithinTask, memProp, sumMem, "the containers' memory limits add up to %d MiB but the task has %d MiB", sumMem, taskMem).WithUnit(" MiB"))
	}
	return errors.Join(errs...)
}

// CheckEphemeralStorage checks a Fargate task's ephemeral storage in GiB; 0 means unset.
func CheckEphemeralStorage(prop string, gib int) error {
	if gib == 0 {
		return nil
	}
	return inRange(EphemeralStorage, prop, gib, 21, 200, " GiB")
}

// CheckFargateStartTimeout checks a container start timeout in seconds on Fargate.
func CheckFargateStartTimeout(prop string, seconds int) error {
	return inRange(FargateStopTimeout, prop, seconds, 2, 120, " s")
}

// CheckFargateStopTimeout checks a container stop timeout in seconds on Fargate.
func CheckFargateStopTimeout(prop string, seconds int) error {
	return inRange(FargateStopTimeout, prop, seconds, 0, 120, " s")
}

// ContainerHealthCheckSeconds is a container health check's timing, in whole seconds.
type ContainerHealthCheckSeconds struct {
	Interval, Timeout, Retries, StartPeriod int
}

// containerHealthRanges are a container health check's documented ranges, by field
// (docContainerHealth).
var containerHealthRanges = []struct {
	key    string
	lo, hi int
	unit   string
}{{"Interval", 5, 300, " s"}, {"Timeout", 2, 60, " s"}, {"Retries", 1, 10, ""}, {"StartPeriod", 0, 300, " s"}}

// checkContainerHealthField checks one field of a container health check.
func checkContainerHealthField(prop, key string, v int) error {
	for _, f := range containerHealthRanges {
		if f.key == key {
			return inRange(ContainerHealthCheck, prop+"."+key, v, f.lo, f.hi, f.unit)
		}
	}
	return nil
}

// CheckHealthCheckCommand checks the first element of a container health check's command:
// "The string array must start with CMD to run the command arguments directly, or CMD-SHELL
// to run the command with the container's default shell" (docContainerHealth); Docker's NONE,
// which turns the image's health check off, is accepted too.
func CheckHealthCheckCommand(prop, first string) error {
	switch first {
	case "CMD", "CMD-SHELL", "NONE":
		return nil
	}
	return violation(ContainerHealthCheck, prop, fmt.Sprintf("%q", first), `a health check command starts with "CMD" (the arguments run directly) or "CMD-SHELL" (through the container's shell)`)
}

// CheckContainerHealthCheck checks the ranges of a container health check (docContainerHealth).
func CheckContainerHealthCheck(prop string, hc ContainerHealthCheckSeconds) error {
	return errors.Join(
		checkContainerHealthField(prop, "Interval", hc.Interval),
		checkContainerHealthField(prop, "Timeout", hc.Timeout),
		checkContainerHealthField(prop, "Retries", hc.Retries),
		checkContainerHealthField(prop, "StartPeriod", hc.StartPeriod),
	)
}

// TargetGroupHealthCheckSettings is an ALB target group's health check, in whole seconds.
type TargetGroupHealthCheckSettings struct {
	Interval, Timeout, HealthyThreshold, UnhealthyThreshold int
	Matcher                                                 string // HTTP codes: "200", "200,202", "200-299"
}

// CheckTargetGroupHealthCheck checks an ALB target group health check (docTargetGroupHC).
func CheckTargetGroupHealthCheck(prop string, hc TargetGroupHealthCheckSettings) error {
	errs := []error{
		CheckNLBHealthCheck(prop, hc.Interval, hc.HealthyThreshold, hc.UnhealthyThreshold),
		inRange(TargetGroupHealthCheck, prop+".Timeout", hc.Timeout, 2, 120, " s"),
	}
	if hc.Timeout >= hc.Interval {
		errs = append(errs, violation(TargetGroupHealthCheck, prop+".Timeout", hc.Timeout, "must be less than the interval (%d s)", hc.Interval).WithUnit(" s"))
	}
	if hc.Matcher != "" && !validHTTPCodes(hc.Matcher) {
		errs = append(errs, violation(TargetGroupHealthCheck, prop+".Matcher", hc.Matcher, `must be HTTP codes from 200 to 499, as "200", "200,202" or "200-299"`))
	}
	return errors.Join(errs...)
}

// CheckNLBHealthCheck checks the health check ranges every target group shares: interval
// 5-300 s, thresholds 2-10 (docTargetGroupHC; a Network Load Balancer's target group too).
func CheckNLBHealthCheck(prop string, interval, healthy, unhealthy int) error {
	return errors.Join(
		inRange(TargetGroupHealthCheck, prop+".Interval", interval, 5, 300, " s"),
		inRange(TargetGroupHealthCheck, prop+".HealthyThreshold", healthy, 2, 10, ""),
		inRange(TargetGroupHealthCheck, prop+".UnhealthyThreshold", unhealthy, 2, 10, ""),
	)
}

func validHTTPCodes(s string) bool { return validCodes(s, 200, 499) }

// validGRPCCodes reports whether s is gRPC codes 0-99 ("0", "0,1", "0-5"; ELB API Reference,
// Matcher).
func validGRPCCodes(s string) bool { return validCodes(s, 0, 99) }

// CheckGRPCCodes checks a gRPC health check matcher.
func CheckGRPCCodes(prop, codes string) error {
	if !validGRPCCodes(codes) {
		return violation(TargetGroupHealthCheck, prop, codes, `must be gRPC codes from 0 to 99, as "0", "0,1" or "0-5"`)
	}
	return nil
}

func validCodes(s string, min, max int) bool {
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(lo)
		b := a
		var err2 error
		if isRange {
			b, err2 = strconv.Atoi(hi)
		}
		if err1 != nil || err2 != nil || a < min || b > max || a > b {
			return false
		}
	}
	return true
}

// CheckDeregistrationDelay checks a target group deregistration delay in seconds.
func CheckDeregistrationDelay(prop string, seconds int) error {
	return inRange(DeregistrationDelay, prop, seconds, 0, 3600, " s")
}

// CheckStickiness checks a load balancer cookie stickiness duration in seconds; 0 is off.
func CheckStickiness(prop string, seconds int) error {
	if seconds == 0 {
		return nil
	}
	return inRange(StickinessDuration, prop, seconds, 1, 604800, " s")
}

// CheckPort checks a port number.
func CheckPort(prop string, port int) error {
	return inRange(PortRange, prop, port, 1, 65535, "")
}

var portName = regexp.MustCompile(`^[a-z0-9_][a-z0-9_-]{0,63}$`)

// NamedPort is a port mapping's name ("" for unnamed) and the property path that holds it.
type NamedPort struct{ Property, Name string }

// CheckPortNames checks that port mapping names are valid and unique in a task.
func CheckPortNames(ports []NamedPort) error {
	var errs []error
	seen := map[string]bool{}
	for _, p := range ports {
		switch {
		case p.Name == "":
		case !portName.MatchString(p.Name):
			errs = append(errs, violation(PortNames, p.Property, p.Name, "must be 1-64 lowercase letters, digits, '_' or '-', not starting with '-'"))
		case seen[p.Name]:
			errs = append(errs, violation(PortNames, p.Property, p.Name, "is used by another port mapping of the task"))
		}
		seen[p.Name] = true
	}
	return errors.Join(errs...)
}

// CheckCapacity checks an auto scaling range.
func CheckCapacity(minProp string, min int, maxProp string, max int) error {
	if min < 0 {
		return violation(CapacityRange, minProp, min, "must not be negative")
	}
	if min > max {
		return violation(CapacityRange, minProp, min, "must not exceed %s (%d)", maxProp, max)
	}
	return nil
}

// CheckDeployment checks that a rolling deployment's percentages let it make progress.
func CheckDeployment(minProp string, minHealthy int, maxProp string, maxPercent int) error {
	if err := inRange(DeploymentProgress, minProp, minHealthy, 0, 100, " %"); err != nil {
		return err
	}
	if maxPercent <= minHealthy {
		return violation(DeploymentProgress, maxProp, maxPercent, "must be above %s (%d %%), or the deployment can neither start a new task nor stop an old one", minProp, minHealthy).WithUnit(" %")
	}
	return nil
}

// CheckDeploymentCount checks that a rolling deployment of desired tasks can make progress in
// whole tasks: ECS rounds maximumPercent down and minimumHealthyPercent up (ECS Developer
// Guide, "Deploy Amazon ECS services by replacing tasks"), so with 1 task, 100 % and 150 %
// it may neither start a new task (1.5 rounds down to 1) nor stop an old one.
func CheckDeploymentCount(desiredProp string, desired int, minProp string, minHealthy int, maxProp string, maxPercent int) error {
	if desired <= 0 || minHealthy < 0 || maxPercent < 0 {
		return nil
	}
	most := desired * maxPercent / 100       // rounded down
	least := (desired*minHealthy + 99) / 100 // rounded up
	if most <= desired && least >= desired {
		return violation(DeploymentProgress, maxProp, maxPercent,
			"with %s %d, %s %d %% allows %d running tasks (rounded down) and %s %d %% keeps %d (rounded up): the deployment can neither start a new task nor stop an old one",
			desiredProp, desired, maxProp, maxPercent, most, minProp, minHealthy, least).WithUnit(" %")
	}
	return nil
}

// StrategyItem is one capacity provider of a capacity provider strategy.
type StrategyItem struct {
	Provider     string
	Base, Weight int
}

// CheckCapacityProviderStrategy checks a capacity provider strategy (docCapacityStrategy).
func CheckCapacityProviderStrategy(prop string, items []StrategyItem) error {
	var errs []error
	withBase, weight := 0, 0
	for i, it := range items {
		p := fmt.Sprintf("%s[%d]", prop, i)
		errs = append(errs,
			inRange(CapacityProviderStrategy, p+".Base", it.Base, 0, 100000, ""),
			inRange(CapacityProviderStrategy, p+".Weight", it.Weight, 0, 1000, ""))
		if it.Base > 0 {
			withBase++
			if withBase == 2 {
				errs = append(errs, violation(CapacityProviderStrategy, p+".Base", it.Base, "only one capacity provider of a strategy may have a base"))
			}
		}
		weight += it.Weight
	}
	// "When multiple capacity providers are specified within a capacity provider strategy, at
	// least one of the capacity providers must have a weight value greater than zero"
	// (docCapacityStrategy); for a single provider the documentation sets no such rule.
	if len(items) > 1 && weight == 0 {
		errs = append(errs, violation(CapacityProviderStrategy, prop, "all weights 0", "with several capacity providers, at least one needs a weight above 0"))
	}
	return errors.Join(errs...)
}

// CheckUtilizationTarget checks a CPU or memory target tracking percentage; 0 means unset.
func CheckUtilizationTarget(prop string, percent int) error {
	if percent == 0 {
		return nil
	}
	return inRange(ScalingTarget, prop, percent, 1, 100, " %")
}

// CheckPositiveTarget checks a target tracking value that has no upper bound; 0 means unset.
func CheckPositiveTarget(prop string, v int) error {
	if v < 0 {
		return violation(ScalingTarget, prop, v, "must be positive")
	}
	return nil
}

// CheckHTTPSCertificate checks that an HTTPS listener can get a certificate; at prefixes the
// property names Certificate and HostedZone (such as "LoadBalancer.").
func CheckHTTPSCertificate(at string, haveCertificate, haveDomain, haveZone bool) error {
	switch {
	case haveCertificate:
		return nil
	case haveDomain && haveZone:
		return nil
	case haveDomain:
		return violation(HTTPSCertificate, at+"HostedZone", "unset", "a DNS-validated certificate for the domain needs the hosted zone that holds it")
	default:
		return violation(HTTPSCertificate, at+"Certificate", "unset", "HTTPS needs a certificate, or a domain name and hosted zone to validate one")
	}
}

// CheckFargateNetworkMode reports a network mode other than awsvpc for a Fargate task.
func CheckFargateNetworkMode(prop, mode string) error {
	if mode == "awsvpc" {
		return nil
	}
	return violation(FargateUnsupported, prop, mode, "Fargate tasks use the awsvpc network mode only")
}

// CheckContainerMemorySet checks that a container of an EC2 task without task-level memory
// has a hard or soft memory limit (at is the container's property path).
func CheckContainerMemorySet(at string, memoryMiB, reservationMiB int) error {
	if memoryMiB > 0 || reservationMiB > 0 {
		return nil
	}
	return violation(EC2ContainerMemory, at+".MemoryMiB", "unset", "on EC2 without task-level memory every container needs a memory limit or reservation")
}

// CheckNoPublicIPOnEC2 reports a public IP asked for awsvpc tasks on EC2 instances.
func CheckNoPublicIPOnEC2(prop string) error {
	return violation(PublicIPOnEC2, prop, true, "tasks on EC2 instances cannot get a public IP with awsvpc; use a NAT gateway or VPC endpoints")
}

// CheckDaemonPlacement reports placement strategies on a daemon service.
func CheckDaemonPlacement(prop string, strategies int) error {
	if strategies == 0 {
		return nil
	}
	return violation(DaemonService, prop, strategies, "a DAEMON service takes no placement strategies")
}

// CheckPlacementCounts checks the number of placement strategies and constraints of a service.
func CheckPlacementCounts(strategiesProp string, strategies int, constraintsProp string, constraints int) error {
	var errs []error
	if strategies > MaxPlacementStrategies {
		errs = append(errs, violation(Placement, strategiesProp, strategies, "a service takes at most %d placement strategies", MaxPlacementStrategies))
	}
	if constraints > MaxPlacementConstraints {
		errs = append(errs, violation(Placement, constraintsProp, constraints, "a service takes at most %d placement constraints", MaxPlacementConstraints))
	}
	return errors.Join(errs...)
}

// CheckTargetCapacity checks a capacity provider's managed scaling target capacity.
func CheckTargetCapacity(prop string, percent int) error {
	return inRange(CapacityProviderSettings, prop, percent, 1, 100, " %")
}

// CheckTerminationProtectionNeedsScaling reports managed termination protection without
// managed scaling.
func CheckTerminationProtectionNeedsScaling(prop string) error {
	return violation(CapacityProviderSettings, prop, true, "managed termination protection needs managed scaling; turn both off, or keep managed scaling")
}

// CheckBottlerocketUserData reports a shell command given as Bottlerocket user data.
func CheckBottlerocketUserData(prop, line string) error {
	if shellLine(line) {
		return violation(BottlerocketUserData, prop, line, "Bottlerocket reads TOML settings, not shell commands")
	}
	return nil
}

// shellLine reports whether a user data line is a shell command (or a script's #! line)
// rather than a TOML setting. The props check and the template rule ECS013 share it.
func shellLine(line string) bool {
	l := strings.TrimSpace(line)
	return strings.HasPrefix(l, "#!") || strings.HasPrefix(l, "echo ") || strings.Contains(l, "/etc/ecs/ecs.config") || strings.HasPrefix(l, "sudo ")
}

// Listener rule limits (ELB API Reference, CreateRule and RulePriorityPair: "A listener can't
// have multiple rules with the same priority", 1-50000; ELB User Guide, "Quotas for your
// Application Load Balancers": 5 condition values per rule, 5 target groups per action).
const (
	MinRulePriority       = 1
	MaxRulePriority       = 50000
	MaxConditionValues    = 5
	MaxTargetGroupsAction = 5
)

// CheckListenerRule checks a rule's priority and the count of its condition values (at
// prefixes the conditions' property).
func CheckListenerRule(priorityProp string, priority int, at string, conditionValues int) error {
	errs := []error{inRange(ListenerRules, priorityProp, priority, MinRulePriority, MaxRulePriority, "")}
	switch {
	case conditionValues == 0:
		errs = append(errs, violation(ListenerRules, at+"Conditions", 0, "a rule needs at least one condition (host, path, method, source IP, header or query string)"))
	case conditionValues > MaxConditionValues:
		errs = append(errs, violation(ListenerRules, at+"Conditions", conditionValues, "a rule takes at most %d condition values", MaxConditionValues))
	}
	return errors.Join(errs...)
}

// FargateAddableCapability is the one Linux capability a Fargate container may add
// (docFargateParams).
const FargateAddableCapability = "SYS_PTRACE"

// CheckFargateCapabilities checks the capabilities a Fargate container adds.
func CheckFargateCapabilities(prop string, add []string) error {
	var errs []error
	for _, c := range add {
		if c != FargateAddableCapability {
			errs = append(errs, violation(FargateUnsupported, prop, c, "Fargate can add the %s capability only", FargateAddableCapability))
		}
	}
	return errors.Join(errs...)
}

// Container restart policy limits (ECS API Reference, ContainerRestartPolicy).
const (
	MaxRestartIgnoredExitCodes = 50
	MinRestartAttemptSeconds   = 60
	MaxRestartAttemptSeconds   = 1800
)

// CheckRestartPolicy checks a restart policy: at most 50 ignored exit codes and a restart
// attempt period of 60-1800 s (0: unset).
func CheckRestartPolicy(prop string, ignoredCodes, attemptSeconds int) error {
	errs := []error{}
	if ignoredCodes > MaxRestartIgnoredExitCodes {
		errs = append(errs, violation(RestartPolicy, prop+".IgnoredExitCodes", ignoredCodes, "a restart policy ignores at most %d exit codes", MaxRestartIgnoredExitCodes))
	}
	if attemptSeconds != 0 {
		errs = append(errs, inRange(RestartPolicy, prop+".AttemptPeriod", attemptSeconds, MinRestartAttemptSeconds, MaxRestartAttemptSeconds, " s"))
	}
	return errors.Join(errs...)
}
