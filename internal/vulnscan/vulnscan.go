// Package vulnscan runs govulncheck in process, through the public scan
// package of golang.org/x/vuln, and reads its JSON stream into plain
// values: which vulnerabilities of the database apply, and for each
// whether the scanned code calls a vulnerable symbol, only imports a
// vulnerable package, or only requires a vulnerable module. The
// analysis is govulncheck's; this package only runs it and reads it.
//
// The stream is the one `govulncheck -format json` writes: a sequence
// of JSON objects ("messages"), each with exactly one of config,
// progress, SBOM, osv or finding set, in no guaranteed order
// (golang.org/x/vuln/internal/govulncheck's package documentation).
// A vulnerability gets several findings: one per module that holds it,
// one per package that imports it, and one per called symbol (each
// with a trace). A finding's trace runs from the vulnerable symbol
// (Trace[0]) to an entry point of the scanned code; a frame's position
// is where that frame's function makes the call toward Trace[0],
// relative to its module's directory. The most precise finding decides
// the category, as govulncheck's own text report does: a finding whose
// Trace[0] has a function is "called", one with only a package is
// "imported", and one with only a module is "required".
package vulnscan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/vulndb"
	"golang.org/x/vuln/scan"
)

// Level is how close the scanned code is to a vulnerability.
type Level int

const (
	Required Level = iota // a vulnerable module version is required, no vulnerable package imported
	Imported              // a vulnerable package is imported, no vulnerable symbol reachable
	Called                // a vulnerable symbol is reachable from the code
)

func (l Level) String() string {
	return [...]string{"required", "imported", "called"}[l]
}

// Options say what to scan and with which database.
type Options struct {
	// DB is the database URL (https:// or file://).
	DB string
	// Dir is the module to scan in source mode; Patterns are its
	// package patterns (default ./...).
	Dir      string
	Patterns []string
	// Binary, if set, is scanned in binary mode instead of Dir.
	Binary string
	// Env is the environment of the go command that loads the packages
	// (nil: the process's). GoVersion, if set, is the Go release whose
	// standard library the code is judged against in source mode
	// ("go1.25.3"); govulncheck otherwise asks `go env GOVERSION` in the
	// process's own directory, which may not be the toolchain the go
	// command selects for Dir.
	Env       []string
	GoVersion string
}

// Result is what a scan found.
type Result struct {
	Mode      string     // "source" or "binary"
	DB        string     // the database, as the scanner names it
	DBTime    *time.Time // its modification time, when the scanner read it
	GoVersion string     // the Go whose standard library was judged
	Scanner   string     // scanner name and version
	// MainModule is the scanned module's path (source mode), or the
	// binary's main module (binary mode).
	MainModule string
	Modules    []Module // the modules scanned (SBOM), stdlib included
	Vulns      []*Vuln  // sorted by ID
}

// Module is a module and version the scan saw.
type Module struct {
	Path    string `json:"path,omitempty"`
	Version string `json:"version,omitempty"`
}

// Vuln is one vulnerability and how the scanned code reaches it.
type Vuln struct {
	ID    string
	Entry *vulndb.Entry // nil only if the stream lacked the entry
	Level Level
	// Module is the affected module ("stdlib" for the standard
	// library), Found its version in the build and Fixed the version
	// that fixes it ("" when none does). Versions are as the scanner
	// writes them (v1.2.3; go1.22.4 forms are normalised to v1.22.4).
	Module, Found, Fixed string
	// Packages are the vulnerable packages imported (Imported, Called).
	Packages []string
	// Traces are the call paths of Called vulnerabilities, one per
	// finding, each from the vulnerable symbol to an entry point.
	Traces [][]Frame
}

// Frame is one function of a trace.
type Frame struct {
	Module   string    `json:"module"`
	Version  string    `json:"version,omitempty"`
	Package  string    `json:"package,omitempty"`
	Function string    `json:"function,omitempty"`
	Receiver string    `json:"receiver,omitempty"`
	Position *Position `json:"position,omitempty"`
}

// Position is a place in a source file, Filename relative to the
// directory of the frame's module, slash-separated.
type Position struct {
	Filename string `json:"filename,omitempty"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
}

// Symbol is pkg.Recv.Func or pkg.Func.
func (f Frame) Symbol() string {
	s := f.Package
	if f.Receiver != "" {
		s += "." + strings.TrimPrefix(f.Receiver, "*")
	}
	if f.Function != "" {
		s += "." + f.Function
	}
	return s
}

// Aliases are the entry's other IDs (CVE, GHSA).
func (v *Vuln) Aliases() []string {
	if v.Entry == nil {
		return nil
	}
	return v.Entry.Aliases
}

// Symbols are the vulnerable symbols the code reaches, sorted.
func (v *Vuln) Symbols() []string {
	set := map[string]bool{}
	for _, tr := range v.Traces {
		if len(tr) > 0 {
			set[tr[0].Symbol()] = true
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// ErrScan wraps a failure of the scanner itself (packages that do not
// load, a database it cannot read); its text is the scanner's.
var ErrScan = errors.New("govulncheck failed")

// Run scans and reads the result. A failure carries what the scanner
// wrote on its standard error.
func Run(ctx context.Context, o Options) (*Result, error) {
	args := []string{"-format", "json", "-db", o.DB}
	if o.Binary != "" {
		args = append(args, "-mode", "binary", o.Binary)
	} else {
		args = append(args, "-scan", "symbol", "-C", o.Dir)
		if len(o.Patterns) == 0 {
			args = append(args, "./...")
		} else {
			args = append(args, o.Patterns...)
		}
	}
	cmd := scan.Command(ctx, args...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr, cmd.Stdin = &out, &stderr, strings.NewReader("")
	cmd.Env = o.Env
	if o.Binary == "" && o.GoVersion != "" {
		if cmd.Env == nil {
			cmd.Env = os.Environ()
		}
		cmd.Env = append(cmd.Env[:len(cmd.Env):len(cmd.Env)], "GOVERSION="+o.GoVersion)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrScan, err)
	}
	if err := cmd.Wait(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("%w: %s", ErrScan, msg)
	}
	return Parse(&out)
}

// GoVersion returns the Go release that the go command selects for the
// module in dir under env (GOTOOLCHAIN, the go and toolchain lines):
// `go env GOVERSION` run there, which may fetch that toolchain through
// the module proxy as a build would. If that fails (no network,
// GOTOOLCHAIN=local with a newer go line), it returns the installed
// release and the error.
func GoVersion(ctx context.Context, dir string, env []string) (string, error) {
	run := func(env []string) (string, error) {
		cmd := exec.CommandContext(ctx, "go", "env", "GOVERSION")
		cmd.Dir, cmd.Env = dir, env
		out, stderr, err := childproc.Output(ctx, cmd)
		if err != nil {
			return "", fmt.Errorf("go env GOVERSION in %s: %v: %s", dir, err, bytes.TrimSpace(stderr))
		}
		return strings.TrimSpace(string(out)), nil
	}
	v, err := run(env)
	if err == nil {
		return v, nil
	}
	local, lerr := run(append(env[:len(env):len(env)], "GOTOOLCHAIN=local"))
	if lerr != nil {
		return "", err
	}
	return local, err
}

// message is one object of the stream; see the package doc.
type message struct {
	Config *struct {
		ScannerName    string     `json:"scanner_name"`
		ScannerVersion string     `json:"scanner_version"`
		DB             string     `json:"db"`
		DBLastModified *time.Time `json:"db_last_modified"`
		GoVersion      string     `json:"go_version"`
		ScanMode       string     `json:"scan_mode"`
	} `json:"config"`
	SBOM *struct {
		GoVersion string   `json:"go_version"`
		Modules   []Module `json:"modules"`
		Roots     []string `json:"roots"`
	} `json:"SBOM"`
	OSV     json.RawMessage `json:"osv"`
	Finding *struct {
		OSV          string   `json:"osv"`
		FixedVersion string   `json:"fixed_version"`
		Trace        []*Frame `json:"trace"`
	} `json:"finding"`
}

// maxStream bounds the stream Parse reads (a large program's stream is a
// few megabytes: the entries and one trace per called symbol).
const maxStream = 1 << 30

// Parse reads a govulncheck JSON stream.
func Parse(r io.Reader) (*Result, error) {
	dec := json.NewDecoder(io.LimitReader(r, maxStream))
	res := &Result{}
	entries := map[string]*vulndb.Entry{}
	byID := map[string]*Vuln{}
	for {
		var m message
		err := dec.Decode(&m)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read govulncheck JSON: %v", err)
		}
		switch {
		case m.Config != nil:
			c := m.Config
			res.Mode, res.DB, res.DBTime = c.ScanMode, c.DB, c.DBLastModified
			res.Scanner = scannerName()
			if c.GoVersion != "" {
				res.GoVersion = c.GoVersion
			}
		case m.SBOM != nil:
			res.Modules = m.SBOM.Modules
			if m.SBOM.GoVersion != "" {
				res.GoVersion = m.SBOM.GoVersion
			}
			for _, mod := range m.SBOM.Modules {
				if mod.Path != "stdlib" && res.MainModule == "" {
					res.MainModule = mod.Path // the main module comes first
				}
			}
		case len(m.OSV) > 0 && string(m.OSV) != "null":
			e, err := vulndb.ParseEntry(m.OSV)
			if err != nil {
				return nil, fmt.Errorf("read govulncheck JSON: %v", err)
			}
			entries[e.ID] = e
		case m.Finding != nil:
			f := m.Finding
			if f.OSV == "" || len(f.Trace) == 0 || f.Trace[0] == nil {
				return nil, fmt.Errorf("read govulncheck JSON: a finding without an OSV ID or a trace")
			}
			v := byID[f.OSV]
			if v == nil {
				v = &Vuln{ID: f.OSV}
				byID[f.OSV] = v
			}
			top := f.Trace[0]
			v.Module, v.Found = top.Module, normVersion(top.Version)
			if f.FixedVersion != "" {
				v.Fixed = normVersion(f.FixedVersion)
			}
			switch {
			case top.Function != "":
				v.Level = Called
				tr := make([]Frame, 0, len(f.Trace))
				for _, fr := range f.Trace {
					if fr != nil {
						tr = append(tr, *fr)
					}
				}
				v.Traces = append(v.Traces, tr)
				v.addPackage(top.Package)
			case top.Package != "":
				v.Level = max(v.Level, Imported)
				v.addPackage(top.Package)
			}
		}
	}
	for id, v := range byID {
		v.Entry = entries[id]
		sort.Strings(v.Packages)
		sort.SliceStable(v.Traces, func(i, j int) bool { return traceKey(v.Traces[i]) < traceKey(v.Traces[j]) })
		res.Vulns = append(res.Vulns, v)
	}
	sort.Slice(res.Vulns, func(i, j int) bool { return res.Vulns[i].ID < res.Vulns[j].ID })
	return res, nil
}

func (v *Vuln) addPackage(p string) {
	if p != "" && !contains(v.Packages, p) {
		v.Packages = append(v.Packages, p)
	}
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

func traceKey(tr []Frame) string {
	var b strings.Builder
	for _, f := range tr {
		b.WriteString(f.Symbol())
		b.WriteByte(' ')
	}
	return b.String()
}

// scannerName names the analysis: govulncheck's, at the version of
// golang.org/x/vuln linked into this program.
func scannerName() string {
	v := "(unknown version)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "golang.org/x/vuln" {
				v = d.Version
			}
		}
	}
	return "govulncheck (golang.org/x/vuln " + v + ")"
}

// normVersion turns go1.22.4 into v1.22.4; other versions are kept.
func normVersion(v string) string {
	if s, ok := strings.CutPrefix(v, "go"); ok {
		return "v" + s
	}
	return v
}
