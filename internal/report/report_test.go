package report_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xeipuuv/gojsonschema"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
)

func load(t *testing.T) *report.Report {
	t.Helper()
	r, err := report.ReadFile("testdata/report.json")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// JSON is the pivot: what Encode writes, Decode reads back unchanged.
func TestJSONRoundTrip(t *testing.T) {
	r := load(t)
	var buf bytes.Buffer
	if err := report.Encode(&buf, r); err != nil {
		t.Fatal(err)
	}
	r2, err := report.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, r2); diff != "" {
		t.Fatalf("round trip changed the report (-want +got):\n%s", diff)
	}
	if r.Findings[0].Severity != finding.Error || r.Findings[2].Suppressed == "" {
		t.Fatalf("fields not decoded: %+v", r.Findings)
	}
}

func TestDecodeRejectsOtherSchema(t *testing.T) {
	_, err := report.Decode(strings.NewReader(`{"schemaVersion": "999"}`))
	if err == nil || !strings.Contains(err.Error(), `schema version "999"`) {
		t.Fatalf("err = %v", err)
	}
	_, err = report.Decode(strings.NewReader(`{"schemaVersion": "1", "findings": [{"severity": "fatal"}]}`))
	if err == nil || !strings.Contains(err.Error(), "unknown severity") {
		t.Fatalf("err = %v", err)
	}
}

func TestFinish(t *testing.T) {
	reg := finding.NewRegistry()
	reg.Add(finding.Check{ID: "a/x", Title: "X", Severity: finding.Warning})
	r := &report.Report{Findings: []finding.Finding{
		{Check: "a/x", Severity: finding.Info, Location: finding.Location{File: "b.go", Line: 2}},
		{Check: "a/x", Severity: finding.Error, Location: finding.Location{File: "c.go", Line: 1}},
		{Check: "a/y", Severity: finding.Warning, Suppressed: "why"},
	}}
	r.Finish(reg)
	if r.Findings[0].Location.File != "c.go" {
		t.Errorf("not sorted by severity first: %+v", r.Findings)
	}
	if len(r.Rules) != 2 || r.Rules[0].Title != "X" || r.Rules[1].ID != "a/y" {
		t.Errorf("rules = %+v", r.Rules)
	}
	if r.Summary != (finding.Counts{Error: 1, Info: 1, Suppressed: 1}) {
		t.Errorf("summary = %+v", r.Summary)
	}
	if r.SchemaVersion != report.SchemaVersion || r.Subjects == nil {
		t.Errorf("schema version or subjects not set")
	}
}

// The published JSON Schema accepts what Encode writes.
func TestJSONSchema(t *testing.T) {
	schema, err := os.ReadFile("../../docs/report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	r := load(t)
	var buf bytes.Buffer
	if err := report.Encode(&buf, r); err != nil {
		t.Fatal(err)
	}
	res, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewBytesLoader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors() {
		t.Errorf("schema: %s", e)
	}
	// And it rejects what it should.
	bad := strings.Replace(buf.String(), `"severity": "error"`, `"severity": "fatal"`, 1)
	res, err = gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewStringLoader(bad))
	if err != nil || res.Valid() {
		t.Errorf("schema accepts severity fatal")
	}
}

// FuzzDecode: gocompat report --from decodes a file the user hands it;
// whatever it holds, Decode returns a report or an error, never panics,
// and a report it returns encodes and decodes to the same report.
func FuzzDecode(f *testing.F) {
	if data, err := os.ReadFile("testdata/report.json"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"schemaVersion": "1"}`))
	f.Add([]byte(`{"schemaVersion": "2"}`))
	f.Add([]byte(`{"schemaVersion": "1", "findings": [{"location": {"line": -1}}]}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := report.Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := report.Encode(&buf, r); err != nil {
			t.Fatalf("encode a decoded report: %v", err)
		}
		again, err := report.Decode(&buf)
		if err != nil {
			t.Fatalf("decode an encoded report: %v\n%s", err, buf.String())
		}
		if diff := cmp.Diff(r, again); diff != "" {
			t.Errorf("round trip changed the report:\n%s", diff)
		}
	})
}
