package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/gocompat/gocompat/internal/check/matrix"
	"github.com/gocompat/gocompat/internal/check/upgrade"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/toolchains"
)

func matrixCommand() *command {
	var list string
	var test bool
	var jobs, memMiB int
	var timeout time.Duration
	return &command{
		name:    "matrix",
		args:    "[dir]",
		summary: "build, vet and with --test test the modules in dir (default .) under several Go releases, and say why each failure happens",
		reports: true,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&list, "go", "go.mod", "Go releases: 1.N or 1.N.P, comma-separated; supported (those still getting security fixes); go.mod (from the go line to the newest). Releases not installed are taken through GOPROXY into the module cache, as GOTOOLCHAIN does")
			fs.BoolVar(&test, "test", false, "also run the tests (runs the modules' code; go.mod and go.sum are never written)")
			fs.IntVar(&jobs, "jobs", 0, "cells run at once (default: the CPUs, within --mem)")
			fs.IntVar(&memMiB, "mem", 0, "memory budget in MiB, 1024 per cell (default: half of the available memory)")
			fs.DurationVar(&timeout, "timeout", 20*time.Minute, "stop after this long (0: no limit)")
		},
		run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
			if len(args) > 1 {
				return nil, usageErrorf("matrix takes at most one directory, got %d arguments", len(args))
			}
			dir := e.dir
			if len(args) == 1 {
				if dir = e.abs(args[0]); !isDir(dir) {
					return nil, usageErrorf("matrix %s: not a directory", args[0])
				}
			}
			releases, err := matrix.ParseList(list)
			if err != nil {
				return nil, usageErrorf("%v", err)
			}
			if jobs < 0 || memMiB < 0 || timeout < 0 {
				return nil, usageErrorf("--jobs, --mem and --timeout must not be negative")
			}
			if timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, timeout)
				defer cancel()
			}
			progress := e.progress()
			if e.verbose {
				progress = e.inv.Stderr // -v: progress and where the time goes, also in logs
			}
			res, err := matrix.Run(ctx, matrix.Options{
				Dir: dir, Releases: releases, Test: test, Environ: e.environ, Progress: progress,
				Toolchains: &toolchains.Source{Environ: e.environ, Progress: progress},
				Jobs:       jobs, MemBudget: int64(memMiB) << 20,
			})
			if err != nil {
				if ctx.Err() == context.DeadlineExceeded {
					return nil, usageErrorf("matrix: stopped after --timeout %s", timeout)
				}
				if errors.Is(err, upgrade.ErrNoModule) {
					return nil, usageErrorf("matrix: %v (run it in a module, or name a directory that holds one)", err)
				}
				return nil, err
			}
			for _, u := range res.Unavailable {
				fmt.Fprintf(e.inv.Stderr, "gocompat: matrix: %s; the matrix goes on without it\n", u)
			}
			return &report.Report{Root: dir, Anchor: res.Anchor, Checks: []string{"matrix"}, Findings: res.Findings,
				Subjects: res.Subjects, Tables: []report.Table{res.Table}}, nil
		},
	}
}
