package gitlab_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xeipuuv/gojsonschema"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/report/gitlab"
)

var update = flag.Bool("update", false, "rewrite golden files")

// validate checks doc against the schema written from GitLab's
// documentation (testdata/codequality.schema.json cites it) and that every
// fingerprint is unique.
func validate(t *testing.T, doc []byte) {
	t.Helper()
	schema, err := os.ReadFile("testdata/codequality.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewBytesLoader(doc))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors() {
		t.Errorf("not a GitLab Code Quality report: %s", e)
	}
	var issues []gitlab.Issue
	if err := json.Unmarshal(doc, &issues); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, is := range issues {
		if seen[is.Fingerprint] {
			t.Errorf("fingerprint %s is not unique", is.Fingerprint)
		}
		seen[is.Fingerprint] = true
	}
}

func TestGoldenAndSchema(t *testing.T) {
	r, err := report.ReadFile("../testdata/report.json")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := gitlab.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	validate(t, buf.Bytes())
	if *update {
		if err := os.WriteFile("testdata/report.gitlab.json", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/report.gitlab.json")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("report differs from testdata/report.gitlab.json (-want +got); review, then -update:\n%s", diff)
	}
	var issues []gitlab.Issue
	if err := json.Unmarshal(buf.Bytes(), &issues); err != nil {
		t.Fatal(err)
	}
	counted := r.Summary.Error + r.Summary.Warning + r.Summary.Info
	if len(issues) != counted {
		t.Errorf("%d issues for %d counted findings (suppressed ones are left out)", len(issues), counted)
	}
}

// TestEqualFindingsStayApart: GitLab shows only the first issue of equal
// fingerprints, so two findings alike but for their line must differ.
func TestEqualFindingsStayApart(t *testing.T) {
	f := finding.Finding{Check: "dockerfile/no-trimpath", Severity: finding.Warning, Location: finding.Location{File: "Dockerfile", Line: 3}, Message: "m"}
	g := f
	g.Location.Line = 9
	h := finding.Finding{Check: "host/aslr-off", Severity: finding.Error, Location: finding.Location{Object: "/proc/sys/kernel/randomize_va_space"}, Message: "ASLR is off."}
	out := finding.Finding{Check: "toolchain/x", Location: finding.Location{File: "/usr/local/go/src/x.go", Line: 5}, Message: "outside"}
	r := &report.Report{Anchor: "go.mod", Findings: []finding.Finding{f, g, h, out}}
	var buf bytes.Buffer
	if err := gitlab.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	validate(t, buf.Bytes())
	is := gitlab.Issues(r)
	if is[2].Location.Path != "go.mod" || is[2].Location.Lines.Begin != 1 || is[2].Description != "/proc/sys/kernel/randomize_va_space: ASLR is off." {
		t.Errorf("a file-less finding: %+v", is[2])
	}
	if is[3].Location.Path != "go.mod" {
		t.Errorf("a finding outside the audited directory is at %q", is[3].Location.Path)
	}
}

func TestEmptyReportIsAnArray(t *testing.T) {
	var buf bytes.Buffer
	if err := gitlab.Write(&buf, &report.Report{}); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "[]\n" {
		t.Errorf("empty report = %q, want []", got)
	}
}
