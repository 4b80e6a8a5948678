// Package modhealth reads what the go command knows about a module's
// requirements: the module graph with each module's go line
// (`go list -m -json all`), retractions, deprecations and available
// updates (`-u -retracted`, which ask the module proxy), and the
// packages whose module has no go.sum entry (`go list -e -deps`). It
// runs the go command and extracts; it does not judge, and it never
// writes go.mod or go.sum (the go command runs with -mod=readonly).
package modhealth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"

	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/module"
)

// Module is one module of `go list -m -json` (the fields read here).
type Module struct {
	Path       string
	Version    string
	Main       bool
	Indirect   bool
	Dir        string
	GoVersion  string
	Retracted  []string
	Deprecated string
	Update     *struct{ Version string }
	Replace    *struct {
		Path    string
		Version string
	}
	Error *struct{ Err string }
}

// Info is what List found.
type Info struct {
	Modules []Module
	// Offline is set, with the go command's reason, when the proxy could
	// not be asked: retractions, deprecations and updates are then
	// unknown, and Modules comes from the module cache alone.
	Offline string
	// MissingSums are the go command's "missing go.sum entry" errors,
	// by package import path.
	MissingSums map[string]string
}

// List runs the go command in dir (a module root) with environ (the
// user's environment; see module.GoEnv for what is overridden, except
// GOTOOLCHAIN, which is the user's).
func List(ctx context.Context, dir string, environ []string) (*Info, error) {
	// The go command selects the toolchain as a build would (the user's
	// GOTOOLCHAIN, else auto), so a go line newer than the installed Go
	// is read by the Go it asks for.
	toolchain := "GOTOOLCHAIN=auto"
	for _, kv := range environ {
		if strings.HasPrefix(kv, "GOTOOLCHAIN=") {
			toolchain = kv
		}
	}
	env := module.GoEnv(environ, "GOFLAGS=-mod=readonly", toolchain)
	info := &Info{}
	proxyOff := false
	for _, kv := range env {
		if kv == "GOPROXY=off" {
			proxyOff = true
		}
	}
	out, stderr, err := run(ctx, dir, env, "list", "-m", "-json", "-u", "-retracted", "all")
	// Offline, -e lists every module of the graph even when the module
	// cache lacks the go.mod of some (a module only tests of a
	// dependency need): those carry an Error and are judged on what
	// go.mod says of them, instead of failing the whole list.
	switch {
	case proxyOff:
		info.Offline = "GOPROXY=off"
		out, stderr, err = run(ctx, dir, env, "list", "-m", "-e", "-json", "all")
	case err != nil && netError(stderr):
		info.Offline = firstLine(stderr)
		out, stderr, err = run(ctx, dir, append(env, "GOPROXY=off"), "list", "-m", "-e", "-json", "all")
	}
	if err != nil {
		return nil, fmt.Errorf("go list -m all in %s: %s", dir, firstLine(stderr))
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var m Module
		if err := dec.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list -m -json: %v", err)
		}
		info.Modules = append(info.Modules, m)
	}
	out, _, err = run(ctx, dir, append(env, "GOPROXY=off"), "list", "-e", "-deps", "-json=ImportPath,Error", "./...")
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(out))
		for {
			var p struct {
				ImportPath string
				Error      *struct{ Err string }
			}
			if err := dec.Decode(&p); err != nil {
				break
			}
			if p.Error != nil && strings.Contains(p.Error.Err, "missing go.sum entry") {
				if info.MissingSums == nil {
					info.MissingSums = map[string]string{}
				}
				info.MissingSums[p.ImportPath] = p.Error.Err
			}
		}
	}
	return info, nil
}

func run(ctx context.Context, dir string, env []string, args ...string) ([]byte, string, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir, cmd.Env = dir, env
	stdout, stderr, err := childproc.Output(ctx, cmd)
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return nil, err.Error(), err
	}
	return stdout, string(stderr), err
}

// netError tells the go command's failures to reach a proxy from other
// failures (a go.mod that does not parse, a missing module).
func netError(stderr string) bool {
	for _, s := range []string{"dial tcp", "no such host", "i/o timeout", "connection refused", "TLS handshake", "module lookup disabled", "network is unreachable", "proxyconnect"} {
		if strings.Contains(stderr, s) {
			return true
		}
	}
	return false
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
