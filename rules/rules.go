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
	Detail   string // what exactly is wrong with this value
}

// Error renders the violation with the rule ID, the property, the value and the documented
// constraint, e.g. "ECS001 Task.MemoryMiB=3000: ... (see https://...)".
func (v *Violation) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s=%v: %s", v.Rule.ID, v.Property, v.Value, v.Detail)
	if v.Rule.Fix != "" {
		fmt.Fprintf(&b, "; fix: %s", v.Rule.Fix)
	}
	fmt.Fprintf(&b, " (%s)", v.Rule.Source)
	return b.String()
}

func violation(r Rule, prop string, value any, format string, args ...any) *Violation {
	return &Violation{Rule: r, Property: prop, Value: value, Detail: fmt.Sprintf(format, args...)}
}

// inRange reports a violation of r when v lies outside [lo, hi].
func inRange(r Rule, prop string, v, lo, hi int, unit string) error {
	if v < lo || v > hi {
		return violation(r, prop, v, "must be between %d and %d%s", lo, hi, unit)
	}
	return nil
}

// Violations flattens err (a *Violation, or errors joined with errors.Join) into its violations.
func Violations(err error) []*Violation {
	if err == nil {
		return nil
	}
	if v, ok := err.(*Violation); ok {
		return []*Violation{v}
	}
	var out []*Violation
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, Violations(e)...)
		}
	}
	return out
}
