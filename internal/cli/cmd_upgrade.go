package cli

import (
	"flag"
	"time"

	"github.com/gocompat/gocompat/internal/audit"
)

func init() {
	registerCommand(func() *command {
		var to string
		var test bool
		var timeout time.Duration
		return &command{
			name:    "upgrade",
			args:    "[dir]",
			summary: "show what changes when the modules in dir (default .) raise their go line, and with --test prove it with their tests",
			reports: true,
			steps:   []string{"upgrade"},
			timeout: func() time.Duration { return timeout },
			flags: func(fs *flag.FlagSet) {
				fs.StringVar(&to, "to", "", "target go line, 1.N or 1.N.P (default: the installed toolchain's version); a release newer than the installed one is taken through GOPROXY into the module cache, as GOTOOLCHAIN does")
				fs.BoolVar(&test, "test", false, "run the modules' tests at the current and the target go line and attribute every difference (runs the modules' code; go.mod and go.sum are never written)")
				fs.DurationVar(&timeout, "timeout", 10*time.Minute, "stop after this long (0: no limit)")
			},
			target: func(e *env, args []string) (*audit.Target, error) {
				t, err := dirTarget("upgrade")(e, args)
				if err != nil {
					return nil, err
				}
				if timeout < 0 {
					return nil, usageErrorf("--timeout must not be negative")
				}
				opt := audit.UpgradeOptions{To: to, Test: test}
				if err := opt.Validate(); err != nil {
					return nil, usageErrorf("%v", err)
				}
				t.Focused = true
				t.Progress = nil
				if !e.quiet && (test || isTerminal(e.inv.Stderr)) {
					// Test runs take long enough that silence would look
					// like a hang, in a log too; -q silences it.
					t.Progress = e.inv.Stderr
				}
				t.SetOptions("upgrade", opt)
				return t, nil
			},
			finish: moduleFinish("upgrade", &timeout, audit.ErrNoModule),
		}
	})
}
