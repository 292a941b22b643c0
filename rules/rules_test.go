package rules

import (
	"fmt"
	"strings"
	"testing"
)

// Each case is one call; wantRule "" means the input is valid and must pass.
func TestChecks(t *testing.T) {
	hc := ContainerHealthCheckSeconds{Interval: 30, Timeout: 5, Retries: 3, StartPeriod: 0}
	tg := TargetGroupHealthCheckSettings{Interval: 5, Timeout: 4, HealthyThreshold: 2, UnhealthyThreshold: 2, Matcher: "200-399"}
	with := func(f func(*TargetGroupHealthCheckSettings)) TargetGroupHealthCheckSettings { c := tg; f(&c); return c }
	withC := func(f func(*ContainerHealthCheckSeconds)) ContainerHealthCheckSeconds { c := hc; f(&c); return c }
	cases := []struct {
		name     string
		err      error
		wantRule string
		wantText string
	}{
		{"fargate 256/512", CheckFargateTaskSize("CPU", 256, "MemoryMiB", 512), "", ""},
		{"fargate 256/1536", CheckFargateTaskSize("CPU", 256, "MemoryMiB", 1536), "ECS001", "512, 1024 or 2048"},
		{"fargate 16 vCPU 120 GiB", CheckFargateTaskSize("CPU", 16384, "MemoryMiB", 122880), "", ""},
		{"fargate 16 vCPU off-step", CheckFargateTaskSize("CPU", 16384, "MemoryMiB", 36864), "ECS001", "32768 to 122880 in steps of 8192"},
		{"fargate bad cpu", CheckFargateTaskSize("CPU", 300, "MemoryMiB", 512), "ECS001", "CPU=300"},
		{"containers fit", CheckContainersFitTask("Containers[].CPU", "Containers[].MemoryMiB", 512, 1024, map[string]int{"a": 256, "b": 256}, map[string]int{"a": 1024}), "", ""},
		{"containers memory over", CheckContainersFitTask("Containers[].CPU", "Containers[].MemoryMiB", 512, 1024, nil, map[string]int{"a": 768, "b": 512}), "ECS002", "1280 MiB"},
		{"containers cpu over", CheckContainersFitTask("Containers[].CPU", "Containers[].MemoryMiB", 256, 1024, map[string]int{"a": 512}, nil), "ECS002", "512 CPU units"},
		{"ephemeral unset", CheckEphemeralStorage("EphemeralStorageGiB", 0), "", ""},
		{"ephemeral 200", CheckEphemeralStorage("EphemeralStorageGiB", 200), "", ""},
		{"ephemeral 20", CheckEphemeralStorage("EphemeralStorageGiB", 20), "ECS003", "between 21 and 200 GiB"},
		{"stop timeout 120", CheckFargateStopTimeout("StopTimeout", 120), "", ""},
		{"stop timeout 121", CheckFargateStopTimeout("StopTimeout", 121), "ECS004", "121"},
		{"container hc ok", CheckContainerHealthCheck("HealthCheck", hc), "", ""},
		{"container hc interval 4", CheckContainerHealthCheck("HealthCheck", withC(func(c *ContainerHealthCheckSeconds) { c.Interval = 4 })), "ECS010", "HealthCheck.Interval=4"},
		{"container hc timeout 61", CheckContainerHealthCheck("HealthCheck", withC(func(c *ContainerHealthCheckSeconds) { c.Timeout = 61 })), "ECS010", "Timeout=61"},
		{"container hc retries 0", CheckContainerHealthCheck("HealthCheck", withC(func(c *ContainerHealthCheckSeconds) { c.Retries = 0 })), "ECS010", "Retries=0"},
		{"container hc start 301", CheckContainerHealthCheck("HealthCheck", withC(func(c *ContainerHealthCheckSeconds) { c.StartPeriod = 301 })), "ECS010", "StartPeriod=301"},
		{"tg hc ok", CheckTargetGroupHealthCheck("HealthCheck", tg), "", ""},
		{"tg hc timeout = interval", CheckTargetGroupHealthCheck("HealthCheck", with(func(c *TargetGroupHealthCheckSettings) { c.Timeout = 5 })), "ECS020", "less than the interval"},
		{"tg hc threshold 1", CheckTargetGroupHealthCheck("HealthCheck", with(func(c *TargetGroupHealthCheckSettings) { c.HealthyThreshold = 1 })), "ECS020", "HealthyThreshold=1"},
		{"tg hc unhealthy 11", CheckTargetGroupHealthCheck("HealthCheck", with(func(c *TargetGroupHealthCheckSettings) { c.UnhealthyThreshold = 11 })), "ECS020", "UnhealthyThreshold=11"},
		{"tg hc interval 301", CheckTargetGroupHealthCheck("HealthCheck", with(func(c *TargetGroupHealthCheckSettings) { c.Interval, c.Timeout = 301, 10 })), "ECS020", "Interval=301"},
		{"tg hc matcher list", CheckTargetGroupHealthCheck("HealthCheck", with(func(c *TargetGroupHealthCheckSettings) { c.Matcher = "200,202,300-302" })), "", ""},
		{"tg hc matcher 500", CheckTargetGroupHealthCheck("HealthCheck", with(func(c *TargetGroupHealthCheckSettings) { c.Matcher = "200-500" })), "ECS020", "Matcher=200-500"},
		{"tg hc matcher text", CheckTargetGroupHealthCheck("HealthCheck", with(func(c *TargetGroupHealthCheckSettings) { c.Matcher = "ok" })), "ECS020", "Matcher=ok"},
		{"dereg 0", CheckDeregistrationDelay("DeregistrationDelay", 0), "", ""},
		{"dereg 3601", CheckDeregistrationDelay("DeregistrationDelay", 3601), "ECS021", "0 and 3600"},
		{"stickiness off", CheckStickiness("Stickiness", 0), "", ""},
		{"stickiness 8 days", CheckStickiness("Stickiness", 8*86400), "ECS022", "604800"},
		{"port 80", CheckPort("Port", 80), "", ""},
		{"port 0", CheckPort("Port", 0), "ECS030", "Port=0"},
		{"port 70000", CheckPort("Port", 70000), "ECS030", "65535"},
		{"port names ok", CheckPortNames(ports("web", "", "metrics_9090")), "", ""},
		{"port name upper", CheckPortNames(ports("Web")), "ECS031", "Ports[0].Name=Web"},
		{"port name hyphen first", CheckPortNames(ports("-web")), "ECS031", "not starting"},
		{"port name dup", CheckPortNames(ports("web", "web")), "ECS031", "Ports[1].Name=web"},
		{"capacity ok", CheckCapacity("Min", 1, "Max", 4), "", ""},
		{"capacity min>max", CheckCapacity("Min", 5, "Max", 4), "ECS040", "must not exceed Max (4)"},
		{"capacity negative", CheckCapacity("Min", -1, "Max", 4), "ECS040", "negative"},
		{"deployment 100/200", CheckDeployment("MinHealthyPercent", 100, "MaxPercent", 200), "", ""},
		{"deployment 50/100", CheckDeployment("MinHealthyPercent", 50, "MaxPercent", 100), "", ""},
		{"deployment 100/100", CheckDeployment("MinHealthyPercent", 100, "MaxPercent", 100), "ECS041", "MaxPercent=100"},
		{"deployment min 150", CheckDeployment("MinHealthyPercent", 150, "MaxPercent", 200), "ECS041", "MinHealthyPercent=150"},
		{"one task 100/150", CheckDeploymentCount("DesiredCount", 1, "MinHealthyPercent", 100, "MaxPercent", 150), "ECS041", "MaxPercent=150 %: with DesiredCount 1, MaxPercent 150 % allows 1 running tasks"},
		{"one task 100/200", CheckDeploymentCount("DesiredCount", 1, "MinHealthyPercent", 100, "MaxPercent", 200), "", ""},
		{"one task 50/100", CheckDeploymentCount("DesiredCount", 1, "MinHealthyPercent", 50, "MaxPercent", 100), "ECS041", "keeps 1 (rounded up)"},
		{"one task 0/100", CheckDeploymentCount("DesiredCount", 1, "MinHealthyPercent", 0, "MaxPercent", 100), "", ""},
		{"two tasks 75/100", CheckDeploymentCount("DesiredCount", 2, "MinHealthyPercent", 75, "MaxPercent", 100), "ECS041", "keeps 2 (rounded up)"},
		{"three tasks 100/133", CheckDeploymentCount("DesiredCount", 3, "MinHealthyPercent", 100, "MaxPercent", 133), "ECS041", "allows 3 running tasks"},
		{"three tasks 100/134", CheckDeploymentCount("DesiredCount", 3, "MinHealthyPercent", 100, "MaxPercent", 134), "", ""},
		{"three tasks 67/100", CheckDeploymentCount("DesiredCount", 3, "MinHealthyPercent", 67, "MaxPercent", 100), "ECS041", "keeps 3 (rounded up)"},
		{"zero tasks", CheckDeploymentCount("DesiredCount", 0, "MinHealthyPercent", 100, "MaxPercent", 100), "", ""},
		{"strategy ok", CheckCapacityProviderStrategy("CapacityProviders", []StrategyItem{{"FARGATE", 1, 1}, {"FARGATE_SPOT", 0, 3}}), "", ""},
		{"strategy two bases", CheckCapacityProviderStrategy("CapacityProviders", []StrategyItem{{"FARGATE", 1, 1}, {"FARGATE_SPOT", 2, 1}}), "ECS042", "CapacityProviders[1].Base=2"},
		{"strategy no weight", CheckCapacityProviderStrategy("CapacityProviders", []StrategyItem{{"FARGATE", 1, 0}, {"FARGATE_SPOT", 0, 0}}), "ECS042", "weight above 0"},
		{"single provider weight 0", CheckCapacityProviderStrategy("CapacityProviders", []StrategyItem{{"FARGATE", 1, 0}}), "", ""},
		{"strategy weight 1001", CheckCapacityProviderStrategy("CapacityProviders", []StrategyItem{{"FARGATE", 0, 1001}}), "ECS042", "Weight=1001"},
		{"cpu target 70", CheckUtilizationTarget("TargetCPU", 70), "", ""},
		{"cpu target 120", CheckUtilizationTarget("TargetCPU", 120), "ECS043", "TargetCPU=120"},
		{"requests target -1", CheckPositiveTarget("RequestsPerTarget", -1), "ECS043", "positive"},
		{"https cert", CheckHTTPSCertificate("LB.", true, false, false), "", ""},
		{"https domain+zone", CheckHTTPSCertificate("LB.", false, true, true), "", ""},
		{"https nothing", CheckHTTPSCertificate("LB.", false, false, false), "ECS050", "LB.Certificate"},
		{"https domain without zone", CheckHTTPSCertificate("LB.", false, true, false), "ECS050", "LB.HostedZone"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vs := Violations(c.err)
			if c.wantRule == "" {
				if c.err != nil {
					t.Fatalf("valid input rejected: %v", c.err)
				}
				return
			}
			if len(vs) == 0 {
				t.Fatalf("want %s violation, got none (err=%v)", c.wantRule, c.err)
			}
			if vs[0].Rule.ID != c.wantRule {
				t.Errorf("rule = %s, want %s", vs[0].Rule.ID, c.wantRule)
			}
			msg := c.err.Error()
			if !strings.Contains(msg, c.wantText) {
				t.Errorf("message %q lacks %q", msg, c.wantText)
			}
			if !strings.Contains(msg, "https://docs.aws.amazon.com/") {
				t.Errorf("message %q cites no documentation", msg)
			}
		})
	}
}

func TestFargateMemoryTable(t *testing.T) {
	// Count the documented combinations: 3 + 4 + 7 + 13 + 23 + 12 + 12.
	n := 0
	for _, cpu := range FargateCPUValues {
		for _, m := range FargateMemoryValues(cpu) {
			if err := CheckFargateTaskSize("CPU", cpu, "MemoryMiB", m); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	if n != 74 {
		t.Errorf("%d combinations, want 74", n)
	}
}

func TestCatalogueIDsUniqueAndSourced(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range append(Catalogue(), PropsCatalogue()...) {
		if seen[r.ID] {
			t.Errorf("duplicate rule ID %s", r.ID)
		}
		seen[r.ID] = true
		if r.Summary == "" || r.Fix == "" || !strings.HasPrefix(r.Source, "https://") || (r.Severity != Error && r.Severity != Warning) {
			t.Errorf("rule %s is incomplete: %+v", r.ID, r)
		}
	}
}

func TestModelDeployTime(t *testing.T) {
	cases := []struct {
		name     string
		in       RollingDeployment
		want     int
		batches  int
		dominant string
	}{
		// ecsforge defaults: one batch of 30 + 5x2 + 10 + 10.
		{"ecsforge defaults", RollingDeployment{2, 100, 200, 5, 2, 10, 10}, 60, 1, "task start"},
		// CDK ApplicationLoadBalancedFargateService: 30 s x 5 healthy, 300 s deregistration, 30 s stop.
		{"cdk pattern defaults", RollingDeployment{1, 50, 200, 30, 5, 300, 30}, 510, 1, "deregistration delay"},
		// 10 tasks at 100/150 replace 5 at a time.
		{"two batches", RollingDeployment{10, 100, 150, 5, 2, 10, 10}, 120, 2, "the number of batches"},
		{"stuck", RollingDeployment{1, 100, 100, 5, 2, 10, 10}, 0, 0, "task start"},
	}
	for _, c := range cases {
		d := ModelDeployTime(c.in)
		if d.Seconds() != c.want || d.Batches != c.batches || d.Dominant() != c.dominant {
			t.Errorf("%s: %s, want %d s in %d batches, %s dominating", c.name, d, c.want, c.batches, c.dominant)
		}
	}
}

func ports(names ...string) []NamedPort {
	var out []NamedPort
	for i, n := range names {
		out = append(out, NamedPort{Property: fmt.Sprintf("Ports[%d].Name", i), Name: n})
	}
	return out
}

func TestModelTrafficShift(t *testing.T) {
	base := TrafficShiftDeployment{HealthCheckInterval: 5, HealthyThreshold: 2, DeregistrationDelay: 10, StopTimeout: 10, Bake: 600, StepBake: 300}
	for _, c := range []struct {
		strategy string
		step     float64
		want     int
		steps    int
		dominant string
	}{
		{"BLUE_GREEN", 0, 660, 1, "the bake"},
		{"CANARY", 10, 960, 2, "the bake"},
		{"LINEAR", 10, 3360, 10, "the steps"},
		{"LINEAR", 33.4, 1260, 3, "the steps"},
		{"LINEAR", 100, 660, 1, "the bake"},
	} {
		d := base
		d.Strategy, d.StepPercent = c.strategy, c.step
		got := ModelTrafficShift(d)
		if got.Seconds() != c.want || got.Steps != c.steps || got.Dominant() != c.dominant {
			t.Errorf("%s %g: %s, want %d s in %d steps, %s dominating", c.strategy, c.step, got, c.want, c.steps, c.dominant)
		}
	}
}
