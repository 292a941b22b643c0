package rules

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestAliasBombBounded: a 10-line billion-laughs template fails to parse within a second and a
// bounded amount of memory, instead of expanding 10^9 values.
func TestAliasBombBounded(t *testing.T) {
	bomb := `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
Resources: {X: {Type: AWS::SQS::Queue, Properties: {Tags: *i}}}
`
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := ParseTemplate("bomb.yaml", []byte(bomb))
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "expands to more than") {
		t.Fatalf("want the expansion bound, got %v", err)
	}
	if elapsed > time.Second {
		t.Errorf("took %s", elapsed)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 100<<20 {
		t.Errorf("allocated %d MiB", grown>>20)
	}
}

func TestSelfReferentialAnchor(t *testing.T) {
	_, err := ParseTemplate("self.yaml", []byte("Resources: &r {X: {Type: T, Properties: {P: *r}}}\n"))
	if err == nil {
		t.Fatal("an anchor that contains its own alias parsed")
	}
}

func TestFlowStyleYAML(t *testing.T) {
	tmpl, err := ParseTemplate("flow.yaml", []byte("{Resources: {Q: {Type: AWS::SQS::Queue, Properties: {DelaySeconds: !Ref D}}}}\n"))
	if err != nil {
		t.Fatalf("flow-style YAML: %v", err)
	}
	if got := tmpl.Resources["Q"].Get("DelaySeconds"); got.(map[string]any)["Ref"] != "D" {
		t.Errorf("got %v", got)
	}
	if _, err := ParseTemplate("bad.json", []byte(`{"Resources": {`)); err == nil || !strings.Contains(err.Error(), "not a JSON template") {
		t.Errorf("broken JSON: %v", err)
	}
}

func TestDuplicateKeysKeepLastAndWarn(t *testing.T) {
	tmpl, err := ParseTemplate("dup.yaml", []byte(`Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Cpu: "256"
      Memory: "512"
      ContainerDefinitions:
        - Name: app
          Image: nginx
          Memory: 256
          Memory: 1024
      Memory: "4096"
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := tmpl.Resources["Task"].Get("Memory"); got != "4096" {
		t.Errorf("Memory = %v, want the last value", got)
	}
	var dups []string
	for _, f := range Lint(tmpl) {
		if f.Rule.ID == DuplicateKeys.ID {
			dups = append(dups, f.LogicalID+" "+f.Property+": "+f.Message)
		}
	}
	want := []string{
		`Task ContainerDefinitions.0.Memory: the key "Memory" appears at lines 10 and 11; CloudFormation keeps the value of line 11`,
		`Task Memory: the key "Memory" appears at lines 6 and 12; CloudFormation keeps the value of line 12`,
	}
	if strings.Join(dups, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(dups, "\n"), strings.Join(want, "\n"))
	}
}
