package audit

import (
	"context"
	"path/filepath"

	"github.com/gocompat/gocompat/internal/check/proccheck"
	"github.com/gocompat/gocompat/internal/discover"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/proc"
)

func init() { Register(procStep()) }

// NeedProcesses is the running programs of the machine under HostRoot
// (Target.Processes).
const NeedProcesses = "processes"

// ProcOptions are the proc step's options. The step runs only when a
// command sets them (gocompat ps, audit --processes, the exporter): an
// audit does not look at running programs unless asked.
type ProcOptions struct {
	// PIDs limits the step to these processes; empty means all but
	// gocompat itself.
	PIDs []int

	// Kept across runs by a command that runs the step again and again
	// (the exporter passes the same *ProcOptions every time): the
	// scanner's cache of executables and roots, and the GODEBUG table.
	scanner *proc.Scanner
	judge   *proccheck.Options
}

// Processes reads the running programs under HostRoot once per run, with
// the proc step's options.
func (t *Target) Processes() (*proc.Result, error) {
	t.procOnce.Do(func() {
		opt := OptionsOf[*ProcOptions](t, "proc")
		if opt == nil {
			opt = &ProcOptions{}
		}
		root := filepath.Clean(t.HostRoot)
		if opt.scanner == nil || opt.scanner.FS.Root != root {
			opt.scanner = proc.NewScanner(proc.NewFS(root))
		}
		t.procs, t.procErr = opt.scanner.Scan(proc.Options{PIDs: opt.PIDs, Platform: true, Self: opt.scanner.FS.SelfPID()})
	})
	return t.procs, t.procErr
}

// procStep checks the running Go programs: GOMAXPROCS and GOMEMLIMIT
// against their cgroup, the Go variables of their environment, their
// executable on disk and their Go release.
func procStep() Step {
	return Step{
		Family:  "proc",
		Order:   65,
		Needs:   []string{NeedProcesses},
		Checks:  proccheck.Checks,
		Applies: func(t *Target) bool { return OptionsOf[*ProcOptions](t, "proc") != nil },
		Run: func(ctx context.Context, t *Target) (Result, error) {
			res, err := t.Processes()
			if err != nil {
				return Result{}, err
			}
			opt := OptionsOf[*ProcOptions](t, "proc")
			if opt.judge == nil {
				opt.judge = &proccheck.Options{}
			}
			if opt.judge.Godebugs == nil && anyGODEBUG(res) {
				// Only a GODEBUG in some environment needs the table;
				// reading it from the toolchain costs a go command.
				goroot := discover.GoEnvGOROOT(ctx, t.Environ)
				tbl, _ := facts.Godebugs(goroot)
				names, _ := facts.GodebugNames(tbl, goroot)
				opt.judge.Godebugs, opt.judge.GodebugNames = tbl, names
			}
			o := *opt.judge
			o.Now = t.now()
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
