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
	return ParseTemplate(name, b)
}

type assemblyManifest struct {
	Artifacts map[string]struct {
		Type       string `json:"type"`
		Properties struct {
			TemplateFile  string `json:"templateFile"`
			DirectoryName string `json:"directoryName"`
		} `json:"properties"`
	} `json:"artifacts"`
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
