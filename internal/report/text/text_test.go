package text_test

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/report/text"
)

var update = flag.Bool("update", false, "rewrite golden files")

func load(t *testing.T) *report.Report {
	t.Helper()
	r, err := report.ReadFile("../testdata/report.json")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); review, then rerun with -update:\n%s", path, diff)
	}
}

func TestGolden(t *testing.T) {
	r := load(t)
	var buf bytes.Buffer
	if err := text.Write(&buf, r, text.Options{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/report.txt", buf.Bytes())
	if strings.Contains(buf.String(), "\x1b[") {
		t.Error("colour escapes without Color")
	}
	// Suppressed findings show only with -v.
	if strings.Contains(buf.String(), "loopvar/example") {
		t.Error("suppressed finding shown without Verbose")
	}
	buf.Reset()
	if err := text.Write(&buf, r, text.Options{Verbose: true}); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/report-verbose.txt", buf.Bytes())
}

func TestColor(t *testing.T) {
	var buf bytes.Buffer
	if err := text.Write(&buf, load(t), text.Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\x1b[1m\x1b[31merror\x1b[0m") {
		t.Errorf("no red error with Color:\n%q", buf.String())
	}
}

func TestSummary(t *testing.T) {
	r := load(t)
	if got, want := text.Summary(r), "2 errors, 0 warnings, 1 info (1 suppressed) — checked: toolchain, loopvar"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}

// -v prints each step's wall time and how it ended; without -v the
// output has no times, so two runs on the same input print the same.
func TestStepTimes(t *testing.T) {
	r := &report.Report{Findings: []finding.Finding{}, Checks: []string{"toolchain", "loopvar"}, Steps: []report.StepRun{
		{Family: "toolchain", Status: report.StepDone, Start: 0, Seconds: 1.234},
		{Family: "loopvar", Status: report.StepTimedOut, Start: 0.5, Seconds: 600},
	}}
	var plain, verbose strings.Builder
	if err := text.Write(&plain, r, text.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := text.Write(&verbose, r, text.Options{Verbose: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "time:") {
		t.Errorf("times without -v:\n%s", plain.String())
	}
	want := "time: 600.50s in all, steps in parallel\n  toolchain     1.23s\n  loopvar     600.00s  timed-out\n\n"
	if !strings.Contains(verbose.String(), want) {
		t.Errorf("-v output:\n%s\nwant it to hold:\n%s", verbose.String(), want)
	}
}
