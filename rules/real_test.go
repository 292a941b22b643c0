package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// defendedWarnings are the warnings a real template may carry: each states something true of
// the template that its author can act on (a slow modeled deployment, most often the 300 s
// default deregistration delay; a blue/green service without the bake time the API Reference
// asks for).
var defendedWarnings = map[string]bool{
	SlowDeployment.ID: true,
	// The ECS API Reference says a BLUE_GREEN service must provide BakeTimeInMinutes; AWS CDK's
	// own integration test leaves it out and deploys.
	BlueGreenBakeTime.ID: true,
	// A mapping key written twice (container-patterns' capacity provider cluster repeats a
	// parameter's Description): CloudFormation keeps the second, and the first is lost.
	DuplicateKeys.ID: true,
}

// TestRealTemplates lints real public templates (testdata/real, sources and licenses in
// SOURCES.md) that deploy: none may cause an error, and every warning is one of
// defendedWarnings.
func TestRealTemplates(t *testing.T) {
	files, _ := filepath.Glob("testdata/real/*.*")
	sources, err := os.ReadFile("testdata/real/SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".md") {
			continue
		}
		n++
		if !strings.Contains(string(sources), filepath.Base(f)) {
			t.Errorf("%s is not in SOURCES.md", f)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		tmpl, err := ParseTemplate(filepath.Base(f), b)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		for _, fd := range Lint(tmpl) {
			if fd.Rule.Severity == Error || !defendedWarnings[fd.Rule.ID] {
				t.Errorf("%s", fd)
			}
		}
	}
	if n < 10 {
		t.Errorf("%d real templates, want at least 10", n)
	}
}
