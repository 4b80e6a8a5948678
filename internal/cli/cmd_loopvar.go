package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/gocompat/gocompat/internal/audit"
	"github.com/gocompat/gocompat/internal/check/loopvar"
	"github.com/gocompat/gocompat/internal/report"
)

func init() {
	registerCommand(func() *command {
		var fix, diff bool
		var edits []loopvar.Edit
		return &command{
			name:    "loopvar",
			args:    "[packages]",
			summary: "find loops whose behaviour changes with Go 1.22 per-iteration loop variables (default ./...)",
			reports: true,
			steps:   []string{"loopvar"},
			flags: func(fs *flag.FlagSet) {
				fs.BoolVar(&fix, "fix", false, "apply the suggested fixes (atomically, keeping permissions)")
				fs.BoolVar(&diff, "diff", false, "print the suggested fixes as a unified diff on stdout, without writing")
			},
			target: func(e *env, args []string) (*audit.Target, error) {
				if fix && diff {
					return nil, usageErrorf("--fix and --diff exclude each other")
				}
				if diff && e.format != "text" {
					return nil, usageErrorf("--diff prints a diff on stdout, which would corrupt --format %s output; use it with --format text", e.format)
				}
				t := e.newTarget(e.dir)
				t.Focused = true
				opt := audit.LoopvarOptions{Patterns: args}
				if fix || diff {
					opt.Edits = &edits
				}
				t.SetOptions("loopvar", opt)
				return t, nil
			},
			finish: func(ctx context.Context, e *env, rep *report.Report, err error) (*report.Report, error) {
				if err != nil || !(fix || diff) {
					return rep, err
				}
				return rep, applyEdits(e, edits, fix)
			},
		}
	})
}

// applyEdits writes the loopvar fixes (fix) or prints them as a diff.
func applyEdits(e *env, edits []loopvar.Edit, fix bool) error {
	changes, err := loopvar.Changes(edits)
	if err != nil {
		return err
	}
	skipped := 0
	for _, c := range changes {
		skipped += c.Skipped
		if !fix {
			fmt.Fprint(e.inv.Stdout, loopvar.UnifiedDiff(relPath(e.dir, c.File), c.Old, c.New))
			continue
		}
		if err := loopvar.WriteAtomic(c.File, c.New); err != nil {
			return fmt.Errorf("fix %s: %w", c.File, err)
		}
	}
	if fix && len(changes) > 0 {
		fmt.Fprintf(e.inv.Stderr, "gocompat: applied %s in %s\n", count(len(edits)-skipped, "fix", "fixes"), count(len(changes), "file", "files"))
	}
	// Changes keeps the first of overlapping edits; a later run offers
	// the others on the text it leaves.
	switch {
	case skipped > 0 && fix:
		fmt.Fprintf(e.inv.Stderr, "gocompat: left out %s that overlapped an applied one; run gocompat loopvar --fix again to apply the rest\n", count(skipped, "fix", "fixes"))
	case skipped > 0:
		fmt.Fprintf(e.inv.Stderr, "gocompat: left out of the diff %s that overlapped one in it; --diff shows the rest once this diff is applied\n", count(skipped, "fix", "fixes"))
	}
	return nil
}
