package rules

// This file holds the checks on how a task's containers relate: dependencies, volumes and the
// essential flag. The task definition props and the template rules both call CheckContainers.

import (
	"strings"
)

// ContainerRef is a property that names something (a container or a volume).
type ContainerRef struct{ Property, Name string }

// Dependency is one dependsOn entry.
type Dependency struct {
	Property, Container, Condition string
}

// ContainerRelations is what CheckContainers reads of one container. Known is false when the
// container could not be read fully (a template intrinsic): it then names itself only.
type ContainerRelations struct {
	Property       string // the container's property path
	Name           string
	Essential      bool
	EssentialProp  string
	HasHealthCheck bool
	DependsOn      []Dependency
	MountPoints    []ContainerRef // volume names
	VolumesFrom    []ContainerRef // container names
	Known          bool
}

// TaskRelations is a task's containers and volumes. VolumesKnown and ContainersKnown are false
// when the lists are not fully literal: names outside them may exist.
type TaskRelations struct {
	Containers      []ContainerRelations
	ContainersKnown bool
	Volumes         map[string]bool
	VolumesKnown    bool
	// DockerVolumes are the properties of Docker volumes (EC2 only). The template rules leave
	// it empty: checkFargateTaskParams reports them with the other Fargate parameters.
	DockerVolumes []string
	// EFS are the task's EFS volumes.
	EFS     []EFSSettings
	Fargate bool
}

// Dependency conditions (ECS API Reference, ContainerDependency).
const (
	ConditionStart    = "START"
	ConditionComplete = "COMPLETE"
	ConditionSuccess  = "SUCCESS"
	ConditionHealthy  = "HEALTHY"
)

// CheckContainers checks a task's container relations (docContainerDependency, docMountPoint,
// docContainerDefinition): dependencies on containers of the task with a documented
// condition, HEALTHY only on a container with a health check, COMPLETE and SUCCESS only on a
// nonessential one, no cycle; mount points that name a volume of the task and volumes from a
// container of the task; at least one essential container; no Docker volumes on Fargate.
func CheckContainers(t TaskRelations) []error {
	var errs []error
	byName := map[string]ContainerRelations{}
	allKnown := t.ContainersKnown
	for _, c := range t.Containers {
		byName[c.Name] = c
		allKnown = allKnown && c.Known
	}
	essential := false
	for _, c := range t.Containers {
		essential = essential || c.Essential
		for _, d := range c.DependsOn {
			target, ok := byName[d.Container]
			switch {
			case d.Container == c.Name:
				errs = append(errs, violation(DependencyCycle, d.Property, d.Container, "a container that waits for itself never starts"))
				continue
			case !ok:
				if t.ContainersKnown {
					errs = append(errs, violation(DependencyCycle, d.Property, d.Container, "the task has no container of that name"))
				}
				continue
			}
			switch d.Condition {
			case ConditionStart:
			case ConditionHealthy:
				if target.Known && !target.HasHealthCheck {
					errs = append(errs, violation(ContainerDependencies, d.Property, d.Container, "HEALTHY needs a health check on %s, which has none", d.Container))
				}
			case ConditionComplete, ConditionSuccess:
				if target.Known && target.Essential {
					errs = append(errs, violation(ContainerDependencies, d.Property, d.Container, "%s waits for %s to exit, which an essential container cannot do without stopping the task: mark it nonessential", d.Condition, d.Container))
				}
			default:
				errs = append(errs, violation(ContainerDependencies, strings.TrimSuffix(d.Property, ".ContainerName")+".Condition", d.Condition, "the condition is START, COMPLETE, SUCCESS or HEALTHY"))
			}
		}
		for _, m := range c.MountPoints {
			if t.VolumesKnown && !t.Volumes[m.Name] {
				errs = append(errs, violation(MountPoints, m.Property, m.Name, "the task defines no volume of that name"))
			}
		}
		for _, v := range c.VolumesFrom {
			if _, ok := byName[v.Name]; !ok && t.ContainersKnown {
				errs = append(errs, violation(MountPoints, v.Property, v.Name, "the task has no container of that name to take volumes from"))
			} else if v.Name == c.Name {
				errs = append(errs, violation(MountPoints, v.Property, v.Name, "a container cannot take volumes from itself"))
			}
		}
	}
	if allKnown && len(t.Containers) > 0 && !essential {
		errs = append(errs, violation(EssentialContainer, t.Containers[0].EssentialProp, "every container nonessential", "a task needs at least one essential container"))
	}
	if t.Fargate {
		for _, p := range t.DockerVolumes {
			errs = append(errs, violation(FargateUnsupported, p, "set", "Fargate does not support Docker volumes; use bind mounts or EFS"))
		}
	}
	for _, e := range t.EFS {
		errs = append(errs, CheckEFSVolume(e)...)
	}
	if allKnown {
		if cycle := dependencyCycle(t.Containers); cycle != "" {
			errs = append(errs, violation(DependencyCycle, t.Containers[0].Property, cycle, "the containers' dependencies form a cycle, so none of them can start"))
		}
	}
	return errs
}

// dependencyCycle is one cycle of dependsOn ("a -> b -> a"), or "".
func dependencyCycle(cs []ContainerRelations) string {
	deps := map[string][]string{}
	for _, c := range cs {
		for _, d := range c.DependsOn {
			deps[c.Name] = append(deps[c.Name], d.Container)
		}
	}
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	var stack []string
	var found string
	var visit func(n string) bool
	visit = func(n string) bool {
		state[n] = active
		stack = append(stack, n)
		for _, m := range deps[n] {
			if m == n {
				continue // reported as a self-dependency
			}
			switch state[m] {
			case active:
				for i, s := range stack {
					if s == m {
						found = strings.Join(append(append([]string(nil), stack[i:]...), m), " -> ")
					}
				}
				return true
			case unseen:
				if visit(m) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = done
		return false
	}
	for _, c := range cs {
		if state[c.Name] == unseen && visit(c.Name) {
			return found
		}
	}
	return ""
}

// EFSSettings is what CheckEFSVolume reads of an EFS volume; a setting the caller cannot read
// is passed as known false.
type EFSSettings struct {
	Prop                  string // the volume's EFS configuration property
	TransitEncryption     bool
	TransitKnown          bool
	IAM, AccessPoint      bool
	RootDirectory         string
	RootDirectoryKnown    bool
	RootDirectoryProperty string
}

// CheckEFSVolume checks an EFS volume (docEFSVolume, EFSAuthorizationConfig): "If it is turned
// on, transit encryption must be turned on"; "If an access point is used, transit encryption
// must be on"; with an access point the root directory "must either be omitted or set to /".
func CheckEFSVolume(e EFSSettings) []error {
	var errs []error
	if e.TransitKnown && !e.TransitEncryption {
		switch {
		case e.IAM:
			errs = append(errs, violation(EFSVolume, e.Prop+"TransitEncryption", "DISABLED", "IAM authorization needs transit encryption"))
		case e.AccessPoint:
			errs = append(errs, violation(EFSVolume, e.Prop+"TransitEncryption", "DISABLED", "an access point needs transit encryption"))
		}
	}
	if e.AccessPoint && e.RootDirectoryKnown && e.RootDirectory != "" && e.RootDirectory != "/" {
		errs = append(errs, violation(EFSVolume, e.RootDirectoryProperty, e.RootDirectory, "with an access point the root directory is the access point's: omit it or set /"))
	}
	return errs
}
