package audit

import (
	"context"
	"io"
	"path/filepath"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/rebuild"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/vcs"
)

func init() { Register(rebuildStep()) }

// RebuildOptions are the rebuild step's options (gocompat rebuild). The
// step runs only when a command names a binary: an audit never builds.
type RebuildOptions struct {
	// Binary is the binary to rebuild; Src a directory of the repository
	// its source is in (default: the repository the binary sits in, else
	// the audited directory).
	Binary, Src string
	// Ldflags replace the recorded linker flags when LdflagsSet.
	Ldflags    string
	LdflagsSet bool
	// Log receives the rebuild's notes (the toolchain it takes).
	Log io.Writer
}

func rebuildStep() Step {
	return Step{
		Family:  "rebuild",
		Order:   72,
		Needs:   []string{NeedBinaries},
		Checks:  rebuild.Checks,
		Applies: func(t *Target) bool { return OptionsOf[RebuildOptions](t, "rebuild").Binary != "" },
		Run: func(ctx context.Context, t *Target) (Result, error) {
			opt := OptionsOf[RebuildOptions](t, "rebuild")
			// The source: --src, else the repository the binary sits in,
			// else the one the command runs in.
			src := opt.Src
			if src == "" && !vcs.Present(filepath.Dir(opt.Binary)) {
				src = t.Dir
			}
			r, err := rebuild.Run(ctx, opt.Binary, rebuild.Options{Src: src, Ldflags: opt.Ldflags, LdflagsSet: opt.LdflagsSet, Environ: t.Environ, Log: opt.Log})
			if err != nil {
				return Result{}, err
			}
			name := relTo(t.Dir, opt.Binary)
			var res Result
			for _, f := range r.Findings {
				f.Location = finding.Location{File: name}
				res.Findings = append(res.Findings, f)
			}
			verdict := "differs"
			if r.Identical {
				verdict = "reproduced byte for byte"
			}
			attrs := map[string]string{"binary": name}
			if r.Command != "" {
				attrs["command"] = r.Command
			}
			res.Subjects = append(res.Subjects, report.Subject{Kind: "rebuild", Name: name + ": " + verdict, Attributes: attrs})
			return res, nil
		},
	}
}
