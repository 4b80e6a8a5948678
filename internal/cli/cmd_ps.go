package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gocompat/gocompat/internal/audit"
	"github.com/gocompat/gocompat/internal/exporter"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/vulndb"
)

func init() {
	registerCommand(func() *command {
		var root, db string
		return &command{
			name:    "ps",
			args:    "[PID...]",
			summary: "check the running Go programs (all, or the PIDs given), read-only: GOMAXPROCS and GOMEMLIMIT against their cgroup, GOGC, GODEBUG, GOEXPERIMENT, replaced binaries, Go support; with --db, the known vulnerabilities of each one's executable",
			reports: true,
			steps:   []string{"proc", "deps"},
			flags: func(fs *flag.FlagSet) {
				fs.StringVar(&root, "root", "/", "read the processes of the machine whose root (with its /proc) is at this directory")
				fs.StringVar(&db, "db", "", "also check each program's executable (through /proc/PID/exe) for vulnerabilities, govulncheck's binary mode, in this database: an https:// URL or a file:// folder (default: $GOVULNDB if set, else no check)")
			},
			target: func(e *env, args []string) (*audit.Target, error) {
				opt := &audit.ProcOptions{}
				for _, a := range args {
					n, err := strconv.Atoi(a)
					if err != nil || n <= 0 {
						return nil, usageErrorf("ps takes process IDs, got %q", a)
					}
					opt.PIDs = append(opt.PIDs, n)
				}
				dir := e.abs(root)
				if !isDir(dir) {
					return nil, usageErrorf("--root %s: not a directory", root)
				}
				t := e.newTarget(e.dir)
				t.HostRoot, t.Focused = dir, true
				t.SetOptions("proc", opt)
				// Binaries with no paths: never the module in the working
				// directory; Processes only with a database.
				do := audit.DepsOptions{DB: db, Online: true, Binaries: true}
				if db != "" || e.Getenv("GOVULNDB") != "" {
					if _, err := vulndb.URL(db, e.environ); err != nil {
						return nil, usageErrorf("%v", err)
					}
					do.Processes = true
				}
				t.SetOptions("deps", do)
				return t, nil
			},
		}
	})
	registerCommand(exporterCommand)
}

func exporterCommand() *command {
	var listen, root, textfile string
	var interval time.Duration
	var maxSeries int
	var binaries stringList
	return &command{
		name:    "exporter",
		summary: "serve Prometheus metrics of the host, process (and --binaries) checks, re-run every --interval; --textfile writes them once",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&listen, "listen", "127.0.0.1:9477", "address to serve the metrics on (any path)")
			fs.DurationVar(&interval, "interval", 5*time.Minute, "how often to re-run the checks")
			fs.StringVar(&root, "root", "/", "the machine's root (with its /proc), e.g. the node's root mounted in a container")
			fs.IntVar(&maxSeries, "max-series", exporter.DefaultMaxSeries, "cap on finding series and on process series")
			fs.Var(&binaries, "binaries", "a file or directory of Go binaries to check too (repeatable)")
			fs.StringVar(&textfile, "textfile", "", "run the checks once and write the metrics to this file (atomically, for node_exporter's textfile collector) instead of serving them")
		},
		run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
			if len(args) > 0 {
				return nil, usageErrorf("exporter takes no arguments")
			}
			if interval < time.Second {
				return nil, usageErrorf("--interval %s: want at least 1s", interval)
			}
			dir := e.abs(root)
			if !isDir(dir) {
				return nil, usageErrorf("--root %s: not a directory", root)
			}
			var paths []string
			for _, b := range binaries {
				paths = append(paths, e.abs(b))
			}
			run := exporterRun(e, dir, paths)
			if textfile != "" {
				return nil, writeTextfile(ctx, e.abs(textfile), run)
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return nil, usageErrorf("--listen %s: %v", listen, err)
			}
			x := exporter.New(run, interval, maxSeries)
			x.Log = e.inv.Stderr
			srv := &http.Server{Handler: x.Handler(), ReadHeaderTimeout: 10 * time.Second}
			go x.Loop(ctx)
			fmt.Fprintf(e.inv.Stderr, "gocompat exporter: serving metrics on http://%s/metrics every %s\n", ln.Addr(), interval)
			go func() {
				<-ctx.Done()
				shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				srv.Shutdown(shut)
			}()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return nil, err
			}
			return nil, nil
		},
	}
}

// exporterRun returns the checks the exporter runs: the host, its Go
// processes and, if any, the binaries at paths. The proc step's options
// live as long as the exporter, so its caches carry from run to run.
func exporterRun(e *env, root string, paths []string) exporter.RunFunc {
	procOpt := &audit.ProcOptions{}
	families := []string{"host", "proc"}
	if len(paths) > 0 {
		families = append(families, "binary")
	}
	return func(ctx context.Context) (*report.Report, error) {
		t := e.newTarget(e.dir)
		t.HostRoot, t.Progress = root, nil
		t.SetOptions("proc", procOpt)
		t.SetOptions("binary", audit.BinaryOptions{Paths: paths})
		rep, err := audit.Run(ctx, t, audit.StepsOf(families...))
		if err != nil {
			return nil, err
		}
		rep.Finish(e.registry)
		return rep, nil
	}
}

// writeTextfile runs the checks once and replaces path with their
// metrics: written to a temporary file in the same directory, then
// renamed, so a reader never sees half of it.
func writeTextfile(ctx context.Context, path string, run exporter.RunFunc) error {
	start := time.Now()
	rep, err := run(ctx)
	if err != nil {
		return err
	}
	s := exporter.NewSnapshot(rep, 0)
	s.Duration, s.Time = time.Since(start), time.Now()
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return fmt.Errorf("--textfile: %w", err)
	}
	defer os.Remove(f.Name())
	if err := exporter.WriteText(f, s); err != nil {
		f.Close()
		return fmt.Errorf("--textfile: %w", err)
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return fmt.Errorf("--textfile: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--textfile: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("--textfile: %w", err)
	}
	return nil
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }
