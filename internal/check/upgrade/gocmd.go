package upgrade

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/fsread"
	"github.com/gocompat/gocompat/internal/module"
	"github.com/gocompat/gocompat/internal/toolchains"
)

// goEnv is the environment every go command of this package runs with:
// module.GoEnv (the user's, with GOTOOLCHAIN=local, GOWORK=off and their
// GOFLAGS dropped) with GOFLAGS=-mod=mod, so that a missing go.sum entry
// is added to the temporary copy instead of failing, then extra on top.
// None of it can write the user's go.mod or go.sum: every command gets
// -modfile=<copy>.
func goEnv(environ []string, extra ...string) []string {
	return module.GoEnv(environ, append([]string{"GOFLAGS=-mod=mod"}, extra...)...)
}

// runGo runs the go command on PATH in dir and returns stdout and stderr.
func runGo(ctx context.Context, dir string, env []string, args ...string) (stdout, stderr []byte, err error) {
	return runGoWith(ctx, "go", dir, env, args...)
}

// runGoWith runs the go command goBin in dir.
func runGoWith(ctx context.Context, goBin, dir string, env []string, args ...string) (stdout, stderr []byte, err error) {
	cmd := exec.CommandContext(ctx, goBin, args...)
	cmd.Dir, cmd.Env = dir, env
	return childproc.Output(ctx, cmd)
}

// modCopy is a temporary go.mod (and go.sum beside it) for -modfile.
type modCopy struct {
	dir string
	// Mod is the path to pass as -modfile.
	Mod string
}

// newModCopy writes m's go.mod, with its go line set to goLine when that
// is not empty, and its go.sum (if any) into a new temporary directory.
// A toolchain line older than the new go line is dropped, as the go
// command would do when raising the go line.
func newModCopy(m *module.Module, name, goLine string) (*modCopy, error) {
	dir, err := os.MkdirTemp("", "gocompat-upgrade-")
	if err != nil {
		return nil, err
	}
	data := m.GoModData
	if goLine != "" {
		data = withGoLine(m.Mod, data, goLine)
	}
	c := &modCopy{dir: dir, Mod: filepath.Join(dir, name+".mod")}
	if err := os.WriteFile(c.Mod, data, 0o644); err != nil {
		c.Close()
		return nil, err
	}
	sum, err := fsread.ReadFile(filepath.Join(m.Dir, "go.sum"), fsread.SourceLimit)
	if err != nil && !os.IsNotExist(err) {
		c.Close()
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, name+".sum"), sum, 0o644); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Close removes the copy.
func (c *modCopy) Close() { os.RemoveAll(c.dir) }

// withGoLine returns data with the go line replaced by "go goLine" (or
// added after the module line), byte for byte otherwise, and a toolchain
// line older than goLine removed.
func withGoLine(mod *module.GoMod, data []byte, goLine string) []byte {
	type edit struct {
		span module.Span
		text string
	}
	var edits []edit
	if mod.GoLine > 0 {
		edits = append(edits, edit{mod.GoSpan, "go " + goLine})
	} else {
		// Insert after the first line break following the module line (or at the start).
		at := 0
		if i := bytes.IndexByte(data, '\n'); i >= 0 && mod.ModuleLine == 1 {
			at = i + 1
		}
		edits = append(edits, edit{module.Span{Start: at, End: at}, "\ngo " + goLine + "\n"})
	}
	if mod.ToolchainLine > 0 && versionLess(mod.Toolchain, "go"+goLine) {
		edits = append(edits, edit{mod.ToolchainSpan, ""})
	}
	// Apply from the end so earlier spans stay valid.
	if len(edits) == 2 && edits[1].span.Start > edits[0].span.Start {
		edits[0], edits[1] = edits[1], edits[0]
	}
	out := append([]byte(nil), data...)
	for _, e := range edits {
		out = append(out[:e.span.Start:e.span.Start], append([]byte(e.text), out[e.span.End:]...)...)
	}
	return out
}

// goToolchain is a toolchain the go commands of a run use.
type goToolchain struct {
	Version string // "go1.26.8"
	GOROOT  string
	// Go is its go command; empty means the go command on PATH.
	Go string
	// unavailable, when set, says that the target release could not be
	// had and this toolchain only stands in for it.
	unavailable string
}

func (t *goToolchain) goBin() string {
	if t.Go != "" {
		return t.Go
	}
	return "go"
}

// env is goEnv for this toolchain: a toolchain other than the one on
// PATH also gets its GOROOT, so that a GOROOT in the user's environment
// cannot pair its go command with another release's standard library.
func (t *goToolchain) env(environ []string, extra ...string) []string {
	if t.Go != "" {
		extra = append([]string{"GOROOT=" + t.GOROOT}, extra...)
	}
	return goEnv(environ, extra...)
}

// run runs this toolchain's go command in dir.
func (t *goToolchain) run(ctx context.Context, dir string, environ []string, extraEnv []string, args ...string) (stdout, stderr []byte, err error) {
	return runGoWith(ctx, t.goBin(), dir, t.env(environ, extraEnv...), args...)
}

func fromToolchain(tc toolchains.Toolchain) *goToolchain {
	return &goToolchain{Version: tc.Version, GOROOT: tc.GOROOT, Go: tc.Go}
}

// Toolchain asks the go command on PATH (with GOTOOLCHAIN=local) for its
// version and GOROOT.
func Toolchain(ctx context.Context, environ []string) (goToolchain, error) {
	dir, err := os.MkdirTemp("", "gocompat-env-")
	if err != nil {
		return goToolchain{}, err
	}
	defer os.RemoveAll(dir)
	out, stderr, err := runGo(ctx, dir, goEnv(environ), "env", "GOVERSION", "GOROOT")
	if err != nil {
		return goToolchain{}, fmt.Errorf("go env: %w: %s", err, firstLines(stderr, 3))
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		return goToolchain{}, fmt.Errorf("go env GOVERSION GOROOT: unexpected output %q", out)
	}
	return goToolchain{Version: strings.TrimSpace(lines[0]), GOROOT: strings.TrimSpace(lines[1])}, nil
}

func firstLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("… (%d more lines)", len(lines)-n))
	}
	return strings.Join(lines, "; ")
}

// ModCopy writes m's go.mod, with its go line set to goLine unless that
// is empty, and its go.sum into a new temporary directory, and returns
// the path to pass as -modfile and the function that removes the copy.
// Nothing of the module is written.
func ModCopy(m *module.Module, name, goLine string) (string, func(), error) {
	c, err := newModCopy(m, name, goLine)
	if err != nil {
		return "", nil, err
	}
	return c.Mod, c.Close, nil
}
