// Package sariftest checks SARIF documents in tests: against the official
// OASIS SARIF 2.1.0 JSON schema, and against what GitHub code scanning
// needs beyond the schema (a results array in every run, a rule with help
// text for every result, and a repo-relative file location with a start
// line on every result).
//
// The schema is the one github.com/owenrumney/go-sarif ships as a Go
// string constant (pkg/report/v210/sarif/schema.go); it is read from the
// module cache, so the module stays in go.mod through the blank import
// below. Only tests import this package.
package sariftest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	// The module that ships the schema (see the package comment).
	_ "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"github.com/xeipuuv/gojsonschema"
)

var (
	once      sync.Once
	schema    string
	schemaErr string
)

// Schema returns the official SARIF 2.1.0 JSON schema.
func Schema(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/owenrumney/go-sarif/v3").Output()
		if err != nil {
			schemaErr = "locate go-sarif: " + err.Error() + " (run go mod download)"
			return
		}
		src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "pkg", "report", "v210", "sarif", "schema.go"))
		if err != nil {
			schemaErr = err.Error()
			return
		}
		s := string(src)
		start, end := strings.Index(s, "`"), strings.LastIndex(s, "`")
		if start < 0 || end <= start || !strings.Contains(s[start:end], `"Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"`) {
			schemaErr = "go-sarif's schema.go does not hold the SARIF 2.1.0 schema"
			return
		}
		schema = s[start+1 : end]
	})
	if schemaErr != "" {
		t.Fatal(schemaErr)
	}
	return schema
}

// Result is where a SARIF result points: its rule and the first
// location's file and start line.
type Result struct {
	RuleID string
	URI    string
	Line   int
}

// Validate reports every way doc falls short of the schema or of GitHub
// code scanning's requirements, and returns the results of every run, so
// a test can go on to assert where they point.
func Validate(t testing.TB, doc []byte) []Result {
	t.Helper()
	res, err := gojsonschema.Validate(gojsonschema.NewStringLoader(Schema(t)), gojsonschema.NewBytesLoader(doc))
	if err != nil {
		t.Fatalf("SARIF: %v", err)
	}
	for _, e := range res.Errors() {
		t.Errorf("SARIF schema: %s", e)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string `json:"id"`
						Help *struct {
							Text string `json:"text"`
						} `json:"help"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results *[]struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(doc, &log); err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	var out []Result
	for _, run := range log.Runs {
		if run.Results == nil {
			t.Error("SARIF run without a results array (GitHub rejects it)")
			continue
		}
		rules := map[string]bool{}
		for _, r := range run.Tool.Driver.Rules {
			rules[r.ID] = true
			if r.Help == nil || r.Help.Text == "" {
				t.Errorf("SARIF rule %s has no help text", r.ID)
			}
		}
		for _, res := range *run.Results {
			if !rules[res.RuleID] {
				t.Errorf("SARIF result with ruleId %s has no rule", res.RuleID)
			}
			if len(res.Locations) == 0 {
				t.Errorf("SARIF result %s has no location", res.RuleID)
				continue
			}
			pl := res.Locations[0].PhysicalLocation
			out = append(out, Result{RuleID: res.RuleID, URI: pl.ArtifactLocation.URI, Line: pl.Region.StartLine})
			if pl.ArtifactLocation.URI == "" || strings.Contains(pl.ArtifactLocation.URI, ":") || strings.HasPrefix(pl.ArtifactLocation.URI, "/") || pl.Region.StartLine < 1 {
				t.Errorf("SARIF result %s: location %+v is not repo-relative with a start line", res.RuleID, pl)
			}
		}
	}
	return out
}
