package childproc_test

import (
	"context"
	"github.com/gocompat/gocompat/internal/testbin"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/childproc"
)

// Cancelling the context kills the child's whole process group: a real
// shell and the sleep it starts (without OwnGroup, exec.CommandContext
// kills the shell only and the sleep lives on).
func TestCancelKillsGroup(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	pidFile := filepath.Join(t.TempDir(), "pid")
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, sh, "-c", "sleep 300 & echo $! > "+pidFile+".tmp; mv "+pidFile+".tmp "+pidFile+"; wait")
	childproc.OwnGroup(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if data, err := os.ReadFile(pidFile); err == nil {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
			break
		}
		if time.Now().After(end) {
			t.Fatal("the shell did not start its child")
		}
	}
	defer syscall.Kill(pid, syscall.SIGKILL)
	cancel()
	cmd.Wait()
	for end := time.Now().Add(5 * time.Second); testbin.Alive(pid); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("the shell's child %d outlived the cancellation", pid)
		}
	}
}
