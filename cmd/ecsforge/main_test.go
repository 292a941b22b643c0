package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/ecsforge/ecsforge/rules"
)

func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func severity(id string) rules.Severity {
	for _, r := range rules.Catalogue() {
		if r.ID == id {
			return r.Severity
		}
	}
	return ""
}

// Every hand-written template with a rule's mistake is rejected with that rule's ID (exit 1
// for errors), and its valid neighbour passes (exit 0).
func TestLintEveryRuleCase(t *testing.T) {
	bads, _ := filepath.Glob("../../rules/testdata/cases/*_bad.yaml")
	if len(bads) == 0 {
		t.Fatal("no cases")
	}
	for _, bad := range bads {
		rule, _, _ := strings.Cut(filepath.Base(bad), "_")
		args := []string{"lint"}
		if prev := strings.TrimSuffix(bad, "_bad.yaml") + "_previous.yaml"; exists(prev) {
			args = append(args, "--previous", prev)
		}
		code, out, stderr := runCLI(append(args, bad)...)
		want := 0
		if severity(rule) == rules.Error {
			want = 1
		}
		if code != want || !strings.Contains(out, rule+" ") {
			t.Errorf("%s: exit %d (want %d), output lacks %s:\n%s%s", bad, code, want, rule, out, stderr)
		}
		good := strings.TrimSuffix(bad, "_bad.yaml") + "_good.yaml"
		if code, out, _ := runCLI(append(args, good)...); code != 0 || !strings.Contains(out, "0 error(s), 0 warning(s)") {
			t.Errorf("%s: exit %d:\n%s", good, code, out)
		}
	}
}

func TestLintJSONShape(t *testing.T) {
	code, out, _ := runCLI("lint", "--format", "json", "../../rules/testdata/cases/ECS033_1_bad.yaml")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var doc map[string][]map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	keys := func(m map[string]any) []string {
		var k []string
		for key := range m {
			k = append(k, key)
		}
		sort.Strings(k)
		return k
	}
	if len(doc) != 2 || len(doc["findings"]) == 0 || len(doc["services"]) != 1 {
		t.Fatalf("document = %s", out)
	}
	if got := keys(doc["findings"][0]); !reflect.DeepEqual(got, []string{"docUrl", "fix", "logicalId", "message", "path", "property", "rule", "severity", "template", "value"}) {
		t.Errorf("finding keys = %v", got)
	}
	if got := keys(doc["services"][0]); !reflect.DeepEqual(got, []string{"deploySeconds", "logicalId", "template"}) {
		t.Errorf("service keys = %v", got)
	}
	if f := doc["findings"][0]; f["property"] == "" || !strings.HasPrefix(f["docUrl"].(string), "https://docs.aws.amazon.com/") {
		t.Errorf("finding without property or documentation: %v", f)
	}
	if doc["findings"][0]["rule"] != "ECS033" || doc["services"][0]["deploySeconds"] != 80.0 {
		t.Errorf("values: %v %v", doc["findings"][0], doc["services"][0])
	}
}

func TestLintSARIF(t *testing.T) {
	code, out, _ := runCLI("lint", "--format=sarif", "../../rules/testdata/cases/ECS001_1_bad.yaml")
	var doc struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string } `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
						Region           struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 1 {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	r := doc.Runs[0]
	if doc.Version != "2.1.0" || len(r.Results) != 1 || r.Results[0].RuleID != "ECS001" || r.Results[0].Level != "error" ||
		r.Tool.Driver.Rules[r.Results[0].RuleIndex].ID != "ECS001" {
		t.Errorf("sarif = %s", out)
	}
	loc := r.Results[0].Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "../../rules/testdata/cases/ECS001_1_bad.yaml" || loc.Region.StartLine != 8 || loc.Region.StartColumn != 15 {
		t.Errorf("location = %+v, want the file and line 8, column 15 (Memory's value)", loc)
	}
	validateSARIF(t, out)
}

// validateSARIF validates a SARIF log against the SARIF 2.1.0 JSON schema (testdata).
func validateSARIF(t *testing.T, out string) {
	t.Helper()
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const url = "https://json.schemastore.org/sarif-2.1.0.json"
	if err := c.AddResource(url, schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("the SARIF output does not validate: %v", err)
	}
	// The schema is in force: a result with a level SARIF does not define fails it.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(strings.Replace(out, `"level": "error"`, `"level": "fatal"`, 1)))
	if strings.Contains(out, `"level": "error"`) && sch.Validate(bad) == nil {
		t.Error("the schema accepted an invalid level")
	}
}

// TestLintSARIFCdkOut: findings in a cloud assembly point at cdk.out/<Stack>.template.json.
func TestLintSARIFCdkOut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cdk.out")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	manifest := `{"version": "40.0.0", "artifacts": {"Web": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Web.template.json"}}}}`
	tmpl := `{"Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
  "RequiresCompatibilities": ["FARGATE"], "NetworkMode": "awsvpc", "Cpu": "256",
  "Memory": "4096", "ContainerDefinitions": [{"Name": "app", "Image": "nginx"}]}}}}`
	for name, body := range map[string]string{"manifest.json": manifest, "Web.template.json": tmpl} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, out, _ := runCLI("lint", "--format", "sarif", dir)
	want := filepath.ToSlash(filepath.Join(dir, "Web.template.json"))
	if !strings.Contains(out, `"uri": "`+want+`"`) || !strings.Contains(out, `"startLine": 3`) {
		t.Errorf("want uri %s and line 3 in:\n%s", want, out)
	}
	validateSARIF(t, out)
}

func TestLintUnusableInput(t *testing.T) {
	dir := t.TempDir()
	notTemplate := filepath.Join(dir, "x.json")
	os.WriteFile(notTemplate, []byte(`{"a": 1}`), 0o644)
	garbage := filepath.Join(dir, "g.yaml")
	os.WriteFile(garbage, []byte("{{{"), 0o644)
	// A billion laughs: nine levels of nine aliases.
	bomb := filepath.Join(dir, "bomb.yaml")
	lines := []string{`a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`}
	for c := 'b'; c <= 'i'; c++ {
		prev := string(c - 1)
		lines = append(lines, fmt.Sprintf("%c: &%c [%s]", c, c, strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ",")))
	}
	lines = append(lines, "Resources: {X: {Type: AWS::SQS::Queue, Properties: {Tags: *i}}}")
	os.WriteFile(bomb, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	for _, args := range [][]string{
		{}, {"frobnicate"}, {"lint"}, {"lint", "--format", "xml", notTemplate}, {"lint", "--bogus", notTemplate},
		{"lint", filepath.Join(dir, "missing.json")}, {"lint", notTemplate}, {"lint", garbage}, {"lint", dir}, {"lint", bomb},
	} {
		start := time.Now()
		code, _, stderr := runCLI(args...)
		if code != 2 || stderr == "" || strings.Contains(stderr, "panic") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%v: took %s", args, d)
		}
		if first, _, _ := strings.Cut(stderr, "\n"); len(args) > 1 && !strings.HasPrefix(first, "ecsforge") {
			t.Errorf("%v: first line %q", args, first)
		}
	}
}

// TestLintCdkOut lints a cloud assembly directory made by hand: the manifest lists a stack and
// a nested assembly.
func TestLintCdkOut(t *testing.T) {
	dir := t.TempDir()
	bad, _ := os.ReadFile("../../rules/testdata/cases/ECS001_1_bad.yaml")
	good, _ := os.ReadFile("../../rules/testdata/cases/ECS001_1_good.yaml")
	os.WriteFile(filepath.Join(dir, "Good.template.yaml"), good, 0o644)
	os.MkdirAll(filepath.Join(dir, "assembly-Stage"), 0o755)
	os.WriteFile(filepath.Join(dir, "assembly-Stage", "Bad.template.yaml"), bad, 0o644)
	os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(`{"artifacts": {
		"Good": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Good.template.yaml"}},
		"Stage": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Stage"}}}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "assembly-Stage", "manifest.json"), []byte(`{"artifacts": {
		"Stage-Bad": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Bad.template.yaml"}}}}`), 0o644)
	code, out, stderr := runCLI("lint", dir)
	if code != 1 || !strings.Contains(out, "ECS001 error Stage-Bad Task ") || strings.Contains(out, " Good ") {
		t.Errorf("exit %d:\n%s%s", code, out, stderr)
	}
}

func TestRulesCommandMatchesDoc(t *testing.T) {
	_, out, _ := runCLI("rules")
	doc, err := os.ReadFile("../../docs/rules.md")
	if err != nil || out != string(doc) {
		t.Errorf("ecsforge rules differs from docs/rules.md (%v)", err)
	}
}

// Help is a request, not a mistake: usage on stdout and exit 0, for the command and for lint.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help"}, {"lint", "-h"}, {"lint", "--help"}} {
		code, out, stderr := runCLI(args...)
		if code != 0 || !strings.Contains(out, "ecsforge lint [--format text|json|sarif] [--previous PATH] PATH...") || stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, stderr)
		}
	}
	if code, _, stderr := runCLI("lint", "--bogus"); code != 2 || !strings.Contains(stderr, "bogus") {
		t.Errorf("unknown flag: exit %d, stderr %q", code, stderr)
	}
}

// TestLintListsNextRuns checks that the text output shows each schedule's next three runs in
// its time zone: a weekday cron in Tokyo runs at 09:00 JST on the next weekdays.
func TestLintListsNextRuns(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "jobs.yaml")
	tmpl := `Resources:
  Weekdays:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: "cron(0 9 ? * MON-FRI *)"
      ScheduleExpressionTimezone: Asia/Tokyo
      FlexibleTimeWindow: {Mode: "OFF"}
      Target: {Arn: "arn:aws:sqs:eu-west-1:111122223333:q", RoleArn: "arn:aws:iam::111122223333:role/r"}
`
	if err := os.WriteFile(path, []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	defer func(f func() time.Time) { now = f }(now)
	now = func() time.Time { return time.Date(2026, 12, 4, 1, 0, 0, 0, time.UTC) } // Friday 10:00 JST
	code, out, _ := runCLI("lint", path)
	want := "cron(0 9 ? * MON-FRI *)  Asia/Tokyo  Mon 2026-12-07 09:00 JST, Tue 2026-12-08 09:00 JST, Wed 2026-12-09 09:00 JST"
	if code != 0 || !strings.Contains(out, want) {
		t.Errorf("exit %d, want %q in:\n%s", code, want, out)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
