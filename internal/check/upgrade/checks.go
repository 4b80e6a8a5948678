// Package upgrade implements `gocompat upgrade`: what changes for a module
// when its go line is raised to a target version, and, with Options.Test,
// proof from the module's own tests.
//
// For each module it reports every GODEBUG setting whose default differs
// between the current go line and the target (from the installed
// toolchain's table, see facts.Godebugs), where the module and its
// dependencies use the package and, for a documented subset of settings
// (facts.GodebugAPIs), the calls that are affected; the change of loop
// variable semantics when the range crosses Go 1.22; and the rise of the
// minimum Linux kernel that the newer toolchain brings.
//
// It never writes the user's files. The go command runs with
// GOTOOLCHAIN=local, GOWORK=off and -modfile pointing at a temporary copy
// of go.mod and go.sum, so that even -mod=mod (needed when go.sum lacks an
// entry) writes only the copy. Running tests executes the module's code,
// so it happens only with Options.Test.
package upgrade

import (
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
)

var (
	srcBisect  = finding.Source{Title: "golang.org/x/tools/cmd/bisect", URL: "https://pkg.go.dev/golang.org/x/tools/cmd/bisect"}
	srcModfile = finding.Source{Title: "go help build: -modfile", URL: "https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies"}
)

var (
	GodebugDefaultChanges = finding.Check{
		ID: "upgrade/godebug-default-changes", Title: "Raising the go line changes the default of a GODEBUG setting",
		Severity: finding.Warning, Sources: []finding.Source{facts.SrcGodebug, facts.SrcGodebugDefaults},
	}
	GodebugAffectedCall = finding.Check{
		ID: "upgrade/godebug-affected-call", Title: "A call whose behaviour changes with a GODEBUG default that the upgrade flips",
		Severity: finding.Warning, Sources: []finding.Source{facts.SrcGodebug},
	}
	GodebugSettingRemoved = finding.Check{
		ID: "upgrade/godebug-setting-removed", Title: "A godebug line or //go:debug directive names a setting the target toolchain no longer has",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcGodebug},
	}
	LoopvarSemanticsChange = finding.Check{
		ID: "upgrade/loopvar-semantics-change", Title: "Raising the go line to 1.22 or later makes loop variables per-iteration",
		Severity: finding.Warning, Sources: []finding.Source{facts.SrcLoopvarRelNotes, facts.SrcLoopvarWiki},
	}
	KernelFloorRises = finding.Check{
		ID: "upgrade/kernel-floor-rises", Title: "The target Go version needs a newer Linux kernel",
		Severity: finding.Warning, Sources: []finding.Source{facts.SrcMinRequirements},
	}
	TestOutcomeChanges = finding.Check{
		ID: "upgrade/test-outcome-changes", Title: "A test's outcome differs between the current go line and the target",
		Severity: finding.Error, Sources: []finding.Source{srcModfile},
	}
	TestBrokenByLoop = finding.Check{
		ID: "upgrade/test-broken-by-loop", Title: "A test fails at the target because of this loop's per-iteration variables",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcLoopvarRelNotes, facts.SrcLoopvarWiki, srcBisect},
	}
	TestBrokenByGodebug = finding.Check{
		ID: "upgrade/test-broken-by-godebug", Title: "A test fails at the target because of a GODEBUG default change",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcGodebug, srcBisect},
	}
)

// Checks lists every check of the family.
var Checks = []finding.Check{
	GodebugDefaultChanges, GodebugAffectedCall, GodebugSettingRemoved,
	LoopvarSemanticsChange, KernelFloorRises,
	TestOutcomeChanges, TestBrokenByLoop, TestBrokenByGodebug,
}
