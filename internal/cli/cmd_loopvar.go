package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/gocompat/gocompat/internal/audit"
	"github.com/gocompat/gocompat/internal/check/loopvar"
	"github.com/gocompat/gocompat/internal/report"
)

func loopvarCommand() *command {
	var fix, diff bool
	return &command{
		name:    "loopvar",
		args:    "[packages]",
		summary: "find loops whose behaviour changes with Go 1.22 per-iteration loop variables (default ./...)",
		reports: true,
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&fix, "fix", false, "apply the suggested fixes, all or none (through a journal in the directory; an interrupted run is completed or undone by the next --fix), keeping permissions")
			fs.BoolVar(&diff, "diff", false, "print the suggested fixes as a unified diff on stdout, without writing")
		},
		run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
			if fix && diff {
				return nil, usageErrorf("--fix and --diff exclude each other")
			}
			if diff && e.format != "text" {
				return nil, usageErrorf("--diff prints a diff on stdout, which would corrupt --format %s output; use it with --format text", e.format)
			}
			if fix {
				msg, err := loopvar.Recover(e.dir)
				if err != nil {
					return nil, err
				}
				if msg != "" {
					fmt.Fprintf(e.inv.Stderr, "gocompat: %s\n", msg)
				}
			}
			res, err := loopvar.Analyze(ctx, e.inv.VetTool, e.dir, args)
			if err != nil {
				return nil, err
			}
			if fix || diff {
				changes, err := loopvar.Changes(res.Edits)
				if err != nil {
					return nil, err
				}
				skipped := 0
				for _, c := range changes {
					skipped += c.Skipped
					if diff {
						fmt.Fprint(e.inv.Stdout, loopvar.UnifiedDiff(relPath(e.dir, c.File), c.Old, c.New))
					}
				}
				if fix {
					if err := loopvar.Apply(e.dir, changes); err != nil {
						return nil, fmt.Errorf("fix: %w", err)
					}
				}
				if fix && len(changes) > 0 {
					fmt.Fprintf(e.inv.Stderr, "gocompat: applied %s in %s\n", count(len(res.Edits)-skipped, "fix", "fixes"), count(len(changes), "file", "files"))
				}
				// Changes keeps the first of overlapping edits; a later
				// run offers the others on the text it leaves.
				switch {
				case skipped > 0 && fix:
					fmt.Fprintf(e.inv.Stderr, "gocompat: left out %s that overlapped an applied one; run gocompat loopvar --fix again to apply the rest\n", count(skipped, "fix", "fixes"))
				case skipped > 0:
					fmt.Fprintf(e.inv.Stderr, "gocompat: left out of the diff %s that overlapped one in it; --diff shows the rest once this diff is applied\n", count(skipped, "fix", "fixes"))
				}
			}
			return &report.Report{
				Root:     e.dir,
				Anchor:   audit.DefaultAnchor(e.dir),
				Checks:   []string{"loopvar"},
				Findings: res.Findings,
			}, nil
		},
	}
}
