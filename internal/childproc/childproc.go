// Package childproc runs the programs gocompat starts (go test, test
// binaries, systemd-analyze) so that stopping gocompat stops them all.
//
// A command gets its own process group; cancelling its context kills the
// whole group with SIGKILL, so the compilers, linkers and test binaries a
// go command starts die with it instead of living on as orphans. The
// gocompat command cancels its context on SIGINT and SIGTERM.
package childproc

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/gocompat/gocompat/internal/facts"
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

// GoTmpDir makes the directory every go command gocompat starts is to keep
// its work directories in ($WORK: objects, test binaries, vet configs),
// to be given to them as GOTMPDIR, and returns it with what removes it.
// The go command removes its work directory when it ends by itself, but
// not when it is killed (OwnGroup's cancellation), nor on SIGINT: without
// this, an interrupted gocompat would leave a go-build directory behind
// for each go command that was running.
//
// The directory is made where the go command would make its own: the
// user's GOTMPDIR, from environ or from the go command's configuration
// file (go env -w), else the system's temporary directory. Where it
// cannot be made, the error says so.
func GoTmpDir(environ []string) (dir string, remove func(), err error) {
	dir, err = os.MkdirTemp(goTmpBase(environ), "gocompat-")
	if err != nil {
		return "", nil, fmt.Errorf("a directory for the go command's work: %w", err)
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// goTmpBase is GOTMPDIR as the go command would take it from environ
// (the environment, else go env -w), else "".
func goTmpBase(environ []string) string {
	v, _ := facts.GoEnvSetting(environ, "GOTMPDIR")
	return v
}

// Output runs cmd, made by exec.CommandContext with ctx and not yet
// started, in its own process group (OwnGroup), with its standard output
// and standard error kept apart, and returns both. cmd.Stdout and
// cmd.Stderr must be unset. When ctx ended, err is ctx's error, whatever
// the command printed.
func Output(ctx context.Context, cmd *exec.Cmd) (stdout, stderr []byte, err error) {
	OwnGroup(cmd)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	if err != nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	return o.Bytes(), e.Bytes(), err
}
