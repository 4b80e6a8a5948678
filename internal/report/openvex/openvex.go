// Package openvex writes the vulnerability findings of a report as an
// OpenVEX document (https://github.com/openvex/spec, v0.2.0), the form
// `govulncheck -format openvex` writes, so that scanners that read VEX
// (trivy --vex, grype --vex) can drop what the code does not reach.
//
// Mapping: every finding whose details carry an "osv" ID is one
// statement, keyed by https://pkg.go.dev/vuln/<ID>, with the entry's
// aliases. Its level ("called", "imported", "required") gives the
// status as govulncheck gives it: called is affected; imported is
// not_affected with justification vulnerable_code_not_in_execute_path;
// required is not_affected with vulnerable_code_not_present. The product
// is the scanned module (pkg:golang/<path>), or the binary, and the
// subcomponent the vulnerable module at its version
// (pkg:golang/golang.org/x/text@v0.3.5; the standard library is
// pkg:golang/stdlib@v1.22.4). Unlike govulncheck, the purl keeps the
// module path's slashes as namespace separators, as the purl
// specification writes a Go package. The document's @id is a hash of
// its content, so the same findings give the same document; the
// timestamp is the time of the run.
//
// A finding that was ignored through the configuration is still
// written: VEX states what the analysis found, not what the team
// accepted.
package openvex

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/gocompat/gocompat/internal/report"
)

const (
	contextURI = "https://openvex.dev/ns/v0.2.0"
	impact     = "gocompat (govulncheck's analysis) determined that the vulnerable code is not called"
)

type document struct {
	Context    string      `json:"@context"`
	ID         string      `json:"@id"`
	Author     string      `json:"author"`
	Timestamp  time.Time   `json:"timestamp"`
	Version    int         `json:"version"`
	Tooling    string      `json:"tooling,omitempty"`
	Statements []statement `json:"statements"`
}

type statement struct {
	Vulnerability   vulnerability `json:"vulnerability"`
	Products        []product     `json:"products"`
	Status          string        `json:"status"`
	Justification   string        `json:"justification,omitempty"`
	ImpactStatement string        `json:"impact_statement,omitempty"`
}

type vulnerability struct {
	ID          string   `json:"@id"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Aliases     []string `json:"aliases,omitempty"`
}

type product struct {
	ID            string      `json:"@id"`
	Subcomponents []component `json:"subcomponents,omitempty"`
}

type component struct {
	ID string `json:"@id"`
}

// Write writes rep's vulnerability findings as OpenVEX, dated now.
func Write(w io.Writer, rep *report.Report, now time.Time) error {
	doc := document{
		Context: contextURI, Author: "gocompat", Version: 1,
		Tooling:    strings.TrimSpace(rep.Tool.Name + " " + rep.Tool.Version),
		Statements: []statement{},
	}
	type key struct{ osv, product string }
	byKey := map[key]*statement{}
	for _, f := range rep.Findings {
		id := f.Details["osv"]
		if id == "" {
			continue
		}
		prod := "Unknown Product"
		if m := f.Details["main_module"]; m != "" {
			prod = "pkg:golang/" + m
		}
		if b := f.Details["binary"]; b != "" {
			prod = b
		}
		k := key{id, prod}
		s := byKey[k]
		if s == nil {
			s = &statement{
				Vulnerability: vulnerability{ID: "https://pkg.go.dev/vuln/" + id, Name: id, Description: f.Details["summary"]},
				Products:      []product{{ID: prod}},
			}
			if a := f.Details["aliases"]; a != "" {
				s.Vulnerability.Aliases = strings.Split(a, ",")
			}
			byKey[k] = s
		}
		sub := "pkg:golang/" + f.Details["module"]
		if v := f.Details["found"]; v != "" {
			sub += "@" + v
		}
		if !hasComponent(s.Products[0].Subcomponents, sub) {
			s.Products[0].Subcomponents = append(s.Products[0].Subcomponents, component{sub})
		}
		switch f.Details["level"] {
		case "called":
			s.Status, s.Justification, s.ImpactStatement = "affected", "", ""
		case "imported":
			if s.Status != "affected" {
				s.Status, s.Justification, s.ImpactStatement = "not_affected", "vulnerable_code_not_in_execute_path", impact
			}
		default:
			if s.Status == "" {
				s.Status, s.Justification, s.ImpactStatement = "not_affected", "vulnerable_code_not_present", impact
			}
		}
	}
	for _, s := range byKey {
		sort.Slice(s.Products[0].Subcomponents, func(i, j int) bool {
			return s.Products[0].Subcomponents[i].ID < s.Products[0].Subcomponents[j].ID
		})
		doc.Statements = append(doc.Statements, *s)
	}
	sort.Slice(doc.Statements, func(i, j int) bool {
		a, b := doc.Statements[i], doc.Statements[j]
		if a.Vulnerability.ID != b.Vulnerability.ID {
			return a.Vulnerability.ID < b.Vulnerability.ID
		}
		return a.Products[0].ID < b.Products[0].ID
	})
	content, err := json.Marshal(doc.Statements)
	if err != nil {
		return err
	}
	doc.ID = fmt.Sprintf("gocompat/vex:%x", sha256.Sum256(content))
	doc.Timestamp = now.UTC().Truncate(time.Second)
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(out, '\n'))
	return err
}

func hasComponent(cs []component, id string) bool {
	for _, c := range cs {
		if c.ID == id {
			return true
		}
	}
	return false
}
