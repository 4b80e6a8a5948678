package gosrc

// The packages of other modules a program links.
//
// The repository's own packages are read by Program with go/build, for
// the build's exact target. Where the program imports a package from
// another module, the go command says where that package is: `go list
// -deps` in the module that holds the main package, for the build's
// GOOS/GOARCH, cgo setting and tags, with the user's GOPROXY, so that it
// downloads what the module cache lacks (as go build would). The module
// cache therefore does not change the answer when the modules can be had;
// when they cannot (offline, GOPROXY=off, a go.sum entry missing), the
// program says which packages were not read and why (Program.Unread), and
// the checks hedge.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"

	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/module"
)

// Graph is what one `go list -deps` run said.
type Graph struct {
	// GOOS, GOARCH, Cgo and Tags are the build configuration it listed
	// the packages for.
	GOOS, GOARCH string
	Cgo          bool
	Tags         []string
	// Test is set when the test packages were listed too (-test).
	Test bool
	// Packages are the packages in go list's order; with Test, test
	// variants appear as "p [q.test]".
	Packages []ListedPackage

	byPath map[string]*ListedPackage
}

// ListedPackage is one package of a Graph.
type ListedPackage struct {
	ImportPath string
	Dir        string
	Standard   bool
	Imports    []string
	Module     *struct{ Path, Version string }
	Error      *struct{ Err string }
}

// Package returns the package with import path p (not a test variant).
func (g *Graph) Package(p string) (*ListedPackage, bool) {
	lp, ok := g.byPath[p]
	return lp, ok
}

// HostTarget is the build configuration the go command uses in environ
// when nothing is set: its GOOS, GOARCH and CGO_ENABLED.
func HostTarget(ctx context.Context, environ []string) (Target, error) {
	out, err := runGo(ctx, os.TempDir(), module.GoEnv(environ), "env", "GOOS", "GOARCH", "CGO_ENABLED")
	if err != nil {
		return Target{}, err
	}
	f := strings.Fields(string(out))
	if len(f) != 3 {
		return Target{}, fmt.Errorf("go env GOOS GOARCH CGO_ENABLED: unexpected output %q", out)
	}
	return Target{GOOS: f[0], GOARCH: f[1], Cgo: f[2] == "1"}, nil
}

// ListDeps runs `go list -e -deps` (with -test when test is set) on
// patterns in the module directory dir for t's GOOS, GOARCH, cgo setting
// and tags. The go command runs with environ under module.GoEnv: the
// installed toolchain, no workspace, no GOFLAGS; GOPROXY is the user's,
// so modules missing from the module cache are downloaded, and go.mod
// and go.sum are never written (-mod=readonly, the default). A package
// the go command could not load is listed with its Error; an error that
// stops go list as a whole (a go.mod it cannot use) is returned, in
// short.
func ListDeps(ctx context.Context, dir string, environ []string, t Target, test bool, patterns ...string) (*Graph, error) {
	goos, goarch := t.GOOS, t.GOARCH
	if goos == "" {
		goos = "linux"
	}
	if goarch == "" {
		goarch = "amd64"
	}
	cgo := "0"
	if t.Cgo {
		cgo = "1"
	}
	env := module.GoEnv(environ, "GO111MODULE=on", "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED="+cgo)
	args := []string{"list", "-e", "-deps", "-json=ImportPath,Dir,Standard,Imports,Module,Error"}
	if test {
		args = append(args, "-test")
	}
	if len(t.Tags) > 0 {
		args = append(args, "-tags="+strings.Join(t.Tags, ","))
	}
	args = append(args, "--")
	out, err := runGo(ctx, dir, env, append(args, patterns...)...)
	if err != nil {
		return nil, err
	}
	g := &Graph{GOOS: goos, GOARCH: goarch, Cgo: t.Cgo, Tags: t.Tags, Test: test, byPath: map[string]*ListedPackage{}}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p ListedPackage
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("go list output: %w", err)
		}
		g.Packages = append(g.Packages, p)
	}
	for i := range g.Packages {
		p := &g.Packages[i]
		if strings.Contains(p.ImportPath, " ") || strings.HasSuffix(p.ImportPath, ".test") && p.Dir == "" {
			continue // a test variant or a generated test main
		}
		if _, dup := g.byPath[p.ImportPath]; !dup {
			g.byPath[p.ImportPath] = p
		}
	}
	return g, nil
}

// runGo runs the go command and returns its output; its error says the
// first line of what the go command printed.
func runGo(ctx context.Context, dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir, cmd.Env = dir, env
	out, stderr, err := childproc.Output(ctx, cmd)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		msg := ShortError(string(stderr))
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("go %s: %s", args[0], msg)
	}
	return out, nil
}

// ShortError is the first message of a go command's error output: its
// first non-empty line with the indented lines that continue it ("to
// add:\n\tgo get …"), on one line, clipped to 300 bytes.
func ShortError(s string) string {
	var parts []string
	for _, line := range strings.Split(s, "\n") {
		indented := strings.HasPrefix(line, "\t") || strings.HasPrefix(line, " ")
		line = strings.TrimSpace(line)
		if line == "" {
			if len(parts) > 0 {
				break
			}
			continue
		}
		if len(parts) > 0 && !indented {
			break
		}
		parts = append(parts, line)
	}
	msg := strings.Join(parts, " ")
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return msg
}

// Loader lists, once per module, package and build configuration, where
// the packages of other modules that a program imports are (ListDeps).
// It is safe for concurrent use.
type Loader struct {
	// Environ is the environment the go command runs with (module.GoEnv
	// is applied).
	Environ []string
	// Shared, if set, returns a listing of every package of the module
	// in dir that the run already makes for other checks (the upgrade
	// step's `go list -deps -test ./...`). A program built for that
	// listing's GOOS and GOARCH resolves its imports from it and costs
	// no go list of its own, unless it imports a package the listing
	// does not hold (one only another cgo setting or other tags bring).
	Shared func(ctx context.Context, dir string) (*Graph, error)

	mu    sync.Mutex
	loads map[string]*loaded
}

type loaded struct {
	mu   sync.Mutex
	done bool
	g    *Graph
	err  error
}

// Graph returns a listing that holds the packages program pkg (an import
// path of the module in dir) links for t: the shared one when own is
// false and it is for t's GOOS and GOARCH, else pkg's own (go list -deps
// pkg for t), made once.
func (l *Loader) Graph(ctx context.Context, dir, pkg string, t Target, own bool) (*Graph, error) {
	if !own && l.Shared != nil {
		g, err := l.Shared(ctx, dir)
		if err == nil && g.GOOS == orDefault(t.GOOS, "linux") && g.GOARCH == orDefault(t.GOARCH, "amd64") {
			return g, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	key := dir + "\x00" + pkg + "\x00" + t.buildKey()
	l.mu.Lock()
	if l.loads == nil {
		l.loads = map[string]*loaded{}
	}
	e := l.loads[key]
	if e == nil {
		e = &loaded{}
		l.loads[key] = e
	}
	l.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.done {
		return e.g, e.err
	}
	g, err := ListDeps(ctx, dir, l.Environ, t, false, pkg)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return nil, err // another caller may have time left
	}
	e.g, e.err, e.done = g, err, true
	return g, err
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// buildKey is what the go command's listing depends on: the target
// without the Go release (the installed go command lists).
func (t Target) buildKey() string {
	return fmt.Sprintf("%s/%s/%v/%s", orDefault(t.GOOS, "linux"), orDefault(t.GOARCH, "amd64"), t.Cgo, strings.Join(t.Tags, ","))
}
