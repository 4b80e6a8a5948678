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
	"path/filepath"
	"strings"
	"time"

	"github.com/gocompat/gocompat/internal/fsread"
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

// goTmpBase is GOTMPDIR from environ, else from the go command's
// configuration file (GOENV, by default env in the go directory of the
// user's configuration directory: go help environment), else "".
func goTmpBase(environ []string) string {
	get := func(k string) (string, bool) {
		for i := len(environ) - 1; i >= 0; i-- {
			if v, ok := strings.CutPrefix(environ[i], k+"="); ok {
				return v, true
			}
		}
		return "", false
	}
	if v, ok := get("GOTMPDIR"); ok {
		return v
	}
	file, _ := get("GOENV")
	switch file {
	case "off":
		return ""
	case "":
		d, err := os.UserConfigDir()
		if err != nil {
			return ""
		}
		file = filepath.Join(d, "go", "env")
	}
	data, err := fsread.ReadFile(file, 1<<20)
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "GOTMPDIR="); ok {
			return v
		}
	}
	return ""
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
