package cli

import (
	"flag"

	"github.com/gocompat/gocompat/internal/audit"
)

func init() {
	registerCommand(func() *command {
		var online, processes bool
		var targets targetList
		var df depsFlags
		stepTimeout := audit.DefaultStepTimeout
		return &command{
			name:    "audit",
			args:    "[dir]",
			summary: "run every check that applies to dir (default .) and this host",
			reports: true,
			all:     true,
			flags: func(fs *flag.FlagSet) {
				fs.BoolVar(&online, "online", false, "allow checks that use the network (module proxy reachability, the vulnerability database over https, retractions and deprecations)")
				fs.Var(&targets, "target", targetUsage)
				df.register(fs)
				fs.BoolVar(&processes, "processes", false, "also check the running Go programs of this machine (as gocompat ps does; with --db or $GOVULNDB, their executables' vulnerabilities too)")
				fs.DurationVar(&stepTimeout, "step-timeout", stepTimeout, "stop a step that runs longer than this and report the rest, with one audit/step-timeout finding (0: no limit). The default is many times what the slowest steps (loopvar, upgrade: go vet) take on a large module with an empty build cache on 2 CPUs (about 1 minute for caddy v2.6.4, 4 to 7 minutes reported on busy machines), so it stops only a run that would not finish")
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
				if processes {
					t.SetOptions("proc", &audit.ProcOptions{})
				}
				// With a database named, the running programs' executables
				// are checked for vulnerabilities too, as gocompat ps --db does.
				return t, df.set(e, t, audit.DepsOptions{Processes: processes && (df.db != "" || e.Getenv("GOVULNDB") != "")})
			},
		}
	})
}
