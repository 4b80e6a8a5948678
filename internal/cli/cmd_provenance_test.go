package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/sbom/sbomtest"
	"github.com/gocompat/gocompat/internal/testbin"
)

// provenanceRepo is a git repository with module example.com/app (main
// package cmd/app) and a -trimpath binary of its first commit, built
// outside it.
func provenanceRepo(t *testing.T) (repo, bin string) {
	t.Helper()
	repo = testbin.GitRepo(t, map[string]string{
		"go.mod":          "module example.com/app\n\ngo 1.24\n",
		"cmd/app/main.go": "package main\n\nfunc main() { println(\"app\") }\n",
	})
	return repo, testbin.GoBuild(t, "go", repo, []string{"CGO_ENABLED=0"}, "./cmd/app", "-trimpath")
}

func TestSBOMCommand(t *testing.T) {
	repo, bin := provenanceRepo(t)
	// A tracked file whose time changed makes a plain git status rewrite
	// the index; the SBOM asks git for vcs.modified and must not.
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(repo, "go.mod"), later, later); err != nil {
		t.Fatal(err)
	}
	index, err := os.Stat(filepath.Join(repo, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if st, err := os.Stat(filepath.Join(repo, ".git", "index")); err != nil || !st.ModTime().Equal(index.ModTime()) {
			t.Errorf("gocompat sbom changed the repository's index (%v)", err)
		}
	}()
	for _, tc := range []struct {
		args     []string
		validate func(testing.TB, []byte)
		want     string
	}{
		{[]string{"sbom", repo}, sbomtest.ValidateCycloneDX, `"name": "example.com/app"`},
		{[]string{"sbom", "--format", "spdx", repo}, sbomtest.ValidateSPDX, `"name": "example.com/app"`},
		{[]string{"sbom", bin}, sbomtest.ValidateCycloneDX, `"name": "gocompat:build:vcs.revision"`},
		{[]string{"sbom", "--format", "spdx", bin}, sbomtest.ValidateSPDX, `"relationshipType": "DESCRIBES"`},
	} {
		code, out, stderr := runCLI(t, tc.args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d: %s", tc.args, code, stderr)
		}
		tc.validate(t, []byte(out))
		if !strings.Contains(out, tc.want) {
			t.Errorf("%v: output lacks %s", tc.args, tc.want)
		}
		if _, again, _ := runCLI(t, tc.args...); again != out {
			t.Errorf("%v: a second run wrote other bytes", tc.args)
		}
	}

	// Several arguments go into a directory, one file each.
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "sbom", "-o", dir, repo, bin); code != ExitOK {
		t.Fatalf("sbom -o DIR: exit %d: %s", code, stderr)
	}
	for _, name := range []string{"example.com_app.cdx.json", "app.cdx.json"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		sbomtest.ValidateCycloneDX(t, data)
	}
}

func TestSBOMCommandErrors(t *testing.T) {
	_, bin := provenanceRepo(t)
	notGo := filepath.Join(t.TempDir(), "notes")
	if err := os.WriteFile(notGo, []byte("not a binary"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sbom", notGo}, notGo + ": not an ELF file"},
		{[]string{"sbom", filepath.Join(t.TempDir(), "missing")}, "no such file"},
		{[]string{"sbom", "--format", "xml", bin}, "want cyclonedx or spdx"},
		{[]string{"sbom", bin, bin}, "needs -o DIR"},
		{[]string{"sbom", t.TempDir()}, "go list"},
	} {
		code, out, stderr := runCLI(t, tc.args...)
		if code != ExitError || out != "" || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "goroutine") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2, nothing, and %q", tc.args, code, out, stderr, tc.want)
		}
	}
}

func TestRebuildCommand(t *testing.T) {
	repo, bin := provenanceRepo(t)
	code, out, stderr := runCLI(t, "rebuild", "--src", repo, bin)
	if code != ExitOK || !strings.Contains(out, "rebuild/reproduced") || !strings.Contains(stderr, "rebuild: building revision ") {
		t.Errorf("rebuild: exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	// Built without -trimpath elsewhere: a warning, exit 1 at --fail-on warning.
	clone := filepath.Join(t.TempDir(), "clone")
	testbin.Git(t, repo, "clone", "-q", repo, clone)
	other := testbin.GoBuild(t, "go", clone, []string{"CGO_ENABLED=0"}, "./cmd/app")
	rep, code := runJSON(t, "rebuild", "--src", repo, other, "--fail-on", "warning")
	var ids []string
	for _, f := range rep.Findings {
		ids = append(ids, f.Check)
	}
	if code != ExitFindings || !slices.Equal(ids, []string{"rebuild/embedded-path"}) {
		t.Errorf("rebuild of a binary built elsewhere: exit %d, findings %v", code, ids)
	}

	// Bad input: exit 2 with one line naming the file.
	cut := filepath.Join(t.TempDir(), "cut")
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cut, data[:len(data)/2], 0o755); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"rebuild", cut}, {"rebuild"}, {"rebuild", bin, "--src", t.TempDir()}} {
		code, _, stderr := runCLI(t, args...)
		if code != ExitError || strings.Count(strings.TrimSpace(stderr), "\n") > 0 || strings.Contains(stderr, "goroutine") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line", args, code, stderr)
		}
	}
}

// gocompat binary compares a binary with the repository it is checked
// against (deployed ≠ source).
func TestBinaryDeployedVersusSource(t *testing.T) {
	repo, bin := provenanceRepo(t)
	testbin.Git(t, repo, "commit", "-q", "--allow-empty", "-m", "not deployed yet")
	rep, _ := runJSON(t, "binary", "--src", repo, bin, "--target", "scratch", "--fail-on", "never")
	var got []string
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.Check, "provenance/") {
			got = append(got, f.Check+" "+f.Details["behind"])
		}
	}
	if !slices.Equal(got, []string{"provenance/behind-head 1"}) {
		t.Errorf("provenance findings %v, want behind-head by 1", got)
	}
}

// A systemd unit beside the source runs a binary on this host: gocompat
// deploy compares that binary with the source too, at the unit's file.
func TestUnitBinaryVersusSource(t *testing.T) {
	repo, bin := provenanceRepo(t)
	testbin.WriteFiles(t, repo, map[string]string{
		"deploy/app.service": "[Unit]\nDescription=app\n\n[Service]\nExecStart=" + bin + "\n\n[Install]\nWantedBy=multi-user.target\n",
	})
	testbin.Git(t, repo, "add", "-A")
	testbin.Git(t, repo, "commit", "-qm", "add the unit")
	rep, _ := runJSON(t, "deploy", repo, "--fail-on", "never")
	var got []string
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.Check, "provenance/") {
			got = append(got, f.Check+" "+f.Location.File+" "+f.Details["behind"])
		}
	}
	if !slices.Equal(got, []string{"provenance/behind-head deploy/app.service 1"}) {
		t.Errorf("provenance findings %v, want behind-head by 1 at the unit", got)
	}
}
