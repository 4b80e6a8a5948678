package cli

import (
	"context"

	"github.com/gocompat/gocompat/internal/audit"
	"github.com/gocompat/gocompat/internal/report"
)

// deployCommand runs only the deployment families (dockerfile, systemd,
// workflow) of an audit.
func deployCommand() *command {
	return &command{
		name:    "deploy",
		args:    "[dir]",
		summary: "check the Dockerfiles, systemd units and CI workflows under dir (default .) against the Go module they deploy",
		reports: true,
		run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
			if len(args) > 1 {
				return nil, usageErrorf("deploy takes at most one directory, got %d arguments", len(args))
			}
			dir := e.dir
			if len(args) == 1 {
				dir = e.abs(args[0])
				if !isDir(dir) {
					return nil, usageErrorf("deploy %s: not a directory", args[0])
				}
			}
			t := &audit.Target{Dir: dir, Environ: e.environ, HostRoot: "/"}
			rep := audit.Run(ctx, t, audit.DeploySteps())
			if len(rep.Checks) == 0 {
				// Say what was looked at even when nothing was found.
				rep.Checks = []string{"dockerfile", "systemd", "workflow"}
			}
			return rep, nil
		},
	}
}
