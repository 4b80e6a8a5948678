package audit

import (
	"context"
	"fmt"
	"io"

	matrixcheck "github.com/gocompat/gocompat/internal/check/matrix"
	"github.com/gocompat/gocompat/internal/check/upgrade"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/toolchains"
)

func init() { Register(matrixStep()) }

// MatrixOptions are the matrix step's options (gocompat matrix).
type MatrixOptions struct {
	// Releases is the --go list (matrix.ParseList).
	Releases []string
	// Test runs the tests too.
	Test bool
	// Jobs and MemBudget bound the parallel cells (0: defaults).
	Jobs      int
	MemBudget int64
}

// matrixChecks are the matrix's own checks (the upgrade checks its test
// attribution reports are the upgrade step's).
var matrixChecks = append([]finding.Check(nil), matrixcheck.Checks...)

// matrixStep builds, vets and tests the modules under several Go
// releases. It downloads toolchains and runs the build of every release,
// so it runs only when a command asks for it (gocompat matrix), never in
// an audit.
func matrixStep() Step {
	return Step{
		Family:  "matrix",
		Order:   85,
		Needs:   []string{NeedModule, NeedToolchain},
		Checks:  matrixChecks,
		Applies: func(t *Target) bool { return t.Focused },
		Run: func(ctx context.Context, t *Target) (Result, error) {
			opt := OptionsOf[MatrixOptions](t, "matrix")
			res, err := matrixcheck.Run(ctx, matrixcheck.Options{
				Dir: t.Dir, Releases: opt.Releases, Test: opt.Test, Environ: t.Environ, Progress: t.Progress,
				Toolchains: &toolchains.Source{Environ: t.Environ, Progress: t.Progress},
				Jobs:       opt.Jobs, MemBudget: opt.MemBudget, VetTool: t.VetTool,
			})
			if err != nil {
				return Result{}, err
			}
			warn(t.Stderr, "matrix", res.Unavailable, "the matrix goes on without it")
			return Result{Findings: res.Findings, Subjects: res.Subjects, Anchor: res.Anchor, Tables: []report.Table{res.Table}}, nil
		},
	}
}

// ErrMatrixNoModule is the matrix step's error when there is no module.
var ErrMatrixNoModule = upgrade.ErrNoModule

// warn writes what a step could not do to w, one line each.
func warn(w io.Writer, family string, lines []string, tail string) {
	if w == nil {
		return
	}
	for _, l := range lines {
		fmt.Fprintf(w, "gocompat: %s: %s; %s\n", family, l, tail)
	}
}

// ParseMatrixList splits a --go value ("1.22,1.24", "supported",
// "go.mod") into the items MatrixOptions.Releases takes.
func ParseMatrixList(s string) ([]string, error) { return matrixcheck.ParseList(s) }
