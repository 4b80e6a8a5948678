// Package gosrc reads what a Go program's source says about how it must
// be deployed: the packages it links (so whether it needs CA
// certificates, zoneinfo, /etc/passwd or a C library at run time),
// whether it calls time.LoadLocation, and whether anything it links can
// talk to systemd's notify socket. It does not judge any of it.
//
// Repo and Repo.Program (program.go) give the program one main package
// builds, for one target, read from the repository, the standard library
// and the other modules' packages where `go list -deps` (with the user's
// GOPROXY) says they are (deps.go), so that what is found does not depend
// on the module cache; ScriptBuilds (scripts.go) names the programs build
// scripts make.
package gosrc

import (
	"fmt"
	"strings"
)

// Pos is a position in a file of the module, relative to its directory.
type Pos struct {
	File string
	Line int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// isStd reports whether an import path looks like a standard package
// (no dot in its first element), as cmd/go decides.
func isStd(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".") && p != "C"
}
