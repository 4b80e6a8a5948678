package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/sariftest"
)

// copyModule copies a testdata module of the upgrade checks into a
// temporary directory.
func copyModule(t *testing.T, name string) string {
	t.Helper()
	return copyTree(t, filepath.Join("..", "check", "upgrade", "testdata", name))
}

func TestUpgradeCommandTestNamesTheLoop(t *testing.T) {
	dir := copyModule(t, "loop121")
	gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	code, out, stderr := runCLI(t, "upgrade", "--to", "1.22", "--test", "--format", "json", dir)
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitFindings, stderr)
	}
	rep, err := report.Decode(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var loop, outcome bool
	for _, f := range rep.Findings {
		switch f.Check {
		case "upgrade/test-broken-by-loop":
			loop = f.Location.String() == "counter.go:10:6" && strings.Contains(f.Message, "TestSteps")
		case "upgrade/test-outcome-changes":
			outcome = outcome || f.Details["test"] == "TestSteps"
		}
	}
	if !loop || !outcome {
		t.Errorf("report does not name TestSteps and counter.go:10:6 (loop %v, outcome %v):\n%s", loop, outcome, out)
	}
	if rep.Command != "upgrade" || len(rep.Checks) != 1 || rep.Checks[0] != "upgrade" || rep.Anchor != "go.mod" {
		t.Errorf("report header: command %q checks %v anchor %q", rep.Command, rep.Checks, rep.Anchor)
	}
	if !strings.Contains(stderr, "running tests at go 1.22") {
		t.Errorf("no progress on stderr with --test:\n%s", stderr)
	}
	// -q silences it; the report is the same.
	code, quietOut, quietErr := runCLI(t, "upgrade", "--to", "1.22", "--test", "-q", "--format", "json", dir)
	if code != ExitFindings || quietErr != "" {
		t.Errorf("upgrade --test -q: exit %d, stderr %q", code, quietErr)
	}
	if q, err := report.Decode(strings.NewReader(quietOut)); err != nil || len(q.Findings) != len(rep.Findings) {
		t.Errorf("upgrade --test -q: %d findings (%v), want %d", len(q.Findings), err, len(rep.Findings))
	}
	after, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	if !bytes.Equal(gomod, after) {
		t.Errorf("go.mod changed:\n%s", after)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.sum")); err == nil {
		t.Errorf("go.sum was created")
	}

	// The same run rendered as SARIF and text.
	code, sarifOut, _ := runCLI(t, "upgrade", "--to", "1.22", "--format", "sarif", dir)
	var doc struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(sarifOut), &doc); err != nil || doc.Version != "2.1.0" || len(doc.Runs) != 1 || len(doc.Runs[0].Results) == 0 {
		t.Errorf("sarif (exit %d): %v\n%.500s", code, err, sarifOut)
	}
	sariftest.Validate(t, []byte(sarifOut))
	code, text, _ := runCLI(t, "upgrade", "--to", "1.22", "--fail-on", "never", dir)
	// The command lists the loops through the loopvar analyzer, loop by
	// loop, instead of the compiler's summary.
	if code != ExitOK || !strings.Contains(text, "counter.go:10:6: error [loopvar/changes-behaviour]") || strings.Contains(text, "upgrade/loopvar-semantics-change") {
		t.Errorf("text (exit %d):\n%s", code, text)
	}
}

func TestUpgradeCommandUsage(t *testing.T) {
	dir := copyModule(t, "loop121")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"upgrade", "--to", "banana", dir}, "not a Go version"},
		{[]string{"upgrade", dir, dir}, "at most one directory"},
		{[]string{"upgrade", filepath.Join(dir, "nope")}, "not a directory"},
		{[]string{"upgrade", t.TempDir()}, "no go.mod found"},
		{[]string{"upgrade", "--test", "--timeout", "1ms", "--to", "1.22", dir}, "stopped after --timeout 1ms"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != ExitError || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
	// A release that does not exist: the proxy says so (exit 2); offline
	// the report is made from the embedded table, saying so on stderr.
	code, _, stderr := runCLI(t, "upgrade", "--to", "1.99", dir)
	switch {
	case code == ExitError && strings.Contains(stderr, "the module proxy lists no go1.99 release"):
	case code != ExitError && strings.Contains(stderr, "could not fetch a Go 1.99 toolchain"):
		t.Logf("offline: %s", stderr)
	default:
		t.Errorf("--to 1.99: exit %d, stderr %q", code, stderr)
	}
}
