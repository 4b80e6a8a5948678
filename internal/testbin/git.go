package testbin

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// GitEnv makes git in tests independent of the user's configuration and
// its commits reproducible: a fixed author, committer and date.
var GitEnv = []string{"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
	"GIT_COMMITTER_EMAIL=t@example.com", "GIT_AUTHOR_DATE=2024-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2024-01-02T03:04:05Z",
	"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1"}

// Git runs git with args in dir (with GitEnv) and returns its output; it
// fails the test when git fails and skips it when git is not installed.
func Git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), GitEnv...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// GitRepo writes files (slash-separated names → contents) into a new
// directory, makes it a git repository on branch main and commits them.
func GitRepo(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	WriteFiles(t, dir, files)
	Git(t, dir, "init", "-q", "-b", "main")
	Git(t, dir, "add", "-A")
	Git(t, dir, "commit", "-qm", "first")
	return dir
}

// WriteFiles writes files (slash-separated names → contents) under dir.
func WriteFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(content), 0o644))
	}
}

// GoBuild runs go build with flags on pkg in dir, the way a release script
// would: VCS stamping on (given on the command line, since a go env file
// may say -buildvcs=false; a flags entry -buildvcs=… wins), the user's
// GOFLAGS and go.work left out, the installed toolchain. env is added to
// the environment. The binary is written outside dir; its path is
// returned.
func GoBuild(t testing.TB, goBin, dir string, env []string, pkg string, flags ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "app")
	args := append([]string{"build", "-o", out, "-buildvcs=true"}, flags...)
	args = append(args, pkg)
	cmd := exec.Command(goBin, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOFLAGS=-mod=readonly", "GOWORK=off", "GOTOOLCHAIN=local"), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	return out
}
