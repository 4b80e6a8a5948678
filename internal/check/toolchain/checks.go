// Package toolchain implements `gocompat doctor`: it checks a Go
// installation the way a newcomer's first hour goes wrong — go missing or
// shadowed on PATH, a GOROOT that is wrong or half-upgraded, unwritable
// GOPATH, module or build caches, installed tools off PATH, a go.mod that
// needs a newer toolchain, GOFLAGS that break builds, cgo without a C
// compiler, and GOEXPERIMENT set where it does nothing or names nothing.
//
// It reads the toolchain only through `go env -json`, `go version`,
// `go list std` and `go tool compile -V`, run with GOTOOLCHAIN=local in a
// scratch directory so that no toolchain is ever downloaded and no file of
// the user's is touched. It works offline; the module proxy is probed only
// when asked (Env.Online).
package toolchain

import (
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
)

var (
	GoNotOnPath = finding.Check{
		ID: "toolchain/go-not-on-path", Title: "No go command on PATH",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcInstall},
	}
	GoShadowed = finding.Check{
		ID: "toolchain/go-shadowed", Title: "Several go commands on PATH, and the first one is not the newest",
		Severity: finding.Warning, Sources: []finding.Source{facts.SrcInstall},
	}
	GoEnvFailed = finding.Check{
		ID: "toolchain/go-env-failed", Title: "go env fails, so the toolchain cannot be used",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcGoEnv},
	}
	GorootNotFound = finding.Check{
		ID: "toolchain/goroot-not-found", Title: "GOROOT names a directory that does not exist",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcGoEnv, facts.SrcInstall},
	}
	GorootMismatch = finding.Check{
		ID: "toolchain/goroot-mismatch", Title: "GOROOT points at another Go installation than the go command on PATH",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcGoEnv, facts.SrcInstall},
	}
	GorootIncomplete = finding.Check{
		ID: "toolchain/goroot-incomplete", Title: "The Go installation is incomplete or mixes files of two releases",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcInstall},
	}
	GopathUnusable = finding.Check{
		ID: "toolchain/gopath-unusable", Title: "GOPATH cannot be created or written",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcGOPATH},
	}
	GomodcacheUnusable = finding.Check{
		ID: "toolchain/gomodcache-unusable", Title: "The module cache (GOMODCACHE) cannot be created or written",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcGoEnv},
	}
	GocacheUnusable = finding.Check{
		ID: "toolchain/gocache-unusable", Title: "The build cache (GOCACHE) is off, or cannot be created or written",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcGoEnv, facts.SrcGo112Cache},
	}
	GobinNotOnPath = finding.Check{
		ID: "toolchain/gobin-not-on-path", Title: "Programs installed with go install land in a directory that is not on PATH",
		Severity: finding.Warning, Sources: []finding.Source{facts.SrcGOPATH},
	}
	GotoolchainInvalid = finding.Check{
		ID: "toolchain/gotoolchain-invalid", Title: "GOTOOLCHAIN has a value the go command rejects",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcToolchains},
	}
	GoModNeedsNewerGo = finding.Check{
		ID: "toolchain/go-mod-needs-newer-go", Title: "go.mod needs a newer Go toolchain than the one installed",
		Severity: finding.Warning, Sources: []finding.Source{facts.SrcToolchains},
	}
	GoflagsInvalid = finding.Check{
		ID: "toolchain/goflags-invalid", Title: "GOFLAGS holds a flag that breaks go commands",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcGoEnv},
	}
	CgoNoCompiler = finding.Check{
		ID: "toolchain/cgo-no-c-compiler", Title: "CGO_ENABLED=1 but the C compiler is not found",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcCgo},
	}
	CgoOffNoCompiler = finding.Check{
		ID: "toolchain/cgo-off-no-c-compiler", Title: "cgo is off because no C compiler is installed",
		Severity: finding.Info, Sources: []finding.Source{facts.SrcCgo},
	}
	GoexperimentUnknown = finding.Check{
		ID: "toolchain/goexperiment-unknown", Title: "GOEXPERIMENT names an experiment this toolchain does not have, so every build fails",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcGOEXPERIMENT},
	}
	GoexperimentInEnv = finding.Check{
		ID: "toolchain/goexperiment-in-environment", Title: "GOEXPERIMENT is set in the environment: it changes every build, and no running program",
		Severity: finding.Info, Sources: []finding.Source{facts.SrcGOEXPERIMENT},
	}
	GoUnsupported = finding.Check{
		ID: "toolchain/go-unsupported", Title: "The installed Go release no longer gets security fixes",
		Severity: finding.Warning, Sources: []finding.Source{facts.SrcReleasePolicy},
	}
	GoproxyUnreachable = finding.Check{
		ID: "toolchain/goproxy-unreachable", Title: "The module proxy in GOPROXY cannot be reached",
		Severity: finding.Warning, Sources: []finding.Source{facts.SrcModuleProxy},
	}
)

// Checks lists every check of the family.
var Checks = []finding.Check{
	GoNotOnPath, GoShadowed, GoEnvFailed, GorootNotFound, GorootMismatch,
	GorootIncomplete, GopathUnusable, GomodcacheUnusable, GocacheUnusable,
	GobinNotOnPath, GotoolchainInvalid, GoModNeedsNewerGo, GoflagsInvalid,
	CgoNoCompiler, CgoOffNoCompiler, GoexperimentUnknown, GoexperimentInEnv,
	GoUnsupported, GoproxyUnreachable, GotoolchainPinned,
}
