package cli

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/audit"
	"github.com/gocompat/gocompat/internal/finding"
)

// exampleMarker is the check of the example step below.
var exampleMarker = finding.Check{
	ID:       "example/marker-file",
	Title:    "The directory holds an EXAMPLE-MARKER file",
	Severity: finding.Warning,
}

// TestExampleStep is the whole of adding a step (and a command that runs
// it on its own): a Step registered with the pipeline, declaring the
// subjects it needs and the check it owns, and a command naming it. A
// real step does the same from the init func of
// internal/audit/step_<family>.go (with a doc page per check under
// docs/checks/<family>/), a real command from internal/cli/cmd_<name>.go.
// gocompat audit runs the step where it applies, its check is in the
// registry, and the new command runs it alone.
func TestExampleStep(t *testing.T) {
	defer audit.Register(audit.Step{
		Family: "example",
		Order:  95,
		Needs:  []string{"EXAMPLE-MARKER file"},
		Checks: []finding.Check{exampleMarker},
		Applies: func(t *audit.Target) bool {
			_, err := os.Stat(filepath.Join(t.Dir, "EXAMPLE-MARKER"))
			return err == nil
		},
		Run: func(ctx context.Context, t *audit.Target) (audit.Result, error) {
			f := finding.New(exampleMarker, finding.Location{File: "EXAMPLE-MARKER", Line: 1},
				"The directory holds an EXAMPLE-MARKER file.", "Remove it.")
			return audit.Result{Findings: []finding.Finding{f}}, nil
		},
	})()
	defer registerCommand(func() *command {
		return &command{name: "example", args: "[dir]", summary: "run the example step", reports: true, steps: []string{"example"}}
	})()

	dir := writeTree(t, map[string]string{"EXAMPLE-MARKER": "x\n"})
	for _, args := range [][]string{{"audit", dir}, {"example", dir}} {
		rep, code := runJSON(t, append(args, "--fail-on", "never")...)
		if code != ExitOK || !slices.Contains(rep.Checks, "example") || len(findings(rep, "EXAMPLE-MARKER", "")) == 0 {
			t.Errorf("%v: exit %d, checks %v, findings %+v", args, code, rep.Checks, rep.Findings)
		}
		if args[0] == "example" && len(rep.Checks) != 1 {
			t.Errorf("the example command ran %v, want only the example step", rep.Checks)
		}
	}
	if code, out, _ := runCLI(t, "explain", "example/marker-file"); code != ExitOK || !strings.Contains(out, exampleMarker.Title) {
		t.Errorf("explain: exit %d: %s", code, out)
	}
	if _, out, _ := runCLI(t, "help", "audit"); !strings.Contains(out, "loopvar, example)") {
		t.Errorf("help audit does not list the step:\n%s", out)
	}
}
