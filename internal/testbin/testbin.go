// Package testbin builds small real Go programs for tests: a static
// pure-Go binary, a cgo binary linked against the C library, a musl-linked
// one, a PIE. Tests then read, match and run these instead of checked-in
// fixtures, so the expectations follow the installed toolchain. NewCgroup
// and Start run such programs as live processes, in a cgroup with a CPU
// quota and a memory limit, for tests that read running programs. It is
// imported by tests only.
package testbin

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// Program describes a program to build.
type Program struct {
	// Name of the output file.
	Name string
	// Main is the source of main.go; empty means a hello world.
	Main string
	// Env is added to the build environment (CGO_ENABLED=0, CC=musl-gcc …).
	Env []string
	// Flags are passed to go build before the package (-trimpath,
	// -buildmode=pie, -ldflags=…).
	Flags []string
	// Dep, if set, adds a required module example.com/dep replaced by a
	// local directory, so the build info has a dependency with a replace.
	Dep bool
	// Go is the go command to build with (see Toolchain); empty means the
	// one on PATH.
	Go string
	// GoLine is the go line of the program's go.mod; empty means 1.24.
	GoLine string
}

// Hello prints a line and exits 0.
const Hello = `package main

import "fmt"

func main() { fmt.Println("hello from go") }
`

// HelloCgo calls into C, so runtime/cgo and the C library are linked.
const HelloCgo = `package main

/*
#include <stdio.h>
static void hello(void) { printf("hello from c\n"); fflush(stdout); }
*/
import "C"

func main() { C.hello() }
`

const depMain = `package main

import (
	"fmt"

	"example.com/dep"
)

func main() { fmt.Println(dep.Greeting) }
`

// Build builds p in a fresh temporary directory and returns the binary's
// path. It skips the test if go is not on PATH and fails it if the build
// fails.
func Build(t testing.TB, p Program) string {
	t.Helper()
	goBin := p.Go
	if goBin == "" {
		var err error
		if goBin, err = exec.LookPath("go"); err != nil {
			t.Skip("go not on PATH")
		}
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	must(t, os.MkdirAll(src, 0o755))
	main := p.Main
	if main == "" {
		main = Hello
	}
	goLine := p.GoLine
	if goLine == "" {
		goLine = "1.24"
	}
	gomod := "module example.com/prog\n\ngo " + goLine + "\n"
	if p.Dep {
		main = depMain
		depDir := filepath.Join(dir, "depmod")
		must(t, os.MkdirAll(depDir, 0o755))
		must(t, os.WriteFile(filepath.Join(depDir, "go.mod"), []byte("module example.com/dep\n\ngo 1.24\n"), 0o644))
		must(t, os.WriteFile(filepath.Join(depDir, "dep.go"), []byte("package dep\n\nconst Greeting = \"hello from dep\"\n"), 0o644))
		gomod += "\nrequire example.com/dep v1.2.3\n\nreplace example.com/dep v1.2.3 => ../depmod\n"
	}
	must(t, os.WriteFile(filepath.Join(src, "go.mod"), []byte(gomod), 0o644))
	must(t, os.WriteFile(filepath.Join(src, "main.go"), []byte(main), 0o644))
	name := p.Name
	if name == "" {
		name = "prog"
	}
	out := filepath.Join(dir, name)
	args := append([]string{"build", "-o", out}, p.Flags...)
	args = append(args, ".")
	cmd := exec.Command(goBin, args...)
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod", "GOWORK=off")
	cmd.Env = append(cmd.Env, p.Env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s (env %s): %v\n%s", strings.Join(args, " "), strings.Join(p.Env, " "), err, b)
	}
	return out
}

// HaveCC reports whether the C compiler name ("gcc", "musl-gcc") is on
// PATH.
func HaveCC(name string) bool {
	_, err := exec.LookPath(name)
	return err == nil
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// GoVersionM runs `go version -m bin` and parses what it prints, with
// runtime/debug.ParseBuildInfo, into the Go version and build info.
func GoVersionM(t testing.TB, bin string) *debug.BuildInfo {
	t.Helper()
	out, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatalf("go version -m %s: %v", bin, err)
	}
	first, rest, _ := strings.Cut(string(out), "\n")
	i := strings.LastIndex(first, ": ")
	if i < 0 {
		t.Fatalf("go version -m %s: unexpected first line %q", bin, first)
	}
	var lines []string
	for _, l := range strings.Split(rest, "\n") {
		lines = append(lines, strings.TrimPrefix(l, "\t"))
	}
	bi, err := debug.ParseBuildInfo(strings.Join(lines, "\n"))
	if err != nil {
		t.Fatalf("go version -m %s: parse: %v\n%s", bin, err, out)
	}
	bi.GoVersion = first[i+2:]
	return bi
}

// DebianRootCache is where DebianRoot keeps the roots it creates, outside
// any repository, so that they are made once per machine.
const DebianRootCache = "/var/cache/gocompat-test"

// DebianRoot returns a Debian minbase root of the given suite, made with
// debootstrap from Debian's packages on first use and cached in
// DebianRootCache. It skips the test, saying why, when the root cannot be
// made (no debootstrap, not root, no network).
func DebianRoot(t testing.TB, suite string) string {
	t.Helper()
	dir := filepath.Join(DebianRootCache, suite)
	if _, err := os.Stat(filepath.Join(dir, "etc", "os-release")); err == nil {
		return dir
	}
	if os.Geteuid() != 0 {
		t.Skipf("no cached %s root in %s and debootstrap needs root", suite, dir)
	}
	deb, err := exec.LookPath("debootstrap")
	if err != nil {
		t.Skipf("no cached %s root in %s and debootstrap is not installed (apt-get install debootstrap)", suite, dir)
	}
	if err := os.MkdirAll(DebianRootCache, 0o755); err != nil {
		t.Skipf("cannot create %s: %v", DebianRootCache, err)
	}
	tmp, err := os.MkdirTemp(DebianRootCache, suite+".tmp-")
	if err != nil {
		t.Skipf("cannot create a directory in %s: %v", DebianRootCache, err)
	}
	cmd := exec.Command(deb, "--variant=minbase", suite, tmp, "http://deb.debian.org/debian")
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(tmp)
		tail := string(out)
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		t.Skipf("debootstrap %s failed (offline?): %v\n%s", suite, err, tail)
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if _, serr := os.Stat(filepath.Join(dir, "etc", "os-release")); serr == nil {
			return dir // made by a concurrent run
		}
		t.Skipf("cannot move the %s root into place: %v", suite, err)
	}
	return dir
}
