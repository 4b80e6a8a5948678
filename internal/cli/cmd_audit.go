package cli

import (
	"flag"

	"github.com/gocompat/gocompat/internal/audit"
)

func init() {
	registerCommand(func() *command {
		var online bool
		var targets targetList
		stepTimeout := audit.DefaultStepTimeout
		return &command{
			name:    "audit",
			args:    "[dir]",
			summary: "run every check that applies to dir (default .) and this host",
			reports: true,
			all:     true,
			flags: func(fs *flag.FlagSet) {
				fs.BoolVar(&online, "online", false, "allow checks that use the network (module proxy reachability)")
				fs.Var(&targets, "target", targetUsage)
				fs.DurationVar(&stepTimeout, "step-timeout", stepTimeout, "stop a step that runs longer than this and report the rest, with one audit/step-timeout finding (0: no limit); the default lets go vet compile a large module's dependencies on an empty build cache on 2 CPUs")
			},
			target: func(e *env, args []string) (*audit.Target, error) {
				t, err := dirTarget("audit")(e, args)
				if err != nil {
					return nil, err
				}
				if t.Targets, err = audit.ResolveTargets(absTargets(e, targets), "/", e.dir); err != nil {
					return nil, usageErrorf("%v", err)
				}
				if stepTimeout < 0 {
					return nil, usageErrorf("--step-timeout must not be negative")
				}
				t.Online = online
				t.StepTimeout = stepTimeout
				return t, nil
			},
		}
	})
}
