package rules

// This file holds the Service Connect and Cloud Map rules: a service's Service Connect
// configuration, its namespace, the other services of the namespace, its task definition's
// sizes, and its service registries.

import (
	"encoding/json"
	"fmt"
)

// connectConfig is a service's Service Connect configuration when it is literal and enabled.
func connectConfig(s *serviceInfo) (map[string]any, bool) {
	if absent(s.r.Properties, "ServiceConnectConfiguration") {
		return nil, false
	}
	sc, ok := s.r.Get("ServiceConnectConfiguration").(map[string]any)
	if !ok || isIntrinsic(sc) {
		return nil, false
	}
	on, ok := boolOf(sc["Enabled"])
	return sc, ok && on
}

// checkConnectDetails checks one Service Connect service: a namespace to join (ECS071),
// access logs with a log configuration (ECS073), TLS on awsvpc (ECS074), per-request timeouts
// on HTTP ports only (ECS070), and the task memory the proxy shares (ECS076, ECS077).
func checkConnectDetails(rep *report, s *serviceInfo) {
	sc, on := connectConfig(s)
	if !on {
		return
	}
	r, t := s.r, rep.t
	if absent(sc, "Namespace") {
		if c := t.Target(r.Get("Cluster")); c != nil && c.Type == "AWS::ECS::Cluster" && absent(c.Properties, "ServiceConnectDefaults") {
			rep.add(ServiceConnectNamespace, r, "ServiceConnectConfiguration.Namespace", "unset", "neither the service nor its cluster %s names a Service Connect namespace", c.LogicalID)
		}
	}
	if present(sc, "AccessLogConfiguration") && absent(sc, "LogConfiguration") {
		rep.add(ServiceConnectLogs, r, "ServiceConnectConfiguration.AccessLogConfiguration", "set", "access logs go where LogConfiguration sends the proxy's logs, and it is unset")
	}
	if s.task == nil {
		return
	}
	for i, svc := range listOf(sc["Services"]) {
		at := fmt.Sprintf("ServiceConnectConfiguration.Services.%d.", i)
		if tls, ok := literalMap(lookup(svc, "Tls")); ok && absent(tls, "RoleArn") {
			rep.add(ServiceConnectTLSRole, r, at+"Tls.RoleArn", "unset", "ECS needs an infrastructure role to issue the certificates")
		}
		if present(svc, "Tls") && s.task.networkMode == "bridge" {
			rep.add(ServiceConnectTLS, r, at+"Tls", "set", "task definition %s uses the bridge network mode, which Service Connect TLS does not support", s.task.r.LogicalID)
		}
		if v, ok := intOf(lookup(svc, "Timeout.PerRequestTimeoutSeconds")); ok && v > 0 {
			if pn, ok := strOf(lookup(svc, "PortName")); ok {
				if proto, known := appProtocolOf(s.task.r, pn); known && proto == "" {
					rep.add(ServiceConnect, r, at+"Timeout.PerRequestTimeoutSeconds", v, "port %q has no appProtocol (TCP), which takes only an idle timeout", pn)
				}
			}
		}
	}
	checkProxyRoom(rep, s)
}

// appProtocolOf is the AppProtocol of the task's port mapping named name ("" for none), and
// whether the mapping was found with a literal protocol.
func appProtocolOf(td *Resource, name string) (string, bool) {
	for _, c := range listOf(td.Get("ContainerDefinitions")) {
		for _, pm := range listOf(lookup(c, "PortMappings")) {
			if n, _ := strOf(lookup(pm, "Name")); n == name {
				if absent(pm, "AppProtocol") {
					return "", true
				}
				p, ok := strOf(lookup(pm, "AppProtocol"))
				return p, ok
			}
		}
	}
	return "", false
}

// Service Connect proxy headroom ECS recommends beyond the containers' limits (ECS Developer
// Guide, "Service Connect configuration": "adding an additional 256 CPU units and at least 64
// MiB of memory to your task CPU and memory for the Service Connect proxy container").
const (
	ProxyCPU       = 256
	ProxyMemoryMiB = 64
)

// checkProxyRoom checks the task memory Service Connect requires and the proxy's share of the
// task's CPU and memory beyond the containers' literal limits.
func checkProxyRoom(rep *report, s *serviceInfo) {
	td := s.task.r
	if absent(td.Properties, "Memory") {
		rep.add(ServiceConnectTaskMemory, s.r, "ServiceConnectConfiguration", "enabled", "task definition %s sets no task memory, which Service Connect requires", td.LogicalID)
		return
	}
	mem, memOK := memoryMiB(td.Get("Memory"))
	cpu, cpuOK := cpuUnits(td.Get("Cpu"))
	var usedMem, usedCPU int
	containers, ok := td.Get("ContainerDefinitions").([]any)
	if !ok {
		return
	}
	for _, c := range containers {
		m, ok := c.(map[string]any)
		if !ok || isIntrinsic(m) {
			return
		}
		if !absent(m, "Memory") {
			v, ok := intOf(m["Memory"])
			if !ok {
				return
			}
			usedMem += v
		}
		if !absent(m, "Cpu") {
			v, ok := intOf(m["Cpu"])
			if !ok {
				cpuOK = false
			}
			usedCPU += v
		}
	}
	if !memOK {
		return
	}
	if usedMem >= mem {
		rep.add(ServiceConnectTaskMemory, s.r, "ServiceConnectConfiguration", "enabled", "task definition %s has %d MiB, and its containers' limits take %d MiB: nothing is left for the Service Connect proxy", td.LogicalID, mem, usedMem)
		return
	}
	if mem-usedMem < ProxyMemoryMiB {
		rep.add(ServiceConnectHeadroom, s.r, "ServiceConnectConfiguration", "enabled", "task definition %s leaves %d MiB beyond its containers' limits for the proxy, below the %d MiB ECS recommends", td.LogicalID, mem-usedMem, ProxyMemoryMiB)
	}
	if cpuOK && usedCPU > 0 && cpu-usedCPU < ProxyCPU {
		rep.add(ServiceConnectHeadroom, s.r, "ServiceConnectConfiguration", "enabled", "task definition %s leaves %d CPU units beyond its containers' for the proxy, below the %d ECS recommends", td.LogicalID, cpu-usedCPU, ProxyCPU)
	}
}

// checkConnectUnique reports discovery names and client aliases that two Service Connect
// services of the template (or two ports of one) share in one namespace. A namespace is known
// by its literal value on the service or on its cluster's ServiceConnectDefaults; two
// services whose namespaces are written differently are not compared.
func checkConnectUnique(rep *report) {
	t := rep.t
	type owner struct {
		r    *Resource
		prop string
	}
	names, aliases := map[string]owner{}, map[string]owner{}
	for _, r := range t.SortedResources("AWS::ECS::Service") {
		if r.Condition != "" {
			continue
		}
		s := serviceOf(t, r)
		sc, on := connectConfig(s)
		if !on {
			continue
		}
		ns := sc["Namespace"]
		if absent(sc, "Namespace") {
			c := t.Target(r.Get("Cluster"))
			if c == nil || c.Type != "AWS::ECS::Cluster" || c.Condition != "" {
				continue
			}
			ns = c.Get("ServiceConnectDefaults.Namespace")
		}
		if ns == nil {
			continue
		}
		key, err := json.Marshal(ns)
		if err != nil {
			continue
		}
		for i, svc := range listOf(sc["Services"]) {
			at := fmt.Sprintf("ServiceConnectConfiguration.Services.%d.", i)
			name, ok := strOf(lookup(svc, "DiscoveryName"))
			if absent(svc, "DiscoveryName") {
				name, ok = strOf(lookup(svc, "PortName"))
			}
			if ok {
				k := string(key) + " " + name
				if first, dup := names[k]; dup {
					rep.add(ServiceConnectUnique, r, at+"DiscoveryName", name, "%s (%s) already uses the discovery name %q in this namespace", first.r.LogicalID, first.prop, name)
				} else {
					names[k] = owner{r, at + "DiscoveryName"}
				}
			}
			for j, a := range listOf(lookup(svc, "ClientAliases")) {
				dns, ok1 := strOf(lookup(a, "DnsName"))
				port, ok2 := intOf(lookup(a, "Port"))
				if !ok1 || !ok2 {
					continue
				}
				k := fmt.Sprintf("%s %s:%d", key, dns, port)
				prop := fmt.Sprintf("%sClientAliases.%d.DnsName", at, j)
				if first, dup := aliases[k]; dup {
					rep.add(ServiceConnectUnique, r, prop, fmt.Sprintf("%s:%d", dns, port), "%s (%s) already uses the client alias %s:%d in this namespace", first.r.LogicalID, first.prop, dns, port)
				} else {
					aliases[k] = owner{r, prop}
				}
			}
		}
	}
}

// checkServiceRegistries checks a service's Cloud Map registries against its network mode
// (docServiceRegistry): no registry on none tasks; bridge and host tasks name the container
// and port and register SRV records only; awsvpc tasks whose
// registry has SRV records name the container and port or give Port, not both.
func checkServiceRegistries(rep *report, s *serviceInfo) {
	if s.task == nil || s.task.networkMode == "" {
		return
	}
	for i, reg := range listOf(s.r.Get("ServiceRegistries")) {
		m, ok := reg.(map[string]any)
		if !ok || isIntrinsic(m) {
			continue
		}
		at := fmt.Sprintf("ServiceRegistries.%d.", i)
		named := !absent(m, "ContainerName") && !absent(m, "ContainerPort")
		switch s.task.networkMode {
		case "none":
			rep.add(ServiceRegistry, s.r, at+"RegistryArn", "set", "task definition %s uses the none network mode, which service discovery does not support (awsvpc, bridge or host; %s)", s.task.r.LogicalID, docServiceDiscovery)
		case "bridge", "host":
			if !named {
				rep.add(ServiceRegistry, s.r, at+"ContainerName", "unset", "task definition %s uses the %s network mode: the registry needs ContainerName and ContainerPort", s.task.r.LogicalID, s.task.networkMode)
			}
			if svc, typ := nonSRVRecord(rep.t, m["RegistryArn"]); typ != "" {
				rep.add(ServiceRegistry, s.r, at+"RegistryArn", svc, "Cloud Map service %s has %s records, but for %s tasks of task definition %s SRV is the only supported DNS record type (%s)", svc, typ, s.task.networkMode, s.task.r.LogicalID, docServiceDiscovery)
			}
		case "awsvpc":
			if !srvRecords(rep.t, m["RegistryArn"]) {
				continue
			}
			port := !absent(m, "Port")
			switch {
			case named && port:
				rep.add(ServiceRegistry, s.r, at+"Port", m["Port"], "with awsvpc and SRV records, give ContainerName and ContainerPort or Port, not both")
			case !named && !port:
				rep.add(ServiceRegistry, s.r, at+"ContainerPort", "unset", "the registry has SRV records: give ContainerName and ContainerPort, or Port")
			}
		}
	}
}

// nonSRVRecord returns the logical ID of the template's Cloud Map service arn names and the first
// DNS record type of it known not to be SRV, or "" for none.
func nonSRVRecord(t *Template, arn any) (string, string) {
	svc := t.Target(arn)
	if svc == nil || svc.Type != "AWS::ServiceDiscovery::Service" || svc.Condition != "" {
		return "", ""
	}
	for _, rec := range listOf(svc.Get("DnsConfig.DnsRecords")) {
		if typ, ok := strOf(lookup(rec, "Type")); ok && typ != "SRV" {
			return svc.LogicalID, typ
		}
	}
	return "", ""
}

// srvRecords reports whether arn is a Cloud Map service of the template with an SRV record.
func srvRecords(t *Template, arn any) bool {
	svc := t.Target(arn)
	if svc == nil || svc.Type != "AWS::ServiceDiscovery::Service" {
		return false
	}
	for _, rec := range listOf(svc.Get("DnsConfig.DnsRecords")) {
		if typ, _ := strOf(lookup(rec, "Type")); typ == "SRV" {
			return true
		}
	}
	return false
}

// MaxClientAliases is the most client aliases a Service Connect service takes: "The maximum
// number of client aliases that you can have in this list is 1" (docServiceConnectService).
const MaxClientAliases = 1

func checkServiceConnect(rep *report, s *serviceInfo) {
	r := s.r
	sc := r.Get("ServiceConnectConfiguration")
	if absent(r.Properties, "ServiceConnectConfiguration") {
		return
	}
	if m, ok := sc.(map[string]any); !ok || isIntrinsic(m) {
		return // Fn::If and the like: on or off is not known
	}
	if b, ok := boolOf(lookup(sc, "Enabled")); !ok || !b {
		return // off, or not known to be on
	}
	if s.controller == "CODE_DEPLOY" || s.controller == "EXTERNAL" {
		rep.add(ServiceConnect, r, "ServiceConnectConfiguration", "enabled", "Service Connect does not work with the %s deployment controller", s.controller)
	}
	if s.task == nil {
		return
	}
	if s.task.windows {
		rep.add(ServiceConnect, r, "ServiceConnectConfiguration", "enabled", "Service Connect does not support Windows task definitions (%s)", s.task.r.LogicalID)
	}
	for i, svc := range listOf(lookup(sc, "Services")) {
		if l, ok := lookup(svc, "ClientAliases").([]any); ok && len(l) > MaxClientAliases {
			rep.add(ServiceConnectUnique, r, fmt.Sprintf("ServiceConnectConfiguration.Services.%d.ClientAliases", i), len(l), "a Service Connect service has at most %d client alias", MaxClientAliases)
		}
		if pn, ok := strOf(lookup(svc, "PortName")); ok && s.task.portNamesKnown && !s.task.portNames[pn] {
			rep.add(ServiceConnect, r, fmt.Sprintf("ServiceConnectConfiguration.Services.%d.PortName", i), pn, "task definition %s has no port mapping named %q", s.task.r.LogicalID, pn)
		}
	}
}
