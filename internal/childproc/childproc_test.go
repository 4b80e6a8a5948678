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

// GoTmpDir makes its directory where the go command would make its work
// directories: GOTMPDIR from the environment, else from the go command's
// configuration file (GOENV), else the system's temporary directory.
func TestGoTmpDir(t *testing.T) {
	envBase, fileBase, sysBase := t.TempDir(), t.TempDir(), t.TempDir()
	goenv := filepath.Join(t.TempDir(), "env")
	if err := os.WriteFile(goenv, []byte("GOPROXY=off\nGOTMPDIR="+fileBase+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", sysBase)
	for _, tc := range []struct {
		name    string
		environ []string
		want    string
	}{
		{"environment", []string{"GOENV=" + goenv, "GOTMPDIR=" + envBase}, envBase},
		{"go env -w", []string{"GOENV=" + goenv}, fileBase},
		{"GOENV=off", []string{"GOENV=off"}, sysBase},
		{"no file", []string{"GOENV=" + goenv + ".missing"}, sysBase},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, remove, err := childproc.GoTmpDir(tc.environ)
			if err != nil {
				t.Fatal(err)
			}
			if filepath.Dir(dir) != tc.want {
				t.Errorf("GoTmpDir = %s, want a directory in %s", dir, tc.want)
			}
			if err := os.WriteFile(filepath.Join(dir, "left"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			remove()
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("%s after remove: %v", dir, err)
			}
		})
	}
	if _, _, err := childproc.GoTmpDir([]string{"GOTMPDIR=" + filepath.Join(envBase, "missing")}); err == nil {
		t.Error("no error for a GOTMPDIR that does not exist")
	}
}
