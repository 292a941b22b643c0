// Package validate turns props violations into CDK validation errors: synth then fails with the
// construct path and every violation, and no template is written.
package validate

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/rules"
)

type failures struct{ msgs []string }

// Validate implements constructs.IValidation.
func (f *failures) Validate() *[]*string { return jsii.Strings(f.msgs...) }

// Record attaches err's violations to c so that synthesis fails, and reports whether there were
// any. A construct that gets true builds nothing further.
func Record(c constructs.Construct, err error) bool {
	if err == nil {
		return false
	}
	var msgs []string
	for _, v := range rules.Violations(err) {
		msgs = append(msgs, v.Error())
	}
	if len(msgs) == 0 {
		msgs = []string{err.Error()}
	}
	c.Node().AddValidation(&failures{msgs: msgs})
	return true
}
