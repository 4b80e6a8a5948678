package audit

import (
	"context"

	"github.com/gocompat/gocompat/internal/check/loopvar"
	"github.com/gocompat/gocompat/internal/check/upgrade"
	"github.com/gocompat/gocompat/internal/finding"
)

// previewOnly are the upgrade checks that describe what would change if
// the go line were raised. An audit asks "is this sound now?", and nothing
// changes until someone raises the line, so there they are information;
// `gocompat upgrade`, asked before a bump, keeps their own severity.
var previewOnly = map[string]bool{
	upgrade.GodebugDefaultChanges.ID:  true,
	upgrade.GodebugAffectedCall.ID:    true,
	upgrade.LoopvarSemanticsChange.ID: true,
	upgrade.KernelFloorRises.ID:       true,
}

// upgradeStep reports what changes when the modules raise their go line
// to the installed toolchain's version. It never runs tests (that needs
// gocompat upgrade --test), and uses the module proxy only with --online.
func upgradeStep() Step {
	return Step{
		Family:  "upgrade",
		Applies: func(t *Target) bool { return t.goModParses() && hasModuleBelow(t.Dir) },
		Run: func(ctx context.Context, t *Target) (Result, error) {
			// The loopvar step analyses the same loops through go vet,
			// whose cache makes the second run nearly free; a summary
			// here keeps each loop reported once.
			loops := func(ctx context.Context, dir string) ([]finding.Finding, error) {
				fs, err := loopvar.Run(ctx, t.VetTool, dir, nil)
				kept := fs[:0]
				for _, f := range fs {
					if loopvar.IsUpgradeChange(f.Check) {
						kept = append(kept, f)
					}
				}
				return kept, err
			}
			res, err := upgrade.Run(ctx, upgrade.Options{Dir: t.Dir, Environ: t.Environ, Progress: t.Progress, Offline: !t.Online,
				Loopvar: loops, SummarizeLoops: true})
			if err != nil {
				return Result{}, err
			}
			for i := range res.Findings {
				if previewOnly[res.Findings[i].Check] {
					res.Findings[i].Severity = finding.Info
				}
			}
			return Result{Findings: append(res.Findings, upgradeSkipped(res.Skipped)...), Subjects: res.Subjects, Anchor: res.Anchor}, nil
		},
	}
}
