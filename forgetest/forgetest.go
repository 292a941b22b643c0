// Package forgetest synthesizes CDK apps in Go tests and compares their templates with
// snapshots, the way ecsforge tests its own stacks (compare net/http/httptest).
//
//	app := forgetest.NewApp(t)          // the context (feature flags) of your cdk.json
//	mystack.New(app, "Api")
//	asm := forgetest.Synth(t, app)      // synthesize once
//	forgetest.Snapshot(t, "testdata", asm.Stack(t, "Api"))
//
// Run with UPDATE_SNAPSHOTS=1 to write the snapshot files instead of comparing with them.
package forgetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge"
)

// Template is a CloudFormation template as parsed JSON.
type Template map[string]any

// Resources returns the template's resources of type typ ("" for all), keyed by logical ID.
func (t Template) Resources(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	res, _ := t["Resources"].(map[string]any)
	for id, r := range res {
		m, _ := r.(map[string]any)
		if typ == "" || m["Type"] == typ {
			out[id] = m
		}
	}
	return out
}

// Message is an annotation CDK recorded during synthesis (a cdk-nag finding, for example).
type Message struct {
	Path  string // construct path
	Level string // "error", "warning" or "info"
	Text  string
}

// Stack is one synthesized stack.
type Stack struct {
	Name     string
	Template Template
	Messages []Message
	// Warnings are the rule engine's warnings on this stack's resources (acknowledged ones
	// left out).
	Warnings []ecsforge.Finding
}

// Errors returns the stack's error annotations.
func (s Stack) Errors() []Message {
	var out []Message
	for _, m := range s.Messages {
		if m.Level == "error" {
			out = append(out, m)
		}
	}
	return out
}

// Assembly is a synthesized app: its stacks, read from the cloud assembly on disk.
type Assembly struct {
	Dir    string
	Stacks map[string]Stack
	// Warnings are the rule engine's warnings on the whole app.
	Warnings []ecsforge.Finding
}

// Stack returns the stack with artifact ID (stack name) id, or fails the test.
func (a *Assembly) Stack(t testing.TB, id string) Stack {
	t.Helper()
	s, ok := a.Stacks[id]
	if !ok {
		t.Fatalf("no stack %q in the assembly (have %v)", id, a.Names())
	}
	return s
}

// Names lists the stack names, sorted.
func (a *Assembly) Names() []string {
	var n []string
	for k := range a.Stacks {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// FindCDKJSON walks up from the working directory to the nearest cdk.json.
func FindCDKJSON() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "cdk.json")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no cdk.json in the working directory or above it")
		}
		dir = parent
	}
}

// LoadContext reads the "context" object of a cdk.json file.
func LoadContext(path string) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f struct {
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f.Context, nil
}

// NewApp returns an app that synthesizes into a temporary directory with the context of the
// nearest cdk.json and ecsforge's validation plugin registered, so that a test synthesizes
// what `cdk synth` would.
func NewApp(t testing.TB) awscdk.App {
	t.Helper()
	path, err := FindCDKJSON()
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := LoadContext(path)
	if err != nil {
		t.Fatal(err)
	}
	return ecsforge.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(t.TempDir())})
}

// Synth synthesizes app and reads every stack's template, annotations and rule engine
// warnings. A synthesis error (such as an ecsforge validation error) fails the test; use
// SynthError to expect one.
func Synth(t testing.TB, app awscdk.App) *Assembly {
	t.Helper()
	res, err := ecsforge.SynthResult(app)
	if err != nil {
		t.Fatalf("%v", err)
	}
	a, err := ReadAssembly(res.Dir)
	if err != nil {
		t.Fatal(err)
	}
	a.Warnings = res.Warnings
	for name, s := range a.Stacks {
		for _, w := range res.Warnings {
			if w.Path == name || strings.HasPrefix(w.Path, name+"/") {
				s.Warnings = append(s.Warnings, w)
			}
		}
		a.Stacks[name] = s
	}
	return a
}

// SynthError synthesizes app and returns the error synthesis failed with (an *ecsforge.Error,
// see Findings), or nil.
func SynthError(app awscdk.App) error {
	return ecsforge.Synth(app)
}

// Findings returns the findings of a synthesis error from SynthError (nil for any other
// error), so a test can assert, say, that an escape hatch is reported as ECS005 at a path.
func Findings(err error) []ecsforge.Finding {
	var e *ecsforge.Error
	if errors.As(err, &e) {
		return e.Findings
	}
	return nil
}

type manifest struct {
	Artifacts map[string]struct {
		Type       string `json:"type"`
		Properties struct {
			TemplateFile string `json:"templateFile"`
		} `json:"properties"`
		Metadata map[string][]struct {
			Type string `json:"type"`
			Data any    `json:"data"`
		} `json:"metadata"`
	} `json:"artifacts"`
}

// ReadAssembly reads the stacks of a cloud assembly directory (such as cdk.out).
func ReadAssembly(dir string) (*Assembly, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s/manifest.json: %w", dir, err)
	}
	a := &Assembly{Dir: dir, Stacks: map[string]Stack{}}
	for id, art := range m.Artifacts {
		if art.Type != "aws:cloudformation:stack" {
			continue
		}
		tb, err := os.ReadFile(filepath.Join(dir, art.Properties.TemplateFile))
		if err != nil {
			return nil, err
		}
		s := Stack{Name: id}
		if err := json.Unmarshal(tb, &s.Template); err != nil {
			return nil, fmt.Errorf("%s: %w", art.Properties.TemplateFile, err)
		}
		for path, entries := range art.Metadata {
			for _, e := range entries {
				level, ok := strings.CutPrefix(e.Type, "aws:cdk:")
				if !ok || (level != "error" && level != "warning" && level != "info") {
					continue
				}
				s.Messages = append(s.Messages, Message{Path: path, Level: level, Text: fmt.Sprint(e.Data)})
			}
		}
		sort.Slice(s.Messages, func(i, j int) bool {
			return s.Messages[i].Path+s.Messages[i].Text < s.Messages[j].Path+s.Messages[j].Text
		})
		a.Stacks[id] = s
	}
	return a, nil
}
