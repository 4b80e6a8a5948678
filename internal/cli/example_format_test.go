package cli

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/report/format"
)

// TestExampleFormat is the whole of adding a format: one Renderer
// registered with the format table (a real format does it from the init
// func of its file in internal/report/format). --format accepts it, gocompat help
// lists it, and reports of every command render through it, replays
// included.
func TestExampleFormat(t *testing.T) {
	defer format.Register(format.Renderer{
		Name:    "example-lines",
		Summary: "one line per finding: check and location",
		Write: func(w io.Writer, r *report.Report, _ format.Options) error {
			for _, f := range r.Findings {
				if _, err := fmt.Fprintf(w, "%s %s\n", f.Check, f.Location); err != nil {
					return err
				}
			}
			return nil
		},
	})()

	dir := writeTree(t, deployTree)
	code, out, stderr := runCLI(t, "deploy", dir, "--format", "example-lines", "--fail-on", "never")
	if code != ExitOK || !strings.Contains(out, "dockerfile/builder-go-too-old Dockerfile:1\n") {
		t.Errorf("deploy --format example-lines: exit %d, stderr %q, stdout:\n%s", code, stderr, out)
	}
	_, help, _ := runCLI(t, "help")
	if !strings.Contains(help, "example-lines") {
		t.Errorf("gocompat help does not list the format:\n%s", help)
	}
	if _, _, stderr := runCLI(t, "doctor", "--format", "nope"); !strings.Contains(stderr, "example-lines") {
		t.Errorf("the --format error does not name the format: %q", stderr)
	}
}
