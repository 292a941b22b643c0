package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Template is a parsed CloudFormation template.
type Template struct {
	Name string // file or stack name, for reports
	// File is the template's path as it was loaded ("" when parsed from memory).
	File      string
	Resources map[string]*Resource
	// Duplicates are the keys a YAML mapping holds twice; the last value is kept, as
	// CloudFormation keeps it.
	Duplicates []DuplicateKey
	raw        map[string]any
	// pathAcks are the acknowledgements a cloud assembly records for the stack, by construct
	// path: each covers the findings on resources at or under its path.
	pathAcks map[string]map[string]bool
	// paths maps logical IDs to construct paths, from the assembly's metadata.
	paths map[string]string
	// positions maps value paths ("Resources.Task.Properties.Cpu") to where they are written.
	positions map[string]Position
}

// Position is a line and a column (both from 1) in a template file.
type Position struct{ Line, Column int }

// position is where the property prop of resource id is written, or the nearest enclosing
// value that is, or the zero Position.
func (t *Template) position(id, prop string) Position {
	base := "Resources." + id
	for p := prop; p != ""; {
		if pos, ok := t.positions[base+".Properties."+p]; ok {
			return pos
		}
		i := strings.LastIndex(p, ".")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	if pos, ok := t.positions[base+".Properties"]; ok && prop != "" {
		return pos
	}
	return t.positions[base]
}

// DuplicateKey is a key that a YAML mapping holds more than once.
type DuplicateKey struct {
	Path            []string // the keys leading to it, from the top of the template
	FirstLine, Line int      // where it first appears, and where it appears again
}

// Resource is one resource of a template.
type Resource struct {
	LogicalID  string
	Type       string
	Properties map[string]any
	// Path is the CDK construct path (aws:cdk:path metadata), or "".
	Path string
	// Condition names the template condition the resource depends on ("" for none): such a
	// resource may not exist in the rendering that deploys, so it causes no finding and
	// references to it are not followed.
	Condition string
	Metadata  map[string]any
	// DependsOn are the logical IDs of the resource's DependsOn attribute.
	DependsOn []string
}

// ParseTemplate parses a CloudFormation template in JSON or YAML (with the short-form
// intrinsic function tags such as !Ref and !GetAtt).
func ParseTemplate(name string, data []byte) (*Template, error) {
	var raw map[string]any
	trimmed := bytes.TrimSpace(data)
	var dups []DuplicateKey
	var positions map[string]Position
	jsonErr := error(nil)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		if jsonErr = json.Unmarshal(trimmed, &raw); jsonErr == nil {
			positions = jsonPositions(data)
		}
	}
	if len(trimmed) == 0 || trimmed[0] != '{' || jsonErr != nil {
		// YAML, or flow-style YAML that starts with { as JSON does.
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			if jsonErr != nil {
				return nil, fmt.Errorf("%s: not a JSON template: %w", name, jsonErr)
			}
			return nil, fmt.Errorf("%s: not a JSON or YAML template: %w", name, err)
		}
		y := &yamlReader{}
		v, err := y.value(&doc, 0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: a template is a mapping, got %T", name, v)
		}
		raw, dups, positions = m, y.dups, y.positions
	}
	res, ok := raw["Resources"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: not a CloudFormation template (no Resources section)", name)
	}
	t := &Template{Name: name, Resources: map[string]*Resource{}, raw: raw, Duplicates: dups, positions: positions}
	for id, v := range res {
		m, ok := v.(map[string]any)
		if !ok {
			continue
		}
		r := &Resource{LogicalID: id}
		r.Type, _ = m["Type"].(string)
		r.Properties, _ = m["Properties"].(map[string]any)
		if r.Properties == nil {
			r.Properties = map[string]any{}
		}
		r.Metadata, _ = m["Metadata"].(map[string]any)
		r.Path, _ = r.Metadata["aws:cdk:path"].(string)
		if c, ok := m["Condition"]; ok {
			r.Condition = fmt.Sprint(c)
		}
		switch d := m["DependsOn"].(type) {
		case string:
			r.DependsOn = []string{d}
		case []any:
			for _, x := range d {
				if s, ok := x.(string); ok {
					r.DependsOn = append(r.DependsOn, s)
				}
			}
		}
		t.Resources[id] = r
	}
	return t, nil
}

// Bounds on hostile YAML: aliases let a small file name a huge (or, through an anchor that
// contains its own alias, infinite) value.
const (
	// MaxYAMLValues is the most values a YAML template may expand to, aliases included:
	// far above any real template (CloudFormation's own limit is 1 MB of template body).
	MaxYAMLValues = 1 << 20
	// MaxYAMLDepth is the deepest nesting a YAML template may have.
	MaxYAMLDepth = 1000
)

// yamlReader converts YAML nodes to plain Go values within MaxYAMLValues and MaxYAMLDepth.
type yamlReader struct {
	values    int
	positions map[string]Position // of the values as written (not through aliases)
	aliased   int                 // > 0 while reading through an alias
	path      []string            // keys from the top of the template to the node being read
	dups      []DuplicateKey
}

// value converts a YAML node to plain Go values, turning CloudFormation short-form tags into
// their long form: !Ref X -> {"Ref": X}, !GetAtt A.B -> {"Fn::GetAtt": ["A", "B"]},
// !Sub s -> {"Fn::Sub": s}, and so on. A mapping that holds a key twice keeps the last value,
// as CloudFormation does, and the key is recorded in dups.
func (y *yamlReader) value(n *yaml.Node, depth int) (any, error) {
	y.values++
	switch {
	case y.values > MaxYAMLValues:
		return nil, fmt.Errorf("line %d: the template expands to more than %d values (YAML aliases)", n.Line, MaxYAMLValues)
	case depth > MaxYAMLDepth:
		return nil, fmt.Errorf("line %d: the template nests deeper than %d levels (a YAML anchor that contains itself?)", n.Line, MaxYAMLDepth)
	}
	if y.aliased == 0 && n.Kind != yaml.DocumentNode {
		if y.positions == nil {
			y.positions = map[string]Position{}
		}
		if key := strings.Join(y.path, "."); y.positions[key] == (Position{}) {
			y.positions[key] = Position{n.Line, n.Column}
		}
	}
	var v any
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return y.value(n.Content[0], depth+1)
	case yaml.AliasNode:
		y.aliased++
		defer func() { y.aliased-- }()
		return y.value(n.Alias, depth+1)
	case yaml.MappingNode:
		m := map[string]any{}
		lines := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, err := y.value(n.Content[i], depth+1)
			if err != nil {
				return nil, err
			}
			key := fmt.Sprint(k)
			y.path = append(y.path, key)
			val, err := y.value(n.Content[i+1], depth+1)
			if first, dup := lines[key]; dup && n.Kind == yaml.MappingNode {
				y.dups = append(y.dups, DuplicateKey{Path: append([]string(nil), y.path...), FirstLine: first, Line: n.Content[i].Line})
			}
			y.path = y.path[:len(y.path)-1]
			if err != nil {
				return nil, err
			}
			lines[key] = n.Content[i].Line
			m[key] = val
		}
		v = m
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			y.path = append(y.path, strconv.Itoa(i))
			e, err := y.value(c, depth+1)
			y.path = y.path[:len(y.path)-1]
			if err != nil {
				return nil, err
			}
			l = append(l, e)
		}
		v = l
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int", "!!float":
			f, err := strconv.ParseFloat(n.Value, 64)
			if err != nil {
				v = n.Value
			} else {
				v = f
			}
		case "!!bool":
			b, err := strconv.ParseBool(n.Value)
			if err != nil {
				v = n.Value
			} else {
				v = b
			}
		case "!!null":
			v = nil
		default:
			v = n.Value
		}
	default:
		return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
	}
	if !strings.HasPrefix(n.Tag, "!") || strings.HasPrefix(n.Tag, "!!") {
		return v, nil
	}
	fn := n.Tag[1:]
	switch fn {
	case "Ref", "Condition":
		return map[string]any{fn: v}, nil
	case "GetAtt":
		if s, ok := v.(string); ok {
			a, b, _ := strings.Cut(s, ".")
			return map[string]any{"Fn::GetAtt": []any{a, b}}, nil
		}
	}
	return map[string]any{"Fn::" + fn: v}, nil
}

// jsonPositions maps the path of every value of a JSON document to its line and column.
func jsonPositions(data []byte) map[string]Position {
	lineStarts := []int{0}
	for i, c := range data {
		if c == '\n' {
			lineStarts = append(lineStarts, i+1)
		}
	}
	at := func(off int) Position {
		for off < len(data) && strings.IndexByte(" \t\r\n:,", data[off]) >= 0 {
			off++
		}
		line := sort.Search(len(lineStarts), func(i int) bool { return lineStarts[i] > off })
		return Position{line, off - lineStarts[line-1] + 1}
	}
	type frame struct {
		obj, wantKey bool
		path, key    string
		index        int
	}
	join := func(a, b string) string {
		if a == "" {
			return b
		}
		return a + "." + b
	}
	pos := map[string]Position{}
	dec := json.NewDecoder(bytes.NewReader(data))
	var stack []*frame
	for {
		off := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return pos
		}
		d, isDelim := tok.(json.Delim)
		if isDelim && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		path := ""
		if len(stack) > 0 {
			top := stack[len(stack)-1]
			switch {
			case top.obj && top.wantKey:
				top.key, _ = tok.(string)
				top.wantKey = false
				continue
			case top.obj:
				path, top.wantKey = join(top.path, top.key), true
			default:
				path = join(top.path, strconv.Itoa(top.index))
				top.index++
			}
		}
		if path != "" {
			pos[path] = at(off)
		}
		if isDelim {
			stack = append(stack, &frame{obj: d == '{', wantKey: true, path: path})
		}
	}
}

// absent reports whether path is known to be unset in v: every step is a literal mapping
// without the next key, or the value is Ref AWS::NoValue. A step through an intrinsic
// function (Fn::If, Ref to a parameter, an import) is unknown, so not absent.
func absent(v any, path string) bool {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		switch {
		case v == nil || isNoValue(v):
			return true
		case !ok || isIntrinsic(m):
			return false
		}
		if v, ok = m[k]; !ok {
			return true
		}
	}
	return v == nil || isNoValue(v)
}

// present reports whether path is known to be set in v: every step is a literal mapping with
// the next key, and the value is neither AWS::NoValue nor an intrinsic function (Fn::If may
// leave it out).
func present(v any, path string) bool {
	for _, k := range strings.Split(path, ".") {
		m, ok := literalMap(v)
		if !ok {
			return false
		}
		if v, ok = m[k]; !ok {
			return false
		}
	}
	if m, ok := v.(map[string]any); ok && isIntrinsic(m) {
		return false
	}
	return v != nil
}

// literalMap is v as a mapping that is not an intrinsic function.
func literalMap(v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	if !ok || isIntrinsic(m) {
		return nil, false
	}
	return m, true
}

func isNoValue(v any) bool {
	m, ok := v.(map[string]any)
	return ok && len(m) == 1 && m["Ref"] == "AWS::NoValue"
}

// isIntrinsic reports whether a mapping is an intrinsic function ({"Fn::If": ...}, {"Ref": ...}).
func isIntrinsic(m map[string]any) bool {
	if len(m) != 1 {
		return false
	}
	for k := range m {
		return k == "Ref" || strings.HasPrefix(k, "Fn::")
	}
	return false
}

// SortedResources returns the resources of type typ ("" for all) in logical ID order.
func (t *Template) SortedResources(typ string) []*Resource {
	var out []*Resource
	for _, r := range t.Resources {
		if typ == "" || r.Type == typ {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LogicalID < out[j].LogicalID })
	return out
}

// Target returns the resource that v refers to through Ref, Fn::GetAtt, or Fn::Select over a
// literal list of those, or nil when v is no
// such reference, or refers to a parameter, an import or anything else outside the template.
func (t *Template) Target(v any) *Resource {
	if r := t.target(v); r != nil && r.Condition == "" {
		return r
	}
	return nil
}

func (t *Template) target(v any) *Resource {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return nil
	}
	if id, ok := m["Ref"].(string); ok {
		return t.Resources[id]
	}
	if sel, ok := m["Fn::Select"].([]any); ok && len(sel) == 2 {
		i, iok := intOf(sel[0])
		if l := listOf(sel[1]); iok && i >= 0 && i < len(l) {
			return t.target(l[i])
		}
		return nil
	}
	switch a := m["Fn::GetAtt"].(type) {
	case []any:
		if len(a) > 0 {
			if id, ok := a[0].(string); ok {
				return t.Resources[id]
			}
		}
	case string:
		id, _, _ := strings.Cut(a, ".")
		return t.Resources[id]
	}
	return nil
}

// DependsOnResource reports whether CloudFormation creates to before from: from names it in
// DependsOn, or refers to it (Ref, Fn::GetAtt, Fn::Sub), directly or through other resources.
func (t *Template) DependsOnResource(from, to *Resource) bool {
	seen := map[string]bool{from.LogicalID: true}
	queue := []*Resource{from}
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		for _, id := range r.dependencies() {
			if id == to.LogicalID {
				return true
			}
			if next := t.Resources[id]; next != nil && !seen[id] {
				seen[id] = true
				queue = append(queue, next)
			}
		}
	}
	return false
}

// dependencies are the logical IDs r names in DependsOn and refers to in its properties.
func (r *Resource) dependencies() []string {
	ids := append([]string(nil), r.DependsOn...)
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if len(x) == 1 {
				if id, ok := x["Ref"].(string); ok {
					ids = append(ids, id)
				}
				switch a := x["Fn::GetAtt"].(type) {
				case []any:
					if len(a) > 0 {
						if id, ok := a[0].(string); ok {
							ids = append(ids, id)
						}
					}
				case string:
					id, _, _ := strings.Cut(a, ".")
					ids = append(ids, id)
				}
				sub := x["Fn::Sub"]
				if l, ok := sub.([]any); ok && len(l) > 0 {
					sub = l[0]
				}
				if str, ok := sub.(string); ok {
					for _, part := range strings.Split(str, "${")[1:] {
						name, _, _ := strings.Cut(part, "}")
						name, _, _ = strings.Cut(name, ".")
						ids = append(ids, name)
					}
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(r.Properties)
	return ids
}

// lookup walks a property path ("A.B.0.C") through v; list elements are named by index.
func lookup(v any, path string) any {
	if path == "" {
		return v
	}
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// Get returns the property at path ("A.B.0.C"), or nil.
func (r *Resource) Get(path string) any { return lookup(r.Properties, path) }

// intOf returns v as an int when it is a literal number or a numeric string; intrinsic
// functions and anything else give ok=false, and rules then stay silent.
func intOf(v any) (int, bool) {
	switch x := v.(type) {
	case float64:
		return int(x), x == float64(int(x))
	case int:
		return x, true
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(x))
		return n, err == nil
	}
	return 0, false
}

// strOf returns v when it is a literal string.
func strOf(v any) (string, bool) {
	s, ok := v.(string)
	return s, ok
}

// listOf returns v as a list (nil for anything else, including intrinsic functions).
func listOf(v any) []any {
	l, _ := v.([]any)
	return l
}

// boolOf returns v as a literal boolean ("true"/"false" strings included).
func boolOf(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		b, err := strconv.ParseBool(x)
		return b, err == nil
	}
	return false, false
}

// strList returns the literal strings of a list (intrinsics are skipped) and whether every
// element was a literal.
func strList(v any) ([]string, bool) {
	var out []string
	all := true
	for _, e := range listOf(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		} else {
			all = false
		}
	}
	return out, all
}
