// Package validate turns props violations into CDK validation errors: synth then fails with the
// construct path and every violation, and no template is written. Collect gives the caller the
// violations themselves, so that ecsforge.Synth can return them as values.
package validate

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/internal/collect"
	"github.com/ecsforge/ecsforge/rules"
)

// Failure is one props violation of one construct.
type Failure struct {
	Path string // construct path
	Err  error  // a *rules.Violation, or a plain error for a check outside the catalogues
}

type failures struct {
	path string
	errs []error
}

// Validate implements constructs.IValidation. CDK calls it while it validates the tree.
func (f *failures) Validate() *[]*string {
	msgs := make([]string, len(f.errs))
	for i, e := range f.errs {
		msgs[i] = e.Error()
	}
	for _, e := range f.errs {
		collected.Add(Failure{Path: f.path, Err: e})
	}
	return jsii.Strings(msgs...)
}

var collected collect.Collector[Failure]

// Collect runs f (a synthesis) and returns the failures CDK found on ecsforge constructs while
// it ran, and the panic f raised as an error.
func Collect(f func()) ([]Failure, error) { return collected.Run(f) }

// Record attaches err's violations to c so that synthesis fails, and reports whether there were
// any. A construct that gets true builds nothing further.
func Record(c constructs.IConstruct, err error) bool {
	leaves := rules.Leaves(err)
	if len(leaves) == 0 {
		return false
	}
	c.Node().AddValidation(&failures{path: *c.Node().Path(), errs: leaves})
	return true
}
