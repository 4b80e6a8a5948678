package cli

import (
	"flag"

	"github.com/gocompat/gocompat/internal/audit"
)

func init() {
	registerCommand(func() *command {
		var src, ldflags string
		var ldflagsSet bool
		return &command{
			name:    "rebuild",
			args:    "BINARY",
			summary: "build a Go binary again from its build information (same Go release, revision and flags) and say whether the bytes are the same, and why not",
			reports: true,
			steps:   []string{"rebuild"},
			flags: func(fs *flag.FlagSet) {
				fs.StringVar(&src, "src", "", "a directory of the git repository the binary was built from (default: the repository the binary is in, else the working directory)")
				fs.Func("ldflags", "linker flags to build with instead of the recorded ones (a -trimpath binary does not record its -ldflags)", func(v string) error {
					ldflags, ldflagsSet = v, true
					return nil
				})
			},
			target: func(e *env, args []string) (*audit.Target, error) {
				if len(args) != 1 {
					return nil, usageErrorf("rebuild takes one binary, got %d arguments", len(args))
				}
				t := e.newTarget(e.dir)
				t.Focused = true
				opt := audit.RebuildOptions{Binary: e.abs(args[0]), Ldflags: ldflags, LdflagsSet: ldflagsSet, Log: e.inv.Stderr}
				if src != "" {
					opt.Src = e.abs(src)
				}
				t.SetOptions("rebuild", opt)
				return t, nil
			},
		}
	})
}
