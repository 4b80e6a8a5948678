package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gocompat/gocompat/internal/audit"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/vulndb"
)

// depsFlags are the flags of the deps step, shared by deps and audit.
type depsFlags struct {
	db       string
	outdated bool
}

func (d *depsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.db, "db", "", "vulnerability database: an https:// URL or a file:// folder (default $GOVULNDB, else "+vulndb.DefaultURL+")")
	fs.BoolVar(&d.outdated, "outdated", false, "also report required modules with newer versions (needs the module proxy)")
}

func (d *depsFlags) options(e *env) audit.DepsOptions {
	return audit.DepsOptions{DB: d.db, Outdated: d.outdated, Now: e.inv.Now()}
}

// depsCommand checks a module's dependencies and Go release.
func depsCommand() *command {
	var df depsFlags
	return &command{
		name:    "deps",
		args:    "[dir]",
		summary: "vulnerabilities the module's code reaches (govulncheck's analysis), retracted and deprecated requirements, local replacements, go lines and go.sum of the module in dir (default .)",
		reports: true,
		flags:   df.register,
		run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
			if len(args) > 1 {
				return nil, usageErrorf("deps takes at most one directory, got %d arguments", len(args))
			}
			dir := e.dir
			if len(args) == 1 {
				dir = e.abs(args[0])
				if !isDir(dir) {
					return nil, usageErrorf("deps %s: not a directory", args[0])
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
				return nil, usageErrorf("deps %s: no go.mod (run it in a module's root directory)", dir)
			}
			if _, err := vulndb.URL(df.db, e.environ); err != nil {
				return nil, usageErrorf("%v", err)
			}
			t := &audit.Target{Dir: dir, Environ: e.environ, HostRoot: "/", Progress: e.progress(), Deps: df.options(e)}
			return audit.Run(ctx, t, audit.DepsSteps()), nil
		},
	}
}

// vulndbCommand manages offline vulnerability databases.
func vulndbCommand() *command {
	var modified string
	return &command{
		name:    "vulndb",
		args:    "import OSVDIR OUTDIR",
		summary: "lay a folder of OSV entries (<id>.json) out as a Go vulnerability database that --db file://OUTDIR and govulncheck -db read",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&modified, "modified", "", "the database's modification time (RFC 3339, or YYYY-MM-DD), when the entries' own times are not right")
		},
		run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
			if len(args) != 3 || args[0] != "import" {
				return nil, usageErrorf("usage: gocompat vulndb import OSVDIR OUTDIR")
			}
			var opts vulndb.ImportOptions
			if modified != "" {
				t, err := time.Parse(time.RFC3339, modified)
				if err != nil {
					if t, err = time.Parse("2006-01-02", modified); err != nil {
						return nil, usageErrorf("--modified %q: want RFC 3339 (2026-08-21T00:00:00Z) or YYYY-MM-DD", modified)
					}
				}
				opts.Modified = t
			}
			out := e.abs(args[2])
			res, err := vulndb.Import(e.abs(args[1]), out, opts)
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(e.inv.Stdout, "%s: %d entries, %d modules, modified %s\nuse: --db file://%s\n",
				out, res.Entries, res.Modules, res.Modified.Format(time.RFC3339), filepath.ToSlash(out))
			return nil, nil
		},
	}
}
