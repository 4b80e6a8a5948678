package cli

import (
	"flag"

	"github.com/gocompat/gocompat/internal/audit"
)

func init() {
	registerCommand(func() *command {
		var fix, diff bool
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
				opt := audit.LoopvarOptions{Patterns: args, Fix: fix, Log: e.inv.Stderr}
				if diff {
					opt.Diff = e.inv.Stdout
				}
				t.SetOptions("loopvar", opt)
				return t, nil
			},
		}
	})
}
