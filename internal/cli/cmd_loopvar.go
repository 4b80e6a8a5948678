package cli

import (
	"flag"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gocompat/gocompat/internal/audit"
)

func init() {
	registerCommand(func() *command {
		var fix, diff bool
		return &command{
			name:    "loopvar",
			args:    "[packages | files.go]",
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
				opt := audit.LoopvarOptions{Patterns: filePackages(e, args), Fix: fix, Log: e.inv.Stderr}
				if diff {
					opt.Diff = e.inv.Stdout
				}
				t.SetOptions("loopvar", opt)
				return t, nil
			},
		}
	})
}

// filePackages turns Go file arguments (as a pre-commit hook passes the
// changed files) into the patterns of their packages' directories, so
// that files of several packages can be named at once; other arguments
// are package patterns and stay as they are.
func filePackages(e *env, args []string) []string {
	var out []string
	for _, a := range args {
		if strings.HasSuffix(a, ".go") && !strings.Contains(a, "...") {
			rel, err := filepath.Rel(e.dir, filepath.Dir(e.abs(a)))
			if err == nil && !strings.HasPrefix(rel, "..") {
				a = "./" + filepath.ToSlash(rel)
			}
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}
