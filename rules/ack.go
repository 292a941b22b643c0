package rules

import "strings"

// Acknowledgements: a finding is accepted on purpose when the cloud assembly it was loaded from
// records a CDK acknowledgement of "ecsforge::<rule ID>" on the resource's construct path or a
// path above it (Validations_Of(scope).Acknowledge, as synth honours it), or when the Metadata of
// its resource, or the template's top-level Metadata, holds
//
//	Metadata:
//	  ecsforge:
//	    acknowledged:
//	      ECS100: "batch jobs drain for 10 minutes by design"
//
// (a list of rule IDs is accepted too), for templates written by hand or by other tools.
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
		if r := t.Resources[f.LogicalID]; r != nil && (acknowledged(r.Metadata)[f.Rule.ID] || t.ackedAt(r, f.Rule.ID)) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// ackedAt reports whether the assembly acknowledges rule on r's construct path or a construct
// above it.
func (t *Template) ackedAt(r *Resource, rule string) bool {
	path := r.Path
	if path == "" {
		path = t.paths[r.LogicalID]
	}
	for p := path; p != ""; {
		if t.pathAcks[p][rule] {
			return true
		}
		i := strings.LastIndex(p, "/")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return false
}
