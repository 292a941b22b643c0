package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/constructs/alb"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/forgetest"
	"github.com/ecsforge/ecsforge/patterns/webservice"
)

// TestBadPropsFailSynth builds a web service with one mistake at a time and checks that synth
// fails with the construct path, the rule, the property and the value, and writes no template.
func TestBadPropsFailSynth(t *testing.T) {
	cases := []struct {
		name   string
		modify func(*webservice.Props)
		want   []string // substrings of the error, after the construct path
	}{
		{"fargate size", func(p *webservice.Props) { p.Task.CPU, p.Task.MemoryMiB = 256, 4096 },
			[]string{"ECS001", "Task.MemoryMiB=4096", "512, 1024 or 2048"}},
		{"container memory", func(p *webservice.Props) { p.Task.Containers[0].MemoryMiB = 1024 },
			[]string{"ECS002", "Task.Containers[].MemoryMiB=1024", "task has 512 MiB"}},
		{"container health check", func(p *webservice.Props) {
			p.Task.Containers[0].HealthCheck = &taskdef.HealthCheck{Command: []string{"CMD", "true"}, Timeout: 90 * time.Second}
		}, []string{"ECS010", "Task.Containers[0].HealthCheck.Timeout=90", "between 2 and 60 s"}},
		{"alb timeout above interval", func(p *webservice.Props) { p.LoadBalancer.HealthCheck.Timeout = 6 * time.Second },
			[]string{"ECS020", "LoadBalancer.HealthCheck.Timeout=6", "less than the interval (5 s)"}},
		{"deregistration delay", func(p *webservice.Props) { p.LoadBalancer.DeregistrationDelay = new(2 * time.Hour) },
			[]string{"ECS021", "LoadBalancer.DeregistrationDelay=7200", "between 0 and 3600 s"}},
		{"port", func(p *webservice.Props) { p.Task.Containers[0].Ports = []taskdef.Port{{Port: 70000}} },
			[]string{"ECS030", "Task.Containers[0].Ports[0].Port=70000", "65535"}},
		{"ephemeral storage", func(p *webservice.Props) { p.Task.EphemeralStorageGiB = 500 },
			[]string{"ECS003", "Task.EphemeralStorageGiB=500", "between 21 and 200 GiB"}},
		{"capacity range", func(p *webservice.Props) { p.Service.Scaling = &service.Scaling{Min: 5, Max: 2} },
			[]string{"ECS040", "Service.Scaling.Min=5", "must not exceed Service.Scaling.Max (2)"}},
		{"https without certificate", func(p *webservice.Props) { p.LoadBalancer.Protocol = alb.HTTPS },
			[]string{"ECS050", "LoadBalancer.Certificate=unset"}},
		{"deployment cannot progress", func(p *webservice.Props) { p.Service.MaxPercent = new(100) },
			[]string{"ECS041", "Service.MaxPercent=100"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			app := forgetest.NewApp(t)
			stack := awscdk.NewStack(app, jsii.String("Bad"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
			p := webservice.Image("amazon/amazon-ecs-sample")
			c.modify(&p)
			if err := p.Validate(); err == nil {
				t.Fatal("Props.Validate accepted the bad props")
			}
			webservice.New(stack, "Web", p)
			err := forgetest.SynthError(app)
			if err == nil {
				t.Fatal("synth succeeded")
			}
			msg := err.Error()
			for _, w := range append([]string{"[Bad/Web]"}, c.want...) {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			if _, statErr := os.Stat(filepath.Join(*app.Outdir(), "Bad.template.json")); statErr == nil {
				t.Errorf("a template was written although synth failed")
			}
		})
	}
}

// TestBadPropsAllReported checks that one synth reports every violation, not just the first.
func TestBadPropsAllReported(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Bad"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	p := webservice.Image("amazon/amazon-ecs-sample")
	p.Task.CPU = 300
	p.LoadBalancer.HealthCheck.HealthyThreshold = 11
	webservice.New(stack, "Web", p)
	err := forgetest.SynthError(app)
	if err == nil || !strings.Contains(err.Error(), "ECS001 Task.CPU=300") || !strings.Contains(err.Error(), "ECS020 LoadBalancer.HealthCheck.HealthyThreshold=11") {
		t.Fatalf("want both violations, got %v", err)
	}
}

// TestBadImageReference checks that an empty or malformed literal image reference fails synth
// with ECS014 and the container's property, from the pattern shortcut and from a plain
// ContainerImage_FromRegistry; an ECR reference (tokens) is left alone.
func TestBadImageReference(t *testing.T) {
	for _, c := range []struct{ name, ref, want string }{
		{"empty", "", `[Bad/Web/TaskDef] ECS014 Task.Containers[0].Image="": a container needs an image reference`},
		{"blank", "  ", `ECS014 Task.Containers[0].Image="  "`},
		{"space", "my app:1", `ECS014 Task.Containers[0].Image="my app:1": the image name may hold only`},
		{"short digest", "nginx@sha256:abc", `ECS014 Task.Containers[0].Image="nginx@sha256:abc": a digest is sha256: followed by exactly 64 hex digits`},
	} {
		t.Run(c.name, func(t *testing.T) {
			app := forgetest.NewApp(t)
			stack := awscdk.NewStack(app, jsii.String("Bad"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
			webservice.New(stack, "Web", webservice.Image(c.ref))
			err := forgetest.SynthError(app)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want %q, got %v", c.want, err)
			}
			if fs := forgetest.Findings(err); len(fs) != 1 || fs[0].RuleID != "ECS014" {
				t.Errorf("want exactly one ECS014 finding, got %+v", fs)
			}
		})
	}
}

// TestAccessLogsNeedRegion checks the clear error for an environment-agnostic stack.
func TestAccessLogsNeedRegion(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("NoRegion"), nil)
	webservice.New(stack, "Web", webservice.Image("amazon/amazon-ecs-sample"))
	err := forgetest.SynthError(app)
	if err == nil || !strings.Contains(err.Error(), "[NoRegion/Web] ECS206 LoadBalancer.AccessLogs=region unresolved: ALB access logs need the stack's region") {
		t.Fatalf("got %v", err)
	}
}
