package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/gocompat/gocompat/internal/check/loopvar"
	"github.com/gocompat/gocompat/internal/check/upgrade"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/toolchains"
)

func upgradeCommand() *command {
	var to string
	var test bool
	var timeout time.Duration
	return &command{
		name:    "upgrade",
		args:    "[dir]",
		summary: "show what changes when the modules in dir (default .) raise their go line, and with --test prove it with their tests",
		reports: true,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&to, "to", "", "target go line, 1.N or 1.N.P (default: the installed toolchain's version); a release newer than the installed one is taken through GOPROXY into the module cache, as GOTOOLCHAIN does")
			fs.BoolVar(&test, "test", false, "run the modules' tests at the current and the target go line and attribute every difference (runs the modules' code; go.mod and go.sum are never written)")
			fs.DurationVar(&timeout, "timeout", 10*time.Minute, "stop after this long (0: no limit)")
		},
		run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
			if len(args) > 1 {
				return nil, usageErrorf("upgrade takes at most one directory, got %d arguments", len(args))
			}
			dir := e.dir
			if len(args) == 1 {
				dir = e.abs(args[0])
				if !isDir(dir) {
					return nil, usageErrorf("upgrade %s: not a directory", args[0])
				}
			}
			if timeout < 0 {
				return nil, usageErrorf("--timeout must not be negative")
			}
			if timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, timeout)
				defer cancel()
			}
			opts := upgrade.Options{Dir: dir, Target: to, Environ: e.environ, Test: test, Loopvar: upgradeLoops(e.inv.VetTool),
				Toolchains: &toolchains.Source{Environ: e.environ, Progress: e.progress()}}
			if test || isTerminal(e.inv.Stderr) {
				// Test runs take long enough that silence would look like a hang.
				opts.Progress = e.inv.Stderr
			}
			if to != "" {
				if _, err := upgrade.TargetVersion(to, "go1.999"); err != nil {
					return nil, usageErrorf("%v", err)
				}
			}
			res, err := upgrade.Run(ctx, opts)
			if err != nil {
				if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded {
					return nil, usageErrorf("upgrade: stopped after --timeout %s", timeout)
				}
				if errors.Is(err, upgrade.ErrNoModule) {
					return nil, usageErrorf("upgrade: %v (run it in a module, or name a directory that holds one)", err)
				}
				return nil, err
			}
			for _, u := range res.Unavailable {
				fmt.Fprintf(e.inv.Stderr, "gocompat: upgrade: %s; reporting without it\n", u)
			}
			return &report.Report{Root: dir, Anchor: res.Anchor, Checks: []string{"upgrade"}, Findings: res.Findings, Subjects: res.Subjects}, nil
		},
	}
}

// upgradeLoops lists, loop by loop, what the loopvar analyzer says changes
// when a module's go line crosses 1.22: the findings that mean "becomes
// per-iteration on the upgrade", not the clean-ups for files already there.
func upgradeLoops(vetTool string) func(ctx context.Context, dir string) ([]finding.Finding, error) {
	return func(ctx context.Context, dir string) ([]finding.Finding, error) {
		fs, err := loopvar.Run(ctx, vetTool, dir, []string{"./..."})
		if err != nil {
			return nil, err
		}
		kept := fs[:0]
		for _, f := range fs {
			if loopvar.IsUpgradeChange(f.Check) {
				kept = append(kept, f)
			}
		}
		return kept, nil
	}
}
