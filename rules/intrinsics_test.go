package rules

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestUnknownNeverAddsFindings takes every rule case, every real template and every example
// snapshot and, one at a time, makes each value a rule could read unknown: a parameter
// reference, an Fn::If between the value and AWS::NoValue, and each resource under a
// Condition. Knowing less must never produce a finding that the template as written does not
// have (same rule, same resource): a value the engine cannot know never causes a finding.
func TestUnknownNeverAddsFindings(t *testing.T) {
	files, _ := filepath.Glob("testdata/cases/*.yaml")
	real, _ := filepath.Glob("testdata/real/*.*")
	snaps, _ := filepath.Glob("../tests/testdata/*.template.json")
	files = append(append(files, real...), snaps...)
	if len(files) < 100 {
		t.Fatalf("only %d templates", len(files))
	}
	mutations := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		base, err := ParseTemplate(f, data)
		if err != nil {
			continue // the hostile inputs of testdata/real are parse errors by design
		}
		known := findingKeys(Lint(base))
		// Shrink snapshots' work: only the ECS, ELB, Scheduler, CodeDeploy, Auto Scaling and
		// Cloud Map resources' properties are varied (the rules read nothing else).
		for _, id := range sortedIDs(base) {
			r := base.Resources[id]
			if !strings.HasPrefix(r.Type, "AWS::ECS::") && !strings.HasPrefix(r.Type, "AWS::ElasticLoadBalancingV2::") &&
				!strings.HasPrefix(r.Type, "AWS::Scheduler::") && !strings.HasPrefix(r.Type, "AWS::CodeDeploy::") &&
				!strings.HasPrefix(r.Type, "AWS::AutoScaling::") && !strings.HasPrefix(r.Type, "AWS::ApplicationAutoScaling::") &&
				!strings.HasPrefix(r.Type, "AWS::ServiceDiscovery::") && !strings.HasPrefix(r.Type, "AWS::EC2::LaunchTemplate") &&
				!strings.HasPrefix(r.Type, "AWS::Events::") {
				continue
			}
			check := func(what string, mutate func(doc map[string]any)) {
				mutations++
				doc := deepCopy(base.raw).(map[string]any)
				params, _ := doc["Parameters"].(map[string]any)
				if params == nil {
					params = map[string]any{}
					doc["Parameters"] = params
				}
				params["Unknown"] = map[string]any{"Type": "String"}
				conds, _ := doc["Conditions"].(map[string]any)
				if conds == nil {
					conds = map[string]any{}
					doc["Conditions"] = conds
				}
				conds["Maybe"] = map[string]any{"Fn::Equals": []any{map[string]any{"Ref": "Unknown"}, "yes"}}
				mutate(doc)
				out, err := json.Marshal(doc)
				if err != nil {
					t.Fatal(err)
				}
				mt, err := ParseTemplate(f, out)
				if err != nil {
					t.Fatalf("%s %s: %v", f, what, err)
				}
				for _, fd := range Lint(mt) {
					if !known[fd.Rule.ID+" "+fd.LogicalID] {
						t.Errorf("%s: %s adds %s on %s: %s", filepath.Base(f), what, fd.Rule.ID, fd.LogicalID, fd.Message)
					}
				}
			}
			check(id+" under a Condition", func(doc map[string]any) {
				res(doc, id)["Condition"] = "Maybe"
			})
			for _, p := range valuePaths(r.Properties, "") {
				check(id+"."+p+" as a parameter", func(doc map[string]any) {
					setPath(res(doc, id)["Properties"], p, map[string]any{"Ref": "Unknown"})
				})
				check(id+"."+p+" as Fn::If with AWS::NoValue", func(doc map[string]any) {
					props := res(doc, id)["Properties"]
					setPath(props, p, map[string]any{"Fn::If": []any{"Maybe", getPath(props, p), map[string]any{"Ref": "AWS::NoValue"}}})
				})
			}
		}
	}
	t.Logf("%d mutations of %d templates", mutations, len(files))
}

func findingKeys(fs []Finding) map[string]bool {
	m := map[string]bool{}
	for _, f := range fs {
		m[f.Rule.ID+" "+f.LogicalID] = true
	}
	return m
}

func sortedIDs(t *Template) []string {
	var ids []string
	for id := range t.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func res(doc map[string]any, id string) map[string]any {
	return doc["Resources"].(map[string]any)[id].(map[string]any)
}

// valuePaths lists every value under v that is not itself an intrinsic function: the paths a
// rule can read ("A.B", "A.0.C").
func valuePaths(v any, prefix string) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		if prefix != "" && isIntrinsic(x) {
			return nil
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := join(prefix, k)
			out = append(out, p)
			out = append(out, valuePaths(x[k], p)...)
		}
	case []any:
		for i, e := range x {
			p := join(prefix, fmt.Sprint(i))
			out = append(out, p)
			out = append(out, valuePaths(e, p)...)
		}
	}
	return out
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

func getPath(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			var i int
			fmt.Sscan(k, &i)
			v = x[i]
		}
	}
	return v
}

func setPath(v any, path string, val any) {
	keys := strings.Split(path, ".")
	parent := getPath(v, strings.Join(keys[:len(keys)-1], "."))
	if len(keys) == 1 {
		parent = v
	}
	last := keys[len(keys)-1]
	switch x := parent.(type) {
	case map[string]any:
		x[last] = val
	case []any:
		var i int
		fmt.Sscan(last, &i)
		x[i] = val
	}
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}
