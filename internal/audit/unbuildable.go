package audit

import (
	"fmt"
	"path/filepath"

	"github.com/gocompat/gocompat/internal/check/loopvar"
	"github.com/gocompat/gocompat/internal/check/upgrade"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/fsread"
	"github.com/gocompat/gocompat/internal/module"
)

// NothingToAnalyse is reported when a step finds nothing to analyse in a
// module: it has no package to build, or imports a package of its own that
// is not in the tree. The step goes on with the other modules.
var NothingToAnalyse = finding.Check{
	ID:       "audit/nothing-to-analyse",
	Title:    "A module has no code a family of checks could analyse",
	Severity: finding.Info,
}

// NotBuilt is reported when a step analysed only the packages of a
// module that build: the others fail to compile with the Go that ran
// the analysis (a type error, a dependency that refuses this release), so
// their code is not judged. The other packages' findings stand.
var NotBuilt = finding.Check{
	ID:       "audit/not-built",
	Title:    "Some packages do not build, so a family of checks left them out",
	Severity: finding.Warning,
}

// notBuilt is the finding for a module whose packages the step analysed
// only in part; why is the go command's errors, summarised.
func notBuilt(family, goMod, why string) finding.Finding {
	fd := finding.New(NotBuilt, finding.Location{File: goMod},
		fmt.Sprintf("The %s checks analysed only the packages of the module at %s that build with the Go that ran them; the others were left out: %s.", family, goMod, why),
		"Build the module with this Go (go build ./... and go vet ./...) and fix what fails — a dependency that refuses this Go release needs an update — then audit again to judge the packages left out.")
	fd.Details = map[string]string{"family": family}
	return fd
}

// nothingToAnalyse is the finding for a module that a step had nothing
// to analyse in, on the module's go.mod, saying what is missing.
func nothingToAnalyse(family, goMod, what string) finding.Finding {
	fd := finding.New(NothingToAnalyse, finding.Location{File: goMod},
		fmt.Sprintf("The %s checks did not analyse the module at %s: %s.", family, goMod, what),
		"Nothing to fix if this is intended; otherwise add what is missing and audit again.")
	fd.Details = map[string]string{"family": family}
	return fd
}

// loopvarUnbuildable turns an error of the loop analysis of the module at
// dir that says there is nothing to analyse (loopvar.Unbuildable) into
// that info finding; ok is false for any other error.
func loopvarUnbuildable(dir string, err error) (finding.Finding, bool) {
	modPath := ""
	if data, rerr := fsread.ReadFile(filepath.Join(dir, "go.mod"), fsread.SourceLimit); rerr == nil {
		if m, perr := module.ParseGoModLax("go.mod", data); perr == nil {
			modPath = m.Module
		}
	}
	what, ok := loopvar.Unbuildable(err, modPath)
	if !ok {
		return finding.Finding{}, false
	}
	return nothingToAnalyse("loopvar", "go.mod", what), true
}

// upgradeSkipped reports the parts of modules the upgrade step had
// nothing to analyse in. Packages left out because they do not build are
// reported by the loopvar step, whose analysis the upgrade step shares,
// unless upgrade runs alone (focused).
func upgradeSkipped(skips []upgrade.Skip, focused bool) []finding.Finding {
	var out []finding.Finding
	for _, s := range skips {
		switch {
		case !s.NotBuilt:
			out = append(out, nothingToAnalyse("upgrade", s.GoMod, s.What))
		case focused:
			out = append(out, notBuilt("upgrade", s.GoMod, s.What))
		}
	}
	return out
}
