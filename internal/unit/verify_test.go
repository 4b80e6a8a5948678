package unit

import (
	"context"
	"errors"
	"github.com/gocompat/gocompat/internal/testbin"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A unit with 100,000 continuation lines keeps systemd-analyze verify
// busy for over a minute; Verify stops it at the timeout and says so.
func TestVerifyTimeoutRealSystemdAnalyze(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	p := filepath.Join(t.TempDir(), "slow.service")
	var b strings.Builder
	b.WriteString("[Service]\nExecStart=/bin/true\nEnvironment=A=1 \\\n")
	for range 100000 {
		b.WriteString(" x \\\n")
	}
	b.WriteString(" y\n")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = Verify(context.Background(), analyze, p, time.Second)
	if !errors.Is(err, ErrVerifyTimeout) {
		t.Fatalf("Verify = %v, want ErrVerifyTimeout", err)
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("Verify returned after %s, long past its 1s timeout", d)
	}
}

// The timeout kills what the helper started too: here a shell (standing
// in for systemd-analyze, whose children we cannot choose) that starts a
// sleep and waits for it. Both must be gone when Verify returns.
func TestVerifyTimeoutKillsProcessGroup(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	script := filepath.Join(dir, "analyze")
	src := "#!" + sh + "\nsleep 300 &\necho $! > " + pidFile + ".tmp\nmv " + pidFile + ".tmp " + pidFile + "\nwait\n"
	if err := os.WriteFile(script, []byte(src), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err = Verify(context.Background(), script, filepath.Join(dir, "x.service"), 2*time.Second)
	if !errors.Is(err, ErrVerifyTimeout) {
		t.Fatalf("Verify = %v, want ErrVerifyTimeout", err)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the helper did not start its child: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	// The killed sleep is a zombie until its parent (init here) reaps it;
	// wait a little for it to go.
	for deadline := time.Now().Add(5 * time.Second); ; {
		if testbin.Alive(pid) == false {
			break
		}
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the helper's child %d outlived the timeout", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
