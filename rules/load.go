package rules

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Load reads templates from paths: template files (JSON or YAML), and cloud assembly
// directories such as cdk.out (every stack template its manifest lists, nested assemblies
// included). Stacks from an assembly are named by their artifact ID; files by their path.
func Load(paths ...string) ([]*Template, error) {
	var out []*Template
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if info.IsDir() {
			ts, err := loadAssembly(p)
			if err != nil {
				return nil, err
			}
			out = append(out, ts...)
			continue
		}
		t, err := loadFile(p, p)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func loadFile(path, name string) (*Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := ParseTemplate(name, b)
	if t != nil {
		t.File = path
	}
	return t, err
}

type assemblyManifest struct {
	Artifacts map[string]struct {
		Type       string `json:"type"`
		Properties struct {
			TemplateFile  string `json:"templateFile"`
			DirectoryName string `json:"directoryName"`
		} `json:"properties"`
		Metadata               map[string][]metadataEntry `json:"metadata"`
		AdditionalMetadataFile string                     `json:"additionalMetadataFile"`
	} `json:"artifacts"`
}

// metadataEntry is one construct metadata entry of a stack artifact.
type metadataEntry struct {
	Type string `json:"type"`
	Data any    `json:"data"`
}

// ackMetadata is the metadata type CDK's Validations_Of(scope).Acknowledge records, with data
// mapping rule IDs ("ecsforge::ECS100") to reasons, on the construct path of scope.
const ackMetadata = "aws:cdk:acknowledged-rules"

// readAcks collects the ecsforge acknowledgements of a stack artifact's metadata (inline or in
// its additional metadata file), by construct path without the leading "/", and the construct
// path of each logical ID (templates need not carry aws:cdk:path metadata).
func readAcks(dir string, inline map[string][]metadataEntry, file string) (map[string]map[string]bool, map[string]string, error) {
	entries := map[string][]metadataEntry{}
	for p, es := range inline {
		entries[p] = append(entries[p], es...)
	}
	if file != "" && !strings.Contains(file, "..") {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			return nil, nil, err
		}
		var more map[string][]metadataEntry
		if err := json.Unmarshal(b, &more); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", file, err)
		}
		for p, es := range more {
			entries[p] = append(entries[p], es...)
		}
	}
	acks, paths := map[string]map[string]bool{}, map[string]string{}
	for p, es := range entries {
		for _, e := range es {
			if id, ok := e.Data.(string); ok && e.Type == "aws:cdk:logicalId" {
				paths[id] = strings.TrimPrefix(p, "/")
			}
			data, _ := e.Data.(map[string]any)
			for id := range data {
				rule, ok := strings.CutPrefix(id, AckKey+"::")
				if e.Type != ackMetadata || !ok {
					continue
				}
				path := strings.TrimPrefix(p, "/")
				if acks[path] == nil {
					acks[path] = map[string]bool{}
				}
				acks[path][rule] = true
			}
		}
	}
	return acks, paths, nil
}

func loadAssembly(dir string) ([]*Template, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("%s: not a cloud assembly (no manifest.json); give template files or a cdk.out directory", dir)
	}
	var m assemblyManifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s/manifest.json: %w", dir, err)
	}
	ids := make([]string, 0, len(m.Artifacts))
	for id := range m.Artifacts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []*Template
	for _, id := range ids {
		a := m.Artifacts[id]
		switch a.Type {
		case "aws:cloudformation:stack":
			t, err := loadFile(filepath.Join(dir, a.Properties.TemplateFile), id)
			if err != nil {
				return nil, err
			}
			if t.pathAcks, t.paths, err = readAcks(dir, a.Metadata, a.AdditionalMetadataFile); err != nil {
				return nil, err
			}
			out = append(out, t)
		case "cdk:cloud-assembly":
			if a.Properties.DirectoryName != "" && !strings.Contains(a.Properties.DirectoryName, "..") {
				nested, err := loadAssembly(filepath.Join(dir, a.Properties.DirectoryName))
				if err != nil {
					return nil, err
				}
				out = append(out, nested...)
			}
		}
	}
	return out, nil
}
