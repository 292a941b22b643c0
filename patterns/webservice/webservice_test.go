package webservice

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsforge/ecsforge/constructs/alb"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/rules"
)

// Props.Validate runs without synthesis: these tests start no jsii process.

func TestValidateDefaults(t *testing.T) {
	p := Props{Task: taskdef.Props{Containers: []taskdef.Container{{Name: "app", Image: nil}}}}
	// The only error is the missing image: every default is valid.
	vs := p.Validate()
	if vs == nil || !strings.Contains(vs.Error(), "Task.Containers[0].Image") || len(strings.Split(vs.Error(), "\n")) != 1 {
		t.Errorf("got %v", vs)
	}
}

func TestValidateReportsEveryViolationWithPaths(t *testing.T) {
	p := Props{
		Task:    taskdef.Props{CPU: 512, MemoryMiB: 512},
		Service: service.Props{Scaling: &service.Scaling{Min: 3, Max: 2}, DesiredCount: new(5)},
		LoadBalancer: alb.Props{
			HealthCheck:         alb.HealthCheck{Interval: 10 * time.Second, Timeout: 10 * time.Second, Matcher: "600"},
			DeregistrationDelay: new(-time.Second),
			Stickiness:          30 * 24 * time.Hour,
			DomainName:          "app.example.com",
		},
	}
	err := p.Validate()
	got := map[string]bool{}
	for _, v := range rules.Violations(err) {
		got[v.Rule.ID+" "+v.Property] = true
	}
	for _, w := range []string{
		"ECS001 Task.MemoryMiB", "ECS040 Service.Scaling.Min", "ECS020 LoadBalancer.HealthCheck.Timeout",
		"ECS020 LoadBalancer.HealthCheck.Matcher", "ECS021 LoadBalancer.DeregistrationDelay", "ECS022 LoadBalancer.Stickiness", "ECS050 LoadBalancer.HostedZone", "ECS200 Task.Containers",
	} {
		if !got[w] {
			t.Errorf("missing violation %s; got %v", w, got)
		}
	}
	// With Min above Max the range itself is wrong (ECS040); the desired count is not compared
	// with it.
	if got["ECS203 Service.DesiredCount"] {
		t.Errorf("desired count compared with an impossible range: %v", got)
	}
	p.Service.Scaling.Min = 1
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "ECS203 Service.DesiredCount=5: must lie between Service.Scaling.Min (1) and Service.Scaling.Max (2)") {
		t.Errorf("desired count above the scaling range: %v", err)
	}
}

func TestDefaultPortAdded(t *testing.T) {
	p := Image("amazon/amazon-ecs-sample").withPort()
	if got := p.Task.Containers[0].Ports; len(got) != 1 || got[0].Port != DefaultContainerPort {
		t.Errorf("ports = %v", got)
	}
}

func TestDefaultsModelAtMostOneMinute(t *testing.T) {
	d := rules.ModelDeployTime(rules.RollingDeployment{
		DesiredCount: service.DefaultDesiredCount, MinHealthyPercent: service.DefaultMinHealthyPercent, MaxPercent: service.DefaultMaxPercent,
		HealthCheckInterval: int(alb.DefaultHealthCheckInterval / time.Second), HealthyThreshold: alb.DefaultHealthyThreshold,
		DeregistrationDelay: int(alb.DefaultDeregistrationDelay / time.Second), StopTimeout: int(taskdef.DefaultStopTimeout / time.Second),
	})
	if d.Seconds() > 60 {
		t.Errorf("defaults model %s", d)
	}
}

func TestValidateFargateOnly(t *testing.T) {
	p := Image("nginx")
	p.Task.Launch = taskdef.EC2
	p.Service.EC2 = &service.EC2{}
	err := p.Validate()
	for _, w := range []string{`ECS205 Task.Launch="EC2": the web service runs on Fargate`, "ECS205 Service.EC2=set: the web service runs on Fargate"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
}

// TestTestListenerNeedsDeployment: a test listener without a traffic-shifting deployment is
// a violation, not a listener that nothing uses.
func TestTestListenerNeedsDeployment(t *testing.T) {
	p := Props{Task: taskdef.Props{Containers: []taskdef.Container{{Name: "app"}}}}
	p.LoadBalancer.TestListener = &alb.TestListener{Port: 8080}
	err := p.Validate()
	if err == nil || !strings.Contains(err.Error(), "ECS097 LoadBalancer.TestListener=set: a test listener serves blue/green") {
		t.Errorf("got %v", err)
	}
}
