// Package deploy judges how a Go program is built and run by its
// deployment files: Dockerfiles (family dockerfile/), systemd units
// (systemd/) and CI workflows (workflow/). It takes what the extraction
// packages (dockerfile, unit, workflow, gosrc) read and the facts package
// knows, and returns findings anchored to the file and line they concern.
// It parses nothing itself.
//
// Every check here needs to know Go: which variables only the go command
// reads, which Go a golang:* image ships and whether it may switch
// toolchains, when a binary is linked against the C library, what a
// scratch image lacks that the program's imports need, which GODEBUG
// settings exist, what the runtime does with cgroup limits, and which
// system calls the runtime cannot live without.
package deploy

import (
	"slices"

	"github.com/gocompat/gocompat/internal/finding"
)

type src = finding.Source

// Checks lists every check of the three families.
var Checks = slices.Concat(DockerfileChecks, SystemdChecks, WorkflowChecks)
