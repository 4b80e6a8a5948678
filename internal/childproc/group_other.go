//go:build !unix

package childproc

import "os/exec"

// ownGroup leaves cmd alone: without process groups, cancellation kills
// the child only (exec.CommandContext's default).
func ownGroup(cmd *exec.Cmd) {}
