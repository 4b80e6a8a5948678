package baseline

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
)

func counted(r *report.Report) int {
	n := 0
	for _, f := range r.Findings {
		if f.Suppressed == "" {
			n++
		}
	}
	return n
}

// twenty findings in one file, as a run would give them, shifted by
// offset lines.
func twenty(offset int) *report.Report {
	r := &report.Report{}
	for i := range 20 {
		line := 10 + 3*i + offset
		r.Findings = append(r.Findings, finding.Finding{
			Check:    "loopvar/redundant-copy",
			Severity: finding.Warning,
			Location: finding.Location{File: "pkg/a.go", Line: line, Column: 3},
			Message:  fmt.Sprintf("v%d := v%d copies the loop variable of the loop at pkg/a.go:%d:2, which is per-iteration since Go 1.22.", i, i, line-1),
		})
	}
	return r
}

func TestApplyLinesMoved(t *testing.T) {
	base := twenty(0)
	run := twenty(1) // a line inserted above all of them
	run.Findings = append(run.Findings, finding.Finding{
		Check: "loopvar/redundant-copy", Severity: finding.Warning,
		Location: finding.Location{File: "pkg/a.go", Line: 90, Column: 3},
		Message:  "w := w copies the loop variable of the loop at pkg/a.go:89:2, which is per-iteration since Go 1.22.",
	})
	if got := Apply(run, base, "base.json"); got != 20 {
		t.Errorf("Apply marked %d findings, want the 20 of the baseline", got)
	}
	if got := counted(run); got != 1 {
		t.Errorf("%d findings count after the baseline, want 1 (the new one)", got)
	}
	if s := run.Findings[0].Suppressed; s != "in the baseline base.json" {
		t.Errorf("suppression reason %q", s)
	}
}

func TestApplyCountsCopies(t *testing.T) {
	f := finding.Finding{Check: "dockerfile/no-trimpath", Location: finding.Location{File: "Dockerfile", Line: 3}, Message: "go build without -trimpath"}
	base := &report.Report{Findings: []finding.Finding{f}}
	run := &report.Report{Findings: []finding.Finding{f, f}}
	Apply(run, base, "b.json")
	if got := counted(run); got != 1 {
		t.Errorf("a second copy of an old finding: %d count, want 1", got)
	}
}

func TestApplyKeepsIgnores(t *testing.T) {
	f := finding.Finding{Check: "x/y", Message: "m", Suppressed: "ignored in .gocompat.yaml: reason"}
	run := &report.Report{Findings: []finding.Finding{f}}
	if n := Apply(run, &report.Report{Findings: []finding.Finding{f}}, "b.json"); n != 0 {
		t.Errorf("Apply re-marked an ignored finding")
	}
	if run.Findings[0].Suppressed != f.Suppressed {
		t.Errorf("the ignore's reason was replaced: %q", run.Findings[0].Suppressed)
	}
}

func TestParseDiff(t *testing.T) {
	diff := `diff --git a/a.go b/a.go
index 1..2 100644
--- a/a.go
+++ b/a.go
@@ -3,0 +4,2 @@ func f() {
+	x := 1
+	y := 2
@@ -10 +12 @@ func g() {
-	old
+	new
diff --git a/gone.go b/gone.go
deleted file mode 100644
--- a/gone.go
+++ /dev/null
@@ -1,3 +0,0 @@
-package x
diff --git "a/sp ace.go" "b/sp ace.go"
--- "a/sp ace.go"
+++ "b/sp ace.go"
@@ -1 +1,0 @@
-removed only
`
	c, err := ParseDiff([]byte(diff))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		line int
		want bool
	}{
		{"a.go", 4, true}, {"a.go", 5, true}, {"a.go", 6, false}, {"a.go", 3, false},
		{"a.go", 12, true}, {"a.go", 0, true},
		{"gone.go", 1, false},
		{"sp ace.go", 1, false}, {"sp ace.go", 0, true},
		{"other.go", 0, false},
	} {
		if got := c.Changed(tc.file, tc.line); got != tc.want {
			t.Errorf("Changed(%q, %d) = %v, want %v", tc.file, tc.line, got, tc.want)
		}
	}
}

func TestParseDiffMalformed(t *testing.T) {
	for _, d := range []string{"+++ b/a.go\n@@ -1 +x @@\n", "+++ b/a.go\n@@ -1\n", "+++ b/a.go\n@@ -1 +1,99999999999 @@\n"} {
		if _, err := ParseDiff([]byte(d)); err == nil || !strings.Contains(err.Error(), "hunk header") {
			t.Errorf("ParseDiff(%q) = %v, want a hunk header error", d, err)
		}
	}
}

func FuzzParseDiff(f *testing.F) {
	f.Add([]byte("+++ b/a.go\n@@ -3,0 +4,2 @@\n+x\n+y\n"))
	f.Add([]byte("+++ \"b/\\303\\244.go\"\n@@ -1 +1 @@\n"))
	f.Add([]byte("+++ /dev/null\n@@ -1 +0,0 @@\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseDiff(b)
		if err == nil {
			for file := range c.Lines {
				c.Changed(file, 1)
			}
		}
	})
}

// TestChangedSinceRealHistory makes a two-commit repository and asks
// which lines changed since the first commit.
func TestChangedSinceRealHistory(t *testing.T) {
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
	write := func(name, s string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("init", "-q", "-b", "main")
	write("sub/a.go", "package a\n\nfunc f() {}\n")
	write("sub/b.go", "package a\n")
	git("add", ".")
	git("commit", "-q", "-m", "one")
	write("sub/a.go", "package a\n\nfunc f() {}\n\nfunc g() {}\n")
	git("commit", "-q", "-am", "two")
	write("sub/new.go", "package a\n")

	c, err := ChangedSince(context.Background(), filepath.Join(dir, "sub"), "HEAD~1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		line int
		want bool
	}{
		{"a.go", 3, false}, {"a.go", 4, true}, {"a.go", 5, true},
		{"b.go", 1, false}, {"new.go", 1, true}, {"new.go", 7, true},
	} {
		if got := c.Changed(tc.file, tc.line); got != tc.want {
			t.Errorf("Changed(%q, %d) = %v, want %v", tc.file, tc.line, got, tc.want)
		}
	}
	rep := &report.Report{Findings: []finding.Finding{
		{Check: "x/old", Location: finding.Location{File: "a.go", Line: 3}},
		{Check: "x/new", Location: finding.Location{File: "a.go", Line: 5}},
		{Check: "x/host", Location: finding.Location{Object: "/proc/sys/kernel"}},
	}}
	if n := ApplyChanges(rep, c); n != 2 {
		t.Errorf("ApplyChanges marked %d, want 2", n)
	}
	if rep.Findings[1].Suppressed != "" || rep.Findings[0].Suppressed == "" {
		t.Errorf("wrong findings kept: %+v", rep.Findings)
	}

	if _, err := ChangedSince(context.Background(), dir, "no-such-rev"); err == nil || !strings.Contains(err.Error(), "no such commit") {
		t.Errorf("unknown revision: err = %v", err)
	}
	if _, err := ChangedSince(context.Background(), dir, "--output=/tmp/x"); err == nil {
		t.Errorf("an option given as a revision was accepted")
	}
}
