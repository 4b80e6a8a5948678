package toolchain

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/finding"
)

func TestParseGotoolchain(t *testing.T) {
	for _, tc := range []struct{ in, base, mode, err string }{
		{"local", "local", "", ""},
		{"auto", "local", "auto", ""},
		{"path", "local", "path", ""},
		{"go1.26.0", "go1.26.0", "", ""},
		{"go1.26.0+auto", "go1.26.0", "auto", ""},
		{"local+path", "local", "path", ""},
		{"go1.26.0+never", "", "", "after +"},
		{"1.26", "", "", "invalid GOTOOLCHAIN"},
		{"latest", "", "", "invalid GOTOOLCHAIN"},
	} {
		base, mode, err := parseGotoolchain(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || base != tc.base || mode != tc.mode {
			t.Errorf("%q = %q, %q, %v; want %q, %q", tc.in, base, mode, err, tc.base, tc.mode)
		}
	}
}

func TestUnusableDir(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{
		dir:                                "",
		filepath.Join(dir, "new", "cache"): "",
		file:                               "is a file",
		filepath.Join(file, "sub"):         "is a file",
	} {
		if got := unusableDir(p); (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("unusableDir(%s) = %q, want %q", p, got, want)
		}
	}
	if os.Geteuid() != 0 {
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		if got := unusableDir(ro); !strings.Contains(got, "not writable") {
			t.Errorf("read-only dir: %q", got)
		}
	}
}

func TestLookAllAndEnvFile(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if err := os.WriteFile(filepath.Join(d, "go"), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(a, "gofmt"), nil, 0o644); err != nil { // not executable
		t.Fatal(err)
	}
	if got := lookAll("go", a+":"+b); len(got) != 2 || got[0] != filepath.Join(a, "go") {
		t.Errorf("lookAll = %v", got)
	}
	if got := lookAll("gofmt", a); got != nil {
		t.Errorf("non-executable found: %v", got)
	}
	env := filepath.Join(a, "env")
	if err := os.WriteFile(env, []byte("# comment\nGOFLAGS=-mod=mod\nGOTOOLCHAIN=go1.26.0+auto\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := readEnvFile(env, "GOTOOLCHAIN"); got != "go1.26.0+auto" {
		t.Errorf("readEnvFile = %q", got)
	}
}

// fakeRun answers go commands from a table, so the go.mod logic can be
// tested for toolchain versions this machine does not have. Everything
// else in this package is tested against the real toolchain through the
// CLI scripts (internal/cli/testdata/script).
func TestGoModNeedsNewer(t *testing.T) {
	dir := t.TempDir()
	write := func(content string) {
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	check := func(environ []string) []finding.Finding {
		d := &doctor{env: Env{Environ: environ, Dir: dir, Now: time.Now}}
		d.checkGoMod(goEnv{GOVERSION: "go1.25.3", GOPROXY: "https://proxy.golang.org,direct"})
		return d.findings
	}
	write("module m\n\ngo 1.26.1\n")
	fs := check([]string{"GOTOOLCHAIN=auto"})
	if len(fs) != 1 || fs[0].Severity != finding.Warning || fs[0].Location.Line != 3 || !strings.Contains(fs[0].Message, "downloads go1.26.1") {
		t.Fatalf("auto: %+v", fs)
	}
	fs = check([]string{"GOTOOLCHAIN=auto", "GOPROXY=off"})
	if len(fs) != 1 || fs[0].Severity != finding.Error {
		t.Fatalf("auto, GOPROXY=off: %+v", fs)
	}
	fs = check([]string{"GOTOOLCHAIN=local"})
	if len(fs) != 1 || fs[0].Severity != finding.Error || !strings.Contains(fs[0].Message, "requires go >= 1.26.1 (running go 1.25.3; GOTOOLCHAIN=local)") {
		t.Fatalf("local: %+v", fs)
	}
	// A forced newer toolchain that satisfies the line: nothing to say.
	if fs = check([]string{"GOTOOLCHAIN=go1.27.0"}); len(fs) != 0 {
		t.Fatalf("forced go1.27.0: %+v", fs)
	}
	// The toolchain line wins when it is newer than the go line.
	write("module m\n\ngo 1.25.0\n\ntoolchain go1.27.0\n")
	fs = check([]string{"GOTOOLCHAIN=auto"})
	if len(fs) != 1 || fs[0].Location.Line != 5 || !strings.Contains(fs[0].Message, "toolchain go1.27.0") {
		t.Fatalf("toolchain line: %+v", fs)
	}
	write("module m\n\ngo 1.24\n")
	if fs = check([]string{"GOTOOLCHAIN=local"}); len(fs) != 0 {
		t.Fatalf("older go line: %+v", fs)
	}
	fs = check([]string{"GOTOOLCHAIN=bogus"})
	if len(fs) != 1 || fs[0].Check != GotoolchainInvalid.ID {
		t.Fatalf("bogus: %+v", fs)
	}
}

// A sound toolchain (the one running this test) gives no finding above info.
func TestDoctorOnThisToolchain(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go on PATH")
	}
	home := t.TempDir()
	gopath := filepath.Join(home, "go")
	environ := []string{
		"PATH=" + filepath.Dir(goBin) + ":" + filepath.Join(gopath, "bin") + ":/usr/bin:/bin",
		"HOME=" + home, "GOPATH=" + gopath, "GOTOOLCHAIN=local",
	}
	if c := os.Getenv("GOCACHE"); c != "" {
		environ = append(environ, "GOCACHE="+c)
	} else if out, err := exec.Command("go", "env", "GOCACHE").Output(); err == nil {
		environ = append(environ, "GOCACHE="+strings.TrimSpace(string(out)))
	}
	fs, subj := Doctor(context.Background(), Env{Environ: environ, Dir: t.TempDir()})
	for _, f := range fs {
		if f.Severity > finding.Info && f.Check != GoUnsupported.ID {
			t.Errorf("unexpected finding on a sound toolchain: %s %s", f.Check, f.Message)
		}
	}
	if len(subj) != 1 || !strings.HasPrefix(subj[0].Name, "go1.") {
		t.Fatalf("subjects = %+v", subj)
	}
	out, _ := exec.Command(goBin, "version").Output()
	if want := strings.Fields(string(out))[2]; !strings.HasPrefix(subj[0].Name, want+" ") {
		t.Errorf("subject %q does not name %q from go version", subj[0].Name, want)
	}
}

// --online probes the first proxy in GOPROXY; a proxy that refuses
// connections (a closed port on loopback) is reported, one that answers is
// not.
func TestOnlineProxy(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/golang.org/toolchain/@v/list" {
			t.Errorf("probed %s", r.URL.Path)
		}
		fmt.Fprintln(w, "v0.0.1-go1.26.0.linux-amd64")
	}))
	defer srv.Close()
	d := &doctor{env: Env{Now: time.Now}}
	d.checkProxy(context.Background(), goEnv{GOPROXY: srv.URL + ",direct"})
	if len(d.findings) != 0 {
		t.Fatalf("reachable proxy reported: %+v", d.findings)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	d.checkProxy(context.Background(), goEnv{GOPROXY: closed + "|" + srv.URL})
	if len(d.findings) != 1 || d.findings[0].Check != GoproxyUnreachable.ID || !strings.Contains(d.findings[0].Message, closed) {
		t.Fatalf("closed proxy: %+v", d.findings)
	}
	d.findings = nil
	d.checkProxy(context.Background(), goEnv{GOPROXY: "off"})
	if len(d.findings) != 0 {
		t.Fatalf("GOPROXY=off probed: %+v", d.findings)
	}
}

func TestGotoolchainPinned(t *testing.T) {
	envFile := filepath.Join(t.TempDir(), "env")
	check := func(environ []string) []finding.Finding {
		d := &doctor{env: Env{Environ: environ, Dir: t.TempDir(), Now: time.Now}}
		d.checkGotoolchainPin(goEnv{GOVERSION: "go1.26.8", GOROOT: "/usr/local/go", GOENV: envFile})
		return d.findings
	}
	fs := check([]string{"GOTOOLCHAIN=go1.27.4"})
	if len(fs) != 1 || fs[0].Check != GotoolchainPinned.ID || !strings.Contains(fs[0].Message, "run go1.27.4, which is newer than the installed go1.26.8") ||
		!strings.Contains(fs[0].Message, "from the environment") {
		t.Fatalf("pinned newer: %+v", fs)
	}
	fs = check([]string{"GOTOOLCHAIN=go1.22.12+auto"})
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "older than") || !strings.Contains(fs[0].Message, "With +auto") {
		t.Fatalf("pinned older +auto: %+v", fs)
	}
	for _, v := range []string{"local", "auto", "path", "go1.26.8", "bogus"} {
		if fs := check([]string{"GOTOOLCHAIN=" + v}); len(fs) != 0 {
			t.Errorf("GOTOOLCHAIN=%s: %+v", v, fs)
		}
	}
	// Set by go env -w: the origin is the go env file.
	if err := os.WriteFile(envFile, []byte("GOTOOLCHAIN=go1.27.4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fs = check(nil)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "go env file "+envFile) {
		t.Fatalf("go env -w: %+v", fs)
	}
}
