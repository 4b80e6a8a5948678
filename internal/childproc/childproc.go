// Package childproc runs the programs gocompat starts (go test, test
// binaries, systemd-analyze) so that stopping gocompat stops them all.
//
// A command gets its own process group; cancelling its context kills the
// whole group with SIGKILL, so the compilers, linkers and test binaries a
// go command starts die with it instead of living on as orphans. The
// gocompat command cancels its context on SIGINT and SIGTERM.
package childproc

import (
	"os/exec"
	"time"
)

// waitDelay bounds how long Wait waits for the output pipes after the
// group is killed (a process outside the group may hold them).
const waitDelay = 5 * time.Second

// OwnGroup makes cmd, not yet started, run in its own process group and
// makes cancellation of its context kill that group.
func OwnGroup(cmd *exec.Cmd) {
	ownGroup(cmd)
	cmd.WaitDelay = waitDelay
}
