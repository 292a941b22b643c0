package rules

import (
	"fmt"
	"testing"
)

// TestAcknowledgementsInTemplate: Metadata written by hand (or by the CDK plugin) accepts a
// finding on one resource, or on the whole template; other rules still report.
func TestAcknowledgementsInTemplate(t *testing.T) {
	base := `
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    %s
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "4096"
      ContainerDefinitions:
        - {Name: app, Image: "", Memory: 8192}
`
	for _, c := range []struct {
		name, resource, top string
		want                []string
	}{
		{"none", "", "", []string{"ECS001", "ECS002", "ECS014"}},
		{"resource map", `Metadata: {ecsforge: {acknowledged: {ECS001: "sized by the platform team"}}}`, "", []string{"ECS002", "ECS014"}},
		{"resource list", `Metadata: {ecsforge: {acknowledged: [ECS001, "ecsforge::ECS014"]}}`, "", []string{"ECS002"}},
		{"template", "", "Metadata: {ecsforge: {acknowledged: {ECS002: legacy}}}\n", []string{"ECS001", "ECS014"}},
	} {
		src := c.top + fmt.Sprintf(base, c.resource)
		var got []string
		for _, f := range lintYAML(t, src) {
			got = append(got, f.Rule.ID)
		}
		if fmt.Sprintf("%v", got) != fmt.Sprintf("%v", c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
