// Command ecsforge checks CloudFormation templates against the documented Amazon ECS
// constraints and models each service's rolling deployment time.
//
//	ecsforge lint [--format text|json|sarif] PATH...   templates (JSON or YAML) and cdk.out folders
//	ecsforge rules                                      the rule catalogue as Markdown
//
// lint exits 0 when no finding is an error, 1 when one is, and 2 when the input is unusable.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ecsforge/ecsforge/rules"
)

const usage = `usage:
  ecsforge lint [--format text|json|sarif] [--previous PATH] PATH...
  ecsforge rules
`

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run is the CLI; it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "rules":
		fmt.Fprint(stdout, rules.Markdown())
		return 0
	case "lint":
		return lint(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "ecsforge: unknown command %q\n%s", args[0], usage)
	return 2
}

func lint(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "output format: text, json or sarif")
	previous := fs.String("previous", "", "the templates deployed before (a file or a cdk.out folder): lint the given ones as updates of them")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return 0
	} else if err != nil {
		fmt.Fprintf(stderr, "ecsforge lint: %v\n%s", err, usage)
		return 2
	}
	if *format != "text" && *format != "json" && *format != "sarif" {
		fmt.Fprintf(stderr, "ecsforge lint: --format %q: must be text, json or sarif\n", *format)
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "ecsforge lint: no template or cdk.out folder given\n%s", usage)
		return 2
	}
	templates, err := rules.Load(fs.Args()...)
	if err != nil {
		fmt.Fprintf(stderr, "ecsforge lint: %v\n", oneLine(err))
		return 2
	}
	before := map[string]*rules.Template{}
	if *previous != "" {
		prev, err := rules.Load(*previous)
		if err != nil {
			fmt.Fprintf(stderr, "ecsforge lint: --previous: %v\n", oneLine(err))
			return 2
		}
		for _, t := range prev {
			before[filepath.Base(t.Name)] = t
		}
	}
	var findings []rules.Finding
	var deploys []rules.ServiceDeploy
	var schedules []rules.ScheduleRuns
	for _, t := range templates {
		if p := before[filepath.Base(t.Name)]; p != nil {
			findings = append(findings, rules.LintUpdate(p, t)...)
		} else if len(before) == 1 && len(templates) == 1 {
			for _, p := range before {
				findings = append(findings, rules.LintUpdate(p, t)...)
			}
		} else {
			findings = append(findings, rules.Lint(t)...)
		}
		deploys = append(deploys, rules.DeployTimes(t)...)
		schedules = append(schedules, rules.Schedules(t, now(), nextRuns)...)
	}
	switch *format {
	case "json":
		err = writeJSON(stdout, findings, deploys)
	case "sarif":
		err = writeSARIF(stdout, findings)
	default:
		writeText(stdout, findings, deploys)
		writeSchedules(stdout, schedules)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ecsforge lint: %v\n", err)
		return 2
	}
	if rules.HasErrors(findings) {
		return 1
	}
	return 0
}

func oneLine(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s: %v", pe.Path, pe.Err)
	}
	return err.Error()
}

func location(f rules.Finding) string {
	if f.Path != "" {
		return f.LogicalID + " (" + f.Path + ")"
	}
	return f.LogicalID
}

func writeText(w io.Writer, findings []rules.Finding, deploys []rules.ServiceDeploy) {
	for _, f := range findings {
		fmt.Fprintf(w, "%s %s %s %s %s: %s; fix: %s (%s)\n", f.Rule.ID, f.Rule.Severity, f.Template, location(f), f.Subject(), f.Message, f.Rule.Fix, f.Rule.Source)
	}
	errs, warns := 0, 0
	for _, f := range findings {
		if f.Rule.Severity == rules.Error {
			errs++
		} else {
			warns++
		}
	}
	fmt.Fprintf(w, "%d error(s), %d warning(s)\n", errs, warns)
	if len(deploys) == 0 {
		return
	}
	fmt.Fprintln(w, "\nmodeled deployments ("+rules.DocSpeedingUpDeployments+"):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TEMPLATE\tSERVICE\tSECONDS\tMODEL")
	for _, d := range deploys {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", d.Template, location(rules.Finding{LogicalID: d.LogicalID, Path: d.Path}), d.Seconds(), d.Model())
	}
	tw.Flush()
}

// nextRuns is how many run times the text output shows per schedule.
const nextRuns = 3

// now is the time the next runs are counted from (a variable for tests).
var now = time.Now

// writeSchedules lists each schedule with its next runs in its own time zone.
func writeSchedules(w io.Writer, schedules []rules.ScheduleRuns) {
	if len(schedules) == 0 {
		return
	}
	fmt.Fprintln(w, "\nschedules, next runs in their time zones:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TEMPLATE\tSCHEDULE\tEXPRESSION\tTIME ZONE\tNEXT RUNS")
	for _, s := range schedules {
		runs := s.Every
		if s.Every == "" {
			var times []string
			for _, t := range s.Next {
				times = append(times, t.Format("Mon 2006-01-02 15:04 MST"))
			}
			runs = strings.Join(times, ", ")
			if runs == "" {
				runs = "none (in the past)"
			}
		}
		where := location(rules.Finding{LogicalID: s.LogicalID, Path: s.Path})
		if s.Property != "ScheduleExpression" {
			where += " " + s.Property
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Template, where, s.Expression, s.TimeZone, runs)
	}
	tw.Flush()
}

type jsonFinding struct {
	Rule      string `json:"rule"`
	Severity  string `json:"severity"`
	Template  string `json:"template"`
	LogicalID string `json:"logicalId"`
	Path      string `json:"path"`
	// Property is the property path within the resource ("" for the resource as a whole).
	Property string `json:"property"`
	Value    string `json:"value"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
	DocURL   string `json:"docUrl"`
}

type jsonService struct {
	Template      string `json:"template"`
	LogicalID     string `json:"logicalId"`
	DeploySeconds int    `json:"deploySeconds"`
}

func message(f rules.Finding) string { return fmt.Sprintf("%s: %s", f.Subject(), f.Message) }

func writeJSON(w io.Writer, findings []rules.Finding, deploys []rules.ServiceDeploy) error {
	out := struct {
		Findings []jsonFinding `json:"findings"`
		Services []jsonService `json:"services"`
	}{Findings: []jsonFinding{}, Services: []jsonService{}}
	for _, f := range findings {
		out.Findings = append(out.Findings, jsonFinding{Rule: f.Rule.ID, Severity: string(f.Rule.Severity), Template: f.Template,
			LogicalID: f.LogicalID, Path: f.Path, Property: f.Property, Value: fmt.Sprint(f.Value),
			Message: message(f), Fix: f.Rule.Fix, DocURL: f.Rule.Source})
	}
	for _, d := range deploys {
		out.Services = append(out.Services, jsonService{d.Template, d.LogicalID, d.Seconds()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
