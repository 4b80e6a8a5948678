package audit

import (
	"context"
	"path/filepath"
	"time"

	"github.com/gocompat/gocompat/internal/check/proccheck"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/proc"
)

// ProcRun checks the running Go processes of the machine at
// Target.HostRoot. One ProcRun may serve many runs (the exporter): its
// scanner keeps what it read of each executable, and the GODEBUG table is
// read once, from the toolchain on PATH when there is one, else the
// embedded table.
type ProcRun struct {
	// PIDs limits the checks to these processes; empty means all but
	// gocompat itself.
	PIDs []int
	// Now is the clock for release support; nil means time.Now.
	Now func() time.Time

	scanner *proc.Scanner
	opts    *proccheck.Options
}

// Step returns the "proc" step.
func (r *ProcRun) Step() Step {
	return Step{
		Family: "proc",
		Run: func(ctx context.Context, t *Target) (Result, error) {
			root := filepath.Clean(t.HostRoot)
			if r.scanner == nil || r.scanner.FS.Root != root {
				r.scanner = proc.NewScanner(proc.NewFS(root))
			}
			opt := proc.Options{PIDs: r.PIDs, Platform: true, Self: r.scanner.FS.SelfPID()}
			res, err := r.scanner.Scan(opt)
			if err != nil {
				return Result{}, err
			}
			if r.opts == nil {
				r.opts = &proccheck.Options{}
			}
			if r.opts.Godebugs == nil && anyGODEBUG(res) {
				// Only a GODEBUG in some environment needs the table;
				// reading it from the toolchain costs a go command.
				goroot := goEnvGOROOT(ctx, t)
				tbl, _ := facts.Godebugs(goroot)
				names, _ := facts.GodebugNames(tbl, goroot)
				r.opts.Godebugs, r.opts.GodebugNames = tbl, names
			}
			o := *r.opts
			o.Now = time.Now()
			if r.Now != nil {
				o.Now = r.Now()
			}
			return Result{Findings: proccheck.Judge(res, o), Subjects: proccheck.Subjects(res)}, nil
		},
	}
}

func anyGODEBUG(res *proc.Result) bool {
	for _, p := range res.Processes {
		if p.Env["GODEBUG"] != "" {
			return true
		}
	}
	return false
}
