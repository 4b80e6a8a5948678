package host

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/fsread"
)

// A root (--root) whose etc/os-release, /proc file or libc is a named
// pipe hung the probe on open. Probe returns, and ReadFile refuses the
// pipe naming it.
func TestProbeRootWithPipes(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{"etc/os-release", "proc/sys/kernel/osrelease", "proc/self/cgroup", "lib/x86_64-linux-gnu/libc.so.6"} {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(full, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	go func() {
		_, err := NewFS(root).ReadFile("/etc/os-release")
		NewFS(root).Probe()
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, fsread.ErrRefused) {
			t.Errorf("ReadFile(pipe) = %v, want a refusal", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the probe did not return within 20s")
	}
}
