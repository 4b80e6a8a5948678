package audit

import (
	"context"
	"path/filepath"

	"github.com/gocompat/gocompat/internal/check/loopvar"
)

// loopvarStep runs the loopvar analyzer on every package of the module at
// the audited directory (./..., tests included).
func loopvarStep() Step {
	return Step{
		Family: "loopvar",
		Applies: func(t *Target) bool {
			return fileExists(filepath.Join(t.Dir, "go.mod")) && t.goModParses()
		},
		Run: func(ctx context.Context, t *Target) (Result, error) {
			if none := noPackages(t.Dir, "loopvar"); none != nil {
				return Result{Findings: none}, nil // go vet would fail with "matched no packages"
			}
			fs, err := loopvar.Run(ctx, t.VetTool, t.Dir, nil)
			if err != nil {
				return Result{}, err
			}
			return Result{Findings: fs}, nil
		},
	}
}
