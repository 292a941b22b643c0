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
	table(&b, Catalogue())
	b.WriteString("\n## Props rules\n\n")
	b.WriteString("Checked on the props of ecsforge's constructs before anything is synthesized (`Props.Validate()`, and synth): ")
	b.WriteString("a template has no props to read, so `ecsforge lint` does not run them. Props checks also report the template rules above ")
	b.WriteString("where the same constraint applies to a prop. A violation names the prop and may cite a more specific page than the one listed here.\n\n")
	b.WriteString("| rule | severity | constraint | fix | source |\n| --- | --- | --- | --- | --- |\n")
	table(&b, PropsCatalogue())
	return b.String()
}

func table(b *strings.Builder, rs []Rule) {
	for _, r := range rs {
		fmt.Fprintf(b, "| %s | %s | %s | %s | [AWS docs](%s) |\n", r.ID, r.Severity, esc(r.Summary), esc(r.Fix), r.Source)
	}
}

func esc(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
