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
//
// The families live in one package, in files named after them
// (dockerfile*.go, systemd.go, workflow.go; the setup-go range resolution
// in workflow_version.go), each family listing its checks
// (DockerfileChecks, SystemdChecks, WorkflowChecks) and each check that is
// more than a few lines in a function of its own (checkCgoNoCompiler,
// checkMissingCACerts, checkGoOlderThanGoMod, …). They are not split into
// subpackages because they share the Input, the GODEBUG judgement
// (Dockerfile ENV and unit Environment=), the finding helpers and the
// program a stage builds or a unit runs; subpackages would need a fourth
// package for those and would change every import of the check
// variables for no gain in what each family can see.
//
// What a Dockerfile stage builds or a unit runs is judged from the
// program itself: gosrc.Repo.Program loads the main package on the build
// line (or named like the ExecStart binary) across the repository's
// modules, for the build's GOOS/GOARCH, and the packages it imports from
// other modules where `go list -deps` says they are (fetched through
// GOPROXY when the module cache lacks them), so the same input gives the
// same report whatever the module cache holds; when they cannot be had,
// one dependencies-not-read finding says so and the checks hedge. Where
// the build is not seen (make, a binary copied in) the findings say "may"
// and are one severity lower.
package deploy

import (
	"slices"

	"github.com/gocompat/gocompat/internal/finding"
)

type src = finding.Source

// Checks lists every check of the three families.
var Checks = slices.Concat(DockerfileChecks, SystemdChecks, WorkflowChecks)
