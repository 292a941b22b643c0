// Package rules holds ecsforge's catalogue of documented Amazon ECS constraints as plain Go
// functions. It imports no jsii or CDK package, so the same checks serve construct props at
// synth time and, through the template model, any CloudFormation template.
package rules

import (
	"fmt"
	"strings"
)

// Severity says whether a finding fails synth (Error) or is only reported (Warning).
type Severity string

// Severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Rule is one documented constraint: a stable ID, a one-line summary and its source.
type Rule struct {
	ID       string
	Severity Severity
	Summary  string
	Source   string
	Fix      string
}

// Violation is one value that breaks a Rule. It is an error.
type Violation struct {
	Rule     Rule
	Property string // the property path, as the caller names it (for example "Task.MemoryMiB")
	Value    any    // the offending value
	Unit     string // the value's unit with its leading space (" s", " MiB"), "" for none
	Detail   string // what exactly is wrong with this value
	// DocURL, when set, is the page that states this particular constraint; else Rule.Source.
	DocURL string
}

// Doc is the documentation page that states the violated constraint.
func (v *Violation) Doc() string {
	if v.DocURL != "" {
		return v.DocURL
	}
	return v.Rule.Source
}

// NewViolation reports that prop's value breaks r, with detail saying how, for checks that
// live next to the props they check. Chain Unit and See to add the unit and a more specific page.
func NewViolation(r Rule, prop string, value any, detail string, args ...any) *Violation {
	return violation(r, prop, value, detail, args...)
}

// WithUnit sets the unit the value is in (" s", " MiB", " %").
func (v *Violation) WithUnit(unit string) *Violation { v.Unit = unit; return v }

// See sets the documentation page that states this constraint.
func (v *Violation) See(url string) *Violation { v.DocURL = url; return v }

// Error renders the violation with the rule ID, the property, the value and the documented
// constraint, e.g. "ECS001 Task.MemoryMiB=3000 MiB: ...; fix: ... (https://...)".
func (v *Violation) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s=%v%s: %s", v.Rule.ID, v.Property, v.Value, v.Unit, v.Detail)
	if v.Rule.Fix != "" {
		fmt.Fprintf(&b, "; fix: %s", v.Rule.Fix)
	}
	fmt.Fprintf(&b, " (%s)", v.Doc())
	return b.String()
}

func violation(r Rule, prop string, value any, format string, args ...any) *Violation {
	return &Violation{Rule: r, Property: prop, Value: value, Detail: fmt.Sprintf(format, args...)}
}

// inRange reports a violation of r when v lies outside [lo, hi].
func inRange(r Rule, prop string, v, lo, hi int, unit string) error {
	if v < lo || v > hi {
		return violation(r, prop, v, "must be between %d and %d%s", lo, hi, unit).WithUnit(unit)
	}
	return nil
}

// Violations returns the *Violation leaves of err (a *Violation, or errors joined with
// errors.Join); see Leaves for every leaf.
func Violations(err error) []*Violation {
	var out []*Violation
	for _, e := range Leaves(err) {
		if v, ok := e.(*Violation); ok {
			out = append(out, v)
		}
	}
	return out
}
