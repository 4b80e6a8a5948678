package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/testbin"
)

func TestBinaryUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"binary"},
		{"binary", "--target", "no-such-distro", "."},
		{"binary", "--target", "root:/no/such/dir", "."},
		{"host", "extra"},
		{"host", "--root", "/no/such/dir"},
		{"audit", "--target", "no-such-distro"},
	} {
		var errb bytes.Buffer
		code := Main(context.Background(), Invocation{Args: args, Stdout: &bytes.Buffer{}, Stderr: &errb})
		if code != ExitError || strings.Count(strings.TrimSpace(errb.String()), "\n") > 0 {
			t.Errorf("gocompat %s: exit %d, stderr %q; want 2 and one line", strings.Join(args, " "), code, errb.String())
		}
	}
}

func TestBinaryMatrixText(t *testing.T) {
	static := testbin.Build(t, testbin.Program{Name: "static", Env: []string{"CGO_ENABLED=0"}})
	dir := filepath.Dir(static)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a binary"), 0o755)
	var out bytes.Buffer
	code := Main(context.Background(), Invocation{
		Args:   []string{"-C", dir, "binary", ".", "--target", "scratch", "--target", "debian-12", "--color", "never"},
		Stdout: &out, Stderr: &out,
	})
	if code != ExitOK {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	s := out.String()
	for _, want := range []string{
		"binary: static: go1.", // the binary, relative to -C
		"target: scratch: ",
		"runs-on: binary  scratch",
		"runs-on: static  runs",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "notes.txt") {
		t.Errorf("a non-Go file in a directory was reported:\n%s", s)
	}
}

func TestBinaryNamedNonGoFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "script.sh")
	os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755)
	rep, code := runJSON(t, "binary", p, "--target", "scratch")
	if code != ExitOK || len(rep.Findings) != 1 || rep.Findings[0].Check != "binary/not-go-binary" {
		t.Errorf("named script: exit %d, %+v", code, rep.Findings)
	}
	trunc := filepath.Join(t.TempDir(), "cut")
	b, _ := os.ReadFile(testbin.Build(t, testbin.Program{Env: []string{"CGO_ENABLED=0"}}))
	os.WriteFile(trunc, b[:len(b)/3], 0o755)
	rep, code = runJSON(t, "binary", filepath.Dir(trunc), "--target", "scratch")
	if code != ExitFindings || len(rep.Findings) != 1 || rep.Findings[0].Check != "binary/not-readable" {
		t.Errorf("truncated binary in a directory: exit %d, %+v", code, rep.Findings)
	}
}

func TestHostCommand(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	rep, _ := runJSON(t, "host")
	if len(rep.Subjects) != 1 || rep.Subjects[0].Kind != "host" || rep.Subjects[0].Attributes["kernel"] == "" {
		t.Fatalf("host subjects: %+v", rep.Subjects)
	}
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "etc"), 0o755)
	os.WriteFile(filepath.Join(root, "etc", "os-release"), []byte("PRETTY_NAME=\"Fixture OS\"\n"), 0o644)
	rep, _ = runJSON(t, "host", "--root", root)
	if a := rep.Subjects[0].Attributes; a["os"] != "Fixture OS" || a["libc"] != "none" || !strings.HasPrefix(a["kernel"], "unknown: ") {
		t.Errorf("fixture root: %v", a)
	}
}

func TestAuditChecksBinariesAgainstTargets(t *testing.T) {
	static := testbin.Build(t, testbin.Program{Name: "tool", Env: []string{"CGO_ENABLED=0", "GOARCH=arm64"}})
	rep, _ := runJSON(t, "audit", filepath.Dir(static), "--target", "host")
	var families = strings.Join(rep.Checks, ",")
	if !strings.Contains(families, "binary") || !strings.Contains(families, "host") {
		t.Errorf("audit ran %s", families)
	}
	var arch bool
	for _, f := range rep.Findings {
		if f.Check == "binary/arch-mismatch" && f.Location.File == "tool" {
			arch = true
		}
	}
	// This machine's arch decides whether an arm64 binary runs here.
	if here, _ := os.ReadFile("/proc/sys/kernel/osrelease"); len(here) > 0 && !strings.Contains(runtimeArch(), "arm64") && !arch {
		t.Errorf("arm64 binary not reported as arch-mismatch on this %s host: %+v", runtimeArch(), rep.Findings)
	}
}
