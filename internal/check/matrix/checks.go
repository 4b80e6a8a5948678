package matrix

import (
	"github.com/gocompat/gocompat/internal/finding"
)

var (
	srcToolchain = finding.Source{Title: "Go Toolchains (go.dev/doc/toolchain): the go line and GOTOOLCHAIN", URL: "https://go.dev/doc/toolchain"}
	srcStdver    = finding.Source{Title: "golang.org/x/tools/go/analysis/passes/stdversion (in go vet since Go 1.23)", URL: "https://pkg.go.dev/golang.org/x/tools/go/analysis/passes/stdversion"}
	srcVet       = finding.Source{Title: "cmd/vet: the analyzers of each release (go tool vet help)", URL: "https://pkg.go.dev/cmd/vet"}
	srcBuildTags = finding.Source{Title: "go help buildconstraint", URL: "https://pkg.go.dev/cmd/go#hdr-Build_constraints"}
	srcCompat    = finding.Source{Title: "Go 1 and the Future of Go Programs", URL: "https://go.dev/doc/go1compat"}
)

var (
	ToolchainTooOld = finding.Check{
		ID: "matrix/toolchain-too-old", Title: "A Go release in the matrix is older than the module's go line and refuses to build it",
		Severity: finding.Error, Sources: []finding.Source{srcToolchain},
	}
	StdlibSymbolTooNew = finding.Check{
		ID: "matrix/stdlib-symbol-too-new", Title: "The module uses a standard library symbol newer than its go line",
		Severity: finding.Error, Sources: []finding.Source{srcStdver},
	}
	APIRemoved = finding.Check{
		ID: "matrix/api-removed", Title: "A symbol the module builds with under an older Go release is undefined or unreachable under a newer one",
		Severity: finding.Error, Sources: []finding.Source{srcCompat},
	}
	VetCheckNew = finding.Check{
		ID: "matrix/vet-check-new", Title: "go vet of a newer release has a check the older releases lack, and it reports the module",
		Severity: finding.Warning, Sources: []finding.Source{srcVet},
	}
	BuildConstraint = finding.Check{
		ID: "matrix/build-constraint", Title: "Build constraints leave out, under a Go release, a file the package needs",
		Severity: finding.Error, Sources: []finding.Source{srcBuildTags},
	}
	Failure = finding.Check{
		ID: "matrix/failure", Title: "Build, vet or tests fail under a Go release, for a cause not attributed",
		Severity: finding.Error, Sources: []finding.Source{srcToolchain},
	}
)

// Checks lists every check of the family.
var Checks = []finding.Check{ToolchainTooOld, StdlibSymbolTooNew, APIRemoved, VetCheckNew, BuildConstraint, Failure}
