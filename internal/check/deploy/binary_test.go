package deploy_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/finding"
	"golang.org/x/tools/txtar"
)

// buildInto builds the module in src into root/usr/local/bin/app with the
// installed toolchain.
func buildInto(t *testing.T, src, root string) {
	t.Helper()
	out := filepath.Join(root, "usr", "local", "bin", "app")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-o", out, ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=-buildvcs=false", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
}

const binaryCase = `
-- go.mod --
module example.com/app

go 1.24.0
-- main.go --
package main

import "os"

// The source talks to systemd, but the binary under test is built from
// another program: the binary wins.
func main() { println(os.Getenv("NOTIFY_SOCKET")) }
-- deploy/app.service --
[Service]
Type=notify
ExecStart=/usr/local/bin/app
CPUQuota=150%
Environment=GOMEMLIMIT=100MiB
MemoryMax=200M
`

// TestUnitWithBinary judges a unit by the Go binary at its ExecStart path
// (under the host root): its missing NOTIFY_SOCKET and its DefaultGODEBUG.
func TestUnitWithBinary(t *testing.T) {
	ar := txtar.Parse([]byte(binaryCase))
	dir := unpack(t, ar, "")
	other := unpack(t, txtar.Parse([]byte("-- go.mod --\nmodule example.com/other\n\ngo 1.24.0\n-- main.go --\npackage main\n\nfunc main() { select {} }\n")), "")
	root := t.TempDir()
	buildInto(t, other, root)

	rep := judgeTree(t, dir, root, "")
	byID := map[string]finding.Finding{}
	for _, f := range rep.Findings {
		byID[f.Check] = f
	}
	n, ok := byID["systemd/notify-without-sd-notify"]
	if !ok || n.Location.Line != 2 || n.Severity != finding.Error || !strings.Contains(n.Message, filepath.Join(root, "usr/local/bin/app")) {
		t.Errorf("notify finding = %+v (all: %v)", n, rep.Findings)
	}
	c, ok := byID["systemd/cpu-quota-ignored"]
	if !ok || c.Location.Line != 4 || !strings.Contains(c.Message, "DefaultGODEBUG has containermaxprocs=0") {
		t.Errorf("cpu finding = %+v", c)
	}
	var binSubject bool
	for _, u := range rep.Units {
		if u.Binary != nil && u.Binary.GoVersion != "" {
			binSubject = true
		}
	}
	if !binSubject {
		t.Errorf("the unit's context does not hold the binary: %+v", rep.Units)
	}

	// The same unit over a binary built from the module itself: it
	// mentions NOTIFY_SOCKET, so Type=notify is fine.
	root2 := t.TempDir()
	buildInto(t, dir, root2)
	rep = judgeTree(t, dir, root2, "")
	for _, f := range rep.Findings {
		if f.Check == "systemd/notify-without-sd-notify" {
			t.Errorf("notify reported for a binary that reads NOTIFY_SOCKET: %s", f.Message)
		}
	}
}

// TestUnitNotGo: a unit whose program exists and is not a Go binary gets
// no Go checks.
func TestUnitNotGo(t *testing.T) {
	dir := unpack(t, txtar.Parse([]byte("-- go.mod --\nmodule example.com/app\n\ngo 1.24.0\n-- app.service --\n[Service]\nType=notify\nExecStart=/usr/local/bin/app\nEnvironment=GOEXPERIMENT=x\n")), "")
	root := t.TempDir()
	p := filepath.Join(root, "usr", "local", "bin", "app")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("#!/bin/sh\nexec sleep 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	rep := judgeTree(t, dir, root, "")
	for _, f := range rep.Findings {
		t.Errorf("unexpected finding for a non-Go program: %s %s", f.Check, f.Message)
	}
}

// TestAnalyzeVerify runs the real systemd-analyze, when installed, and
// expects its complaint about an unknown key on that key's line.
func TestAnalyzeVerify(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	dir := unpack(t, txtar.Parse([]byte("-- app.service --\n[Unit]\nDescription=x\n\n[Service]\nExecStart=/bin/true\nNoSuchKey=1\n")), "")
	analyze, _ := exec.LookPath("systemd-analyze")
	rep := judgeTree(t, dir, "/", analyze)
	found := false
	for _, f := range rep.Findings {
		if f.Check == "systemd/analyze-verify" && f.Location.File == "app.service" && f.Location.Line == 6 && strings.Contains(f.Message, "NoSuchKey") {
			found = true
		}
	}
	if !found {
		t.Errorf("no analyze-verify finding at app.service:6: %+v", rep.Findings)
	}
}

// TestUnitWithoutGoEvidence: without a module or a Go binary, the
// resource and sandbox checks stay quiet (the program may not be Go); the
// Go variables are still reported.
func TestUnitWithoutGoEvidence(t *testing.T) {
	dir := unpack(t, txtar.Parse([]byte("-- nginx.service --\n[Service]\nExecStart=/usr/sbin/nginx-not-here\nMemoryMax=1G\nCPUQuota=100%\nSystemCallFilter=@basic-io\nEnvironment=GOFLAGS=-mod=mod\n")), "")
	rep := judgeTree(t, dir, t.TempDir(), "")
	var ids []string
	for _, f := range rep.Findings {
		ids = append(ids, f.Check)
	}
	if strings.Join(ids, ",") != "systemd/build-env-at-runtime" {
		t.Errorf("findings = %v, want only systemd/build-env-at-runtime", ids)
	}
}
