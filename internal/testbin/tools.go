package testbin

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// ToolCache is where Tool keeps the peer programs it installs, outside any
// repository, so that each pinned version is built once per machine.
var ToolCache = filepath.Join(DebianRootCache, "bin")

// Tool returns the path of a peer program that a test compares gocompat
// with, installed with `go install PKG@VERSION` into ToolCache on first use
// (through the module proxy) and kept there. pkgVersion is the full
// argument of go install, e.g. "golang.org/x/vuln/cmd/govulncheck@v1.9.0";
// the version must be pinned (no @latest), so every run compares with the
// same peer. It skips the test, saying why, when the program cannot be
// installed (offline, no go).
func Tool(t testing.TB, pkgVersion string) string {
	t.Helper()
	pkg, version, ok := strings.Cut(pkgVersion, "@")
	if !ok || version == "" || version == "latest" {
		t.Fatalf("testbin.Tool(%q): want PKG@VERSION with a pinned version", pkgVersion)
	}
	name := filepath.Base(pkg)
	if strings.HasPrefix(name, "v") && strings.Trim(name[1:], "0123456789") == "" { // .../cmd/x/v2
		name = filepath.Base(filepath.Dir(pkg))
	}
	dir := filepath.Join(ToolCache, name+"@"+version)
	bin := filepath.Join(dir, name)
	if st, err := os.Stat(bin); err == nil && st.Mode().IsRegular() {
		return bin
	}
	toolMu.Lock()
	defer toolMu.Unlock()
	if st, err := os.Stat(bin); err == nil && st.Mode().IsRegular() {
		return bin
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not on PATH")
	}
	if err := os.MkdirAll(ToolCache, 0o755); err != nil {
		t.Skipf("cannot create %s: %v", ToolCache, err)
	}
	tmp, err := os.MkdirTemp(ToolCache, name+".tmp-")
	if err != nil {
		t.Skipf("cannot create a directory in %s: %v", ToolCache, err)
	}
	defer os.RemoveAll(tmp)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, "install", pkgVersion)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("go install %s failed (offline?): %v\n%s", pkgVersion, err, tail(out))
	}
	if err := os.Rename(tmp, dir); err != nil {
		if st, serr := os.Stat(bin); serr == nil && st.Mode().IsRegular() {
			return bin // installed by a concurrent run
		}
		t.Skipf("cannot move %s into place: %v", name, err)
	}
	return bin
}

var toolMu sync.Mutex

// Toolchain returns the go command of the Go release version ("go1.27.4"),
// taken the way the go command takes one: `GOTOOLCHAIN=version go env
// GOROOT` downloads the golang.org/toolchain module through GOPROXY into
// the module cache (checksum-verified against the checksum database) on
// first use; later calls find it there. The installed release is returned
// as it is. It skips the test, saying why, when the release cannot be had.
func Toolchain(t testing.TB, version string) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not on PATH")
	}
	if !strings.HasPrefix(version, "go1.") {
		t.Fatalf("testbin.Toolchain(%q): want a release such as go1.27.4", version)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, "env", "GOROOT")
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN="+version, "GOFLAGS=", "GOWORK=off")
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Skipf("GOTOOLCHAIN=%s go env GOROOT failed (offline?): %v\n%s", version, err, tail(stderr))
	}
	root := strings.TrimSpace(string(out))
	bin := filepath.Join(root, "bin", "go")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("GOTOOLCHAIN=%s: no go command in %s: %v", version, root, err)
	}
	return bin
}

func tail(b []byte) string {
	const max = 2000
	if len(b) > max {
		return fmt.Sprintf("…%s", b[len(b)-max:])
	}
	return string(b)
}

// Releases the tests take through the module proxy besides the installed
// one. Tests share these few, so a machine downloads each once: the newest
// release, and the last patch releases of two older minors (1.21 is the
// first release published as a golang.org/toolchain module).
const (
	NewestRelease = "go1.27.4"
	Go122         = "go1.22.12"
	Go121         = "go1.21.13"
)

// EmptyModCache returns an empty module cache (a GOMODCACHE) for one
// test, removed after it with go clean -modcache (the go command makes
// the files it extracts read-only, which t.TempDir could not remove).
func EmptyModCache(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	t.Cleanup(func() {
		cmd := exec.Command("go", "clean", "-modcache")
		cmd.Env = append(os.Environ(), "GOMODCACHE="+dir, "GOFLAGS=", "GOTOOLCHAIN=local")
		_ = cmd.Run()
	})
	return dir
}
