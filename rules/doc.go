package rules

import (
	"fmt"
	"strings"
)

// Markdown renders the catalogue as the reference page docs/rules.md.
func Markdown() string {
	var b strings.Builder
	b.WriteString("# ecsforge rules\n\n")
	b.WriteString("Generated from the rule catalogue (`rules.Catalogue()`) by `go run ./cmd/ecsforge rules > docs/rules.md`; a test fails when this file is stale.\n\n")
	b.WriteString("Errors fail synth (through the CDK validation plugin) and make `ecsforge lint` exit 1; warnings are reported only. ")
	b.WriteString("A value the rules cannot know (a parameter, an import, any intrinsic function) never causes a finding.\n\n")
	b.WriteString("| rule | severity | constraint | fix | source |\n| --- | --- | --- | --- | --- |\n")
	for _, r := range Catalogue() {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | [AWS docs](%s) |\n", r.ID, r.Severity, esc(r.Summary), esc(r.Fix), r.Source)
	}
	return b.String()
}

func esc(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
