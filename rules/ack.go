package rules

import "strings"

// Acknowledgements in a template: a finding is accepted on purpose when the Metadata of its
// resource, or the template's top-level Metadata, holds
//
//	Metadata:
//	  ecsforge:
//	    acknowledged:
//	      ECS100: "batch jobs drain for 10 minutes by design"
//
// (a list of rule IDs is accepted too, for a quick hand-written exception). The CDK plugin
// writes these from Validations_Of(...).Acknowledge("ecsforge::ECS100"), so that linting
// cdk.out honours what synth honoured.
const (
	AckKey          = "ecsforge"
	AckAcknowledged = "acknowledged"
)

// acknowledged returns the rule IDs a Metadata value acknowledges.
func acknowledged(metadata any) map[string]bool {
	out := map[string]bool{}
	switch a := lookup(metadata, AckKey+"."+AckAcknowledged).(type) {
	case map[string]any:
		for id := range a {
			out[strings.TrimPrefix(id, AckKey+"::")] = true
		}
	case []any:
		for _, id := range a {
			if s, ok := id.(string); ok {
				out[strings.TrimPrefix(s, AckKey+"::")] = true
			}
		}
	}
	return out
}

// dropAcknowledged removes the findings the template or their resource acknowledges.
func dropAcknowledged(t *Template, findings []Finding) []Finding {
	global := acknowledged(t.raw["Metadata"])
	out := findings[:0]
	for _, f := range findings {
		if global[f.Rule.ID] {
			continue
		}
		if r := t.Resources[f.LogicalID]; r != nil && acknowledged(r.Metadata)[f.Rule.ID] {
			continue
		}
		out = append(out, f)
	}
	return out
}
