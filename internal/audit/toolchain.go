package audit

import (
	"context"

	"github.com/gocompat/gocompat/internal/check/toolchain"
)

func toolchainStep() Step {
	return Step{
		Family: "toolchain",
		Run: func(ctx context.Context, t *Target) (Result, error) {
			fs, subj := toolchain.Doctor(ctx, toolchain.Env{Environ: t.Environ, Dir: t.Dir, Online: t.Online})
			return Result{Findings: fs, Subjects: subj}, nil
		},
	}
}

// DoctorSteps is what `gocompat doctor` runs.
func DoctorSteps() []Step { return []Step{toolchainStep()} }
