package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/gocompat/gocompat/internal/audit"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/vulndb"
)

// depsFlags are the deps step's flags, shared by deps and audit.
type depsFlags struct {
	db       string
	outdated bool
}

func (d *depsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.db, "db", "", "vulnerability database: an https:// URL or a file:// folder (default $GOVULNDB, else "+vulndb.DefaultURL+")")
	fs.BoolVar(&d.outdated, "outdated", false, "also report required modules with newer versions (needs the module proxy)")
}

// set validates the flags and stores the step's options in t.
func (d *depsFlags) set(e *env, t *audit.Target, o audit.DepsOptions) error {
	if _, err := vulndb.URL(d.db, e.environ); err != nil {
		return usageErrorf("%v", err)
	}
	o.DB, o.Outdated = d.db, d.outdated
	t.SetOptions("deps", o)
	return nil
}

func init() {
	registerCommand(func() *command {
		var df depsFlags
		return &command{
			name:    "deps",
			args:    "[dir]",
			summary: "vulnerabilities the module in dir (default .) reaches (govulncheck's analysis), retracted and deprecated requirements, local replacements, go lines and go.sum",
			reports: true,
			steps:   []string{"module", "deps"},
			flags:   df.register,
			target: func(e *env, args []string) (*audit.Target, error) {
				t, err := dirTarget("deps")(e, args)
				if err != nil {
					return nil, err
				}
				if !isFile(filepath.Join(t.Dir, "go.mod")) {
					return nil, usageErrorf("deps %s: no go.mod (run it in a module's root directory)", t.Dir)
				}
				t.Focused = true
				return t, df.set(e, t, audit.DepsOptions{Online: true})
			},
		}
	})
	registerCommand(func() *command {
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
					return nil, usageErrorf("usage: gocompat vulndb import [--modified T] OSVDIR OUTDIR")
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
	})
}
