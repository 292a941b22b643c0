package rules

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// maxFuzzAlloc bounds what one input may allocate: parsing, linting and the models of the
// largest snapshot take a few MiB.
const maxFuzzAlloc = 100 << 20

// FuzzLint: no input makes parsing, linting, the deploy-time model or the schedule listing
// panic, take more than 2 s or allocate more than maxFuzzAlloc.
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
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		defer func() {
			// Parsing is bounded (MaxYAMLValues, MaxYAMLDepth): no input of a fuzzer's size
			// takes long or allocates much, aliases or not.
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("one input took %s", d)
			}
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > maxFuzzAlloc {
				t.Fatalf("one input of %d bytes allocated %d MiB", len(data), alloc>>20)
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
