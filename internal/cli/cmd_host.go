package cli

import (
	"context"
	"flag"

	"github.com/gocompat/gocompat/internal/audit"
	"github.com/gocompat/gocompat/internal/check/hostcheck"
	"github.com/gocompat/gocompat/internal/host"
	"github.com/gocompat/gocompat/internal/report"
)

func hostCommand() *command {
	var root string
	return &command{
		name:    "host",
		summary: "describe this machine (or a root filesystem) as a platform for Go programs: kernel, libc, CPU level, cgroup limits, seccomp, memory settings",
		reports: true,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&root, "root", "/", "read the machine whose root filesystem is mounted at this directory")
		},
		run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
			if len(args) > 0 {
				return nil, usageErrorf("host takes no arguments (use --root DIR for another root filesystem)")
			}
			dir := e.abs(root)
			if !isDir(dir) {
				return nil, usageErrorf("--root %s: not a directory", root)
			}
			in, err := host.NewFS(dir).Probe()
			if err != nil {
				return nil, err
			}
			name := "host"
			if dir != "/" {
				name = "root:" + dir
			}
			return &report.Report{
				Root: e.dir, Anchor: audit.DefaultAnchor(e.dir), Checks: []string{"host"},
				Subjects: []report.Subject{hostcheck.Subject(name, in)},
				Findings: hostcheck.Judge(name, in),
			}, nil
		},
	}
}
