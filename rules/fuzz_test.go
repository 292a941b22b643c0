package rules

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzLint: no input makes parsing, linting, the deploy-time model or the schedule listing
// panic, or take more than 2 s.
// Run longer with: go test ./rules -run '^$' -fuzz FuzzLint -fuzztime 60s
func FuzzLint(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/cases/*.yaml")
	real, _ := filepath.Glob("testdata/real/*.*")
	seeds = append(seeds, real...)
	snapshots, _ := filepath.Glob("../tests/testdata/*.template.json")
	for _, p := range append(seeds, snapshots...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"Resources": {"S": {"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": {"Ref": "S"}, "LoadBalancers": [{"TargetGroupArn": {"Fn::GetAtt": "S.Arn"}}]}}}}`))
	f.Add([]byte("Resources: {A: !GetAtt}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		defer func() {
			// Parsing is bounded (MaxYAMLValues, MaxYAMLDepth): no input of a fuzzer's size
			// takes long, aliases or not.
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("one input took %s", d)
			}
		}()
		tmpl, err := ParseTemplate("fuzz", data)
		if err != nil {
			return
		}
		Lint(tmpl)
		DeployTimes(tmpl)
		Schedules(tmpl, start, 3)
	})
}

func loadSnapshot(b *testing.B, name string) *Template {
	data, err := os.ReadFile(filepath.Join("..", "tests", "testdata", name))
	if err != nil {
		b.Fatal(err)
	}
	t, err := ParseTemplate(name, data)
	if err != nil {
		b.Fatal(err)
	}
	return t
}

// BenchmarkLint lints the WebServiceHttps example stack (55 resources), already parsed.
func BenchmarkLint(b *testing.B) {
	t := loadSnapshot(b, "WebServiceHttps.template.json")
	b.ReportMetric(float64(len(t.Resources)), "resources")
	for b.Loop() {
		Lint(t)
		DeployTimes(t)
	}
}

// BenchmarkParseAndLint includes parsing the template JSON.
func BenchmarkParseAndLint(b *testing.B) {
	data, err := os.ReadFile("../tests/testdata/WebServiceHttps.template.json")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		t, err := ParseTemplate("bench", data)
		if err != nil {
			b.Fatal(err)
		}
		Lint(t)
	}
}
