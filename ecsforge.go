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
	"github.com/aws/constructs-go/constructs/v10"
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
	fmt.Fprintf(&b, "%s=%s: %s", f.Property, f.Value, f.Message)
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

// SynthResult is Synth that also returns the assembly directory and the rule engine's
// warnings (findings acknowledged with awscdk.Validations_Of(scope).Acknowledge left out).
func SynthResult(app awscdk.App) (*Result, error) {
	var (
		dir      string
		failures []validate.Failure
		found    []rules.Finding
	)
	var perr error
	start := time.Now()
	failures, _ = validate.Collect(func() {
		found, perr = plugin.Collect(func() { dir = *app.Synth(nil).Directory() })
	})
	res := &Result{Dir: dir}
	if perr == nil {
		if len(found) > 0 {
			res.Warnings = warnings(app, found)
		}
		return res, nil
	}
	var errs []Finding
	for _, fl := range failures {
		errs = append(errs, fromFailure(fl))
	}
	if len(failures) == 0 {
		// The tree was valid, so the validation plugins ran: CDK's report has their
		// unacknowledged findings, with construct paths.
		errs = append(errs, fromReport(filepath.Join(*app.Outdir(), "validation-report.json"), start, found)...)
	}
	errs = append(errs, others(perr, errs)...)
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Path < errs[j].Path })
	return res, &Error{Findings: errs}
}

// warnings returns the unacknowledged warnings of a successful synthesis.
func warnings(app awscdk.App, found []rules.Finding) []Finding {
	acks := acknowledged(app)
	var out []Finding
	for _, f := range found {
		if f.Path == "" {
			f.Path = constructPath(app, f.Template, f.LogicalID)
		}
		if f.Rule.Severity == rules.Warning && !isAcknowledged(acks, f) {
			out = append(out, fromRule(f))
		}
	}
	return out
}

// constructPath finds the path of the construct that renders logicalID into template (for
// templates synthesized without path metadata, as in tests).
func constructPath(app awscdk.App, template, logicalID string) string {
	stackID := strings.TrimSuffix(filepath.Base(template), ".template.json")
	for _, c := range *app.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		el, ok := c.(awscdk.CfnElement)
		if !ok || !*awscdk.CfnElement_IsCfnElement(c) || *el.Stack().ArtifactId() != stackID {
			continue
		}
		if id, ok := el.Stack().Resolve(el.LogicalId()).(string); ok && id == logicalID {
			return *c.Node().Path()
		}
	}
	return ""
}

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

// fromReport reads the error violations of CDK's validation report; ecsforge's are matched
// with the plugin's own findings for their property, value and message.
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
			if v.Severity != "error" && v.Severity != "fatal" {
				continue
			}
			for _, vc := range v.ViolatingConstructs {
				r := vc.Resource
				f := Finding{Plugin: pr.PluginName, RuleID: v.RuleName, Severity: rules.Error, Path: vc.ConstructPath,
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
	seen := map[string]bool{}
	for _, f := range known {
		seen[f.String()] = true
	}
	var out []Finding
	lines := strings.Split(perr.Error(), "\n")
	for _, l := range lines {
		l = strings.TrimSpace(l)
		path, msg, ok := strings.Cut(strings.TrimPrefix(l, "["), "] ")
		if !strings.HasPrefix(l, "[") || !ok || seen[l] || isOurs(msg, known) {
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

// acknowledgedRulesKey is the construct metadata in which awscdk.Validations_Of(scope).Acknowledge
// records an acknowledged rule ID and its reason.
const acknowledgedRulesKey = "aws:cdk:acknowledged-rules"

// acknowledged maps each acknowledged rule ID ("ecsforge::ECS001") to the construct paths it
// was acknowledged at.
func acknowledged(app awscdk.App) map[string][]string {
	out := map[string][]string{}
	for _, c := range *app.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		md := c.Node().Metadata()
		if md == nil {
			continue
		}
		for _, e := range *md {
			if e == nil || e.Type == nil || *e.Type != acknowledgedRulesKey {
				continue
			}
			if m, ok := e.Data.(map[string]any); ok {
				for id := range m {
					out[id] = append(out[id], *c.Node().Path())
				}
			}
		}
	}
	return out
}

// isAcknowledged applies CDK's rule: an acknowledgement at a construct covers the findings on
// it and on everything below it.
func isAcknowledged(acks map[string][]string, f rules.Finding) bool {
	for _, at := range acks[plugin.Name+"::"+f.Rule.ID] {
		if at == "" || f.Path == at || strings.HasPrefix(f.Path, at+"/") {
			return true
		}
	}
	return false
}

// Close ends the jsii runtime's Node.js process; call it (or defer it) at the end of main.
func Close() { jsii.Close() }
