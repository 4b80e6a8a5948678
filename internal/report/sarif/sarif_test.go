package sarif_test

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xeipuuv/gojsonschema"

	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/report/sarif"
	"github.com/gocompat/gocompat/internal/sariftest"
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

func TestGoldenAndSchema(t *testing.T) {
	r := load(t, "../testdata/report.json")
	var buf bytes.Buffer
	if err := sarif.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	sariftest.Validate(t, buf.Bytes())
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
	sariftest.Validate(t, buf.Bytes())
}

func TestNoAnchor(t *testing.T) {
	r := load(t, "../testdata/report.json")
	r.Anchor = ""
	var buf bytes.Buffer
	if err := sarif.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	res, err := gojsonschema.Validate(gojsonschema.NewStringLoader(sariftest.Schema(t)), gojsonschema.NewBytesLoader(buf.Bytes()))
	if err != nil || !res.Valid() {
		t.Fatalf("invalid without anchor: %v %v", err, res.Errors())
	}
}
