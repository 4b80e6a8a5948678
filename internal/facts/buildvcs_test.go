package facts

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/testbin"
)

// TestBuildVCSOnRealToolchains checks BuildVCSFailsWithoutGit against real
// go commands: the installed one and go1.21.13 (the oldest release the
// module proxy serves as a toolchain; Go 1.18.0's failure, the reason for
// the fact, is cited from golang/go#51748 since no toolchain module exists
// for it). In a directory that is a git repository, with git not on PATH,
// `go build` must succeed by default (-buildvcs=auto) and fail with
// "error obtaining VCS status" with -buildvcs=true, as the fact says.
func TestBuildVCSOnRealToolchains(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is needed to make the repository")
	}
	repo := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(repo, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/vcs\n\ngo 1.21\n")
	write("main.go", "package main\n\nfunc main() {}\n")
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "x"}} {
		if out, err := exec.Command(git, append([]string{"-C", repo}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	installed, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	for _, tc := range []struct{ name, goBin string }{
		{"installed", installed},
		{testbin.Go121, testbin.Toolchain(t, testbin.Go121)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// PATH holds the go command and nothing else: no git.
			bin := t.TempDir()
			if err := os.Symlink(tc.goBin, filepath.Join(bin, "go")); err != nil {
				t.Fatal(err)
			}
			ver := goVersion(t, bin)
			for _, flag := range []string{"", "true", "false"} {
				args := []string{"build", "-o", os.DevNull}
				if flag != "" {
					args = append(args, "-buildvcs="+flag)
				}
				cmd := exec.Command(filepath.Join(bin, "go"), append(args, ".")...)
				cmd.Dir = repo
				cmd.Env = append(os.Environ(), "PATH="+bin, "GOTOOLCHAIN=local", "GOFLAGS=", "GOWORK=off")
				out, err := cmd.CombinedOutput()
				failed := err != nil
				if failed && !strings.Contains(string(out), "error obtaining VCS status") {
					t.Fatalf("%s go build -buildvcs=%s failed for another reason: %v\n%s", ver, flag, err, out)
				}
				if want := BuildVCSFailsWithoutGit(ver, flag); failed != want {
					t.Errorf("%s -buildvcs=%q without git: build failed = %v, BuildVCSFailsWithoutGit = %v\n%s", ver, flag, failed, want, out)
				}
			}
		})
	}
}

func goVersion(t *testing.T, bin string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(bin, "go"), "env", "GOVERSION")
	cmd.Env = append(os.Environ(), "PATH="+bin, "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(strings.TrimSpace(string(out)), "go")
}
