package rules

import (
	"fmt"
	"strconv"
	"strings"
)

// Service and load balancer quotas (docQuotas, docPlacement).
const (
	MaxTargetGroupsPerService = 5
	MaxPlacementStrategies    = 5
	MaxPlacementConstraints   = 10
	MaxStrategyItems          = 20
)

type serviceInfo struct {
	r                      *Resource
	task                   *taskInfo
	launchType, controller string
	providers              []string
	daemon                 bool
}

// rolling reports whether the service is known to deploy by rolling update: the ECS
// controller with no DeploymentConfiguration.Strategy or ROLLING. BLUE_GREEN, LINEAR and
// CANARY (ECS-native blue/green) shift traffic between two sets of tasks, and a strategy
// behind an intrinsic is not known.
func (s *serviceInfo) rolling() bool {
	if absent(s.r.Properties, "DeploymentConfiguration.Strategy") {
		return true
	}
	st, ok := strOf(s.r.Get("DeploymentConfiguration.Strategy"))
	return ok && st == "ROLLING"
}

func serviceOf(t *Template, r *Resource) *serviceInfo {
	s := &serviceInfo{r: r, task: taskOf(taskDefinitionOf(t, r.Get("TaskDefinition")))}
	s.launchType, _ = strOf(r.Get("LaunchType"))
	s.controller, _ = strOf(r.Get("DeploymentController.Type")) // "" when an intrinsic
	if absent(r.Properties, "DeploymentController.Type") {
		s.controller = "ECS"
	}
	sched, _ := strOf(r.Get("SchedulingStrategy"))
	s.daemon = sched == "DAEMON"
	for _, it := range listOf(r.Get("CapacityProviderStrategy")) {
		if n, ok := strOf(lookup(it, "CapacityProvider")); ok {
			s.providers = append(s.providers, n)
		}
	}
	return s
}

// onFargate reports whether the service's tasks run on Fargate (launch type or provider).
func (s *serviceInfo) onFargate() bool {
	if s.launchType == "FARGATE" {
		return true
	}
	for _, p := range s.providers {
		if p == "FARGATE" || p == "FARGATE_SPOT" {
			return true
		}
	}
	return false
}

// onEC2 reports whether the service certainly runs on EC2 instances.
func (s *serviceInfo) onEC2() bool {
	if s.launchType == "EC2" {
		return true
	}
	if s.launchType != "" || len(s.providers) == 0 {
		return false
	}
	for _, p := range s.providers {
		if p == "FARGATE" || p == "FARGATE_SPOT" {
			return false
		}
	}
	return true // only Auto Scaling group capacity providers
}

func checkService(rep *report, r *Resource) {
	t := rep.t
	s := serviceOf(t, r)
	checkDeploymentConfiguration(rep, s)
	checkServiceNetworking(rep, s)
	checkLoadBalancerContainers(rep, s)
	checkBlueGreenTargetGroups(rep, s)
	checkTrafficShiftSettings(rep, s)
	checkPlacement(rep, s)
	checkCapacityProviderStrategy(rep, s)
	checkServiceConnect(rep, s)
	checkConnectDetails(rep, s)
	checkServiceRegistries(rep, s)
	checkExternal(rep, s)
	if s.controller == "CODE_DEPLOY" || s.controller == "EXTERNAL" {
		if st, ok := strOf(r.Get("DeploymentConfiguration.Strategy")); ok && st != "ROLLING" {
			rep.add(StrategyController, r, "DeploymentConfiguration.Strategy", st, "%s is a strategy of the ECS deployment controller; this service uses %s", st, s.controller)
		}
		if b, _ := boolOf(r.Get("DeploymentConfiguration.DeploymentCircuitBreaker.Enable")); b {
			rep.add(CodeDeployService, r, "DeploymentConfiguration.DeploymentCircuitBreaker.Enable", true, "the deployment circuit breaker works with the ECS deployment controller only, not %s", s.controller)
		}
		if b, _ := boolOf(r.Get("DeploymentConfiguration.Alarms.Enable")); b {
			rep.add(CodeDeployService, r, "DeploymentConfiguration.Alarms.Enable", true, "ECS deployment alarms work with the ECS deployment controller only, not %s (CodeDeploy has its own alarm configuration)", s.controller)
		}
	}
	checkLifecycleStages(rep, s)
	checkBlueGreenOneLoadBalancer(rep, s)
	if b, _ := boolOf(r.Get("EnableExecuteCommand")); b && s.task != nil {
		for i, c := range listOf(s.task.r.Get("ContainerDefinitions")) {
			if ro, _ := boolOf(lookup(c, "ReadonlyRootFilesystem")); ro && !execPathsWritable(c) {
				rep.add(ExecReadonly, r, "EnableExecuteCommand", true, "container %d of %s has a read-only root filesystem, where the SSM agent ECS Exec starts cannot write unless writable volumes are mounted for it", i, s.task.r.LogicalID)
			}
		}
	}
	checkPlatformVersion(rep, s)
	checkListenerDependency(rep, s)
	checkLaunchCompatibility(rep, s)
	checkServiceRole(rep, s)
	checkDeployTime(rep, s)
}

// checkServiceRole reports a Role on a service that may not take one: "This parameter is only
// permitted if you are using a load balancer with your service and your task definition doesn't
// use the awsvpc network mode", and the service-linked role is required, with no role given,
// for service discovery, an external deployment controller or multiple target groups (ECS API
// Reference, CreateService: role). The role counts only when it is certainly set: a literal
// name or ARN, or a reference to a role of the template; entries of a list count only when
// literal (an Fn::If entry may be AWS::NoValue).
func checkServiceRole(rep *report, s *serviceInfo) {
	r, t := s.r, rep.t
	role := r.Get("Role")
	if name, ok := strOf(role); ok && name == "" || !ok && t.Target(role) == nil {
		return
	}
	entries := func(prop string) (n int, known bool) {
		if absent(r.Properties, prop) {
			return 0, true
		}
		l, ok := r.Get(prop).([]any)
		if !ok {
			return 0, false
		}
		known = true
		for _, e := range l {
			if m, ok := literalMap(e); ok && len(m) > 0 {
				n++
			} else {
				known = false
			}
		}
		return n, known
	}
	lbs, lbsKnown := entries("LoadBalancers")
	registries, _ := entries("ServiceRegistries")
	switch {
	case lbs == 0 && lbsKnown:
		rep.add(ServiceRole, r, "Role", "set", "the service has no load balancer, and a role is only for calling one")
	case s.task != nil && s.task.networkMode == "awsvpc":
		rep.add(ServiceRole, r, "Role", "set", "task definition %s uses awsvpc, which needs the service-linked role: give no role", s.task.r.LogicalID)
	case lbs > 1:
		rep.add(ServiceRole, r, "Role", "set", "a service with %d target groups needs the service-linked role: give no role", lbs)
	case registries > 0:
		rep.add(ServiceRole, r, "Role", "set", "a service with service discovery (ServiceRegistries) needs the service-linked role: give no role")
	case s.controller == "EXTERNAL":
		rep.add(ServiceRole, r, "Role", "set", "a service with the EXTERNAL deployment controller needs the service-linked role: give no role")
	}
}

// checkPlatformVersion reports task definition features that need Fargate Linux platform
// 1.4.0 when the service pins an older platform (docPlatformVersions).
func checkPlatformVersion(rep *report, s *serviceInfo) {
	pv, ok := strOf(s.r.Get("PlatformVersion"))
	if !ok || pv == "LATEST" || s.task == nil || s.task.windows || !s.task.osKnown || !s.onFargate() {
		return
	}
	if !strings.HasPrefix(pv, "1.") || pv >= "1.4.0" {
		return
	}
	td := s.task.r
	var needs []string
	if cpu, ok := cpuUnits(td.Get("Cpu")); ok && cpu >= 8192 {
		needs = append(needs, fmt.Sprintf("%d CPU units", cpu))
	}
	if td.Get("EphemeralStorage") != nil {
		needs = append(needs, "ephemeral storage")
	}
	if td.Get("PidMode") != nil {
		needs = append(needs, "pidMode")
	}
	for _, v := range listOf(td.Get("Volumes")) {
		if present(v, "EFSVolumeConfiguration") {
			needs = append(needs, "EFS volumes")
			break
		}
	}
	for _, c := range listOf(td.Get("ContainerDefinitions")) {
		if len(listOf(lookup(c, "SystemControls"))) > 0 {
			needs = append(needs, "systemControls")
			break
		}
	}
	if _, on := connectConfig(s); on {
		needs = append(needs, "Service Connect") // service-connect-concepts-deploy.html: "Fargate Linux platform version 1.4.0 or higher"
	}
	see := ""
	if tg := udpTargetGroup(rep.t, s); tg != "" {
		needs = append(needs, "UDP through Network Load Balancer target group "+tg)
		see = "; UDP: " + docNLBForECS
	}
	if len(needs) > 0 {
		rep.add(PlatformVersion, s.r, "PlatformVersion", pv, "the service uses %s, which need Fargate Linux platform 1.4.0 or later (task definition %s%s)", strings.Join(needs, ", "), td.LogicalID, see)
	}
}

// udpTargetGroup is the logical ID of the first target group of s whose protocol is known to
// be UDP or TCP_UDP, or "".
func udpTargetGroup(t *Template, s *serviceInfo) string {
	for _, lb := range listOf(s.r.Get("LoadBalancers")) {
		tg := t.Target(lookup(lb, "TargetGroupArn"))
		if tg == nil || tg.Type != "AWS::ElasticLoadBalancingV2::TargetGroup" {
			continue
		}
		if p, _ := strOf(tg.Get("Protocol")); p == "UDP" || p == "TCP_UDP" {
			return tg.LogicalID
		}
	}
	return ""
}

func checkDeploymentConfiguration(rep *report, s *serviceInfo) {
	r := s.r
	if s.daemon {
		if v := r.Get("DesiredCount"); literal(v) {
			rep.add(DaemonDesiredCount, r, "DesiredCount", v, "a DAEMON service runs one task per container instance; its desired count is not used")
		}
		rep.from(r, CheckDaemonPlacement("PlacementStrategies", len(listOf(r.Get("PlacementStrategies")))))
		if s.onFargate() {
			rep.add(DaemonService, r, "SchedulingStrategy", "DAEMON", "Fargate does not support the DAEMON scheduling strategy")
		}
		if s.controller != "" && s.controller != "ECS" {
			rep.add(DaemonService, r, "DeploymentController.Type", s.controller, "the DAEMON scheduling strategy needs the ECS deployment controller")
		}
		return
	}
	if s.controller != "ECS" || !s.rolling() {
		return
	}
	minH, minOK := intOf(r.Get("DeploymentConfiguration.MinimumHealthyPercent"))
	maxP, maxOK := intOf(r.Get("DeploymentConfiguration.MaximumPercent"))
	if !minOK && absent(r.Properties, "DeploymentConfiguration.MinimumHealthyPercent") {
		minH, minOK = ecsDefaultMinHealthyPercent, true // ECS's REPLICA default
	}
	if !maxOK && absent(r.Properties, "DeploymentConfiguration.MaximumPercent") {
		maxP, maxOK = ecsDefaultMaxPercent, true
	}
	if minOK && maxOK {
		err := CheckDeployment("DeploymentConfiguration.MinimumHealthyPercent", minH, "DeploymentConfiguration.MaximumPercent", maxP)
		if n, ok := intOf(r.Get("DesiredCount")); ok && err == nil {
			err = CheckDeploymentCount("DesiredCount", n, "DeploymentConfiguration.MinimumHealthyPercent", minH, "DeploymentConfiguration.MaximumPercent", maxP)
		}
		rep.from(r, err)
	}
}

func checkServiceNetworking(rep *report, s *serviceInfo) {
	r, t := s.r, rep.t
	lbs := listOf(r.Get("LoadBalancers"))
	if len(lbs) > MaxTargetGroupsPerService {
		rep.add(TargetGroupsPerService, r, "LoadBalancers", len(lbs), "a service can register with at most %d target groups", MaxTargetGroupsPerService)
	}
	if s.task == nil {
		return
	}
	nm := s.task.networkMode
	_, launchKnown := strOf(r.Get("LaunchType"))
	launchKnown = launchKnown || absent(r.Properties, "LaunchType")
	if nm == "awsvpc" && absent(r.Properties, "NetworkConfiguration.AwsvpcConfiguration") && launchKnown && s.launchType != "EXTERNAL" {
		rep.add(AwsvpcNetworkConfig, r, "NetworkConfiguration", "unset", "task definition %s uses awsvpc, which needs the service's subnets (and security groups)", s.task.r.LogicalID)
	}
	if ip, _ := strOf(r.Get("NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp")); ip == "ENABLED" && s.onEC2() {
		rep.from(r, CheckNoPublicIPOnEC2("NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp"))
	}
	for i, lb := range lbs {
		tg := t.Target(lookup(lb, "TargetGroupArn"))
		if tg == nil || tg.Type != "AWS::ElasticLoadBalancingV2::TargetGroup" || nm == "" {
			continue
		}
		tt, ok := strOf(tg.Get("TargetType"))
		if tg.Get("TargetType") == nil {
			tt, ok = "instance", true // the CloudFormation default
		}
		if !ok {
			continue
		}
		prop := fmt.Sprintf("LoadBalancers.%d.TargetGroupArn", i)
		switch {
		case nm == "awsvpc" && tt != "ip":
			rep.add(TargetType, r, prop, tg.LogicalID, "target group %s has target type %q, but awsvpc tasks register by IP: use target type ip", tg.LogicalID, tt)
		case (nm == "bridge" || nm == "host") && tt != "instance":
			rep.add(TargetType, r, prop, tg.LogicalID, "target group %s has target type %q, but %s tasks register by instance: use target type instance", tg.LogicalID, tt, nm)
		}
	}
}

func checkPlacement(rep *report, s *serviceInfo) {
	r := s.r
	strategies := listOf(r.Get("PlacementStrategies"))
	constraints := listOf(r.Get("PlacementConstraints"))
	rep.from(r, CheckPlacementCounts("PlacementStrategies", len(strategies), "PlacementConstraints", len(constraints)))
	if s.onFargate() && len(constraints) > 0 {
		rep.add(Placement, r, "PlacementConstraints", len(constraints), "Fargate does not support task placement constraints")
	}
}

// associatedProviders returns the capacity providers associated with the service's cluster,
// as names and as logical IDs of AWS::ECS::CapacityProvider resources, and whether they are
// known (the cluster and its associations are in the template, with literal names).
func associatedProviders(t *Template, cluster any) (map[string]bool, bool) {
	cr := t.Target(cluster)
	clusterName, _ := strOf(cluster)
	if cr == nil && clusterName == "" {
		return nil, false
	}
	out := map[string]bool{}
	known := false
	add := func(v any) bool {
		if n, ok := strOf(v); ok {
			out[n] = true
			return true
		}
		if p := t.Target(v); p != nil {
			out["#"+p.LogicalID] = true
			if n, ok := strOf(p.Get("Name")); ok {
				out[n] = true
			}
			return true
		}
		return false
	}
	unknown := false // a list the rule cannot read: any provider may be in it
	list := func(v any) []any {
		l, ok := v.([]any)
		if !ok && v != nil && !isNoValue(v) {
			unknown = true
		}
		return l
	}
	if cr != nil && !absent(cr.Properties, "CapacityProviders") {
		known = true
		for _, p := range list(cr.Get("CapacityProviders")) {
			known = add(p) && known
		}
	}
	for _, a := range t.SortedResources("AWS::ECS::ClusterCapacityProviderAssociations") {
		ac := a.Get("Cluster")
		same := (cr != nil && t.Target(ac) == cr) || (clusterName != "" && ac == clusterName)
		if cr != nil {
			if n, ok := strOf(cr.Get("ClusterName")); ok && ac == n {
				same = true
			}
		}
		if !same {
			continue
		}
		if a.Condition != "" {
			unknown = true // it may not exist, and may be the cluster's only association
		}
		known = true
		for _, p := range list(a.Get("CapacityProviders")) {
			known = add(p) && known
		}
		for _, it := range list(a.Get("DefaultCapacityProviderStrategy")) {
			known = add(lookup(it, "CapacityProvider")) && known
		}
	}
	return out, known && !unknown
}

func checkCapacityProviderStrategy(rep *report, s *serviceInfo) {
	r, t := s.r, rep.t
	items := listOf(r.Get("CapacityProviderStrategy"))
	if len(items) == 0 {
		return
	}
	if s.launchType != "" {
		rep.add(StrategyLaunchType, r, "LaunchType", s.launchType, "a service takes a launch type or a capacity provider strategy, not both")
	}
	if len(items) > MaxStrategyItems {
		rep.add(CapacityProviderStrategy, r, "CapacityProviderStrategy", len(items), "a strategy holds at most %d capacity providers", MaxStrategyItems)
	}
	var sitems []StrategyItem
	lit := true
	for _, it := range items {
		if m, ok := it.(map[string]any); !ok || isIntrinsic(m) {
			lit = false // an item behind an intrinsic: its base and weight are not known
			continue
		}
		b, bOK := intOf(lookup(it, "Base"))
		if lookup(it, "Base") == nil {
			b, bOK = 0, true
		}
		w, wOK := intOf(lookup(it, "Weight"))
		if lookup(it, "Weight") == nil {
			w, wOK = 0, true
		}
		lit = lit && bOK && wOK
		sitems = append(sitems, StrategyItem{Base: b, Weight: w})
	}
	if lit {
		rep.from(r, CheckCapacityProviderStrategy("CapacityProviderStrategy", sitems))
	}
	fargate, asg := 0, 0
	for _, p := range s.providers {
		if p == "FARGATE" || p == "FARGATE_SPOT" {
			fargate++
		} else {
			asg++
		}
	}
	if fargate > 0 && asg > 0 {
		rep.add(CapacityProviderStrategy, r, "CapacityProviderStrategy", "mixed", "a strategy holds either Fargate or Auto Scaling group capacity providers, not both")
	}
	assoc, known := associatedProviders(t, r.Get("Cluster"))
	for i, it := range items {
		v := lookup(it, "CapacityProvider")
		prop := fmt.Sprintf("CapacityProviderStrategy.%d.CapacityProvider", i)
		if known {
			n, isName := strOf(v)
			p := t.Target(v)
			pName, pNamed := "", false
			if p != nil {
				pName, pNamed = strOf(p.Get("Name"))
			}
			if (isName && !assoc[n]) || (p != nil && !assoc["#"+p.LogicalID] && !(pNamed && assoc[pName])) {
				name := n
				if p != nil {
					name = p.LogicalID
				}
				rep.add(ProviderAssociated, r, prop, name, "capacity provider %s is not associated with the service's cluster", name)
			}
		}
		if v == "FARGATE_SPOT" && s.task != nil && s.task.windows {
			rep.add(FargateWindows, r, prop, "FARGATE_SPOT", "Fargate Spot does not run Windows containers")
		}
	}
}

func checkExternal(rep *report, s *serviceInfo) {
	r := s.r
	if s.launchType != "EXTERNAL" {
		return
	}
	if n := len(listOf(r.Get("LoadBalancers"))); n > 0 {
		rep.add(Anywhere, r, "LoadBalancers", n, "ECS Anywhere (EXTERNAL) services cannot use load balancers")
	}
	if n := len(listOf(r.Get("ServiceRegistries"))); n > 0 {
		rep.add(Anywhere, r, "ServiceRegistries", n, "ECS Anywhere (EXTERNAL) services cannot use service discovery")
	}
	if s.task != nil {
		if s.task.networkMode == "awsvpc" {
			rep.add(Anywhere, r, "TaskDefinition", s.task.r.LogicalID, "ECS Anywhere (EXTERNAL) does not support the awsvpc network mode")
		}
		for i, v := range listOf(s.task.r.Get("Volumes")) {
			if lookup(v, "EFSVolumeConfiguration") != nil {
				rep.add(Anywhere, r, "TaskDefinition", s.task.r.LogicalID, "volume %d of the task definition is EFS, which ECS Anywhere does not support", i)
			}
		}
	}
}

// checkLoadBalancerContainers checks that each load balancer of a service names a container of
// its task definition and a containerPort of that container (docLoadBalancer: "This port must
// correspond to a containerPort in the task definition"). A container list, a container or a
// port mapping that is not literal (Fn::If, a parameter) leaves the check unknown: no finding.
func checkLoadBalancerContainers(rep *report, s *serviceInfo) {
	if s.task == nil {
		return
	}
	defs, ok := s.task.r.Get("ContainerDefinitions").([]any)
	if !ok {
		return
	}
	ports := map[string]any{} // container name -> its PortMappings
	var names []string
	for _, c := range defs {
		m, ok := c.(map[string]any)
		if !ok || isIntrinsic(m) {
			return
		}
		n, ok := strOf(m["Name"])
		if !ok {
			return
		}
		ports[n] = m["PortMappings"]
		names = append(names, n)
	}
	for i, lb := range listOf(s.r.Get("LoadBalancers")) {
		at := fmt.Sprintf("LoadBalancers.%d.", i)
		name, ok := strOf(lookup(lb, "ContainerName"))
		if !ok {
			continue
		}
		mappings, found := ports[name]
		if !found {
			rep.add(LoadBalancerContainer, s.r, at+"ContainerName", name, "task definition %s has no container of that name (it has %s)", s.task.r.LogicalID, strings.Join(names, ", "))
			continue
		}
		port, ok := intOf(lookup(lb, "ContainerPort"))
		if !ok {
			continue
		}
		list, ok := mappings.([]any)
		if !ok && mappings != nil {
			continue
		}
		var have []string
		for _, pm := range list {
			m, ok := pm.(map[string]any)
			if !ok || isIntrinsic(m) || m["ContainerPortRange"] != nil {
				return
			}
			cp, ok := intOf(m["ContainerPort"])
			if !ok {
				return
			}
			if cp == port {
				have = nil
				break
			}
			have = append(have, strconv.Itoa(cp))
		}
		if have != nil || len(list) == 0 {
			mapped := "no port mappings"
			if len(have) > 0 {
				mapped = "port mappings for " + strings.Join(have, ", ")
			}
			rep.add(LoadBalancerContainer, s.r, at+"ContainerPort", port, "container %s of task definition %s has %s, not %d", name, s.task.r.LogicalID, mapped, port)
		}
	}
}

// taskDefinitionOf follows a service's TaskDefinition: a reference to the resource, or a
// family name or family:revision string (what CDK writes for CODE_DEPLOY services), which
// names the task definition of that literal Family in the template when exactly one has it.
func taskDefinitionOf(t *Template, v any) *Resource {
	if r := t.Target(v); r != nil {
		return r
	}
	name, ok := strOf(v)
	if !ok || strings.HasPrefix(name, "arn:") {
		return nil
	}
	family, _, _ := strings.Cut(name, ":")
	var found *Resource
	for _, r := range t.SortedResources("AWS::ECS::TaskDefinition") {
		if f, ok := strOf(r.Get("Family")); ok && f == family && r.Condition == "" {
			if found != nil {
				return nil
			}
			found = r
		}
	}
	return found
}

// ExecAgentPaths are the directories the SSM agent of ECS Exec writes to; mounted writable, a
// container with a read-only root filesystem can run it (aws/containers-roadmap #1359: the ECS
// documentation states no support for read-only root filesystems with ECS Exec, which is why
// ECS075 is a warning).
var ExecAgentPaths = []string{"/managed-agents", "/var/lib/amazon/ssm", "/var/log/amazon/ssm"}

// execPathsWritable reports whether container c mounts a writable volume at every
// ExecAgentPaths directory (or the mount points are not literal: not known to be missing).
func execPathsWritable(c any) bool {
	mps, ok := lookup(c, "MountPoints").([]any)
	if !ok {
		return !absent(c, "MountPoints")
	}
	writable := map[string]bool{}
	for _, mp := range mps {
		m, ok := literalMap(mp)
		if !ok {
			return true
		}
		path, ok := strOf(m["ContainerPath"])
		if !ok {
			return true // a path behind an intrinsic may be one of them
		}
		ro, roOK := boolOf(m["ReadOnly"])
		if !roOK && !absent(m, "ReadOnly") {
			return true
		}
		if !ro {
			writable[path] = true
		}
	}
	for _, p := range ExecAgentPaths {
		if !writable[p] {
			return false
		}
	}
	return true
}

// checkLaunchCompatibility warns on a Fargate service whose task definition lists its
// compatibilities without FARGATE: ECS refuses to run it there ("Task definition does not
// support launch_type FARGATE"). The documentation says the task definition is validated
// against the compatibilities it lists, not in so many words that a service must use one of
// them, so this is a warning.
func checkLaunchCompatibility(rep *report, s *serviceInfo) {
	if s.task == nil || !s.onFargate() {
		return
	}
	compat, ok := strList(s.task.r.Get("RequiresCompatibilities"))
	if !ok || len(compat) == 0 || s.task.compat("FARGATE") {
		return
	}
	prop := "LaunchType"
	if s.launchType == "" {
		prop = "CapacityProviderStrategy"
	}
	rep.add(LaunchCompatibility, s.r, prop, "FARGATE", "task definition %s requires %s compatibility, not FARGATE", s.task.r.LogicalID, strings.Join(compat, ", "))
}
