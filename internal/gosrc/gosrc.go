// Package gosrc reads what a Go module's source says about how it must be
// deployed: its go.mod go, toolchain and godebug lines, the packages it
// links (so whether it needs CA certificates, zoneinfo, /etc/passwd or a
// C library at run time), whether it calls time.LoadLocation, and whether
// anything it links can talk to systemd's notify socket. It does not judge
// any of it.
//
// Imports come from `go list -deps` when that works offline (run with
// module.GoEnv plus GOPROXY=off: GOTOOLCHAIN=local, GOWORK=off and GOFLAGS
// cleared, so it never downloads anything or picks up the user's flags);
// otherwise from parsing the module's own files, with standard-library
// dependencies still closed over by `go list -deps` of the standard
// packages, which needs no network. What Load finds therefore depends on
// the module cache.
//
// The deployment checks use Repo and Repo.Program instead (program.go):
// the program one main package builds, for one target, read from the
// repository, the standard library and the other modules' packages where
// `go list -deps` (with the user's GOPROXY) says they are (deps.go), so
// that their report does not depend on the module cache.
package gosrc

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/fsread"
	"github.com/gocompat/gocompat/internal/module"
)

// Pos is a position in a file of the module, relative to its directory.
type Pos struct {
	File string
	Line int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// Module is what the module's source says.
type Module struct {
	Dir string
	// Mod is what go.mod says: module path, go, toolchain and godebug
	// lines, requirements.
	Mod *module.GoMod
	// Imports are the import paths the module's non-test packages link:
	// every dependency when ImportsComplete, else the module's own
	// imports and the standard packages they depend on.
	Imports         map[string]bool
	ImportsComplete bool
	// Cgo is true when a package of the module imports "C".
	Cgo bool
	// LoadLocation lists calls to time.LoadLocation in the module.
	LoadLocation []Pos
	// NotifySocket lists files (of the module or, with ImportsComplete, of
	// its dependencies) that mention NOTIFY_SOCKET.
	NotifySocket []string
	HasVendor    bool
}

// Options adjust Load.
type Options struct {
	// Environ is the environment go list runs with (the process's if nil);
	// Load overrides the variables that could make it use the network or
	// another toolchain.
	Environ []string
	// Marker is a string to look for in the linked Go files
	// (NOTIFY_SOCKET); "" skips the search.
	Marker string
}

// Load reads the module rooted at dir (which holds go.mod).
func Load(ctx context.Context, dir string, opt Options) (*Module, error) {
	gomod := filepath.Join(dir, "go.mod")
	data, err := fsread.ReadFile(gomod, fsread.SourceLimit)
	if errors.Is(err, fsread.ErrRefused) {
		return nil, err // it names the file
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", gomod, err)
	}
	mf, err := module.ParseGoModLax(gomod, data)
	if err != nil {
		return nil, err
	}
	m := &Module{Dir: dir, Mod: mf, Imports: map[string]bool{}}
	if st, err := os.Stat(filepath.Join(dir, "vendor")); err == nil && st.IsDir() {
		m.HasVendor = true
	}
	direct, err := m.scanSource(opt.Marker)
	if err != nil {
		return nil, err
	}
	env := opt.Environ
	if env == nil {
		env = os.Environ()
	}
	env = module.GoEnv(env, "GOPROXY=off", "GO111MODULE=on")
	if deps, err := goListDeps(ctx, dir, env, []string{"./..."}); err == nil && len(deps) > 0 {
		m.ImportsComplete = true
		for _, d := range deps {
			m.Imports[d.path] = true
			if opt.Marker != "" && !d.std && d.path != m.Mod.Module && !strings.HasPrefix(d.path, m.Mod.Module+"/") {
				m.NotifySocket = append(m.NotifySocket, grepFiles(d.dir, d.files, opt.Marker)...)
			}
		}
	} else {
		var std []string
		for p := range direct {
			m.Imports[p] = true
			if isStd(p) {
				std = append(std, p)
			}
		}
		sort.Strings(std)
		if len(std) > 0 {
			if deps, err := goListDeps(ctx, dir, env, std); err == nil {
				for _, d := range deps {
					m.Imports[d.path] = true
				}
			}
		}
	}
	sort.Strings(m.NotifySocket)
	return m, nil
}

// isStd reports whether an import path looks like a standard package
// (no dot in its first element), as cmd/go decides.
func isStd(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".") && p != "C"
}

type dep struct {
	path  string
	std   bool
	dir   string
	files []string
}

func goListDeps(ctx context.Context, dir string, env, args []string) ([]dep, error) {
	cmd := exec.CommandContext(ctx, "go", append([]string{"list", "-e=false", "-deps", "-f", "{{.ImportPath}}\t{{.Standard}}\t{{.Dir}}\t{{join .GoFiles \",\"}}"}, args...)...)
	cmd.Dir, cmd.Env = dir, env
	out, stderr, err := childproc.Output(ctx, cmd)
	if err != nil {
		return nil, fmt.Errorf("go list: %v: %s", err, bytes.TrimSpace(stderr))
	}
	var deps []dep
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 4 {
			continue
		}
		d := dep{path: f[0], std: f[1] == "true", dir: f[2]}
		if f[3] != "" {
			d.files = strings.Split(f[3], ",")
		}
		deps = append(deps, d)
	}
	return deps, nil
}

func grepFiles(dir string, files []string, marker string) []string {
	var out []string
	for _, f := range files {
		p := filepath.Join(dir, f)
		data, err := fsread.ReadFile(p, fsread.SourceLimit)
		if err == nil && bytes.Contains(data, []byte(marker)) {
			out = append(out, p)
		}
	}
	return out
}

// maxFiles bounds the source scan.
const maxFiles = 20000

// scanSource scans the module's own non-test Go files (module.GoFiles:
// not vendor, testdata, hidden directories or nested modules) with
// module.ScanFile and returns their imports.
func (m *Module) scanSource(marker string) (map[string]bool, error) {
	imports := map[string]bool{}
	names, err := module.GoFiles(m.Dir)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, rel := range names {
		if strings.HasSuffix(rel, "_test.go") {
			continue
		}
		if n++; n > maxFiles {
			break
		}
		src, err := fsread.ReadFile(filepath.Join(m.Dir, filepath.FromSlash(rel)), fsread.SourceLimit)
		if err != nil {
			continue
		}
		if marker != "" && bytes.Contains(src, []byte(marker)) {
			m.NotifySocket = append(m.NotifySocket, rel)
		}
		f, err := module.ScanFile(rel, src)
		if err != nil {
			// A file that does not parse does not build either; go build
			// reports it better than we can.
			continue
		}
		for _, is := range f.Imports {
			imports[is.Path] = true
			if is.Path == "C" {
				m.Cgo = true
			}
		}
		for _, c := range f.Calls {
			if c.Pkg == "time" && c.Name == "LoadLocation" {
				m.LoadLocation = append(m.LoadLocation, Pos{File: rel, Line: c.Line})
			}
		}
	}
	delete(imports, "C")
	return imports, nil
}
