package taskdef

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsforge/ecsforge/rules"
)

func ids(err error) map[string]bool {
	out := map[string]bool{}
	for _, v := range rules.Violations(err) {
		out[v.Rule.ID+" "+v.Property] = true
	}
	return out
}

func TestValidate(t *testing.T) {
	p := Props{
		CPU: 16384, MemoryMiB: 122880, EphemeralStorageGiB: 21, Architecture: "SPARC",
		Containers: []Container{
			{Ports: []Port{{Port: 80, Name: "web"}}, StopTimeout: 3 * time.Minute,
				HealthCheck: &HealthCheck{Retries: 11}},
			{Name: "sidecar", Ports: []Port{{Port: 9090, Name: "web"}}, MemoryMiB: 200000},
			{},
		},
	}
	err := p.Validate()
	got := ids(err)
	for _, w := range []string{
		"ECS004 Containers[0].StopTimeout", "ECS010 Containers[0].HealthCheck.Retries",
		"ECS031 Containers[1].Ports[0].Name", "ECS002 Containers[].MemoryMiB",
	} {
		if !got[w] {
			t.Errorf("missing %s in %v", w, got)
		}
	}
	for _, w := range []string{
		`ECS201 Architecture="SPARC"`, "ECS200 Containers[0].Image=unset: a container needs an image",
		"ECS200 Containers[0].HealthCheck.Command=unset: a health check needs a command",
		"ECS202 Containers[2].Name=unset: every container after the first needs a name",
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q", w)
		}
	}
	if got["ECS001 MemoryMiB"] || got["ECS003 EphemeralStorageGiB"] {
		t.Errorf("valid task size or storage rejected: %v", got)
	}
}

func TestValidateAtPrefixes(t *testing.T) {
	err := Props{CPU: 1024, MemoryMiB: 1024}.ValidateAt("Task.")
	if !ids(err)["ECS001 Task.MemoryMiB"] {
		t.Errorf("got %v", err)
	}
}

func TestWithDefaults(t *testing.T) {
	p := Props{Containers: []Container{{HealthCheck: &HealthCheck{Command: []string{"CMD", "true"}}}}}.withDefaults()
	c := p.Containers[0]
	if p.CPU != DefaultCPU || p.MemoryMiB != DefaultMemoryMiB || c.Name != DefaultContainerName || c.StopTimeout != DefaultStopTimeout {
		t.Errorf("defaults not applied: %+v", p)
	}
	if c.HealthCheck.Interval != 30*time.Second || c.HealthCheck.Timeout != 5*time.Second || c.HealthCheck.Retries != 3 {
		t.Errorf("ECS health check defaults not applied: %+v", c.HealthCheck)
	}
}
