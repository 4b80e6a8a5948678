package markdown_test

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/report/markdown"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(name, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("output differs from %s (-want +got); review, then -update:\n%s", name, diff)
	}
}

func TestGolden(t *testing.T) {
	r, err := report.ReadFile("../testdata/report.json")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := markdown.Write(&buf, r, markdown.Options{LinkBase: "https://github.com/o/r/blob/0123abc/"}); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/report.md", buf.Bytes())
	if strings.Contains(buf.String(), "Loop variable i is captured") {
		t.Error("a suppressed finding is shown without Verbose")
	}
	if !strings.Contains(buf.String(), "(https://github.com/o/r/blob/0123abc/go.mod#L3)") {
		t.Error("no link to go.mod line 3")
	}
}

// TestMatrixAndHostileText: a binaries × targets matrix becomes a table
// with one column per target, and text from files cannot break out of
// its cell, open a link or write HTML.
func TestMatrixAndHostileText(t *testing.T) {
	r := &report.Report{
		Command: "binary",
		Subjects: []report.Subject{
			{Kind: "runs-on", Name: "binary  debian-11  scratch"},
			{Kind: "runs-on", Name: "app  runs  no", Attributes: map[string]string{"binary": "app", "target:debian-11": "runs", "target:scratch": "no: needs glibc"}},
			{Kind: "runs-on", Name: "a|b  runs  runs", Attributes: map[string]string{"binary": "a|b", "target:debian-11": "runs", "target:scratch": "runs"}},
		},
		Findings: []finding.Finding{{
			Check: "dockerfile/godebug-unknown", Severity: finding.Warning,
			Location: finding.Location{File: "Dockerfile", Line: 4},
			Message:  "ENV GODEBUG=x|y <script>alert(1)</script> [click](https://evil.example) `code` \x1b]0;title\x07 done",
		}},
	}
	r.Finish(nil)
	var buf bytes.Buffer
	if err := markdown.Write(&buf, r, markdown.Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	golden(t, "testdata/hostile.md", buf.Bytes())
	for _, bad := range []string{"<script>", "](https://evil", "\x1b", "\x07"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q unescaped:\n%s", bad, out)
		}
	}
	// Every table line has the same number of unescaped cell separators.
	var cells []int
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "|") {
			cells = append(cells, strings.Count(l, "|")-strings.Count(l, `\|`))
		}
	}
	if len(cells) != 4 {
		t.Fatalf("%d table lines, want header, rule and 2 rows:\n%s", len(cells), out)
	}
	for _, n := range cells {
		if n != cells[0] {
			t.Errorf("table lines have %v separators, want all equal:\n%s", cells, out)
			break
		}
	}
}
