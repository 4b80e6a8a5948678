package openvex

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/report"
)

// A saved JSON report replays into OpenVEX.
const saved = `{"schemaVersion": "1", "tool": {"name": "gocompat", "version": "v1"}, "command": "deps", "subjects": [],
 "findings": [
  {"check": "deps/vuln-imported", "severity": "warning", "location": {"file": "go.mod", "line": 5}, "message": "m",
   "details": {"osv": "GO-2022-1059", "aliases": "CVE-2022-32149,GHSA-69ch-w2m2-3vjp", "level": "imported", "module": "golang.org/x/text", "found": "v0.3.5", "main_module": "example.com/app", "summary": "Denial of service"}},
  {"check": "deps/vuln-called", "severity": "error", "location": {"file": "main.go", "line": 13, "column": 28}, "message": "m",
   "details": {"osv": "GO-2021-0113", "level": "called", "module": "golang.org/x/text", "found": "v0.3.5", "main_module": "example.com/app"}},
  {"check": "deps/vuln-required", "severity": "info", "location": {"file": "app"}, "message": "m",
   "details": {"osv": "GO-2024-0001", "level": "required", "module": "stdlib", "found": "v1.22.1", "binary": "app"}},
  {"check": "toolchain/go-unsupported", "severity": "warning", "location": {"file": "go.mod"}, "message": "not a vulnerability"}
 ], "rules": [], "summary": {"errors": 1, "warnings": 2, "infos": 1}}`

func TestWrite(t *testing.T) {
	rep, err := report.Decode(strings.NewReader(saved))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	if err := Write(&buf, rep, now); err != nil {
		t.Fatal(err)
	}
	var doc document
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Context != contextURI || !strings.HasPrefix(doc.ID, "gocompat/vex:") || !doc.Timestamp.Equal(now) || doc.Version != 1 {
		t.Errorf("document header: %+v", doc)
	}
	want := []struct{ name, product, sub, status, just string }{
		{"GO-2021-0113", "pkg:golang/example.com/app", "pkg:golang/golang.org/x/text@v0.3.5", "affected", ""},
		{"GO-2022-1059", "pkg:golang/example.com/app", "pkg:golang/golang.org/x/text@v0.3.5", "not_affected", "vulnerable_code_not_in_execute_path"},
		{"GO-2024-0001", "app", "pkg:golang/stdlib@v1.22.1", "not_affected", "vulnerable_code_not_present"},
	}
	if len(doc.Statements) != len(want) {
		t.Fatalf("%d statements:\n%s", len(doc.Statements), buf.String())
	}
	for i, w := range want {
		s := doc.Statements[i]
		if s.Vulnerability.Name != w.name || s.Vulnerability.ID != "https://pkg.go.dev/vuln/"+w.name || s.Products[0].ID != w.product ||
			s.Products[0].Subcomponents[0].ID != w.sub || s.Status != w.status || s.Justification != w.just {
			t.Errorf("statement %d: %+v", i, s)
		}
		if (w.status == "not_affected") != (s.ImpactStatement != "") {
			t.Errorf("statement %d: impact statement %q", i, s.ImpactStatement)
		}
	}
	if a := doc.Statements[1].Vulnerability.Aliases; len(a) != 2 || a[0] != "CVE-2022-32149" || doc.Statements[1].Vulnerability.Description != "Denial of service" {
		t.Errorf("vulnerability: %+v", doc.Statements[1].Vulnerability)
	}
}
