package audit

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gocompat/gocompat/internal/check/loopvar"
	"github.com/gocompat/gocompat/internal/finding"
)

func init() { Register(loopvarStep()) }

// LoopvarOptions are the loopvar step's options (gocompat loopvar).
type LoopvarOptions struct {
	// Patterns are the packages to analyse (default ./...).
	Patterns []string
	// Fix writes the suggested fixes into the files, all or none
	// (loopvar.Apply).
	Fix bool
	// Diff, if set, receives the suggested fixes as a unified diff
	// instead; nothing is written.
	Diff io.Writer
	// Log receives one line on what --fix applied or left out.
	Log io.Writer
}

// loopvarStep runs the loopvar analyzer on every package of the module at
// the audited directory (./..., tests included), and applies or prints
// its fixes when asked.
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
			if opt.Fix {
				// Finish or undo an interrupted --fix run before
				// analysing the files it may have changed.
				msg, err := loopvar.Recover(t.Dir)
				if err != nil {
					return Result{}, err
				}
				if msg != "" && opt.Log != nil {
					fmt.Fprintf(opt.Log, "gocompat: %s\n", msg)
				}
			}
			if len(opt.Patterns) == 0 && fileExists(filepath.Join(t.Dir, "go.mod")) {
				if none := noPackages(t.Dir, "loopvar"); none != nil {
					return Result{Findings: none}, nil // go vet would fail with "matched no packages"
				}
			}
			var res *loopvar.Result
			var err error
			if len(opt.Patterns) == 0 && !opt.Fix {
				res, err = t.Loopvar(ctx, t.Dir) // shared with the upgrade step
			} else {
				// --fix analyses the files as Recover left them, on
				// its own.
				res, err = loopvar.Analyze(ctx, t.VetTool, t.Dir, opt.Patterns)
			}
			if fd, ok := loopvarUnbuildable(t.Dir, err); ok {
				return Result{Findings: []finding.Finding{fd}}, nil
			}
			if err != nil {
				return Result{}, err
			}
			if opt.Fix || opt.Diff != nil {
				if err := applyLoopvarFixes(t.Dir, res.Edits, opt); err != nil {
					return Result{}, err
				}
			}
			fs := slices.Clone(res.Findings)
			if res.NotBuilt != "" {
				fs = append(fs, notBuilt("loopvar", "go.mod", res.NotBuilt))
			}
			return Result{Findings: fs}, nil
		},
	}
}

// applyLoopvarFixes writes the fixes (opt.Fix) or prints them as a diff.
func applyLoopvarFixes(dir string, edits []loopvar.Edit, opt LoopvarOptions) error {
	changes, err := loopvar.Changes(edits)
	if err != nil {
		return err
	}
	log := opt.Log
	if log == nil {
		log = io.Discard
	}
	skipped := 0
	for _, c := range changes {
		skipped += c.Skipped
		if opt.Diff != nil {
			fmt.Fprint(opt.Diff, loopvar.UnifiedDiff(relSlash(dir, c.File), c.Old, c.New))
		}
	}
	fix := opt.Diff == nil
	if fix {
		// All files of the run or none (see loopvar.Apply).
		if err := loopvar.Apply(dir, changes); err != nil {
			return fmt.Errorf("fix: %w", err)
		}
	}
	if fix && len(changes) > 0 {
		fmt.Fprintf(log, "gocompat: applied %s in %s\n", count(len(edits)-skipped, "fix", "fixes"), count(len(changes), "file", "files"))
	}
	// Changes keeps the first of overlapping edits; a later run offers
	// the others on the text it leaves.
	switch {
	case skipped > 0 && fix:
		fmt.Fprintf(log, "gocompat: left out %s that overlapped an applied one; run gocompat loopvar --fix again to apply the rest\n", count(skipped, "fix", "fixes"))
	case skipped > 0:
		fmt.Fprintf(log, "gocompat: left out of the diff %s that overlapped one in it; --diff shows the rest once this diff is applied\n", count(skipped, "fix", "fixes"))
	}
	return nil
}

// relSlash makes p relative to dir when it lies inside it.
func relSlash(dir, p string) string {
	if r, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(p)
}

// count says "1 file" or "3 files".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
