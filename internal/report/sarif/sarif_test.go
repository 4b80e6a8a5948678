package sarif_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xeipuuv/gojsonschema"

	// The official SARIF 2.1.0 schema ships in this package (schema.go);
	// the import keeps the module in go.mod so the test can read it.
	_ "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/report/sarif"
)

var update = flag.Bool("update", false, "rewrite golden files")

func load(t *testing.T, path string) *report.Report {
	t.Helper()
	r, err := report.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// officialSchema returns the OASIS SARIF 2.1.0 JSON schema as shipped by
// github.com/owenrumney/go-sarif (pkg/report/v210/sarif/schema.go holds it
// as a Go string constant).
func officialSchema(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/owenrumney/go-sarif/v3").Output()
	if err != nil {
		t.Fatalf("locate go-sarif: %v (run go mod download)", err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "pkg", "report", "v210", "sarif", "schema.go"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	start := strings.Index(s, "`")
	end := strings.LastIndex(s, "`")
	if start < 0 || end <= start {
		t.Fatal("schema constant not found in go-sarif")
	}
	schema := s[start+1 : end]
	if !strings.Contains(schema, `"Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"`) {
		t.Fatal("go-sarif's schema.go does not hold the 2.1.0 schema")
	}
	return schema
}

// Validate checks doc against the official schema and GitHub code
// scanning's own requirements.
func validate(t *testing.T, schema string, doc []byte) {
	t.Helper()
	res, err := gojsonschema.Validate(gojsonschema.NewStringLoader(schema), gojsonschema.NewBytesLoader(doc))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors() {
		t.Errorf("schema: %s", e)
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
		t.Fatal(err)
	}
	for _, run := range log.Runs {
		if run.Results == nil {
			t.Error("run without a results array (GitHub rejects it)")
			continue
		}
		rules := map[string]bool{}
		for _, r := range run.Tool.Driver.Rules {
			rules[r.ID] = true
			if r.Help == nil || r.Help.Text == "" {
				t.Errorf("rule %s has no help text", r.ID)
			}
		}
		for _, res := range *run.Results {
			if !rules[res.RuleID] {
				t.Errorf("result with ruleId %s has no rule", res.RuleID)
			}
			if len(res.Locations) == 0 {
				t.Errorf("result %s has no location", res.RuleID)
				continue
			}
			pl := res.Locations[0].PhysicalLocation
			if pl.ArtifactLocation.URI == "" || strings.HasPrefix(pl.ArtifactLocation.URI, "/") || pl.Region.StartLine < 1 {
				t.Errorf("result %s: location %+v is not repo-relative with a start line", res.RuleID, pl)
			}
		}
	}
}

func TestGoldenAndSchema(t *testing.T) {
	schema := officialSchema(t)
	r := load(t, "../testdata/report.json")
	var buf bytes.Buffer
	if err := sarif.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	validate(t, schema, buf.Bytes())
	if *update {
		if err := os.WriteFile("testdata/report.sarif", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/report.sarif")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("SARIF differs from testdata/report.sarif (-want +got); review, then -update:\n%s", diff)
	}
	// File-less findings are anchored to go.mod, not dropped.
	if got := strings.Count(buf.String(), `"anchored": true`); got != 2 {
		t.Errorf("%d anchored results, want 2", got)
	}
	if !strings.Contains(buf.String(), `"kind": "external"`) {
		t.Error("suppressed finding has no suppression")
	}
}

func TestEmptyReportHasResults(t *testing.T) {
	r := &report.Report{Tool: report.Tool{Name: "gocompat", Version: "v0"}, Command: "doctor"}
	r.Finish(nil)
	var buf bytes.Buffer
	if err := sarif.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"results": []`) {
		t.Fatalf("no empty results array:\n%s", buf.String())
	}
	validate(t, officialSchema(t), buf.Bytes())
}

func TestNoAnchor(t *testing.T) {
	r := load(t, "../testdata/report.json")
	r.Anchor = ""
	var buf bytes.Buffer
	if err := sarif.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	res, err := gojsonschema.Validate(gojsonschema.NewStringLoader(officialSchema(t)), gojsonschema.NewBytesLoader(buf.Bytes()))
	if err != nil || !res.Valid() {
		t.Fatalf("invalid without anchor: %v %v", err, res.Errors())
	}
}
