package cli

import (
	"flag"

	"github.com/gocompat/gocompat/internal/audit"
)

func init() {
	registerCommand(func() *command {
		var online bool
		return &command{
			name:    "doctor",
			summary: "check that the Go installation on PATH is sound, and say why not",
			reports: true,
			steps:   []string{"toolchain"},
			flags: func(fs *flag.FlagSet) {
				fs.BoolVar(&online, "online", false, "also check that GOPROXY can be reached")
			},
			target: func(e *env, args []string) (*audit.Target, error) {
				if len(args) > 0 {
					return nil, usageErrorf("doctor takes no arguments (use -C dir to check another module's go.mod)")
				}
				t := e.newTarget(e.dir)
				t.Online = online
				t.Progress = nil
				return t, nil
			},
		}
	})
}
