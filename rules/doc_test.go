package rules

import (
	"os"
	"testing"
)

func TestRulesDocIsCurrent(t *testing.T) {
	b, err := os.ReadFile("../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != Markdown() {
		t.Error("docs/rules.md is stale: run `go run ./cmd/ecsforge rules > docs/rules.md`")
	}
}
