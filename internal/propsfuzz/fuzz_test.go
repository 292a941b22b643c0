package propsfuzz

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ecsforge/ecsforge/constructs/alb"
	"github.com/ecsforge/ecsforge/constructs/capacity"
	"github.com/ecsforge/ecsforge/constructs/nlb"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/patterns/ec2service"
	"github.com/ecsforge/ecsforge/patterns/nlbservice"
	"github.com/ecsforge/ecsforge/patterns/scheduledtask"
	"github.com/ecsforge/ecsforge/patterns/webservice"
	"github.com/ecsforge/ecsforge/rules"
)

// gen turns fuzz bytes into prop values: each call takes the next bytes of the input, and an
// exhausted input yields zero values, so that every input is a valid Props.
type gen struct{ b []byte }

func (g *gen) byte() byte {
	if len(g.b) == 0 {
		return 0
	}
	c := g.b[0]
	g.b = g.b[1:]
	return c
}

// int favours the edges of documented ranges: small numbers, negatives, powers of two and
// huge values.
func (g *gen) int() int {
	switch c := g.byte(); c % 8 {
	case 0:
		return 0
	case 1:
		return -int(g.byte())
	case 2:
		return 1 << (g.byte() % 31)
	case 3:
		return int(g.byte())<<8 | int(g.byte())
	case 4:
		return 1<<62 + int(g.byte())
	default:
		return int(g.byte())
	}
}

func (g *gen) intp() *int {
	if g.byte()%2 == 0 {
		return nil
	}
	return new(g.int())
}

func (g *gen) dur() time.Duration { return time.Duration(g.int()) * time.Millisecond * 250 }

var words = []string{"", " ", "a", "app", "http", "cron(0 8 ? * MON-FRI *)", "0 22 * * *",
	"rate(5 minutes)", "rate(0 minutes)", "at(2026-01-01T00:00:00)", "cron(* * * * * * *)",
	"binpack", "spread", "random", "cpu", "memory", "instanceId", "attribute:ecs.availability-zone",
	"FARGATE", "EC2", "bridge", "host", "awsvpc", "ARM64", "AL2023", "BOTTLEROCKET", "t3.micro",
	"200-299", "/", "example.com", strings.Repeat("x", 300), "ä", "a_b-c", "1a", "tcp", "udp", "grpc",
	"CODE_DEPLOY", "CANARY", "AfterAllowTestTraffic"}

func (g *gen) str() string {
	if c := g.byte(); c < 200 {
		return words[int(c)%len(words)]
	}
	n := int(g.byte() % 16)
	s := make([]byte, n)
	for i := range s {
		s[i] = g.byte()
	}
	return string(s)
}

func (g *gen) strs() []string {
	out := make([]string, g.byte()%4)
	for i := range out {
		out[i] = g.str()
	}
	return out
}

func (g *gen) container() taskdef.Container {
	c := taskdef.Container{Name: g.str(), CPU: g.int(), MemoryMiB: g.int(), MemoryReservationMiB: g.int(),
		Command: g.strs(), StopTimeout: g.dur(), NonEssential: g.byte()%2 == 1, ReadonlyRootFilesystem: g.byte()%2 == 1}
	for range g.byte() % 4 {
		c.Ports = append(c.Ports, taskdef.Port{Port: g.int(), Name: g.str(),
			Protocol: taskdef.Protocol(g.str()), AppProtocol: taskdef.AppProtocol(g.str())})
	}
	if g.byte()%2 == 1 {
		c.HealthCheck = &taskdef.HealthCheck{Command: g.strs(), Interval: g.dur(), Timeout: g.dur(), Retries: g.int(), StartPeriod: g.dur()}
	}
	for range g.byte() % 3 {
		c.DependsOn = append(c.DependsOn, taskdef.Dependency{Container: g.str(), Condition: taskdef.Condition(g.str())})
		c.MountPoints = append(c.MountPoints, taskdef.MountPoint{Volume: g.str(), Path: g.str(), ReadOnly: g.byte()%2 == 1})
		c.VolumesFrom = append(c.VolumesFrom, taskdef.VolumeFrom{Container: g.str()})
		c.Tmpfs = append(c.Tmpfs, taskdef.Tmpfs{Path: g.str(), SizeMiB: g.int()})
	}
	if g.byte()%2 == 1 {
		c.Restart = &taskdef.RestartPolicy{AttemptPeriod: g.dur()}
		for range g.byte() % 60 {
			c.Restart.IgnoredExitCodes = append(c.Restart.IgnoredExitCodes, g.int())
		}
	}
	c.AddCapabilities, c.SharedMemoryMiB, c.StartTimeout = g.strs(), g.int(), g.dur()
	return c
}

func (g *gen) task() taskdef.Props {
	p := taskdef.Props{Launch: taskdef.Launch(g.str()), NetworkMode: taskdef.NetworkMode(g.str()),
		CPU: g.int(), MemoryMiB: g.int(), Architecture: taskdef.Architecture(g.str()),
		EphemeralStorageGiB: g.int(), Family: g.str()}
	for range g.byte() % 13 {
		p.Containers = append(p.Containers, g.container())
	}
	for range g.byte() % 3 {
		v := taskdef.Volume{Name: g.str()}
		if g.byte()%2 == 1 {
			v.Docker = &taskdef.DockerVolume{Driver: g.str()}
		}
		if g.byte()%2 == 1 {
			v.EFS = &taskdef.EFSVolume{RootDirectory: g.str(), NoTransitEncryption: g.byte()%2 == 1, NoIAM: g.byte()%2 == 1}
		}
		p.Volumes = append(p.Volumes, v)
	}
	if g.byte()%2 == 1 {
		p.FireLens = &taskdef.FireLens{}
	}
	return p
}

func (g *gen) service() service.Props {
	p := service.Props{DesiredCount: g.intp(), MinHealthyPercent: g.intp(), MaxPercent: g.intp(),
		ServiceName: g.str(), DeploymentAlarms: g.strs(), EnableExec: g.byte()%2 == 1}
	for range g.byte() % 3 {
		p.CapacityProviders = append(p.CapacityProviders, service.Strategy{Provider: service.CapacityProvider(g.str()), Weight: g.int(), Base: g.int()})
	}
	if g.byte()%2 == 1 {
		s := &service.Scaling{Min: g.int(), Max: g.int(), TargetCPUPercent: g.int(),
			TargetMemoryPercent: g.int(), RequestsPerTarget: g.int()}
		for range g.byte() % 3 {
			s.Schedules = append(s.Schedules, service.Schedule{Name: g.str(), Cron: g.str(), Min: g.intp(), Max: g.intp()})
		}
		p.Scaling = s
	}
	if g.byte()%2 == 1 {
		p.Deployment = &service.Deployment{Strategy: service.DeploymentStrategy(g.str()), BakeTime: g.dur(),
			StepPercent: float64(g.int()) / 10, StepBakeTime: g.dur(), Controller: service.Controller(g.str())}
		if g.byte()%2 == 1 {
			p.Deployment.CodeDeploy = &service.CodeDeploy{ApprovalWait: g.dur()}
			for range g.byte() % 3 {
				p.Deployment.CodeDeploy.Hooks = append(p.Deployment.CodeDeploy.Hooks, service.CodeDeployHook{Event: service.CodeDeployEvent(g.str())})
			}
		}
	}
	if g.byte()%2 == 1 {
		sc := &service.ServiceConnect{Namespace: g.str()}
		for range g.byte() % 3 {
			sc.Services = append(sc.Services, service.ConnectPort{PortName: g.str(), DiscoveryName: g.str(), DNSName: g.str(),
				Port: g.int(), IngressPortOverride: g.int(), IdleTimeout: g.dur(), PerRequestTimeout: g.dur()})
			if g.byte()%2 == 1 {
				sc.Services[len(sc.Services)-1].TLS = &service.TLS{AuthorityARN: g.str()}
			}
			if g.byte()%2 == 1 {
				sc.Services[len(sc.Services)-1].TestHeader = &service.ConnectTestHeader{Name: g.str(), Value: g.str()}
			}
		}
		if g.byte()%2 == 1 {
			sc.AccessLogs = &service.AccessLogs{Text: g.byte()%2 == 1}
		}
		p.ServiceConnect = sc
	}
	if g.byte()%2 == 1 {
		p.CloudMap = &service.CloudMap{Name: g.str(), TTL: g.dur()}
	}
	if g.byte()%2 == 1 {
		e := &service.EC2{Daemon: g.byte()%2 == 1}
		for range g.byte() % 3 {
			e.PlacementStrategies = append(e.PlacementStrategies, service.PlacementStrategy{Type: service.StrategyType(g.str()), Field: g.str()})
			e.PlacementConstraints = append(e.PlacementConstraints, service.PlacementConstraint{DistinctInstance: g.byte()%2 == 1, MemberOf: g.str()})
		}
		p.EC2 = e
	}
	return p
}

func (g *gen) alb() alb.Props {
	p := alb.Props{Protocol: alb.Protocol(g.str()), DomainName: g.str(), Stickiness: g.dur(),
		HealthCheck: alb.HealthCheck{Path: g.str(), Interval: g.dur(), Timeout: g.dur(),
			HealthyThreshold: g.int(), UnhealthyThreshold: g.int(), Matcher: g.str()}}
	if g.byte()%2 == 1 {
		p.DeregistrationDelay = new(g.dur())
	}
	p.ProtocolVersion, p.HealthCheck.GRPCCodes = alb.ProtocolVersion(g.str()), g.str()
	if g.byte()%2 == 1 {
		p.Route = &alb.Route{Priority: g.int(), Hosts: g.strs(), Paths: g.strs(), Methods: g.strs()}
		if g.byte()%2 == 1 {
			p.Route.Header = &alb.TestHeader{Name: g.str(), Values: g.strs()}
		}
	}
	return p
}

func (g *gen) capacity() capacity.Props {
	p := capacity.Props{InstanceTypes: g.strs(), Image: capacity.Image(g.str()), MinCapacity: g.intp(),
		MaxCapacity: g.int(), TargetCapacityPercent: g.int(), MinimumScalingStep: g.int(),
		MaximumScalingStep: g.int(), InstanceWarmup: g.dur(), ProviderName: g.str(),
		DefaultBase: g.int(), DefaultWeight: g.int()}
	if g.byte()%2 == 1 {
		p.Spot = &capacity.Spot{OnDemandBase: g.int(), OnDemandPercentAboveBase: g.int()}
	}
	if g.byte()%2 == 1 {
		p.WarmPool = &capacity.WarmPool{MinSize: g.int(), MaxPrepared: g.int()}
	}
	return p
}

// checkLeaves fails unless every leaf of err is a *rules.Violation of a catalogued rule, with
// the property it names and a message that carries its rule ID.
func checkLeaves(t *testing.T, what string, err error) {
	t.Helper()
	known := map[string]bool{}
	for _, r := range append(rules.Catalogue(), rules.PropsCatalogue()...) {
		known[r.ID] = true
	}
	for _, e := range rules.Leaves(err) {
		var v *rules.Violation
		if !errors.As(e, &v) {
			t.Fatalf("%s: a violation without a rule: %T %v", what, e, e)
		}
		if !known[v.Rule.ID] || v.Property == "" || !strings.Contains(e.Error(), v.Rule.ID) || v.Doc() == "" {
			t.Fatalf("%s: incomplete violation %+v: %v", what, v, e)
		}
	}
}

// FuzzPropsValidate: no generated Props makes a Validate panic, and every violation it
// reports is a catalogued rule with its property and documentation. The seeds run with
// go test; run longer with:
//
//	go test ./internal/propsfuzz -run '^$' -fuzz FuzzPropsValidate -fuzztime 60s
func FuzzPropsValidate(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add([]byte(strings.Repeat("\x01\x05\xff\x03", 64)))
	f.Add([]byte(strings.Repeat("\x04\x02\x1f\x09\xc8", 80)))
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{b: data}
		web := webservice.Props{Task: g.task(), Service: g.service(), LoadBalancer: g.alb()}
		if g.byte()%2 == 1 {
			web.HealthCheckGracePeriod = new(g.dur())
		}
		checkLeaves(t, "webservice", web.Validate())
		ec2 := ec2service.Props{Task: g.task(), Service: g.service()}
		if g.byte()%2 == 1 {
			lb := g.alb()
			ec2.LoadBalancer = &lb
		}
		checkLeaves(t, "ec2service", ec2.Validate())
		checkLeaves(t, "taskdef", g.task().Validate())
		tcp := nlbservice.Props{Task: g.task(), Service: g.service(), LoadBalancer: nlb.Props{
			Internal: g.byte()%2 == 1, HealthCheck: nlb.HealthCheck{HTTPPath: g.str(), Interval: g.dur(), HealthyThreshold: g.int(), UnhealthyThreshold: g.int()}}}
		for range g.byte() % 3 {
			tcp.LoadBalancer.Listeners = append(tcp.LoadBalancer.Listeners, nlb.Listener{Port: g.int(), Protocol: nlb.Protocol(g.str())})
		}
		checkLeaves(t, "nlbservice", tcp.Validate())
		checkLeaves(t, "service", g.service().Validate())
		checkLeaves(t, "alb", g.alb().ValidateAt(""))
		checkLeaves(t, "capacity", g.capacity().Validate())
		st := scheduledtask.Props{Task: g.task(), TaskCount: g.int(), CapacityProviders: g.service().CapacityProviders,
			PlatformVersion: g.str(), ReferenceID: g.str(),
			Schedule: scheduledtask.Schedule{Expression: g.str(), TimeZone: g.str(), FlexibleWindow: g.dur(),
				Start: time.Unix(int64(g.int()), 0), End: time.Unix(int64(g.int()), 0)},
			Retry: scheduledtask.Retry{MaxAttempts: g.intp(), MaxEventAge: g.dur()}}
		if g.byte()%2 == 1 {
			st.Capacity = &capacity.Capacity{}
			if e := g.service().EC2; e != nil {
				st.PlacementStrategies, st.PlacementConstraints = e.PlacementStrategies, e.PlacementConstraints
			}
		}
		checkLeaves(t, "scheduledtask", st.Validate())
	})
}
