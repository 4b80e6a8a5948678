package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/report"
)

// loopsModule writes a go 1.22 module whose a.go has n loops, each with a
// redundant copy of its loop variable (loopvar/redundant-copy), after
// pre extra lines.
func loopsModule(t *testing.T, dir string, n, pre int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("package bl\n\n")
	for range pre {
		b.WriteString("// an inserted line\n")
	}
	b.WriteString("func F(xs []int) []func() int {\n\tvar fs []func() int\n")
	for i := range n {
		fmt.Fprintf(&b, "\tfor _, v%d := range xs {\n\t\tv%d := v%d\n\t\tfs = append(fs, func() int { return v%d })\n\t}\n", i, i, i, i)
	}
	b.WriteString("\treturn fs\n}\n")
	writeFile(t, dir, "go.mod", "module example.com/bl\n\ngo 1.22\n")
	writeFile(t, dir, "a.go", b.String())
}

func writeFile(t *testing.T, dir, name, s string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func countedChecks(t *testing.T, out string) []string {
	t.Helper()
	rep, err := report.Decode(strings.NewReader(out))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var ids []string
	for _, f := range rep.Findings {
		if f.Suppressed == "" {
			ids = append(ids, fmt.Sprintf("%s %s:%d", f.Check, f.Location.File, f.Location.Line))
		}
	}
	if n := rep.Summary.Error + rep.Summary.Warning + rep.Summary.Info; n != len(ids) {
		t.Errorf("summary counts %d, findings not suppressed %d", n, len(ids))
	}
	return ids
}

// TestBaseline: 20 findings go into a baseline; then a line is inserted
// above all of them and one new fault is added; only that one counts.
func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	loopsModule(t, dir, 20, 0)
	base := filepath.Join(t.TempDir(), "base.json")
	code, _, stderr := runCLI(t, "-C", dir, "baseline", "write", base, "--target", "scratch")
	if code != 0 {
		t.Fatalf("baseline write: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "wrote ") {
		t.Errorf("baseline write says nothing of what it wrote: %q", stderr)
	}
	saved, err := report.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	copies := 0
	for _, f := range saved.Findings {
		if f.Check == "loopvar/redundant-copy" {
			copies++
		}
	}
	if copies != 20 {
		t.Fatalf("the baseline holds %d redundant copies, want 20", copies)
	}

	loopsModule(t, dir, 21, 1)
	code, out, stderr := runCLI(t, "-C", dir, "audit", "--target", "scratch", "--baseline", base, "--format", "json")
	if code != ExitOK && code != ExitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := countedChecks(t, out)
	if len(got) != 1 || !strings.HasPrefix(got[0], "loopvar/redundant-copy a.go:") {
		t.Errorf("counted after the baseline: %q, want the one new redundant copy", got)
	}

	// Text hides what the baseline holds; -v shows it, suppressed.
	_, text, _ := runCLI(t, "-C", dir, "audit", "--target", "scratch", "--baseline", base)
	if n := strings.Count(text, "[loopvar/redundant-copy]"); n != 1 {
		t.Errorf("text shows %d redundant copies, want 1:\n%s", n, text)
	}

	code, _, stderr = runCLI(t, "-C", dir, "loopvar", "--baseline", filepath.Join(dir, "a.go"))
	if code != ExitError || !strings.Contains(stderr, "--baseline") || !strings.Contains(stderr, "a.go") {
		t.Errorf("a baseline that is no report: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "baseline", "read", base)
	if code != ExitError || !strings.Contains(stderr, "baseline write FILE") {
		t.Errorf("baseline read: exit %d, stderr %q", code, stderr)
	}
}

// TestNewFromRev: on a real two-commit history, only the finding on the
// line the second commit changed counts.
func TestNewFromRev(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not on PATH")
	}
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	loopsModule(t, dir, 3, 0)
	git("add", ".")
	git("commit", "-q", "-m", "three loops")
	loopsModule(t, dir, 4, 0)
	git("commit", "-q", "-am", "a fourth")

	code, out, stderr := runCLI(t, "-C", dir, "loopvar", "--new-from-rev", "HEAD~1", "--format", "json")
	if code != ExitOK && code != ExitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// The fourth loop's copy is on line 5 + 4*3 + 1 = 18.
	if got := countedChecks(t, out); len(got) != 1 || got[0] != "loopvar/redundant-copy a.go:18" {
		t.Errorf("counted since HEAD~1: %q, want the fourth loop's copy at a.go:18", got)
	}
	code, _, stderr = runCLI(t, "-C", dir, "loopvar", "--new-from-rev", "nosuch")
	if code != ExitError || !strings.Contains(stderr, "no such commit") {
		t.Errorf("unknown revision: exit %d, stderr %q", code, stderr)
	}
}
