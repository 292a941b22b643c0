package rules

import (
	"fmt"
	"regexp"
	"strings"
)

// ecrPrivateImage matches an image in an Amazon ECR private repository, which a Fargate task
// pulls with its execution role (docExecutionRole).
var ecrPrivateImage = regexp.MustCompile(`^[0-9]{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/`)

// fargateLogDrivers are the log drivers Fargate tasks can use (docFargateLogging).
var fargateLogDrivers = map[string]bool{"awslogs": true, "splunk": true, "awsfirelens": true}

// namespacedSysctl reports whether a sysctl is namespaced, the only kind Fargate accepts:
// IPC (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*) and network (net.*) parameters
// (docSystemControls). The seed notes list systemControls as unsupported: out of date.
func namespacedSysctl(s string) bool {
	for _, p := range []string{"kernel.msg", "kernel.shm", "fs.mqueue.", "net."} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return s == "kernel.sem"
}

// Image reference limits (docContainerDefinition, "image"): the name (everything before an
// "@") is at most MaxImageNameLength of imageNameChars; a digest is sha256 and 64 hex digits.
const MaxImageNameLength = 255

var (
	imageNameChars = regexp.MustCompile(`^[A-Za-z0-9_:./#-]+$`)
	imageDigest    = regexp.MustCompile(`^sha256:[A-Fa-f0-9]{64}$`)
)

// CheckImage checks a literal container image reference against the documented format.
func CheckImage(prop, ref string) error {
	name, digest, hasDigest := strings.Cut(ref, "@")
	switch {
	case strings.TrimSpace(ref) == "":
		return violation(ContainerImage, prop, fmt.Sprintf("%q", ref), "a container needs an image reference; an empty one names no image")
	case len(name) > MaxImageNameLength:
		return violation(ContainerImage, prop, fmt.Sprintf("%d characters", len(name)), "the image name (before any @) is at most %d characters", MaxImageNameLength)
	case !imageNameChars.MatchString(name):
		return violation(ContainerImage, prop, fmt.Sprintf("%q", ref), "the image name may hold only letters, digits, hyphens, underscores, colons, periods, forward slashes and number signs")
	case hasDigest && !imageDigest.MatchString(digest):
		return violation(ContainerImage, prop, fmt.Sprintf("%q", ref), "a digest is sha256: followed by exactly 64 hex digits")
	}
	return nil
}

// MaxContainersPerTask is the containers-per-task-definition quota (docQuotas).
const MaxContainersPerTask = 10

// FireLensPort is the port the FireLens log router listens on inside the task
// (docFireLensConsiderations).
const FireLensPort = 24224

func checkTaskDefinition(rep *report, r *Resource) {
	ti := taskOf(r)
	containers := listOf(r.Get("ContainerDefinitions"))
	cpu, cpuOK := cpuUnits(r.Get("Cpu"))
	mem, memOK := memoryMiB(r.Get("Memory"))

	if ti.fargate && cpuOK && memOK {
		if ti.windows {
			if cpu < 1024 || cpu > 4096 {
				rep.add(FargateWindows, r, "Cpu", cpu, "Windows containers on Fargate take 1, 2 or 4 vCPU (1024, 2048 or 4096 units)")
			} else {
				rep.from(r, CheckFargateTaskSize("Cpu", cpu, "Memory", mem))
			}
			if arch, _ := strOf(r.Get("RuntimePlatform.CpuArchitecture")); arch == "ARM64" {
				rep.add(FargateWindowsArch, r, "RuntimePlatform.CpuArchitecture", arch, "Windows containers on Fargate run on X86_64")
			}
		} else {
			rep.from(r, CheckFargateTaskSize("Cpu", cpu, "Memory", mem))
		}
	}
	for _, err := range CheckContainers(taskRelations(r, ti)) {
		rep.from(r, err)
	}
	checkFireLens(rep, r, ti)
	checkContainerSettings(rep, r, ti)
	checkName(rep, r, "Family", "task definition family")
	if len(containers) > MaxContainersPerTask {
		rep.add(ContainersPerTask, r, "ContainerDefinitions", len(containers), "a task definition holds at most %d containers", MaxContainersPerTask)
	}
	if ti.fargate {
		if gib, ok := intOf(r.Get("EphemeralStorage.SizeInGiB")); ok {
			rep.from(r, CheckEphemeralStorage("EphemeralStorage.SizeInGiB", gib))
		}
		checkFargateTaskParams(rep, r, ti)
	}

	// Container limits within the task's, and per-container rules.
	cpus, mems := map[string]int{}, map[string]int{}
	var ports []NamedPort
	needsExecRole := ""
	seenNames := map[string]bool{}
	for i, c := range containers {
		at := fmt.Sprintf("ContainerDefinitions.%d.", i)
		name := fmt.Sprint(i)
		if n, ok := strOf(lookup(c, "Name")); ok {
			name = n
			rep.from(r, CheckContainerName(at+"Name", i, n, seenNames))
			seenNames[n] = true
		}
		if img, ok := strOf(lookup(c, "Image")); ok {
			rep.from(r, CheckImage(at+"Image", img))
		}
		if n, ok := intOf(lookup(c, "Cpu")); ok {
			cpus[name] = n
		}
		if n, ok := intOf(lookup(c, "Memory")); ok {
			mems[name] = n
		}
		if hc, ok := lookup(c, "HealthCheck").(map[string]any); ok {
			checkContainerHealthCheckFields(rep, r, at+"HealthCheck", hc)
		}
		if rp, ok := literalMap(lookup(c, "RestartPolicy")); ok {
			codes, _ := rp["IgnoredExitCodes"].([]any)
			period, _ := intOf(rp["RestartAttemptPeriod"])
			rep.from(r, CheckRestartPolicy(at+"RestartPolicy", len(codes), period))
		}
		for j, pm := range listOf(lookup(c, "PortMappings")) {
			pa := fmt.Sprintf("%sPortMappings.%d.", at, j)
			cp, cpOK := intOf(lookup(pm, "ContainerPort"))
			if cpOK {
				rep.from(r, CheckPort(pa+"ContainerPort", cp))
			}
			if hp, ok := intOf(lookup(pm, "HostPort")); ok && cpOK && ti.networkMode == "awsvpc" && hp != cp {
				rep.add(AwsvpcHostPort, r, pa+"HostPort", hp, "with awsvpc networking the host port must be omitted or equal the container port (%d)", cp)
			}
			if n, ok := strOf(lookup(pm, "Name")); ok {
				ports = append(ports, NamedPort{Property: pa + "Name", Name: n})
			}
		}
		if ti.fargate {
			if st, ok := intOf(lookup(c, "StopTimeout")); ok {
				rep.from(r, CheckFargateStopTimeout(at+"StopTimeout", st))
			}
			if st, ok := intOf(lookup(c, "StartTimeout")); ok {
				rep.from(r, CheckFargateStartTimeout(at+"StartTimeout", st))
			}
		}
		if len(listOf(lookup(c, "Secrets"))) > 0 {
			needsExecRole = at + "Secrets"
		} else if lookup(c, "RepositoryCredentials") != nil {
			needsExecRole = at + "RepositoryCredentials"
		} else if ti.fargate && lookup(c, "LogConfiguration.LogDriver") == "awslogs" && needsExecRole == "" {
			needsExecRole = at + "LogConfiguration.LogDriver"
		} else if img, ok := strOf(lookup(c, "Image")); ok && ti.fargate && ecrPrivateImage.MatchString(img) && needsExecRole == "" {
			needsExecRole = at + "Image"
		}
	}
	if !ti.fargate && r.Get("Memory") == nil && ti.compat("EC2") {
		for i, c := range containers {
			if absent(c, "Memory") && absent(c, "MemoryReservation") {
				rep.add(EC2ContainerMemory, r, fmt.Sprintf("ContainerDefinitions.%d.Memory", i), "unset", "on EC2 without task-level memory every container needs Memory or MemoryReservation")
			}
		}
	}
	if cpuOK && memOK {
		rep.from(r, CheckContainersFitTask("ContainerDefinitions", "ContainerDefinitions", cpu, mem, cpus, mems))
	} else if memOK {
		rep.from(r, CheckContainersFitTask("ContainerDefinitions", "ContainerDefinitions", 1<<30, mem, nil, mems))
	}
	rep.from(r, CheckPortNames(ports))
	if needsExecRole != "" && r.Get("ExecutionRoleArn") == nil {
		rep.add(ExecutionRole, r, needsExecRole, "set", "secrets, private registry credentials, and awslogs and Amazon ECR private images on Fargate need a task execution role, and ExecutionRoleArn is unset")
	}
}

// checkContainerHealthCheckFields checks only the fields a template sets.
func checkContainerHealthCheckFields(rep *report, r *Resource, at string, hc map[string]any) {
	if cmd, ok := hc["Command"].([]any); ok && len(cmd) > 0 {
		if first, ok := strOf(cmd[0]); ok {
			rep.from(r, CheckHealthCheckCommand(at+".Command.0", first))
		}
	}
	for _, f := range containerHealthRanges {
		if v, ok := intOf(hc[f.key]); ok {
			rep.from(r, checkContainerHealthField(at, f.key, v))
		}
	}
}

// checkFargateTaskParams reports task definition parameters Fargate does not support
// (docFargateParams).
func checkFargateTaskParams(rep *report, r *Resource, ti *taskInfo) {
	bad := func(prop string, value any, why string) {
		rep.add(FargateUnsupported, r, prop, value, "%s", why)
	}
	if nm := ti.networkMode; nm != "" && nm != "awsvpc" {
		if absent(r.Properties, "NetworkMode") {
			bad("NetworkMode", "unset", "an unset network mode is bridge, and Fargate tasks use the awsvpc network mode only")
		} else {
			bad("NetworkMode", nm, "Fargate tasks use the awsvpc network mode only")
		}
	}
	if v := r.Get("IpcMode"); literal(v) {
		bad("IpcMode", v, "Fargate does not support ipcMode")
	}
	// The seed notes list pidMode as unsupported on Fargate: out of date; platform 1.4.0
	// accepts "task" (API_RegisterTaskDefinition, pidMode).
	if v, ok := strOf(r.Get("PidMode")); ok && v != "task" {
		bad("PidMode", v, `Fargate supports pidMode "task" only (platform 1.4.0 and later)`)
	}
	if v := listOf(r.Get("PlacementConstraints")); len(v) > 0 {
		bad("PlacementConstraints", len(v), "Fargate does not support task placement constraints")
	}
	for i, vol := range listOf(r.Get("Volumes")) {
		at := fmt.Sprintf("Volumes.%d.", i)
		if lookup(vol, "DockerVolumeConfiguration") != nil {
			bad(at+"DockerVolumeConfiguration", "set", "Fargate does not support Docker volumes; use bind mounts or EFS")
		}
		if sp := lookup(vol, "Host.SourcePath"); sp != nil {
			bad(at+"Host.SourcePath", sp, "Fargate does not support host paths; omit sourcePath for an empty bind mount")
		}
	}
	for i, c := range listOf(r.Get("ContainerDefinitions")) {
		at := fmt.Sprintf("ContainerDefinitions.%d.", i)
		if b, _ := boolOf(lookup(c, "Privileged")); b {
			bad(at+"Privileged", true, "Fargate does not support privileged containers")
		}
		if b, _ := boolOf(lookup(c, "DisableNetworking")); b {
			bad(at+"DisableNetworking", true, "Fargate does not support disableNetworking")
		}
		for _, key := range []string{"Links", "DnsServers", "DnsSearchDomains", "ExtraHosts", "DockerSecurityOptions"} {
			if v := listOf(lookup(c, key)); len(v) > 0 {
				bad(at+key, v, fmt.Sprintf("Fargate does not support %s", lowerFirst(key)))
			}
		}
		for j, rr := range listOf(lookup(c, "ResourceRequirements")) {
			if lookup(rr, "Type") == "GPU" {
				bad(fmt.Sprintf("%sResourceRequirements.%d.Type", at, j), "GPU", "Fargate does not support GPUs")
			}
		}
		lp := at + "LinuxParameters."
		for _, key := range []string{"MaxSwap", "Swappiness", "SharedMemorySize"} {
			if v := lookup(c, "LinuxParameters."+key); literal(v) {
				bad(lp+key, v, fmt.Sprintf("Fargate does not support %s", lowerFirst(key)))
			}
		}
		for _, key := range []string{"Devices", "Tmpfs"} {
			if v := listOf(lookup(c, "LinuxParameters."+key)); len(v) > 0 {
				bad(lp+key, len(v), fmt.Sprintf("Fargate does not support %s", lowerFirst(key)))
			}
		}
		caps, _ := strList(lookup(c, "LinuxParameters.Capabilities.Add"))
		rep.from(r, CheckFargateCapabilities(lp+"Capabilities.Add", caps))
		for j, sc := range listOf(lookup(c, "SystemControls")) {
			if ns, ok := strOf(lookup(sc, "Namespace")); ok && !namespacedSysctl(ns) {
				bad(fmt.Sprintf("%sSystemControls.%d.Namespace", at, j), ns, "Fargate accepts namespaced sysctls only (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*, net.*)")
			}
		}
		if d, ok := strOf(lookup(c, "LogConfiguration.LogDriver")); ok && !fargateLogDrivers[d] {
			bad(at+"LogConfiguration.LogDriver", d, "Fargate supports the awslogs, splunk and awsfirelens log drivers")
		}
		if t, _ := strOf(lookup(c, "FirelensConfiguration.Options.config-file-type")); t == "s3" {
			bad(at+"FirelensConfiguration.Options.config-file-type", t, "Fargate cannot read a FireLens configuration file from S3; use config-file-type \"file\"")
		}
	}
}

// literal reports whether v is set to a literal value (not an intrinsic function, which may
// resolve to AWS::NoValue).
func literal(v any) bool {
	if v == nil {
		return false
	}
	_, isMap := v.(map[string]any)
	return !isMap
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// checkExpressService checks an ECS Express Mode service against the Fargate it runs on
// (docExpressMode: its defaults are Fargate capacity, platform LATEST, Linux X86_64) and its own
// scaling target. Unset Cpu and Memory take Express Mode's defaults and are not checked.
func checkExpressService(rep *report, r *Resource) {
	cpu, cpuOK := cpuUnits(r.Get("Cpu"))
	mem, memOK := memoryMiB(r.Get("Memory"))
	if cpuOK && memOK {
		for _, v := range Violations(CheckFargateTaskSize("Cpu", cpu, "Memory", mem)) {
			rep.add(ExpressService, r, v.Property, v.Value, "%s", v.Detail)
		}
	}
	minC, ok1 := intOf(r.Get("ScalingTarget.MinTaskCount"))
	maxC, ok2 := intOf(r.Get("ScalingTarget.MaxTaskCount"))
	if ok1 && ok2 && minC > maxC {
		rep.add(ExpressService, r, "ScalingTarget.MinTaskCount", minC, "the minimum task count is above the maximum (%d)", maxC)
	}
	metric, _ := strOf(r.Get("ScalingTarget.AutoScalingMetric"))
	if v, ok := r.Get("ScalingTarget.AutoScalingTargetValue").(float64); ok && (metric == "AVERAGE_CPU" || metric == "AVERAGE_MEMORY") && (v < 1 || v > 100) {
		rep.add(ExpressService, r, "ScalingTarget.AutoScalingTargetValue", v, "a %s target is a utilisation percentage, 1-100", metric)
	}
}

// taskRelations reads a task definition's containers and volumes for CheckContainers. Names,
// flags and lists behind intrinsics make the part they are in unknown, never a finding.
func taskRelations(r *Resource, ti *taskInfo) TaskRelations {
	t := TaskRelations{Volumes: map[string]bool{}, Fargate: ti.fargate}
	containers, ok := r.Get("ContainerDefinitions").([]any)
	t.ContainersKnown = ok
	for i, c := range containers {
		at := fmt.Sprintf("ContainerDefinitions.%d", i)
		m, ok := literalMap(c)
		if !ok {
			t.ContainersKnown = false
			continue
		}
		name, ok := strOf(m["Name"])
		if !ok {
			t.ContainersKnown = false
			continue
		}
		cr := ContainerRelations{Property: at, Name: name, Essential: true, EssentialProp: at + ".Essential", Known: true}
		if !absent(m, "Essential") {
			b, ok := boolOf(m["Essential"])
			cr.Essential, cr.Known = b, cr.Known && ok
		}
		if !absent(m, "HealthCheck") {
			cr.HasHealthCheck = true
			if _, ok := literalMap(m["HealthCheck"]); !ok {
				cr.Known = false
			}
		}
		refs := func(key, field string) []ContainerRef {
			var out []ContainerRef
			if absent(m, key) {
				return nil
			}
			list, ok := m[key].([]any)
			if !ok {
				cr.Known = false
				return nil
			}
			for j, e := range list {
				if n, ok := strOf(lookup(e, field)); ok {
					out = append(out, ContainerRef{Property: fmt.Sprintf("%s.%s.%d.%s", at, key, j, field), Name: n})
				}
			}
			return out
		}
		cr.MountPoints = refs("MountPoints", "SourceVolume")
		cr.VolumesFrom = refs("VolumesFrom", "SourceContainer")
		if !absent(m, "DependsOn") {
			list, ok := m["DependsOn"].([]any)
			cr.Known = cr.Known && ok
			for j, e := range list {
				n, ok1 := strOf(lookup(e, "ContainerName"))
				cond, ok2 := strOf(lookup(e, "Condition"))
				if ok1 && ok2 {
					cr.DependsOn = append(cr.DependsOn, Dependency{Property: fmt.Sprintf("%s.DependsOn.%d.ContainerName", at, j), Container: n, Condition: cond})
				} else {
					cr.Known = false
				}
			}
		}
		t.Containers = append(t.Containers, cr)
	}
	volumes, ok := r.Get("Volumes").([]any)
	t.VolumesKnown = ok || absent(r.Properties, "Volumes")
	for i, v := range volumes {
		m, ok := literalMap(v)
		if !ok {
			t.VolumesKnown = false
			continue
		}
		if n, ok := strOf(m["Name"]); ok {
			t.Volumes[n] = true
		} else {
			t.VolumesKnown = false
		}
		if efs, ok := literalMap(m["EFSVolumeConfiguration"]); ok {
			at := fmt.Sprintf("Volumes.%d.EFSVolumeConfiguration.", i)
			e := EFSSettings{Prop: at, RootDirectoryProperty: at + "RootDirectory"}
			te, teOK := strOf(efs["TransitEncryption"])
			e.TransitEncryption, e.TransitKnown = te == "ENABLED", teOK || absent(efs, "TransitEncryption")
			iam, _ := strOf(lookup(efs, "AuthorizationConfig.IAM"))
			e.IAM = iam == "ENABLED"
			e.AccessPoint = present(efs, "AuthorizationConfig.AccessPointId")
			e.RootDirectory, e.RootDirectoryKnown = strOf(efs["RootDirectory"])
			t.EFS = append(t.EFS, e)
		}
	}
	return t
}

// checkFireLens checks that containers logging with awsfirelens have a router in their task,
// and that the task has one router. Containers behind intrinsics leave it unknown.
func checkFireLens(rep *report, r *Resource, ti *taskInfo) {
	containers, ok := r.Get("ContainerDefinitions").([]any)
	if !ok {
		return
	}
	routers, users := 0, []string{}
	var ports []string // port mappings on FireLens's port 24224
	for i, c := range containers {
		m, ok := literalMap(c)
		if !ok {
			return
		}
		router := present(m, "FirelensConfiguration")
		if router {
			routers++
		} else if !absent(m, "FirelensConfiguration") {
			return // an intrinsic: it may be a router
		}
		if d, _ := strOf(lookup(m, "LogConfiguration.LogDriver")); d == "awsfirelens" {
			at := fmt.Sprintf("ContainerDefinitions.%d.LogConfiguration.LogDriver", i)
			users = append(users, at)
			if router {
				rep.add(FireLensSetup, r, at, d, "the log router itself logs with awsfirelens, through itself; AWS's examples give the router awslogs")
			}
		}
		for j, pm := range listOf(lookup(m, "PortMappings")) {
			for _, k := range []string{"ContainerPort", "HostPort"} {
				if v, ok := intOf(lookup(pm, k)); ok && v == FireLensPort {
					ports = append(ports, fmt.Sprintf("ContainerDefinitions.%d.PortMappings.%d.%s", i, j, k))
					break
				}
			}
		}
	}
	if routers == 0 {
		for _, u := range users {
			rep.add(FireLensRouter, r, u, "awsfirelens", "no container of the task is a FireLens log router")
		}
		return
	}
	if routers > 1 {
		rep.add(FireLensRouters, r, "ContainerDefinitions", routers, "%d containers have a firelensConfiguration", routers)
	}
	if ti.windows {
		rep.add(FireLensWindows, r, "RuntimePlatform.OperatingSystemFamily", r.Get("RuntimePlatform.OperatingSystemFamily"), "Windows containers do not support FireLens")
	}
	for _, at := range ports {
		rep.add(FireLensSetup, r, at, FireLensPort, "FireLens listens on port %d inside the task: a port mapping on it exposes the log router (or collides with it)", FireLensPort)
	}
}
