// Package procgroup makes a command that gocompat starts stoppable as a
// whole: the go command starts compilers, vet tools and test binaries of
// its own, which outlive it when only the go process is killed.
package procgroup

import "os/exec"

// Own runs cmd (made with exec.CommandContext) in a process group of its
// own, and makes the context's cancellation kill the whole group: the
// go command and every program it started. Being in its own group, cmd
// does not get the terminal's Ctrl-C; the caller stops it through the
// context instead.
func Own(cmd *exec.Cmd) { own(cmd) }
