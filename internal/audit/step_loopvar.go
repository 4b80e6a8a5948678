package audit

import (
	"context"
	"path/filepath"

	"github.com/gocompat/gocompat/internal/check/loopvar"
)

func init() { Register(loopvarStep()) }

// LoopvarOptions are the loopvar step's options (gocompat loopvar).
type LoopvarOptions struct {
	// Patterns are the packages to analyse (default ./...).
	Patterns []string
	// Edits, if set, receives the suggested fixes (--fix, --diff).
	Edits *[]loopvar.Edit
}

// loopvarStep runs the loopvar analyzer on every package of the module at
// the audited directory (./..., tests included).
func loopvarStep() Step {
	return Step{
		Family: "loopvar",
		Order:  90,
		Needs:  []string{NeedModule},
		Checks: loopvar.Checks,
		Applies: func(t *Target) bool {
			return t.Focused || fileExists(filepath.Join(t.Dir, "go.mod")) && t.goModParses()
		},
		Run: func(ctx context.Context, t *Target) (Result, error) {
			opt := OptionsOf[LoopvarOptions](t, "loopvar")
			res, err := loopvar.Analyze(ctx, t.VetTool, t.Dir, opt.Patterns)
			if err != nil {
				return Result{}, err
			}
			if opt.Edits != nil {
				*opt.Edits = res.Edits
			}
			return Result{Findings: res.Findings}, nil
		},
	}
}
