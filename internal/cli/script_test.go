package cli

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain makes the test binary double as the gocompat command inside
// scripts, so the scripts run the real CLI in a real, deliberately broken
// environment.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"gocompat": func() {
			os.Exit(Main(context.Background(), Invocation{
				Args: os.Args[1:], Env: os.Environ(),
				Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
			}))
		},
	})
}

// TestScripts runs testdata/script/*.txtar. Each script breaks a real Go
// environment on purpose (PATH without go, a fake older go first on PATH,
// a bogus or stomped GOROOT, a read-only GOPATH, a go.mod asking for go
// 1.99, GOEXPERIMENT=loopvar=0 …) and asserts gocompat's diagnosis and
// exit code.
func TestScripts(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go on PATH: the scripts need a real toolchain")
	}
	goroot := strings.TrimSpace(runOut(t, goBin, "env", "GOROOT"))
	goversion := strings.TrimSpace(runOut(t, goBin, "env", "GOVERSION"))
	gocache := strings.TrimSpace(runOut(t, goBin, "env", "GOCACHE"))
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(e *testscript.Env) error {
			home := filepath.Join(e.WorkDir, "home")
			gopath := filepath.Join(home, "go")
			if err := os.MkdirAll(filepath.Join(gopath, "bin"), 0o755); err != nil {
				return err
			}
			self, err := exec.LookPath("gocompat")
			if err != nil {
				// testscript puts its commands on PATH of the script env.
				for _, dir := range filepath.SplitList(e.Getenv("PATH")) {
					if p := filepath.Join(dir, "gocompat"); fileExists(p) {
						self = p
						break
					}
				}
			}
			// A sound environment to start from: go first on PATH, a
			// writable HOME, GOPATH/bin on PATH, the real build cache.
			e.Setenv("HOME", home)
			e.Setenv("GOCACHE", gocache)
			e.Setenv("GOTOOLCHAIN", "local")
			e.Setenv("PATH", filepath.Join(goroot, "bin")+string(os.PathListSeparator)+filepath.Join(gopath, "bin")+string(os.PathListSeparator)+e.Getenv("PATH"))
			e.Setenv("GOCOMPAT", self)
			e.Setenv("GOROOT_REAL", goroot)
			e.Setenv("GOVERSION_REAL", goversion)
			e.Setenv("NO_COLOR", "1")
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "root":
				return os.Geteuid() == 0, nil
			case "unshare":
				// A read-only bind mount in a private mount namespace.
				if os.Geteuid() != 0 {
					return false, nil
				}
				dir := t.TempDir()
				err := exec.Command("unshare", "-m", "sh", "-c",
					"mount --bind "+dir+" "+dir+" && mount -o remount,bind,ro "+dir+" "+dir).Run()
				return err == nil, nil
			}
			return false, errors.New("unknown condition " + cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// exitcode N cmd args... runs cmd and requires exit status N.
			"exitcode": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) < 2 {
					ts.Fatalf("usage: exitcode N command [args...]")
				}
				want, err := strconv.Atoi(args[0])
				if err != nil {
					ts.Fatalf("exitcode: %v", err)
				}
				err = ts.Exec(args[1], args[2:]...)
				got := 0
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					got = ee.ExitCode()
				} else if err != nil {
					ts.Fatalf("exitcode: %v", err)
				}
				if (got == want) == neg {
					ts.Fatalf("exit code %d, want %d", got, want)
				}
			},
		},
	})
}

func runOut(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
