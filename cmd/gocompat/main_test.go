//go:build linux

package main_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/gocompat/gocompat/internal/testbin"
	"go/version"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/report"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
	buildDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// build builds this command once for the package's tests.
func build(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go on PATH")
	}
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "gocompat-main-test-")
		if buildErr != nil {
			return
		}
		builtBin = filepath.Join(buildDir, "gocompat")
		if out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// TestCfgArgumentIsNotVetMode: a last argument ending in .cfg switched
// gocompat into vet-tool mode, so `gocompat binary …/codereview.cfg`
// printed unitchecker's error about "go tool".
func TestCfgArgumentIsNotVetMode(t *testing.T) {
	bin := build(t)
	cfg := filepath.Join(t.TempDir(), "codereview.cfg")
	if err := os.WriteFile(cfg, []byte("gerrit: off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(bin, "binary", cfg).CombinedOutput()
	if bytes.Contains(out, []byte("go tool")) || bytes.Contains(out, []byte("unsupported")) {
		t.Errorf("gocompat binary %s answered as a vet tool:\n%s", cfg, out)
	}
	if !bytes.Contains(out, []byte("codereview.cfg")) {
		t.Errorf("gocompat binary %s does not talk about the file:\n%s", cfg, out)
	}
}

// TestSIGTERMStopsChildrenAndCleansUp: `gocompat upgrade --test` killed
// with SIGTERM left its gocompat-upgrade-* directories, go's build
// directory and an orphaned linker behind, and `gocompat matrix --test`
// its go test's test binaries. Here a real process tree runs: gocompat,
// go test, the test binary and a sleep the test starts. After SIGTERM to
// gocompat alone, every one of them is gone and the temporary directory
// gocompat was given is empty.
func TestSIGTERMStopsChildrenAndCleansUp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a module's tests")
	}
	bin := build(t)
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		t.Fatal(err)
	}
	// The installed release only: the module's go line and that raised to it.
	installed := strings.TrimPrefix(version.Lang(strings.Fields(string(out))[0]), "go")
	for name, args := range map[string][]string{
		"upgrade": {"upgrade", "--test", "--fail-on", "never"},
		"matrix":  {"matrix", "--go", installed, "--test", "--fail-on", "never"},
	} {
		t.Run(name, func(t *testing.T) { sigtermStops(t, bin, args) })
	}
}

func sigtermStops(t *testing.T, bin string, args []string) {
	base := t.TempDir()
	tmp, mod, mark := filepath.Join(base, "tmp"), filepath.Join(base, "m"), filepath.Join(base, "pids")
	for _, d := range []string{tmp, mod} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.21\n",
		"m.go":   "package m\n",
		"m_test.go": fmt.Sprintf(`package m

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"
)

func TestLong(t *testing.T) {
	c := exec.Command("sleep", "300")
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(%[1]q+".tmp", []byte(fmt.Sprintf("%%d %%d\n", os.Getpid(), c.Process.Pid)), 0o644)
	os.Rename(%[1]q+".tmp", %[1]q)
	time.Sleep(300 * time.Second)
}
`, mark),
	}
	for f, s := range files {
		if err := os.WriteFile(filepath.Join(mod, f), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, append(args, mod)...)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "GOTMPDIR=", "XDG_CACHE_HOME="+filepath.Join(base, "cache"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var pids []int
	defer func() { // never leave the tree behind, whatever failed
		cmd.Process.Kill()
		for _, p := range pids {
			syscall.Kill(p, syscall.SIGKILL)
		}
	}()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		if data, err := os.ReadFile(mark); err == nil {
			for _, f := range strings.Fields(string(data)) {
				p, _ := strconv.Atoi(f)
				pids = append(pids, p)
			}
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("gocompat exited (%v) before the test ran:\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the module's test did not start within 3 minutes:\n%s", out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) == 0 {
		t.Fatal("gocompat made no temporary directory: the test would prove nothing")
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(60 * time.Second):
		t.Fatalf("gocompat did not exit within 60s of SIGTERM:\n%s", out.String())
	}
	for _, p := range pids {
		for end := time.Now().Add(5 * time.Second); testbin.Alive(p); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(end) {
				t.Errorf("process %d of the test's tree outlived gocompat", p)
				break
			}
		}
	}
	ents, _ := os.ReadDir(tmp)
	var left []string
	for _, e := range ents {
		left = append(left, e.Name())
	}
	if len(left) > 0 {
		t.Errorf("left in the temporary directory: %q", left)
	}
	if bytes.Contains(out.Bytes(), []byte("goroutine ")) {
		t.Errorf("a stack trace on SIGTERM:\n%s", out.String())
	}
}

// TestEmptyModule: a module with no packages made audit exit 1 with
// audit/step-failed quoting go vet's "matched no packages" warning (go
// vet runs with this executable as its vet tool, so only the built
// command shows it). It is an info saying what is missing.
func TestEmptyModule(t *testing.T) {
	bin := build(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/empty\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "audit", "--format", "json", dir)
	out, err := cmd.Output()
	if err != nil {
		t.Errorf("audit of an empty module: %v\n%s", err, out)
	}
	if bytes.Contains(out, []byte("audit/step-failed")) || !bytes.Contains(out, []byte(`"module/no-packages"`)) {
		t.Errorf("want module/no-packages and no audit/step-failed:\n%s", out)
	}
}

// snapshot records every entry under root: mode, size, modification
// time, and the content's hash (files) or target (links).
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		st, err := os.Lstat(p)
		if err != nil {
			return err
		}
		s := fmt.Sprintf("%v %d %d", st.Mode(), st.Size(), st.ModTime().UnixNano())
		switch {
		case st.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			s += fmt.Sprintf(" %x", sha256.Sum256(data))
		case st.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			s += " -> " + target
		}
		rel, _ := filepath.Rel(root, p)
		out[rel] = s
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// copyTree copies a module from the read-only module cache into dst,
// writable, so that a write by gocompat would succeed and be seen.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRealRepositoryUnchanged: audit and upgrade leave a real repository
// (github.com/rogpeppe/go-internal, a module of the Go ecosystem with an
// older go line, many packages and a go.sum) byte- and mtime-identical:
// every file, directory and link, its content, mode and modification
// time. Its copy is writable, so a write would not be stopped by the
// module cache's read-only files.
func TestRealRepositoryUnchanged(t *testing.T) {
	if testing.Short() {
		t.Skip("audits a real module")
	}
	bin := build(t)
	out, err := exec.Command("go", "mod", "download", "-json", "github.com/rogpeppe/go-internal@v1.16.0").Output()
	if err != nil {
		t.Skipf("github.com/rogpeppe/go-internal@v1.16.0 cannot be downloaded (offline?): %v", err)
	}
	var dl struct{ Dir string }
	if err := json.Unmarshal(out, &dl); err != nil || dl.Dir == "" {
		t.Fatalf("go mod download: %v %s", err, out)
	}
	repo := filepath.Join(t.TempDir(), "go-internal")
	copyTree(t, dl.Dir, repo)
	// Files a repository has beside its module: a Dockerfile, a unit, a
	// workflow, a config, so that every step reads something.
	extra := map[string]string{
		"Dockerfile":               "FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/testscript ./cmd/testscript\nFROM gcr.io/distroless/static\nCOPY --from=build /out/testscript /testscript\nENTRYPOINT [\"/testscript\"]\n",
		"deploy/app.service":       "[Service]\nExecStart=/usr/local/bin/testscript\nEnvironment=GOGC=50\n",
		".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-go@v5\n        with:\n          go-version-file: go.mod\n      - run: go test ./...\n",
		".gocompat.yaml":           "version: 1\nfail-on: never\n",
	}
	for f, s := range extra {
		p := filepath.Join(repo, filepath.FromSlash(f))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Old modification times, so that a rewrite within the same clock
	// tick as the copy is still seen.
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	filepath.WalkDir(repo, func(p string, d fs.DirEntry, err error) error {
		return os.Chtimes(p, old, old)
	})
	before := snapshot(t, repo)
	for _, args := range [][]string{
		{"audit", "--fail-on", "never", "."},
		{"upgrade", "--fail-on", "never", "."},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Dir = repo
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("gocompat %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	after := snapshot(t, repo)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed: %s -> %q", k, v, after[k])
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			t.Errorf("%s appeared", k)
		}
	}
	t.Logf("%d entries unchanged", len(before))
}

// TestSignalWritesPartialReport sends a real SIGINT and SIGTERM to a real
// gocompat audit while its go vet runs (an empty build cache makes go
// vet compile the standard library first, so it runs for a while): the
// process writes the JSON report of the steps that finished, with one
// audit/interrupted finding naming the others, exits 2, and leaves no go
// vet, compiler or vet tool running behind it.
func TestSignalWritesPartialReport(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	bin := build(t)
	mod := t.TempDir()
	write(t, filepath.Join(mod, "go.mod"), "module example.com/sig\n\ngo 1.21\n")
	write(t, filepath.Join(mod, "loop.go"), "package sig\n\nimport \"fmt\"\n\nfunc L(xs []int) {\n\tfor _, x := range xs {\n\t\tgo func() { fmt.Println(x) }()\n\t}\n}\n")
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(bin, "audit", "--format", "json", mod)
			// Every process gocompat starts inherits this GOCACHE, which
			// marks them for the check at the end.
			cache := "GOCACHE=" + t.TempDir()
			// go vet's work directory, where the runtime's compile writes,
			// is made here: nothing may be left in it.
			tmp := t.TempDir()
			cmd.Env = append(os.Environ(), cache, "GOFLAGS=", "GOTOOLCHAIN=local", "TMPDIR="+tmp, "GOTMPDIR=", "GOENV=off")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			vet := waitForChild(t, cmd.Process.Pid, "-vettool=", done)
			// The compiler of package runtime, which takes seconds: left
			// to itself, it would outlive gocompat.
			waitForChild(t, vet, "-p\x00runtime\x00", done)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			var err error
			select {
			case err = <-done:
			case <-time.After(2 * time.Minute):
				cmd.Process.Kill()
				t.Fatalf("gocompat still runs 2 minutes after %v; stderr:\n%s", sig, stderr.String())
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 2 {
				t.Errorf("exit: %v, want status 2", err)
			}
			if !strings.Contains(stderr.String(), "interrupted") {
				t.Errorf("stderr does not say the run was interrupted:\n%s", stderr.String())
			}
			rep, derr := report.Decode(&stdout)
			if derr != nil {
				t.Fatalf("no report on stdout: %v\n%s", derr, stdout.String())
			}
			var stopped, finished []string
			for _, s := range rep.Steps {
				switch s.Status {
				case report.StepInterrupted:
					stopped = append(stopped, s.Family)
				case report.StepDone:
					finished = append(finished, s.Family)
				default:
					t.Errorf("step %s: %s", s.Family, s.Status)
				}
			}
			var fams []string
			for _, f := range rep.Findings {
				if f.Check == "audit/interrupted" {
					fams = append(fams, f.Details["families"])
				}
			}
			if len(fams) != 1 || fams[0] != strings.Join(stopped, ",") || len(finished) == 0 || !strings.Contains(fams[0], "loopvar") {
				t.Errorf("audit/interrupted findings name %q; steps stopped %v, finished %v", fams, stopped, finished)
			}
			// The go vet and everything it started are gone at once.
			deadline := time.Now().Add(250 * time.Millisecond)
			for {
				left := withEnv(cache)
				if len(left) == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Errorf("processes gocompat started still run after it exited: %v", left)
					for _, p := range left {
						syscall.Kill(p, syscall.SIGKILL)
					}
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			if ents, _ := os.ReadDir(tmp); len(ents) > 0 {
				var left []string
				for _, e := range ents {
					left = append(left, e.Name())
				}
				t.Errorf("left in the temporary directory: %q", left)
			}
		})
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// waitForChild waits for a child of pid whose command line (arguments
// separated by NUL bytes) holds arg, and returns its pid; it fails the
// test if gocompat ends first.
func waitForChild(t *testing.T, pid int, arg string, done <-chan error) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("gocompat ended (%v) before a child with %q started", err, arg)
		default:
		}
		ents, _ := os.ReadDir("/proc")
		for _, e := range ents {
			child, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			if _, ppid, _ := stat(child); ppid != pid {
				continue
			}
			cl, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
			if bytes.Contains(cl, []byte(arg)) {
				return child
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no child with %q started in 5 minutes", arg)
	return 0
}

// withEnv lists the live processes (not zombies) whose environment
// holds the variable kv.
func withEnv(kv string) []int {
	var out []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil || !slices.Contains(strings.Split(string(env), "\x00"), kv) {
			continue
		}
		if state, _, _ := stat(p); state != "" && state != "Z" {
			out = append(out, p)
		}
	}
	return out
}

// stat returns a process's state, parent and process group from
// /proc/PID/stat, whose second field (the command name, in parentheses)
// may hold spaces.
func stat(pid int) (state string, ppid, pgrp int) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return "", 0, 0
	}
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return "", 0, 0
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 3 {
		return "", 0, 0
	}
	ppid, _ = strconv.Atoi(f[1])
	pgrp, _ = strconv.Atoi(f[2])
	return f[0], ppid, pgrp
}
