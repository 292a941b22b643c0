// Package ecsforge synthesizes CDK apps built with ecsforge's constructs and gives back what is
// wrong with them as an error value: every violation of every construct's props and every
// error the rule engine finds in the synthesized templates, each with its construct path, rule
// ID, property, value, documented constraint, fix and documentation link. A user's main prints
// it and exits non-zero; it never sees a Go panic for a mistake in props.
//
//	func main() {
//		app := ecsforge.NewApp(nil)
//		stack := awscdk.NewStack(app, new("Web"), nil)
//		webservice.New(stack, "MyWebServer", webservice.Image("amazon/amazon-ecs-sample"))
//		if err := ecsforge.Synth(app); err != nil {
//			fmt.Fprintln(os.Stderr, err)
//			os.Exit(1)
//		}
//	}
package ecsforge

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/internal/validate"
	"github.com/ecsforge/ecsforge/plugin"
	"github.com/ecsforge/ecsforge/rules"
)

// NewApp returns a CDK app with ecsforge's rule engine registered as a validation plugin
// (plugin.Register), so that synth checks every template it writes.
func NewApp(props *awscdk.AppProps) awscdk.App {
	app := awscdk.NewApp(props)
	plugin.Register(app)
	return app
}

// Finding is one thing wrong with an app: a props violation (found before anything is
// synthesized) or a rule finding on a synthesized template.
type Finding struct {
	// Plugin is the validation plugin that reported the finding: "ecsforge" (plugin.Name) for
	// ecsforge's rules and props checks, another name (such as CDK's "CloudFormation Validate")
	// for another plugin, "" for a CDK or library validation message.
	Plugin    string
	RuleID    string         // "ECS001"; "" for a CDK or library validation message
	Severity  rules.Severity // rules.Error or rules.Warning
	Path      string         // construct path, e.g. "Web/MyWebServer"
	LogicalID string         // the template resource; "" for a props violation
	Property  string         // e.g. "Task.MemoryMiB" (props) or "Memory" (template)
	Value     string         // the offending value, with its unit
	Message   string         // the documented constraint the value breaks
	Fix       string
	DocURL    string
}

// String renders the finding as one line: "[path] ECS001 Prop=value: message; fix: ... (url)".
func (f Finding) String() string {
	var b strings.Builder
	if f.Path != "" {
		fmt.Fprintf(&b, "[%s] ", f.Path)
	}
	if f.RuleID == "" {
		b.WriteString(f.Message)
		return b.String()
	}
	if f.Plugin != plugin.Name {
		fmt.Fprintf(&b, "%s %s %s: %s", f.Plugin, f.RuleID, f.LogicalID, f.Message)
		if f.Fix != "" {
			fmt.Fprintf(&b, "; fix: %s", f.Fix)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "%s ", f.RuleID)
	if f.LogicalID != "" {
		fmt.Fprintf(&b, "%s.", f.LogicalID)
	}
	if f.Property != "" {
		fmt.Fprintf(&b, "%s=", f.Property)
	}
	fmt.Fprintf(&b, "%s: %s", f.Value, f.Message)
	if f.Fix != "" {
		fmt.Fprintf(&b, "; fix: %s", f.Fix)
	}
	if f.DocURL != "" {
		fmt.Fprintf(&b, " (%s)", f.DocURL)
	}
	return b.String()
}

// Error is a failed synthesis: every error finding, in construct path order.
type Error struct {
	Findings []Finding
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "synth failed with %d error(s):", len(e.Findings))
	for _, f := range e.Findings {
		b.WriteString("\n  ")
		b.WriteString(f.String())
	}
	return b.String()
}

// Result is a synthesis: the cloud assembly's directory and the warnings reported on the way.
type Result struct {
	Dir      string
	Warnings []Finding
}

// Synth synthesizes app and returns nil, or an *Error that lists every violation. No template
// is written when it fails.
func Synth(app awscdk.App) error {
	_, err := SynthResult(app)
	return err
}

// SynthResult is Synth that also returns the assembly directory and ecsforge's warnings
// (findings acknowledged with awscdk.Validations_Of(scope).Acknowledge left out).
func SynthResult(app awscdk.App) (*Result, error) {
	var (
		dir   string
		found []rules.Finding
		perr  error
	)
	start := time.Now()
	// plugin.Collect returns the synthesis panic as perr, so validate.Collect sees none.
	failures, _ := validate.Collect(func() {
		found, perr = plugin.Collect(func() { dir = *app.Synth(nil).Directory() })
	})
	res := &Result{Dir: dir}
	var errs []Finding
	for _, fl := range failures {
		errs = append(errs, fromFailure(fl))
	}
	if len(failures) == 0 {
		// The tree was valid, so the validation plugins ran, and CDK wrote their findings to
		// its report with construct paths and acknowledgements applied.
		for _, f := range fromReport(filepath.Join(*app.Outdir(), reportFile), start, found) {
			switch {
			case f.Severity == rules.Error:
				errs = append(errs, f)
			case f.Plugin == plugin.Name:
				res.Warnings = append(res.Warnings, f)
			}
		}
	}
	if perr == nil {
		return res, nil
	}
	res.Dir = ""
	errs = append(errs, others(perr, errs)...)
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Path < errs[j].Path })
	return res, &Error{Findings: errs}
}

// reportFile is the validation report CDK writes into the assembly directory whenever
// validation plugins run (cxapi VALIDATION_REPORT_FILE), whether they pass or fail.
const reportFile = "validation-report.json"

// cdkReport is the part of CDK's validation-report.json that names the violations.
type cdkReport struct {
	PluginReports []struct {
		PluginName string `json:"pluginName"`
		Violations []struct {
			RuleName            string `json:"ruleName"`
			Description         string `json:"description"`
			SuggestedFix        string `json:"suggestedFix"`
			Severity            string `json:"severity"`
			ViolatingConstructs []struct {
				ConstructPath string `json:"constructPath"`
				Resource      struct {
					TemplatePath string   `json:"templatePath"`
					LogicalID    string   `json:"logicalId"`
					Properties   []string `json:"propertyPaths"`
				} `json:"cloudFormationResource"`
			} `json:"violatingConstructs"`
		} `json:"violations"`
	} `json:"pluginReports"`
}

// fromReport reads the error and warning violations of CDK's validation report written since
// the synthesis started; ecsforge's are matched with the plugin's own findings for their
// property, value and message.
func fromReport(path string, since time.Time, found []rules.Finding) []Finding {
	if st, err := os.Stat(path); err != nil || st.ModTime().Before(since.Add(-time.Second)) {
		return nil // none, or one left by an earlier synthesis
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var rep cdkReport
	if json.Unmarshal(b, &rep) != nil {
		return nil
	}
	var out []Finding
	for _, pr := range rep.PluginReports {
		for _, v := range pr.Violations {
			sev := rules.Error
			switch v.Severity {
			case "error", "fatal":
			case "warning":
				sev = rules.Warning
			default:
				continue
			}
			for _, vc := range v.ViolatingConstructs {
				r := vc.Resource
				f := Finding{Plugin: pr.PluginName, RuleID: v.RuleName, Severity: sev, Path: vc.ConstructPath,
					LogicalID: r.LogicalID, Property: strings.Join(r.Properties, ","), Message: v.Description, Fix: v.SuggestedFix}
				if pr.PluginName == plugin.Name {
					for _, ff := range found {
						if ff.Rule.ID == v.RuleName && ff.LogicalID == r.LogicalID && filepath.Base(ff.Template) == filepath.Base(r.TemplatePath) &&
							(len(r.Properties) == 0 || ff.Property == r.Properties[0]) {
							ff.Path = vc.ConstructPath
							f = fromRule(ff)
							break
						}
					}
				}
				out = append(out, f)
			}
		}
	}
	return out
}

func fromFailure(fl validate.Failure) Finding {
	v, ok := fl.Err.(*rules.Violation)
	if !ok {
		return Finding{Severity: rules.Error, Path: fl.Path, Message: fl.Err.Error()}
	}
	return Finding{
		Plugin: plugin.Name, RuleID: v.Rule.ID, Severity: v.Rule.Severity, Path: fl.Path,
		Property: v.Property, Value: fmt.Sprintf("%v%s", v.Value, v.Unit),
		Message: v.Detail, Fix: v.Rule.Fix, DocURL: v.Doc(),
	}
}

func fromRule(f rules.Finding) Finding {
	return Finding{
		Plugin: plugin.Name, RuleID: f.Rule.ID, Severity: f.Rule.Severity, Path: f.Path, LogicalID: f.LogicalID,
		Property: f.Property, Value: fmt.Sprint(f.Value), Message: f.Message,
		Fix: f.Rule.Fix, DocURL: f.Rule.Source,
	}
}

// others returns the messages of CDK's validation error that are not among known: messages
// of CDK's own validations or of other libraries, one finding per "[path] message" line. When
// the error has no such line and nothing else explains the failure, its first line is the
// message.
func others(perr error, known []Finding) []Finding {
	var out []Finding
	lines := strings.Split(perr.Error(), "\n")
	for _, l := range lines {
		l = strings.TrimSpace(l)
		path, msg, ok := strings.Cut(strings.TrimPrefix(l, "["), "] ")
		if !strings.HasPrefix(l, "[") || !ok || isOurs(msg, known) {
			continue
		}
		out = append(out, Finding{Severity: rules.Error, Path: path, Message: msg})
	}
	if len(out) == 0 && len(known) == 0 && len(lines) > 0 {
		msg := strings.TrimSpace(lines[0])
		msg = strings.TrimPrefix(msg, "Error: ")
		out = append(out, Finding{Severity: rules.Error, Message: msg})
	}
	return out
}

// isOurs reports whether msg is the text of a props violation already listed.
func isOurs(msg string, known []Finding) bool {
	for _, f := range known {
		if f.LogicalID == "" && f.RuleID != "" && strings.HasPrefix(msg, f.RuleID+" "+f.Property+"=") || msg == f.Message {
			return true
		}
	}
	return false
}

// Close ends the jsii runtime's Node.js process; call it (or defer it) at the end of main.
func Close() { jsii.Close() }
