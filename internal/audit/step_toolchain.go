package audit

import (
	"context"

	"github.com/gocompat/gocompat/internal/check/toolchain"
)

func init() { Register(toolchainStep()) }

// toolchainStep checks the Go installation on PATH (gocompat doctor).
func toolchainStep() Step {
	return Step{
		Family: "toolchain",
		Order:  10,
		Needs:  []string{NeedToolchain},
		Checks: toolchain.Checks,
		Run: func(ctx context.Context, t *Target) (Result, error) {
			fs, subj := toolchain.Doctor(ctx, toolchain.Env{Environ: t.Environ, Dir: t.Dir, Online: t.Online})
			return Result{Findings: fs, Subjects: subj}, nil
		},
	}
}
