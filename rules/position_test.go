package rules

import "testing"

// TestFindingPositions: findings carry the line and column of the offending value, in YAML and
// in JSON, falling back to the nearest enclosing value the template writes.
func TestFindingPositions(t *testing.T) {
	yamlSrc := `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "4096"
      ContainerDefinitions:
        - {Name: app, Image: "", Memory: 256}
`
	jsonSrc := `{
  "Resources": {
    "Task": {
      "Type": "AWS::ECS::TaskDefinition",
      "Properties": {
        "RequiresCompatibilities": ["FARGATE"],
        "NetworkMode": "awsvpc",
        "Cpu": "256",
        "Memory": "4096",
        "ContainerDefinitions": [
          {"Name": "app", "Image": "", "Memory": 256}
        ]
      }
    }
  }
}`
	for _, c := range []struct {
		name, src string
		want      map[string]Position // rule ID -> position
	}{
		{"yaml", yamlSrc, map[string]Position{"ECS001": {8, 15}, "ECS014": {10, 30}}},
		{"json", jsonSrc, map[string]Position{"ECS001": {9, 19}, "ECS014": {11, 36}}},
	} {
		tmpl, err := ParseTemplate(c.name, []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]Position{}
		for _, f := range Lint(tmpl) {
			got[f.Rule.ID] = Position{f.Line, f.Column}
		}
		for id, want := range c.want {
			if got[id] != want {
				t.Errorf("%s %s at %v, want %v (all: %v)", c.name, id, got[id], want, got)
			}
		}
	}
}
