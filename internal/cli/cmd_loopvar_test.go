package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/report"
)

// copyTree copies a testdata module into a fresh directory.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	// Golden files are not part of the module.
	goldens, _ := filepath.Glob(filepath.Join(dst, "*", "*.golden"))
	for _, g := range goldens {
		os.Remove(g)
	}
	return dst
}

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := d.Info()
		m[p] = st.Mode().String() + "\n" + string(b)
		return nil
	})
	return m
}

var loopvarTestdata = filepath.Join("..", "check", "loopvar", "testdata")

func TestLoopvarReportOnly(t *testing.T) {
	dir := copyTree(t, filepath.Join(loopvarTestdata, "old"))
	before := snapshot(t, dir)
	code, out, stderr := runCLI(t, "-C", dir, "loopvar", "--format", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d (errors in the report); stderr: %s", code, ExitFindings, stderr)
	}
	rep, err := report.Decode(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Checks) != 1 || rep.Checks[0] != "loopvar" {
		t.Errorf("checks = %v, want [loopvar]", rep.Checks)
	}
	if rep.Summary.Error != 4 || rep.Summary.Warning == 0 || rep.Summary.Info == 0 {
		t.Errorf("summary = %+v", rep.Summary)
	}
	for _, f := range rep.Findings {
		if f.Location.File == "" || f.Location.Line == 0 || f.Location.Column == 0 || f.Details["version"] == "" {
			t.Errorf("finding without position or version: %+v", f)
		}
	}
	if after := snapshot(t, dir); !equalMaps(before, after) {
		t.Error("gocompat loopvar without --fix changed files")
	}
}

func TestLoopvarDiffWritesNothing(t *testing.T) {
	dir := copyTree(t, filepath.Join(loopvarTestdata, "new"))
	before := snapshot(t, dir)
	code, out, stderr := runCLI(t, "-C", dir, "loopvar", "--diff", "--fail-on", "never")
	if code != ExitOK {
		t.Fatalf("exit %d; stderr: %s", code, stderr)
	}
	for _, want := range []string{"--- a/pat/copies.go\n+++ b/pat/copies.go\n", "-\t\tk, v := k, v // want", "--- a/pat/pat.go\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("diff lacks %q:\n%s", want, out)
		}
	}
	if after := snapshot(t, dir); !equalMaps(before, after) {
		t.Error("--diff changed files")
	}
	if code, _, _ := runCLI(t, "-C", dir, "loopvar", "--diff", "--fix"); code != ExitError {
		t.Errorf("--diff --fix: exit %d, want %d", code, ExitError)
	}
	// A diff on stdout would corrupt a JSON or SARIF document.
	if code, out, stderr := runCLI(t, "-C", dir, "loopvar", "--diff", "--format", "json"); code != ExitError || out != "" || !strings.Contains(stderr, "--format text") {
		t.Errorf("--diff --format json: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

// --fix rewrites the files of both testdata modules into what the golden
// files hold, keeps permissions, and the result builds and passes go vet.
func TestLoopvarFix(t *testing.T) {
	for _, m := range []string{"old", "new"} {
		t.Run(m, func(t *testing.T) {
			src := filepath.Join(loopvarTestdata, m)
			dir := copyTree(t, src)
			target := filepath.Join(dir, "pat", "pat.go")
			if err := os.Chmod(target, 0o600); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := runCLI(t, "-C", dir, "loopvar", "--fix", "--fail-on", "never")
			if code != ExitOK {
				t.Fatalf("exit %d; stderr: %s", code, stderr)
			}
			if !strings.Contains(stderr, "applied") {
				t.Errorf("stderr %q does not say what was applied", stderr)
			}
			goldens, _ := filepath.Glob(filepath.Join(src, "pat", "*.golden"))
			if len(goldens) == 0 {
				t.Fatal("no golden files")
			}
			for _, g := range goldens {
				want, _ := os.ReadFile(g)
				got, err := os.ReadFile(filepath.Join(dir, "pat", strings.TrimSuffix(filepath.Base(g), ".golden")))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s: fixed file differs from the golden file", filepath.Base(g))
				}
			}
			if st, err := os.Stat(target); err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("permissions of %s not kept: %v %v", target, st.Mode(), err)
			}
			leftovers, _ := filepath.Glob(filepath.Join(dir, "pat", ".*gocompat*"))
			if len(leftovers) > 0 {
				t.Errorf("temporary files left: %v", leftovers)
			}
			vet := exec.Command("go", "vet", "./...")
			vet.Dir = dir
			vet.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
			if out, err := vet.CombinedOutput(); err != nil {
				t.Errorf("go vet on the fixed module: %v\n%s", err, out)
			}
			// After the fixes nothing is left to fix.
			code, out, _ := runCLI(t, "-C", dir, "loopvar", "--diff", "--fail-on", "never")
			if code != ExitOK || strings.Contains(out, "--- a/") {
				t.Errorf("a second run still has fixes:\n%s", out)
			}
			var rep struct{ Summary struct{ Error int } }
			_, js, _ := runCLI(t, "-C", dir, "loopvar", "--format", "json", "--fail-on", "never")
			if err := json.Unmarshal([]byte(js), &rep); err != nil || rep.Summary.Error != 0 {
				t.Errorf("errors left after --fix: %d (%v)", rep.Summary.Error, err)
			}
		})
	}
}

// Two fixes that overlap (a counter hoisted out of its loop, a copy
// inserted into a loop nested in it): --fix applies the first, says the
// other is left out, and a second --fix applies that one.
func TestLoopvarFixOverlap(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/overlap\n\ngo 1.21\n")
	write("p/p.go", `package p

func F(xs []int, done chan int) {
	var f func()
	for i := 0; i < 5; i++ {
		if f == nil {
			f = func() { i++ }
		}
		f()
		for _, x := range xs {
			go func() { done <- x }()
		}
	}
}
`)
	_, diff, stderr := runCLI(t, "-C", dir, "loopvar", "--diff", "--fail-on", "never")
	if !strings.Contains(diff, "+\t\ti := 0\n") || strings.Contains(diff, "+\t\t\t\tx := x") {
		t.Errorf("--diff should hold the hoist and not the overlapping copy:\n%s", diff)
	}
	if !strings.Contains(stderr, "left out of the diff 1 fix") {
		t.Errorf("--diff stderr %q does not say a fix was left out", stderr)
	}
	code, _, stderr := runCLI(t, "-C", dir, "loopvar", "--fix", "--fail-on", "never")
	if code != ExitOK {
		t.Fatalf("exit %d; stderr: %s", code, stderr)
	}
	if !strings.Contains(stderr, "applied 1 fix in 1 file\n") || !strings.Contains(stderr, "left out 1 fix") {
		t.Errorf("first --fix: stderr %q, want 1 fix applied and 1 left out", stderr)
	}
	_, _, stderr = runCLI(t, "-C", dir, "loopvar", "--fix", "--fail-on", "never")
	if !strings.Contains(stderr, "applied 1 fix in 1 file\n") || strings.Contains(stderr, "left out") {
		t.Errorf("second --fix: stderr %q, want 1 fix applied and none left out", stderr)
	}
	got, err := os.ReadFile(filepath.Join(dir, "p", "p.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), "\t\ti := 0\n") || !strings.Contains(string(got), "x := x\n") {
		t.Errorf("after two --fix runs:\n%s", got)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// A --fix run that was killed after its commit left a journal and a
// temporary file: the next --fix completes that run first (the file gets
// the fixed text it was going to get), then fixes what is left, and
// leaves no temporary file or journal behind.
func TestLoopvarFixRecoversInterruptedRun(t *testing.T) {
	dir := copyTree(t, filepath.Join(loopvarTestdata, "old"))
	target := filepath.Join(dir, "pat", "pinned.go")
	old, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	fixed := append(append([]byte(nil), old...), []byte("\n// completed by recovery\n")...)
	temp := filepath.Join(dir, "pat", ".pinned.go.gocompat-fix")
	if err := os.WriteFile(temp, fixed, 0o644); err != nil {
		t.Fatal(err)
	}
	journal := `{"state":"committed","files":[{"file":` + strconv.Quote(target) + `,"temp":` + strconv.Quote(temp) + `}]}`
	if err := os.WriteFile(filepath.Join(dir, ".gocompat-fix.journal"), []byte(journal), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "-C", dir, "loopvar", "--fix", "--fail-on", "never")
	if code != ExitOK {
		t.Fatalf("exit %d; stderr: %s", code, stderr)
	}
	if !strings.Contains(stderr, "completed an interrupted --fix run") {
		t.Errorf("stderr %q does not say the interrupted run was completed", stderr)
	}
	if got, _ := os.ReadFile(target); !bytes.Equal(got, fixed) {
		t.Errorf("pinned.go does not hold the interrupted run's text:\n%s", got)
	}
	var left []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".gocompat-") {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}
