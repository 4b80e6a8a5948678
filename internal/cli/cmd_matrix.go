package cli

import (
	"flag"
	"time"

	"github.com/gocompat/gocompat/internal/audit"
)

func init() {
	registerCommand(func() *command {
		var list string
		var test bool
		var jobs, memMiB int
		var timeout time.Duration
		return &command{
			name:    "matrix",
			args:    "[dir]",
			summary: "build, vet and with --test test the modules in dir (default .) under several Go releases, and say why each failure happens",
			reports: true,
			steps:   []string{"matrix"},
			timeout: func() time.Duration { return timeout },
			flags: func(fs *flag.FlagSet) {
				fs.StringVar(&list, "go", "go.mod", "Go releases: 1.N or 1.N.P, comma-separated; supported (those still getting security fixes); go.mod (from the go line to the newest). Releases not installed are taken through GOPROXY into the module cache, as GOTOOLCHAIN does")
				fs.BoolVar(&test, "test", false, "also run the tests (runs the modules' code; go.mod and go.sum are never written)")
				fs.IntVar(&jobs, "jobs", 0, "go commands run at once (default: the CPUs, within --mem)")
				fs.IntVar(&memMiB, "mem", 0, "memory budget in MiB, 1024 per go command run at once (default: half of the available memory)")
				fs.DurationVar(&timeout, "timeout", 20*time.Minute, "stop after this long (0: no limit)")
			},
			target: func(e *env, args []string) (*audit.Target, error) {
				t, err := dirTarget("matrix")(e, args)
				if err != nil {
					return nil, err
				}
				releases, err := audit.ParseMatrixList(list)
				if err != nil {
					return nil, usageErrorf("%v", err)
				}
				if jobs < 0 || memMiB < 0 || timeout < 0 {
					return nil, usageErrorf("--jobs, --mem and --timeout must not be negative")
				}
				t.Focused = true
				if e.verbose {
					t.Progress = e.inv.Stderr // -v: progress and where the time goes, also in logs
				}
				t.SetOptions("matrix", audit.MatrixOptions{Releases: releases, Test: test, Jobs: jobs, MemBudget: int64(memMiB) << 20})
				return t, nil
			},
			finish: moduleFinish("matrix", &timeout, audit.ErrMatrixNoModule),
		}
	})
}
