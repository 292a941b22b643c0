package forgetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// UpdateEnv is the environment variable that makes Snapshot write snapshots instead of
// comparing with them.
const UpdateEnv = "UPDATE_SNAPSHOTS"

// assetHash matches the SHA-256 hex digests CDK names assets by; they change with CDK and
// Node versions, not with the template's meaning.
var assetHash = regexp.MustCompile(`[0-9a-f]{64}`)

// Normalize returns a copy of t without its volatile values: the bootstrap version parameter
// and rule, and asset hashes (replaced by "<asset-hash>").
func Normalize(t Template) Template {
	out, _ := normalize(map[string]any(t)).(map[string]any)
	if p, ok := out["Parameters"].(map[string]any); ok {
		delete(p, "BootstrapVersion")
		if len(p) == 0 {
			delete(out, "Parameters")
		}
	}
	if r, ok := out["Rules"].(map[string]any); ok {
		delete(r, "CheckBootstrapVersion")
		if len(r) == 0 {
			delete(out, "Rules")
		}
	}
	return out
}

func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[assetHash.ReplaceAllString(k, "<asset-hash>")] = normalize(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = normalize(e)
		}
		return l
	case string:
		return assetHash.ReplaceAllString(x, "<asset-hash>")
	}
	return v
}

// Diff compares two templates resource by resource and returns one line per difference, each
// naming the resource (or section entry) and the property path: "Resources.LB (AWS::...):
// Properties.Scheme: was "internal", now "internet-facing"".
func Diff(want, got Template) []string {
	var out []string
	for _, section := range keys(want, got) {
		w, _ := want[section].(map[string]any)
		g, _ := got[section].(map[string]any)
		if w == nil || g == nil {
			if !reflect.DeepEqual(want[section], got[section]) {
				out = append(out, fmt.Sprintf("%s: was %s, now %s", section, short(want[section]), short(got[section])))
			}
			continue
		}
		for _, id := range keys(w, g) {
			name := section + "." + id
			if r, ok := g[id].(map[string]any); ok && r["Type"] != nil {
				name += fmt.Sprintf(" (%v)", r["Type"])
			} else if r, ok := w[id].(map[string]any); ok && r["Type"] != nil {
				name += fmt.Sprintf(" (%v)", r["Type"])
			}
			switch {
			case w[id] == nil:
				out = append(out, name+": added")
			case g[id] == nil:
				out = append(out, name+": removed")
			default:
				for _, d := range diffValue("", w[id], g[id]) {
					out = append(out, name+": "+d)
				}
			}
		}
	}
	return out
}

func diffValue(path string, w, g any) []string {
	wm, wok := w.(map[string]any)
	gm, gok := g.(map[string]any)
	if wok && gok {
		var out []string
		for _, k := range keys(wm, gm) {
			p := strings.TrimPrefix(path+"."+k, ".")
			if _, ok := wm[k]; !ok {
				out = append(out, fmt.Sprintf("%s: added %s", p, short(gm[k])))
			} else if _, ok := gm[k]; !ok {
				out = append(out, fmt.Sprintf("%s: removed (was %s)", p, short(wm[k])))
			} else {
				out = append(out, diffValue(p, wm[k], gm[k])...)
			}
		}
		return out
	}
	wl, wok := w.([]any)
	gl, gok := g.([]any)
	if wok && gok && len(wl) == len(gl) {
		var out []string
		for i := range wl {
			out = append(out, diffValue(fmt.Sprintf("%s[%d]", path, i), wl[i], gl[i])...)
		}
		return out
	}
	if reflect.DeepEqual(w, g) {
		return nil
	}
	if path == "" {
		path = "(value)"
	}
	return []string{fmt.Sprintf("%s: was %s, now %s", path, short(w), short(g))}
}

func keys[V any](ms ...map[string]V) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range ms {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 200 {
		return string(b[:200]) + "..."
	}
	return string(b)
}

// Marshal renders a template the way snapshots store it: indented JSON with sorted keys.
func Marshal(t Template) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	_ = enc.Encode(map[string]any(t))
	return buf.Bytes()
}

// Snapshot compares the normalised template of s with dir/<stack>.template.json and reports
// each difference by resource and property. With UPDATE_SNAPSHOTS=1 it writes the file instead.
func Snapshot(t testing.TB, dir string, s Stack) {
	t.Helper()
	path := filepath.Join(dir, s.Name+".template.json")
	got := Normalize(s.Template)
	if os.Getenv(UpdateEnv) != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, Marshal(got), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", path)
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with %s=1 to create it)", err, UpdateEnv)
	}
	var want Template
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if d := Diff(want, got); len(d) > 0 {
		t.Errorf("stack %s differs from %s (if the change is intended, run with %s=1 and review the diff):\n  %s",
			s.Name, path, UpdateEnv, strings.Join(d, "\n  "))
	}
}
