package cli

import (
	"flag"

	"github.com/gocompat/gocompat/internal/audit"
)

func init() {
	registerCommand(func() *command {
		var root string
		return &command{
			name:    "host",
			summary: "describe this machine (or a root filesystem) as a platform for Go programs: kernel, libc, CPU level, cgroup limits, seccomp, memory settings",
			reports: true,
			steps:   []string{"host"},
			flags: func(fs *flag.FlagSet) {
				fs.StringVar(&root, "root", "/", "read the machine whose root filesystem is mounted at this directory")
			},
			target: func(e *env, args []string) (*audit.Target, error) {
				if len(args) > 0 {
					return nil, usageErrorf("host takes no arguments (use --root DIR for another root filesystem)")
				}
				dir := e.abs(root)
				if !isDir(dir) {
					return nil, usageErrorf("--root %s: not a directory", root)
				}
				t := e.newTarget(e.dir)
				t.HostRoot, t.Focused = dir, true
				return t, nil
			},
		}
	})
}
