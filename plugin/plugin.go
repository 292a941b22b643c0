// Package plugin runs ecsforge's rule catalogue as a CDK policy validation plugin: during
// synth, every template of the app is linted; errors fail synth with the construct path, and
// warnings are reported. Acknowledge a finding on purpose with CDK's mechanism, naming
// "ecsforge::<rule ID>".
package plugin

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/internal/collect"
	"github.com/ecsforge/ecsforge/rules"
)

// Name is the plugin's name in CDK's validation report.
const Name = "ecsforge"

// Version is reported to CDK with each report.
const Version = "0.1.0"

// Plugin implements awscdk.IPolicyValidationPlugin.
type Plugin struct{}

// New returns the plugin.
func New() *Plugin { return &Plugin{} }

// Register adds the plugin to app (or any scope whose templates should be checked).
func Register(scope constructs.IConstruct) {
	awscdk.Validations_Of(scope).AddPlugins(New())
}

// Name implements awscdk.IPolicyValidationPlugin.
func (p *Plugin) Name() *string { return jsii.String(Name) }

// Version implements awscdk.IPolicyValidationPlugin.
func (p *Plugin) Version() *string { return jsii.String(Version) }

// RuleIds implements awscdk.IPolicyValidationPlugin.
func (p *Plugin) RuleIds() *[]*string {
	var ids []string
	for _, r := range rules.Catalogue() {
		ids = append(ids, r.ID)
	}
	return jsii.Strings(ids...)
}

// Validate implements awscdk.IPolicyValidationPlugin: it lints every template of the app.
func (p *Plugin) Validate(ctx awscdk.IPolicyValidationContext) *awscdk.PolicyValidationPluginReport {
	var findings []rules.Finding
	for _, path := range *ctx.TemplatePaths() {
		b, err := os.ReadFile(*path)
		if err != nil {
			continue
		}
		t, err := rules.ParseTemplate(*path, b)
		if err != nil {
			continue
		}
		findings = append(findings, rules.Lint(t)...)
	}
	collected.Add(findings...)
	return Report(findings)
}

var collected collect.Collector[rules.Finding]

// Collect runs f (a synthesis) and returns every finding the plugin reported while it ran,
// acknowledged or not, and the panic f raised as an error.
func Collect(f func()) ([]rules.Finding, error) { return collected.Run(f) }

// Report turns findings into a CDK validation report, one violation per finding so that each
// prints its property, value and message; the report fails when any finding is an error.
func Report(findings []rules.Finding) *awscdk.PolicyValidationPluginReport {
	violations := []*awscdk.PolicyViolation{}
	for _, f := range findings {
		res := &awscdk.PolicyViolatingResource{
			ResourceLogicalId: jsii.String(f.LogicalID),
			TemplatePath:      jsii.String(f.Template),
			Locations:         jsii.Strings(f.Property),
		}
		if f.Path != "" {
			res.ConstructPath = jsii.String(f.Path)
		}
		violations = append(violations, &awscdk.PolicyViolation{
			RuleName:           jsii.String(f.Rule.ID),
			Description:        jsii.String(fmt.Sprintf("%s %s: %s (%s)", f.Rule.ID, f.Subject(), f.Message, f.Rule.Source)),
			Fix:                jsii.String(f.Rule.Fix),
			Severity:           jsii.String(string(f.Rule.Severity)),
			ViolatingResources: &[]*awscdk.PolicyViolatingResource{res},
		})
	}
	return &awscdk.PolicyValidationPluginReport{
		Success:       jsii.Bool(!rules.HasErrors(findings)),
		Violations:    &violations,
		PluginVersion: jsii.String(Version),
	}
}
