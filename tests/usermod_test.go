package tests

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// cdkCLI is the pinned CDK CLI: on PATH under make, else the repository's node_modules.
func cdkCLI(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("cdk"); err == nil {
		return p
	}
	p, _ := filepath.Abs("../node_modules/.bin/cdk")
	if _, err := os.Stat(p); err != nil {
		t.Skip("the CDK CLI is not installed: run make test, which installs it")
	}
	return p
}

// TestUserModule builds tests/usermod, a CDK app in its own Go module that imports ecsforge as
// a user would (a network stack and two service stacks), and synthesizes it with the CDK CLI:
// the stacks reference each other without a cycle. With a mistake in its props, the CLI prints
// the violations, and no Go panic or goroutine trace.
func TestUserModule(t *testing.T) {
	cdk := cdkCLI(t)
	bin := filepath.Join(t.TempDir(), "usermod")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = "usermod"
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build in tests/usermod: %v\n%s", err, out)
	}
	synth := func(bad bool) (string, string, error) {
		out := filepath.Join(t.TempDir(), "cdk.out")
		cmd := exec.Command(cdk, "synth", "--app", bin, "--output", out, "--quiet", "--no-notices")
		cmd.Dir = "usermod"
		cmd.Env = append(os.Environ(), "CDK_DISABLE_CLI_TELEMETRY=true", "CDK_DISABLE_VERSION_CHECK=true")
		if bad {
			cmd.Env = append(cmd.Env, "USERMOD_BAD=1")
		}
		b, err := cmd.CombinedOutput()
		return out, string(b), err
	}

	out, log, err := synth(false)
	if err != nil {
		t.Fatalf("cdk synth: %v\n%s", err, log)
	}
	var manifest struct {
		Artifacts map[string]struct {
			Dependencies []string `json:"dependencies"`
		} `json:"artifacts"`
	}
	readJSON(t, filepath.Join(out, "manifest.json"), &manifest)
	for _, s := range []string{"Web", "Api"} {
		if deps := manifest.Artifacts[s].Dependencies; !slices.Contains(deps, "Network") {
			t.Errorf("stack %s depends on %v, want Network", s, deps)
		}
	}
	if deps := manifest.Artifacts["Network"].Dependencies; slices.Contains(deps, "Web") || slices.Contains(deps, "Api") {
		t.Errorf("the network stack depends on a service stack: %v", deps)
	}
	var network, web, api map[string]any
	readJSON(t, filepath.Join(out, "Network.template.json"), &network)
	readJSON(t, filepath.Join(out, "Web.template.json"), &web)
	readJSON(t, filepath.Join(out, "Api.template.json"), &api)
	// cdk.json asks for weak cross-stack references: outputs read with Fn::GetStackOutput.
	if outs, _ := network["Outputs"].(map[string]any); len(outs) == 0 {
		t.Error("the network stack has no outputs for the service stacks")
	}
	crossRef := func(v map[string]any) bool {
		j := forgetestJSON(v)
		return strings.Contains(j, "Fn::GetStackOutput") || strings.Contains(j, "Fn::ImportValue")
	}
	for name, tpl := range map[string]map[string]any{"Web": web, "Api": api} {
		if !crossRef(tpl) {
			t.Errorf("stack %s reads nothing from the network stack", name)
		}
	}
	// The instances accept the Api load balancer: the rule lives in the Api stack.
	ingress := false
	for _, r := range api["Resources"].(map[string]any) {
		m := r.(map[string]any)
		if m["Type"] == "AWS::EC2::SecurityGroupIngress" && crossRef(m) && get(m, "Properties", "FromPort") == float64(32768) {
			ingress = true
		}
	}
	if !ingress {
		t.Error("no ingress rule in the Api stack opens the instances' dynamic ports to its load balancer")
	}

	_, log, err = synth(true)
	if err == nil {
		t.Fatalf("cdk synth with bad props succeeded:\n%s", log)
	}
	for _, w := range []string{
		"[Web/Site] ECS001 Task.MemoryMiB=4096 MiB: with 256 CPU units Fargate accepts 512, 1024 or 2048 MiB; fix: ",
		"[Web/Site] ECS203 Service.DesiredCount=-1: must not be negative; fix: ",
		"https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html",
	} {
		if !strings.Contains(log, w) {
			t.Errorf("cdk synth output lacks %q:\n%s", w, log)
		}
	}
	for _, w := range []string{"panic", "goroutine", ".go:"} {
		if strings.Contains(log, w) {
			t.Errorf("cdk synth output shows %q:\n%s", w, log)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
