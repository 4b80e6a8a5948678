package rebuild

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/testbin"
)

const mainGo = `package main

import "fmt"

var version = "dev"

func main() { fmt.Println("app", version) }
`

// gitEnv makes commits reproducible and independent of the user's git
// configuration.
var gitEnv = []string{"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
	"GIT_COMMITTER_EMAIL=t@example.com", "GIT_AUTHOR_DATE=2024-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2024-01-02T03:04:05Z",
	"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1"}

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), gitEnv...), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// newRepo makes a git repository holding module example.com/app (go line
// goLine) with its main package in cmd/app, one commit.
func newRepo(t *testing.T, goLine string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := filepath.Join(t.TempDir(), "repo")
	if err := os.MkdirAll(filepath.Join(dir, "cmd", "app"), 0o755); err != nil {
		t.Fatal(err)
	}
	must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/app\n\ngo "+goLine+"\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "cmd", "app", "main.go"), []byte(mainGo), 0o644))
	run(t, dir, nil, "git", "init", "-q", "-b", "main")
	run(t, dir, nil, "git", "add", "-A")
	run(t, dir, nil, "git", "commit", "-qm", "first")
	return dir
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// build builds ./cmd/app in dir with goBin and flags, the way a release
// script would (VCS stamping on, the user's GOFLAGS cleared), into a file
// outside the repository.
func build(t *testing.T, goBin, dir string, env []string, flags ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "app")
	args := append([]string{"build", "-o", out}, flags...)
	if !slices.ContainsFunc(flags, func(f string) bool { return strings.HasPrefix(f, "-buildvcs") }) {
		// On the command line: a go env file may say -buildvcs=false.
		args = append(args, "-buildvcs=true")
	}
	args = append(args, "./cmd/app")
	run(t, dir, append([]string{"GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local"}, env...), goBin, args...)
	return out
}

// checkout is the state of the user's checkout that a rebuild must not
// change.
type checkout struct {
	status, head, worktrees string
	index                   time.Time
}

func snapshot(t *testing.T, dir string) checkout {
	t.Helper()
	dir = strings.TrimSpace(run(t, dir, nil, "git", "rev-parse", "--show-toplevel"))
	st, err := os.Stat(filepath.Join(dir, ".git", "index"))
	must(t, err)
	return checkout{
		status:    run(t, dir, []string{"GIT_OPTIONAL_LOCKS=0"}, "git", "status", "--porcelain", "--untracked-files=all"),
		head:      run(t, dir, nil, "git", "rev-parse", "HEAD"),
		worktrees: run(t, dir, nil, "git", "worktree", "list", "--porcelain"),
		index:     st.ModTime(),
	}
}

func checks(res *Result) []string {
	var ids []string
	for _, f := range res.Findings {
		ids = append(ids, f.Check)
	}
	slices.Sort(ids)
	return ids
}

func rebuild(t *testing.T, bin, src string, opt Options) *Result {
	t.Helper()
	res, _ := rebuildLog(t, bin, src, opt)
	return res
}

// rebuildLog rebuilds and returns the log too.
func rebuildLog(t *testing.T, bin, src string, opt Options) (*Result, string) {
	t.Helper()
	before := snapshot(t, src)
	opt.Src = src
	var log bytes.Buffer
	opt.Log = &log
	res, err := Run(context.Background(), bin, opt)
	if err != nil {
		t.Fatal(err)
	}
	if after := snapshot(t, src); after != before {
		t.Errorf("the rebuild changed the checkout:\n before %+v\n after  %+v", before, after)
	}
	if res.Command != "" && !strings.Contains(log.String(), "rebuild: building revision ") {
		t.Errorf("no note about the toolchain on the log: %q", log.String())
	}
	return res, log.String()
}

func goBin(t *testing.T) string {
	p, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not on PATH")
	}
	return p
}

func TestTrimpathReproduces(t *testing.T) {
	repo := newRepo(t, "1.24")
	bin := build(t, goBin(t), repo, []string{"CGO_ENABLED=0"}, "-trimpath")
	res := rebuild(t, bin, repo, Options{})
	if !res.Identical || !slices.Equal(checks(res), []string{"rebuild/reproduced"}) {
		t.Fatalf("rebuild of a -trimpath binary: identical=%v, findings %+v", res.Identical, res.Findings)
	}
	// --src may be any directory inside the repository.
	res = rebuild(t, bin, filepath.Join(repo, "cmd", "app"), Options{})
	if !res.Identical {
		t.Errorf("with --src in a subdirectory: findings %+v", res.Findings)
	}
	t.Logf("go build %v, whole rebuild %v", res.Build, res.Total)
}

func TestNoTrimpathElsewhere(t *testing.T) {
	repo := newRepo(t, "1.24")
	clone := filepath.Join(t.TempDir(), "elsewhere")
	run(t, repo, nil, "git", "clone", "-q", repo, clone)
	bin := build(t, goBin(t), clone, []string{"CGO_ENABLED=0"})
	res := rebuild(t, bin, repo, Options{})
	if res.Identical || !slices.Equal(checks(res), []string{"rebuild/embedded-path"}) {
		t.Fatalf("rebuild of a binary built without -trimpath elsewhere: findings %+v", res.Findings)
	}
	if got := res.Findings[0].Details["builtIn"]; got != clone {
		t.Errorf("built in %q, want %q (message %q)", got, clone, res.Findings[0].Message)
	}
}

func TestLdflags(t *testing.T) {
	repo := newRepo(t, "1.24")
	x := "-X main.version=1.2.3"

	// Without -trimpath the flags are recorded and used: the only cause
	// left is the path.
	bin := build(t, goBin(t), repo, []string{"CGO_ENABLED=0"}, "-ldflags="+x)
	if v, _ := mustRead(t, bin).Setting("-ldflags"); v != x {
		t.Fatalf("recorded -ldflags %q", v)
	}
	if res := rebuild(t, bin, repo, Options{}); !slices.Equal(checks(res), []string{"rebuild/embedded-path"}) {
		t.Errorf("-ldflags -X without -trimpath: findings %+v", res.Findings)
	}

	// With -trimpath Go does not record them: the rebuild says so, and
	// reproduces the binary once they are given.
	bin = build(t, goBin(t), repo, []string{"CGO_ENABLED=0"}, "-trimpath", "-ldflags="+x)
	if _, ok := mustRead(t, bin).Setting("-ldflags"); ok {
		t.Fatal("-ldflags recorded in a -trimpath build; the rebuild's premise changed")
	}
	if res := rebuild(t, bin, repo, Options{}); !slices.Equal(checks(res), []string{"rebuild/ldflags-not-recorded"}) {
		t.Errorf("-trimpath -ldflags -X: findings %+v", res.Findings)
	}
	if res := rebuild(t, bin, repo, Options{Ldflags: x, LdflagsSet: true}); !res.Identical {
		t.Errorf("-trimpath -ldflags -X rebuilt with --ldflags: findings %+v", res.Findings)
	}
}

func mustRead(t *testing.T, bin string) *binary.Info {
	t.Helper()
	info, err := binary.ReadFile(bin)
	must(t, err)
	return info
}

// A binary built by an older release is rebuilt with that release's own
// go command, taken through package toolchains (from the module cache,
// where testbin.Toolchain put it through GOTOOLCHAIN). Offline, with an
// empty module cache, the release cannot be had: a finding names it and
// GOPROXY, and nothing is built.
func TestOlderGo(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the rebuild with an older toolchain")
	}
	old := testbin.Toolchain(t, testbin.Go122)
	repo := newRepo(t, "1.22")
	bin := build(t, old, repo, []string{"CGO_ENABLED=0", "GOTOOLCHAIN=" + testbin.Go122}, "-trimpath")
	if gv := mustRead(t, bin).GoVersion; gv != testbin.Go122 {
		t.Fatalf("built by %s", gv)
	}
	res, log := rebuildLog(t, bin, repo, Options{})
	if !res.Identical {
		t.Fatalf("rebuild with %s: findings %+v", testbin.Go122, res.Findings)
	}
	if got := res.Findings[0].Details["go"]; got != testbin.Go122 {
		t.Errorf("rebuilt with %s", got)
	}
	if root := filepath.Dir(filepath.Dir(old)); !strings.Contains(log, "with "+testbin.Go122+" ("+root+")") {
		t.Errorf("the log does not name %s's GOROOT %s: %q", testbin.Go122, root, log)
	}
	if !strings.HasPrefix(res.Command, "GOTOOLCHAIN="+testbin.Go122+" ") {
		t.Errorf("command %q does not say how to take the release", res.Command)
	}

	offline := append(os.Environ(), "GOPROXY=off", "GOMODCACHE="+t.TempDir())
	res, log = rebuildLog(t, bin, repo, Options{Environ: offline})
	if res.Command != "" || !slices.Equal(checks(res), []string{"rebuild/toolchain-unavailable"}) {
		t.Fatalf("offline: command %q, findings %+v", res.Command, res.Findings)
	}
	if msg := res.Findings[0].Message; !strings.Contains(msg, testbin.Go122) || !strings.Contains(msg, "GOPROXY=off") {
		t.Errorf("offline: %q", msg)
	}
	if strings.Contains(log, "building revision") {
		t.Errorf("offline: the log says a build ran: %q", log)
	}
}

func TestModifiedAndLocalReplace(t *testing.T) {
	repo := newRepo(t, "1.24")
	// A dependency replaced by a directory outside the repository, and an
	// uncommitted change.
	dep := filepath.Join(t.TempDir(), "dep")
	must(t, os.MkdirAll(dep, 0o755))
	must(t, os.WriteFile(filepath.Join(dep, "go.mod"), []byte("module example.com/dep\n\ngo 1.24\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dep, "dep.go"), []byte("package dep\n\nconst V = \"dep\"\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(repo, "go.mod"), []byte("module example.com/app\n\ngo 1.24\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep => "+dep+"\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(repo, "cmd", "app", "main.go"), []byte("package main\n\nimport \"example.com/dep\"\n\nfunc main() { println(dep.V) }\n"), 0o644))
	run(t, repo, nil, "git", "commit", "-qam", "use dep")
	must(t, os.WriteFile(filepath.Join(repo, "cmd", "app", "extra.go"), []byte("package main\n\nvar extra = 1\n"), 0o644))
	bin := build(t, goBin(t), repo, []string{"CGO_ENABLED=0"}, "-trimpath")
	if v, _ := mustRead(t, bin).Setting("vcs.modified"); v != "true" {
		t.Fatalf("vcs.modified=%q", v)
	}
	res := rebuild(t, bin, repo, Options{})
	got := checks(res)
	for _, want := range []string{"rebuild/local-replace", "rebuild/source-modified"} {
		if !slices.Contains(got, want) {
			t.Errorf("findings %v lack %s", got, want)
		}
	}
}

func TestCannotRebuild(t *testing.T) {
	repo := newRepo(t, "1.24")
	other := newRepo(t, "1.23") // another first commit

	noVCS := build(t, goBin(t), repo, []string{"CGO_ENABLED=0"}, "-trimpath", "-buildvcs=false")
	if res := rebuild(t, noVCS, repo, Options{}); !slices.Equal(checks(res), []string{"rebuild/no-vcs"}) {
		t.Errorf("no VCS: findings %+v", res.Findings)
	}

	// Built in repo, rebuilt from a repository without that commit.
	bin := build(t, goBin(t), repo, []string{"CGO_ENABLED=0"}, "-trimpath")
	run(t, repo, nil, "git", "commit", "-q", "--amend", "--allow-empty", "-m", "rewritten")
	run(t, repo, nil, "git", "reflog", "expire", "--expire=now", "--all")
	run(t, repo, nil, "git", "gc", "-q", "--prune=now")
	if res := rebuild(t, bin, other, Options{}); !slices.Equal(checks(res), []string{"rebuild/revision-missing"}) {
		t.Errorf("revision missing: findings %+v", res.Findings)
	}

	// Stripped after the build.
	if strip, err := exec.LookPath("strip"); err == nil {
		repo2 := newRepo(t, "1.24")
		bin := build(t, goBin(t), repo2, []string{"CGO_ENABLED=0"}, "-trimpath")
		run(t, repo2, nil, strip, bin)
		if res := rebuild(t, bin, repo2, Options{}); !slices.Contains(checks(res), "rebuild/stripped") {
			t.Errorf("stripped: findings %+v", res.Findings)
		}
	}

	// Bad input is an error that names the file, never a panic.
	notGo := filepath.Join(t.TempDir(), "sh")
	data, _ := os.ReadFile("/bin/sh")
	must(t, os.WriteFile(notGo, data, 0o755))
	truncated := filepath.Join(t.TempDir(), "truncated")
	data, _ = os.ReadFile(bin)
	must(t, os.WriteFile(truncated, data[:len(data)/3], 0o755))
	empty := filepath.Join(t.TempDir(), "empty")
	must(t, os.WriteFile(empty, nil, 0o755))
	for _, p := range []string{notGo, truncated, empty, filepath.Join(t.TempDir(), "missing")} {
		if _, err := Run(context.Background(), p, Options{Src: repo}); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err %v, want one naming the file", p, err)
		}
	}
	// A source directory outside git is an error.
	if _, err := Run(context.Background(), bin, Options{Src: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "not in a git repository") {
		t.Errorf("--src outside git: err %v", err)
	}
}

// plan is judged from plain values: the cases no real build here can make
// (a Mercurial build, a development toolchain, a go build of files).
func TestPlanBlockers(t *testing.T) {
	base := func() *binary.Info {
		return &binary.Info{GoVersion: "go1.26.8", Path: "example.com/app/cmd/app", Main: binary.Module{Path: "example.com/app"},
			Settings: []binary.Setting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}, {Key: "GOOS", Value: "linux"}, {Key: "-trimpath", Value: "true"}}}
	}
	for _, tc := range []struct {
		name string
		edit func(*binary.Info)
		want string
	}{
		{"hg", func(i *binary.Info) { i.Settings[0].Value = "hg" }, "rebuild/vcs-not-git"},
		{"devel", func(i *binary.Info) { i.GoVersion = "devel go1.27-abcdef" }, "rebuild/toolchain-unavailable"},
		{"files", func(i *binary.Info) { i.Path = "command-line-arguments" }, "rebuild/not-module"},
		{"no vcs", func(i *binary.Info) { i.Settings = i.Settings[2:] }, "rebuild/no-vcs"},
		{"gccgo", func(i *binary.Info) {
			i.Settings = append(i.Settings, binary.Setting{Key: "-compiler", Value: "gccgo"})
		}, "rebuild/build-failed"},
	} {
		info := base()
		tc.edit(info)
		_, bl := plan(info, Options{})
		if len(bl) != 1 || bl[0].check.ID != tc.want {
			t.Errorf("%s: blockers %+v, want %s", tc.name, bl, tc.want)
		}
	}
	r, bl := plan(base(), Options{})
	if len(bl) != 0 || r.pkg != "./cmd/app" || !slices.Contains(r.flags, "-trimpath=true") || !slices.Contains(r.env, "GOTOOLCHAIN=go1.26.8") || !slices.Contains(r.env, "GOOS=linux") {
		t.Errorf("plan %+v, blockers %+v", r, bl)
	}
}

// FuzzCompare feeds arbitrary bytes to the parts that read the two files.
func FuzzCompare(f *testing.F) {
	if self, err := os.ReadFile("/proc/self/exe"); err == nil {
		f.Add(self[:min(len(self), 1<<16)])
	}
	f.Add([]byte("\x7fELF\x02\x01\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !equalMasked(data, data) {
			t.Fatal("a file differs from itself")
		}
		_ = builtIn(data, data, "/tmp/x")
		_ = noteDesc(data, ".note.go.buildid")
		if info, err := binary.Read("fuzz", bytes.NewReader(data)); err == nil {
			plan(info, Options{})
		}
	})
}
