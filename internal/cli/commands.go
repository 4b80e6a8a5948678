package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/gocompat/gocompat/docs"
	"github.com/gocompat/gocompat/internal/audit"
	"github.com/gocompat/gocompat/internal/report"
)

func auditCommand() *command {
	var online, processes bool
	var targets targetList
	return &command{
		name:    "audit",
		args:    "[dir]",
		summary: "run every check that applies to dir (default .) and this host",
		reports: true,
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&online, "online", false, "allow checks that use the network (module proxy reachability)")
			fs.Var(&targets, "target", targetUsage)
			fs.BoolVar(&processes, "processes", false, "also check the running Go programs of this machine (as gocompat ps does)")
		},
		run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
			if len(args) > 1 {
				return nil, usageErrorf("audit takes at most one directory, got %d arguments", len(args))
			}
			dir := e.dir
			if len(args) == 1 {
				dir = e.abs(args[0])
				if !isDir(dir) {
					return nil, usageErrorf("audit %s: not a directory", args[0])
				}
			}
			plats, err := audit.ResolveTargets(absTargets(e, targets), "/", e.dir)
			if err != nil {
				return nil, usageErrorf("%v", err)
			}
			t := &audit.Target{Dir: dir, Environ: e.environ, HostRoot: "/", Online: online, Targets: plats, Progress: e.progress(), VetTool: e.inv.VetTool}
			steps := audit.Steps()
			if processes {
				steps = append(steps, (&audit.ProcRun{Now: e.inv.Now}).Step())
			}
			return audit.Run(ctx, t, steps), nil
		},
	}
}

func doctorCommand() *command {
	var online bool
	return &command{
		name:    "doctor",
		summary: "check that the Go installation on PATH is sound, and say why not",
		reports: true,
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&online, "online", false, "also check that GOPROXY can be reached")
		},
		run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
			if len(args) > 0 {
				return nil, usageErrorf("doctor takes no arguments (use -C dir to check another module's go.mod)")
			}
			t := &audit.Target{Dir: e.dir, Environ: e.environ, HostRoot: "/", Online: online}
			return audit.Run(ctx, t, audit.DoctorSteps()), nil
		},
	}
}

func explainCommand() *command {
	return &command{
		name:    "explain",
		args:    "[check-id]",
		summary: "print what a check means and how to fix its findings; with no ID, list all checks",
		run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
			w := e.inv.Stdout
			if len(args) == 0 {
				for _, c := range e.registry.All() {
					fmt.Fprintf(w, "%-40s %-7s %s\n", c.ID, c.Severity, c.Title)
				}
				return nil, nil
			}
			for _, id := range args {
				c, ok := e.registry.Lookup(id)
				if !ok {
					return nil, usageErrorf("unknown check %q (gocompat explain lists them)", id)
				}
				page, ok := docs.Check(id)
				if !ok {
					page = "# " + c.ID + "\n\n" + c.Title + "\n"
				}
				fmt.Fprint(w, page)
				if !strings.HasSuffix(page, "\n") {
					fmt.Fprintln(w)
				}
			}
			return nil, nil
		},
	}
}

func versionCommand() *command {
	return &command{
		name:    "version",
		summary: "print gocompat's version",
		run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
			fmt.Fprintf(e.inv.Stdout, "gocompat %s\n", Version())
			return nil, nil
		},
	}
}
