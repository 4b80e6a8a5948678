package cli

import (
	"flag"
	"strings"

	"github.com/gocompat/gocompat/internal/audit"
	"github.com/gocompat/gocompat/internal/vulndb"
)

// targetList is a repeatable --target flag.
type targetList []string

func (t *targetList) String() string { return strings.Join(*t, ",") }
func (t *targetList) Set(v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		return usageErrorf("--target needs a value: a preset name, host or root:DIR")
	}
	*t = append(*t, v)
	return nil
}

const targetUsage = "platform to match binaries against (repeatable): a preset such as debian-11 or alpine-3.22, host, or root:DIR (default host)"

func init() {
	registerCommand(func() *command {
		var targets targetList
		var maxFiles int
		var db string
		var src string
		return &command{
			name:    "binary",
			args:    "FILE|DIR...",
			summary: "say what Go binaries need (go version -m and ELF facts) and whether they run on each --target",
			reports: true,
			steps:   []string{"binary", "deps"},
			flags: func(fs *flag.FlagSet) {
				fs.Var(&targets, "target", targetUsage)
				fs.IntVar(&maxFiles, "max-files", 0, "stop walking directories after this many files (0: no limit)")
				fs.StringVar(&db, "db", "", "also check the binaries for vulnerabilities (govulncheck's binary mode) in this database: an https:// URL or a file:// folder (default: $GOVULNDB if set, else no check)")
				fs.StringVar(&src, "src", "", "compare the binaries with this source directory's git repository and go.mod (default: the directory each binary is in)")
			},
			target: func(e *env, args []string) (*audit.Target, error) {
				if len(args) == 0 {
					return nil, usageErrorf("binary needs at least one file or directory")
				}
				plats, err := audit.ResolveTargets(absTargets(e, targets), "/", e.dir)
				if err != nil {
					return nil, usageErrorf("%v", err)
				}
				paths := make([]string, len(args))
				for i, a := range args {
					paths[i] = e.abs(a)
				}
				t := e.newTarget(e.dir)
				t.Targets, t.Focused = plats, true
				if src != "" {
					src = e.abs(src)
				}
				t.SetOptions("binary", audit.BinaryOptions{Paths: paths, MaxFiles: maxFiles, Src: src})
				if db != "" || e.Getenv("GOVULNDB") != "" {
					if _, err := vulndb.URL(db, e.environ); err != nil {
						return nil, usageErrorf("%v", err)
					}
					t.SetOptions("deps", audit.DepsOptions{DB: db, Online: true, Binaries: true})
				}
				return t, nil
			},
		}
	})
}

// absTargets makes root:DIR targets absolute against the working
// directory, so that every step reads the same root.
func absTargets(e *env, ts []string) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		if dir, ok := strings.CutPrefix(t, "root:"); ok && dir != "" {
			t = "root:" + e.abs(dir)
		}
		out[i] = t
	}
	return out
}
