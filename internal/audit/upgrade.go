package audit

import (
	"context"

	"github.com/gocompat/gocompat/internal/check/upgrade"
)

// upgradeStep reports what changes when the modules raise their go line
// to the installed toolchain's version. It never runs tests (that needs
// gocompat upgrade --test), and uses the module proxy only with --online.
func upgradeStep() Step {
	return Step{
		Family:  "upgrade",
		Applies: func(t *Target) bool { return hasModuleBelow(t.Dir) },
		Run: func(ctx context.Context, t *Target) (Result, error) {
			res, err := upgrade.Run(ctx, upgrade.Options{Dir: t.Dir, Environ: t.Environ, Progress: t.Progress, Offline: !t.Online})
			if err != nil {
				return Result{}, err
			}
			return Result{Findings: res.Findings, Subjects: res.Subjects, Anchor: res.Anchor}, nil
		},
	}
}
