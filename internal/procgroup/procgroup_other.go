//go:build !unix

package procgroup

import "os/exec"

// own keeps exec.CommandContext's default, killing the process alone.
func own(cmd *exec.Cmd) {}
