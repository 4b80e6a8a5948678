// Package sarif renders a report as SARIF 2.1.0, in the form GitHub code
// scanning accepts.
//
// Mapping:
//   - one run per report; tool.driver carries the gocompat version and one
//     reportingDescriptor (rule) per check that appears, with its title as
//     shortDescription, its help text and the doc page as helpUri;
//   - a finding is a result: ruleId = check ID, level error/warning/note,
//     message = message plus fix;
//   - locations are repo-relative (uriBaseId %SRCROOT%) with a start line.
//     A finding without a file (a toolchain, a binary, a host) is anchored
//     to the report's anchor file (go.mod, a Dockerfile …) at line 1, so
//     that code scanning shows it instead of rejecting it; its object is
//     kept in the result's properties. A finding on a file outside the
//     root (a binary named by its absolute path) is anchored the same way,
//     with the file in the properties ("file"), since code scanning can
//     only show files of the repository. Where there is no anchor at all
//     (an empty directory) such results keep a file: URI or no location;
//     see docs/code-scanning.md;
//   - suppressed findings carry a SARIF suppression of kind "external"
//     with the justification;
//   - results is always present, even when empty.
package sarif

import (
	"encoding/json"
	"io"
	"path"
	"strings"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
)

// Schema is the schema URI written into every log.
const Schema = "https://json.schemastore.org/sarif-2.1.0.json"

// DocBase is where check doc pages are published; rule helpUri points there.
const DocBase = "https://github.com/gocompat/gocompat/blob/main/docs/checks/"

type log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []run  `json:"runs"`
}

type run struct {
	Tool              tool              `json:"tool"`
	AutomationDetails automationDetails `json:"automationDetails"`
	Results           []result          `json:"results"`
	// Properties carries the report's tables (a property bag, SARIF
	// 2.1.0 §3.8), which have no SARIF object of their own.
	Properties map[string]any `json:"properties,omitempty"`
}

type automationDetails struct {
	ID string `json:"id"`
}

type tool struct {
	Driver driver `json:"driver"`
}

type driver struct {
	Name           string `json:"name"`
	Version        string `json:"version,omitempty"`
	SemanticVer    string `json:"semanticVersion,omitempty"`
	InformationURI string `json:"informationUri,omitempty"`
	Rules          []rule `json:"rules"`
}

type text struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type rule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	ShortDescription     text           `json:"shortDescription"`
	FullDescription      text           `json:"fullDescription"`
	Help                 text           `json:"help"`
	HelpURI              string         `json:"helpUri,omitempty"`
	DefaultConfiguration ruleConfig     `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type ruleConfig struct {
	Level string `json:"level"`
}

type result struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             text              `json:"message"`
	Locations           []location        `json:"locations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	Suppressions        []suppression     `json:"suppressions,omitempty"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type suppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

type location struct {
	PhysicalLocation physicalLocation `json:"physicalLocation"`
}

type physicalLocation struct {
	ArtifactLocation artifactLocation `json:"artifactLocation"`
	Region           *region          `json:"region,omitempty"`
}

type artifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type region struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

func level(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "error"
	case finding.Warning:
		return "warning"
	}
	return "note"
}

// Write renders r to w as SARIF 2.1.0.
func Write(w io.Writer, r *report.Report) error {
	rules := []rule{}
	index := map[string]int{}
	for _, c := range r.Rules {
		index[c.ID] = len(rules)
		help := c.Title
		md := "**" + c.Title + "**"
		if c.Help != "" {
			help = c.Help
			md = c.Help
		}
		var refs []string
		for _, s := range c.Sources {
			if s.URL != "" {
				refs = append(refs, "- ["+s.Title+"]("+s.URL+")")
			} else {
				refs = append(refs, "- "+s.Title)
			}
		}
		if len(refs) > 0 {
			md += "\n\nSources:\n" + strings.Join(refs, "\n")
		}
		rules = append(rules, rule{
			ID:                   c.ID,
			Name:                 ruleName(c.ID),
			ShortDescription:     text{Text: c.Title},
			FullDescription:      text{Text: c.Title},
			Help:                 text{Text: help, Markdown: md},
			HelpURI:              DocBase + c.ID + ".md",
			DefaultConfiguration: ruleConfig{Level: level(c.Severity)},
			Properties:           map[string]any{"tags": []string{c.Family()}},
		})
	}

	results := []result{}
	for _, f := range r.Findings {
		msg := f.Message
		if f.Fix != "" {
			msg += "\nFix: " + f.Fix
		}
		res := result{
			RuleID:    f.Check,
			RuleIndex: index[f.Check],
			Level:     level(f.Severity),
			Message:   text{Text: msg},
			PartialFingerprints: map[string]string{
				"gocompatFinding/v1": finding.Fingerprint(f),
			},
		}
		file, line := f.Location.File, f.Location.Line
		props := map[string]any{}
		ownFile := file != ""
		if file != "" && r.Anchor != "" && outside(file) {
			// A file outside the repository (a binary named by its
			// absolute path) is no location code scanning can show.
			props["file"] = file
			file, ownFile = "", false
		}
		if file == "" && r.Anchor != "" {
			file, line = r.Anchor, 1
			props["anchored"] = true
		}
		if f.Location.Object != "" {
			props["object"] = f.Location.Object
		}
		if len(f.Details) > 0 {
			props["details"] = f.Details
		}
		if len(props) > 0 {
			res.Properties = props
		}
		if file != "" {
			pl := physicalLocation{ArtifactLocation: artifactLocation{URI: uri(file)}}
			if !strings.HasPrefix(pl.ArtifactLocation.URI, "file:") {
				pl.ArtifactLocation.URIBaseID = "%SRCROOT%"
			}
			if line < 1 {
				line = 1
			}
			reg := &region{StartLine: line}
			if ownFile {
				reg.StartColumn = f.Location.Column
				if f.Location.EndLine >= line {
					reg.EndLine = f.Location.EndLine
					if f.Location.EndColumn > 0 && (reg.EndLine > line || f.Location.EndColumn > reg.StartColumn) {
						reg.EndColumn = f.Location.EndColumn
					}
				}
			}
			pl.Region = reg
			res.Locations = []location{{PhysicalLocation: pl}}
		}
		if f.Suppressed != "" {
			res.Suppressions = []suppression{{Kind: "external", Justification: f.Suppressed}}
		}
		results = append(results, res)
	}

	l := log{
		Schema:  Schema,
		Version: "2.1.0",
		Runs: []run{{
			Tool: tool{Driver: driver{
				Name:           r.Tool.Name,
				Version:        r.Tool.Version,
				InformationURI: r.Tool.URI,
				Rules:          rules,
			}},
			AutomationDetails: automationDetails{ID: r.Tool.Name + "/" + r.Command + "/"},
			Results:           results,
		}},
	}
	if len(r.Tables) > 0 {
		l.Runs[0].Properties = map[string]any{"tables": r.Tables}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(l)
}

// ruleName turns family/some-name into FamilySomeName, the PascalCase form
// SARIF viewers show next to the ID.
func ruleName(id string) string {
	var b strings.Builder
	up := true
	for _, r := range id {
		if r == '/' || r == '-' {
			up = true
			continue
		}
		if up && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		up = false
		b.WriteRune(r)
	}
	return b.String()
}

// outside reports whether a finding's file lies outside the report's
// root: an absolute path or one that climbs out of it.
func outside(file string) bool {
	c := path.Clean(file)
	return strings.HasPrefix(c, "/") || c == ".." || strings.HasPrefix(c, "../")
}

func uri(file string) string {
	if strings.HasPrefix(file, "/") {
		return "file://" + path.Clean(file)
	}
	return path.Clean(file)
}
