//go:build unix

package upgrade

import (
	"os/exec"
	"syscall"
)

// ownGroup runs cmd in its own process group and makes cancellation kill
// the whole group, so that a timeout also stops the test binaries and
// compilers that go test and bisect start.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		if cmd.Process == nil {
			return nil
		}
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
