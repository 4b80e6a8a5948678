package gosrc

// Program loading for the deployment checks.
//
// A Dockerfile stage or a systemd unit deploys one program: the main
// package on the build line or behind ExecStart. What that program links
// decides whether its image needs CA certificates, zoneinfo or a C
// compiler, and whether it can talk to systemd. Program computes that
// from the repository alone:
//
//   - the package's imports are closed over with go/build for the target's
//     GOOS, GOARCH, cgo setting, build tags and Go release, so build
//     constraints are evaluated as the go command would for that target
//     (a file for windows does not make a linux image need cgo);
//   - an import resolves, in order, to the standard library (GOROOT/src,
//     and GOROOT/src/vendor for the standard library's own vendored
//     packages), the importing module's vendor directory, a replace
//     directive that names a directory, or any module of the repository
//     whose path is a prefix of it;
//   - anything else is another module's package, found where the go
//     command says it is (deps.go: `go list -deps` in the main package's
//     module, downloading what the module cache lacks) and read the same
//     way, so a need that only a dependency brings (crypto/tls, os/user,
//     NOTIFY_SOCKET) is seen. When the go command cannot say (offline,
//     GOPROXY=off, a go.sum entry missing) the package is named, not
//     read, and Program.Unread says why.
//
// With the network, a cold and a warm module cache give the same answer:
// the go command fetches what is missing (issue 11 saw missing-passwd and
// notify-without-sd-notify come and go between two runs when only a warm
// cache was read). Without it, the answer is the repository's own and the
// checks say "may" where an unread package could change it.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/build"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gocompat/gocompat/internal/fsread"
	"github.com/gocompat/gocompat/internal/module"
)

// Repository bounds: the walk for go.mod files and package directories
// stops after maxRepoEntries entries or at maxRepoDepth; a source file
// larger than maxSourceFile is not read for calls and markers.
const (
	maxRepoEntries = 200000
	maxRepoDepth   = 20
	maxSourceFile  = 8 << 20
	maxGoMod       = 4 << 20
)

// Repo is a repository's Go modules, found once and shared by every
// program loaded from it.
type Repo struct {
	// Root is the repository's directory.
	Root string
	// Modules are the modules found, sorted by directory.
	Modules []*RepoModule
	// GOROOT is the toolchain whose standard library resolves standard
	// imports; "" leaves standard packages unread (still named).
	GOROOT string
	// Loader finds the packages of other modules (deps.go); nil leaves
	// them unread (still named), without running the go command.
	Loader *Loader

	dirs []string // directories holding .go files, relative, sorted

	scripts      []string // build scripts (isBuildScript), relative, in walk order
	scriptOnce   sync.Once
	scriptBuilds []ScriptBuild

	mu    sync.Mutex
	cache map[pkgKey]*pkgInfo
}

// RepoModule is one go.mod of the repository.
type RepoModule struct {
	// Dir is the module's directory relative to the repository root,
	// slash-separated; "." for the root.
	Dir string
	// Mod is the parsed go.mod; nil when Err is set.
	Mod *module.GoMod
	Err error
	// Vendor is true when the module has vendor/modules.txt.
	Vendor bool
}

// GoMod is the module's go.mod file relative to the repository root.
func (m *RepoModule) GoMod() string { return path.Join(m.Dir, "go.mod") }

// OpenRepo finds the modules under root (not in vendor, testdata,
// node_modules or directories starting with . or _). A go.mod that does
// not parse is kept with its error, so one broken module does not hide
// the others.
func OpenRepo(root, goroot string) (*Repo, error) {
	r := &Repo{Root: root, GOROOT: goroot, cache: map[pkgKey]*pkgInfo{}}
	n := 0
	seenDir := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil
		}
		if n++; n > maxRepoEntries {
			return filepath.SkipAll
		}
		rel := relSlash(root, p)
		if d.IsDir() {
			name := d.Name()
			if p != root && (name == "vendor" || name == "testdata" || name == "node_modules" ||
				strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || strings.Count(rel, "/") >= maxRepoDepth) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		switch {
		case d.Name() == "go.mod":
			r.Modules = append(r.Modules, r.readModule(path.Dir(rel)))
		case isBuildScript(d.Name()):
			r.scripts = append(r.scripts, rel)
		case strings.HasSuffix(d.Name(), ".go"):
			if dir := path.Dir(rel); !seenDir[dir] {
				seenDir[dir] = true
				r.dirs = append(r.dirs, dir)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read repository %s: %w", root, err)
	}
	sort.Slice(r.Modules, func(i, j int) bool { return r.Modules[i].Dir < r.Modules[j].Dir })
	sort.Strings(r.dirs)
	return r, nil
}

func (r *Repo) readModule(dir string) *RepoModule {
	m := &RepoModule{Dir: dir}
	name := path.Join(dir, "go.mod")
	data, err := fsread.ReadFile(filepath.Join(r.Root, filepath.FromSlash(name)), maxGoMod)
	if err == nil {
		m.Mod, err = module.ParseGoModLax(name, data)
	}
	m.Err = err
	if st, err := os.Stat(filepath.Join(r.Root, filepath.FromSlash(dir), "vendor", "modules.txt")); err == nil && st.Mode().IsRegular() {
		m.Vendor = true
	}
	return m
}

// ModuleAt returns the innermost module holding the directory rel
// (relative to the root, slash-separated), or nil.
func (r *Repo) ModuleAt(rel string) *RepoModule {
	rel = path.Clean(rel)
	var best *RepoModule
	for _, m := range r.Modules {
		if m.Dir == "." || rel == m.Dir || strings.HasPrefix(rel, m.Dir+"/") {
			if best == nil || len(m.Dir) > len(best.Dir) || best.Dir == "." {
				best = m
			}
		}
	}
	return best
}

// ImportPath is the import path of the package in directory rel, or ""
// when no module holds it.
func (r *Repo) ImportPath(rel string) string {
	m := r.ModuleAt(rel)
	if m == nil || m.Mod == nil || m.Mod.Module == "" {
		return ""
	}
	if rel == m.Dir {
		return m.Mod.Module
	}
	sub := rel
	if m.Dir != "." {
		sub = strings.TrimPrefix(rel, m.Dir+"/")
	}
	return m.Mod.Module + "/" + sub
}

// BinaryName is the name go build and go install give the program built
// from the package with import path p: its last element, or the one
// before a major-version suffix (example.com/etcd/v3 builds "etcd").
func BinaryName(p string) string {
	elems := strings.Split(strings.TrimSuffix(p, "/"), "/")
	last := elems[len(elems)-1]
	if len(elems) > 1 && len(last) > 1 && last[0] == 'v' {
		if n, err := strconv.Atoi(last[1:]); err == nil && n >= 2 {
			return elems[len(elems)-2]
		}
	}
	return last
}

// MainPackages returns the directories (relative, sorted) of the main
// packages whose program is called name when built for t: by go build's
// own naming, or by a build script's go build -o (ScriptBuilds).
func (r *Repo) MainPackages(name string, t Target) []string {
	var out []string
	for _, d := range r.dirs {
		ip := r.ImportPath(d)
		if ip == "" || BinaryName(ip) != name {
			continue
		}
		if pi := r.importDir(d, "", false, t); pi.err == nil && pi.name == "main" {
			out = append(out, d)
		}
	}
	for _, b := range r.ScriptBuilds() {
		if b.Name != name || slices.Contains(out, b.Dir) {
			continue
		}
		if pi := r.importDir(b.Dir, "", false, t); pi.err == nil && pi.name == "main" {
			out = append(out, b.Dir)
		}
	}
	sort.Strings(out)
	return out
}

// Target is what a build is for.
type Target struct {
	GOOS, GOARCH string
	// Cgo is CGO_ENABLED for the build.
	Cgo bool
	// Tags are the -tags of the build.
	Tags []string
	// Go is the release building it ("go1.22"); "" takes the release
	// gocompat was built with.
	Go string
}

// DefaultTarget is linux/amd64 without cgo, the usual container build.
var DefaultTarget = Target{GOOS: "linux", GOARCH: "amd64"}

func (t Target) key() string {
	return fmt.Sprintf("%s/%s/%v/%s/%s", t.GOOS, t.GOARCH, t.Cgo, strings.Join(t.Tags, ","), t.Go)
}

func (t Target) context(goroot string) build.Context {
	c := build.Default
	c.GOOS, c.GOARCH, c.CgoEnabled = t.GOOS, t.GOARCH, t.Cgo
	if c.GOOS == "" {
		c.GOOS = "linux"
	}
	if c.GOARCH == "" {
		c.GOARCH = "amd64"
	}
	c.BuildTags = t.Tags
	c.GOROOT = goroot
	c.GOPATH = ""
	c.Dir = ""
	if t.Go != "" {
		if minor, ok := goMinor(t.Go); ok {
			c.ReleaseTags = nil
			for i := 1; i <= minor; i++ {
				c.ReleaseTags = append(c.ReleaseTags, fmt.Sprintf("go1.%d", i))
			}
		}
	}
	// Files are read with the size bound; go/build reads only up to the
	// imports.
	c.OpenFile = func(p string) (io.ReadCloser, error) {
		f, err := fsread.Open(p)
		if err != nil {
			return nil, err
		}
		return limitedFile{io.LimitReader(f, maxSourceFile), f}, nil
	}
	return c
}

func goMinor(v string) (int, bool) {
	v = strings.TrimPrefix(v, "go")
	_, rest, ok := strings.Cut(v, ".")
	if !ok {
		return 0, false
	}
	rest, _, _ = strings.Cut(rest, ".")
	n, err := strconv.Atoi(rest)
	return n, err == nil && n > 0
}

// Program is what the program built from one main package links.
type Program struct {
	// Dir is the main package's directory relative to the repository
	// root; Path its import path.
	Dir, Path string
	// Module is the module holding it.
	Module *RepoModule
	Target Target
	// Packages are the import paths of every package linked: the
	// repository's, the standard library's and other modules'.
	Packages map[string]bool
	// Dependencies are the packages of other modules that were read (the
	// go command said where they are), sorted.
	Dependencies []string
	// External are the packages linked from other modules that were not
	// read, so what they import is unknown; Unread says why (the go
	// command's error, short). Both are empty when every package was
	// read.
	External []string
	Unread   string
	// Missing are packages that are imported but have no buildable files
	// for the target (generated code that is not checked in, or a
	// package for another GOOS).
	Missing []string
	// Cgo lists the packages linked (the repository's and other
	// modules') that have cgo files for the target; CgoOtherTargets the
	// repository's packages whose cgo files are all excluded by build
	// constraints for it.
	Cgo, CgoOtherTargets []string
	// LoadLocation lists calls to time.LoadLocation in the repository's
	// linked files.
	LoadLocation []Pos
	// Markers lists the linked files that mention the marker Program was
	// asked for (NOTIFY_SOCKET): the repository's relative to the root,
	// other modules' as import path/file name.
	Markers []string
}

// Imports reports whether the program links package p.
func (p *Program) Imports(pkg string) bool { return p.Packages[pkg] }

type pkgKey struct{ dir, target string }

type pkgInfo struct {
	name    string
	imports []string
	files   []string // buildable Go and cgo files for the target, absolute
	cgo     bool     // has cgo files for the target
	anyCgo  bool     // has cgo files for some target
	err     error
}

// importDir reads the package in dir (relative to the root, or absolute
// when abs is set: the standard library's when std is set, else another
// module's) for target t, once.
func (r *Repo) importDir(rel, abs string, std bool, t Target) *pkgInfo {
	dir := abs
	if dir == "" {
		dir = filepath.Join(r.Root, filepath.FromSlash(rel))
	}
	k := pkgKey{dir, t.key()}
	if std {
		// The standard library's packages are the same for every
		// repository: shared by the process.
		if v, ok := stdCache.Load(k); ok {
			return v.(*pkgInfo)
		}
	}
	r.mu.Lock()
	pi, ok := r.cache[k]
	r.mu.Unlock()
	if ok {
		return pi
	}
	ctx := t.context(r.GOROOT)
	p, err := ctx.ImportDir(dir, 0)
	pi = &pkgInfo{err: err}
	var noGo *build.NoGoError
	if err != nil && !errors.As(err, &noGo) {
		// A package with errors in some files (a conflicting package
		// clause in an ignored file) still lists what it found.
		var mp *build.MultiplePackageError
		if !errors.As(err, &mp) {
			pi.err = err
		}
	}
	if p != nil {
		pi.name = p.Name
		pi.imports = p.Imports
		for _, f := range append(append([]string(nil), p.GoFiles...), p.CgoFiles...) {
			pi.files = append(pi.files, filepath.Join(dir, f))
		}
		pi.cgo = len(p.CgoFiles) > 0
		pi.anyCgo = pi.cgo
		if !pi.anyCgo && abs == "" {
			// The repository's own files only: the standard library's cgo
			// is not the program's.
			for _, f := range p.IgnoredGoFiles {
				if fileImportsC(filepath.Join(dir, f)) {
					pi.anyCgo = true
					break
				}
			}
		}
		if len(p.GoFiles)+len(p.CgoFiles) == 0 && pi.err == nil {
			pi.err = &build.NoGoError{Dir: dir}
		}
	}
	if std {
		stdCache.Store(k, pi)
		return pi
	}
	r.mu.Lock()
	r.cache[k] = pi
	r.mu.Unlock()
	return pi
}

// stdCache holds the standard library's packages read by importDir, per
// directory and target.
var stdCache sync.Map

// fileImportsC reports whether a Go file imports "C" (whatever its build
// constraints say); only the import block is parsed.
func fileImportsC(p string) bool {
	data, err := fsread.ReadFile(p, maxSourceFile)
	if err != nil {
		return false
	}
	f, err := parser.ParseFile(token.NewFileSet(), p, data, parser.ImportsOnly)
	if err != nil {
		return false
	}
	for _, is := range f.Imports {
		if is.Path.Value == `"C"` {
			return true
		}
	}
	return false
}

// resolve finds the directory of import path p imported from module m:
// rel (repository-relative) for the repository's packages, abs for the
// standard library's; ok is false for an external package.
func (r *Repo) resolve(p string, m *RepoModule, fromStd bool) (rel, abs string, std, ok bool) {
	if isStd(p) {
		if r.GOROOT == "" {
			return "", "", true, false
		}
		return "", filepath.Join(r.GOROOT, "src", filepath.FromSlash(p)), true, true
	}
	if fromStd {
		// The standard library's vendored golang.org/x packages.
		if r.GOROOT == "" {
			return "", "", true, false
		}
		return "", filepath.Join(r.GOROOT, "src", "vendor", filepath.FromSlash(p)), true, true
	}
	if m != nil && m.Mod != nil {
		if m.Mod.Module != "" && (p == m.Mod.Module || strings.HasPrefix(p, m.Mod.Module+"/")) {
			return path.Join(m.Dir, strings.TrimPrefix(strings.TrimPrefix(p, m.Mod.Module), "/")), "", false, true
		}
		if m.Vendor {
			return path.Join(m.Dir, "vendor", p), "", false, true
		}
		best := ""
		for old := range m.Mod.LocalReplaces {
			if (p == old || strings.HasPrefix(p, old+"/")) && len(old) > len(best) {
				best = old
			}
		}
		if best != "" {
			dir := path.Join(m.Dir, m.Mod.LocalReplaces[best], strings.TrimPrefix(strings.TrimPrefix(p, best), "/"))
			if !strings.HasPrefix(dir, "../") && dir != ".." {
				return dir, "", false, true
			}
			return "", "", false, false
		}
	}
	// Another module of the repository (a release tag holds the same
	// code the go command would fetch for it).
	var best *RepoModule
	for _, o := range r.Modules {
		if o.Mod == nil || o.Mod.Module == "" {
			continue
		}
		if (p == o.Mod.Module || strings.HasPrefix(p, o.Mod.Module+"/")) && (best == nil || len(o.Mod.Module) > len(best.Mod.Module)) {
			best = o
		}
	}
	if best != nil {
		return path.Join(best.Dir, strings.TrimPrefix(strings.TrimPrefix(p, best.Mod.Module), "/")), "", false, true
	}
	return "", "", false, false
}

// Program loads the program built from the main package in dir
// (relative to the root) for t, looking for marker ("" skips the search)
// in the linked files. The packages of other modules are found through
// r.Loader, under ctx; without a Loader they are named, not read.
func (r *Repo) Program(ctx context.Context, dir string, t Target, marker string) (*Program, error) {
	dir = path.Clean(dir)
	m := r.ModuleAt(dir)
	if m == nil {
		return nil, fmt.Errorf("%s: no go.mod at or above it", dir)
	}
	if m.Err != nil {
		return nil, m.Err
	}
	pi := r.importDir(dir, "", false, t)
	if pi.err != nil {
		return nil, fmt.Errorf("%s: %w", dir, pi.err)
	}
	prog := &Program{Dir: dir, Path: r.ImportPath(dir), Module: m, Target: t, Packages: map[string]bool{}}
	type item struct {
		path, rel, abs string
		mod            *RepoModule
		std            bool
		dep            bool // another module's package, at abs
	}
	others := &otherModules{r: r, ctx: ctx, modDir: filepath.Join(r.Root, filepath.FromSlash(m.Dir)), pkg: prog.Path, t: t}
	queue := []item{{path: prog.Path, rel: dir, mod: m}}
	prog.Packages[prog.Path] = true
	external := map[string]bool{}
	for len(queue) > 0 {
		// Read one level of the import graph in parallel (as go list
		// does), then take it in order.
		level := queue
		queue = nil
		infos := make([]*pkgInfo, len(level))
		var wg sync.WaitGroup
		sem := make(chan struct{}, 2*runtime.GOMAXPROCS(0))
		for i, it := range level {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				infos[i] = r.importDir(it.rel, it.abs, it.std, t)
				<-sem
			}()
		}
		wg.Wait()
		for i, it := range level {
			info := infos[i]
			if info.err != nil {
				if !it.std {
					prog.Missing = append(prog.Missing, it.path)
				}
				continue
			}
			if !it.std {
				if info.cgo {
					prog.Cgo = append(prog.Cgo, it.path)
				} else if info.anyCgo {
					prog.CgoOtherTargets = append(prog.CgoOtherTargets, it.path)
				}
				if it.dep {
					scanDep(prog, it.path, info.files, marker)
				} else {
					r.scanFiles(prog, info.files, marker)
				}
			}
			from := it.mod
			if it.dep {
				from = nil // resolved by the go command, not by a go.mod of the repository
			}
			for _, imp := range info.imports {
				if imp == "C" || prog.Packages[imp] || external[imp] {
					continue
				}
				rel, abs, std, ok := r.resolve(imp, from, it.std)
				prog.Packages[imp] = true
				if !ok {
					if std {
						continue // named, not read (no GOROOT)
					}
					d, why := others.find(imp)
					if d == "" {
						external[imp] = true
						if prog.Unread == "" {
							prog.Unread = why
						}
						continue
					}
					prog.Dependencies = append(prog.Dependencies, imp)
					queue = append(queue, item{path: imp, abs: d, dep: true})
					continue
				}
				next := it.mod
				if !std {
					next = r.ModuleAt(rel)
				}
				queue = append(queue, item{path: imp, rel: rel, abs: abs, mod: next, std: std})
			}
		}
	}
	for p := range external {
		prog.External = append(prog.External, p)
	}
	sort.Strings(prog.External)
	sort.Strings(prog.Dependencies)
	sort.Strings(prog.Missing)
	sort.Strings(prog.Cgo)
	sort.Strings(prog.CgoOtherTargets)
	sort.Strings(prog.Markers)
	sort.Slice(prog.LoadLocation, func(i, j int) bool {
		a, b := prog.LoadLocation[i], prog.LoadLocation[j]
		return a.File < b.File || a.File == b.File && a.Line < b.Line
	})
	return prog, nil
}

// otherModules finds, for one program, the directories of the packages of
// other modules it imports: from the Loader's listing, asked for when the
// first such import is met.
type otherModules struct {
	r           *Repo
	ctx         context.Context
	modDir, pkg string // the main package's module directory and import path
	t           Target

	asked, own bool
	g          *Graph
	err        error
}

// find returns the directory of package p, or "" and why it is not known.
func (o *otherModules) find(p string) (string, string) {
	if o.r.Loader == nil {
		return "", ""
	}
	if !o.asked {
		o.asked = true
		o.g, o.err = o.r.Loader.Graph(o.ctx, o.modDir, o.pkg, o.t, false)
	}
	if o.err != nil {
		return "", o.err.Error()
	}
	lp, ok := o.g.Package(p)
	if !ok && !o.own {
		// The shared listing is for another cgo setting or other tags,
		// or lists the module with its tests: the program's own.
		o.own = true
		g, err := o.r.Loader.Graph(o.ctx, o.modDir, o.pkg, o.t, true)
		if err != nil {
			return "", err.Error()
		}
		o.g = g
		lp, ok = g.Package(p)
	}
	if !ok {
		return "", fmt.Sprintf("go list -deps %s does not list %s", o.pkg, p)
	}
	if lp.Dir == "" {
		why := "the go command gives no directory for " + p
		if lp.Error != nil {
			why = ShortError(lp.Error.Err)
		}
		return "", why
	}
	return lp.Dir, ""
}

// scanDep reads another module's linked files of package p for the
// marker; they are named import path/file name, which does not depend on
// where the module cache is.
func scanDep(prog *Program, p string, files []string, marker string) {
	if marker == "" {
		return
	}
	for _, f := range files {
		data, err := fsread.ReadFile(f, maxSourceFile)
		if err == nil && bytes.Contains(data, []byte(marker)) {
			prog.Markers = append(prog.Markers, p+"/"+filepath.Base(f))
		}
	}
}

// scanFiles reads the repository's linked files for time.LoadLocation
// calls and the marker.
func (r *Repo) scanFiles(prog *Program, files []string, marker string) {
	for _, f := range files {
		data, err := fsread.ReadFile(f, maxSourceFile)
		if err != nil {
			continue
		}
		rel := relSlash(r.Root, f)
		if marker != "" && bytes.Contains(data, []byte(marker)) {
			prog.Markers = append(prog.Markers, rel)
		}
		if !bytes.Contains(data, []byte("LoadLocation")) {
			continue
		}
		sf, err := module.ScanFile(rel, data)
		if err != nil {
			continue
		}
		for _, c := range sf.Calls {
			if c.Pkg == "time" && c.Name == "LoadLocation" {
				prog.LoadLocation = append(prog.LoadLocation, Pos{File: rel, Line: c.Line})
			}
		}
	}
}

// limitedFile reads at most maxSourceFile bytes of a file (go/build stops
// after the imports anyway).
type limitedFile struct {
	io.Reader
	io.Closer
}

func relSlash(root, p string) string {
	r, err := filepath.Rel(root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// HasDir reports whether the directory rel (relative to the root) holds
// Go files or has a subdirectory that does; "." always.
func (r *Repo) HasDir(rel string) bool {
	rel = path.Clean(rel)
	if rel == "." {
		return true
	}
	if i := sort.SearchStrings(r.dirs, rel); i < len(r.dirs) && r.dirs[i] == rel {
		return true
	}
	i := sort.SearchStrings(r.dirs, rel+"/")
	return i < len(r.dirs) && strings.HasPrefix(r.dirs[i], rel+"/")
}

// DirOf returns the repository directory of the package with import
// path p, when a module of the repository holds it.
func (r *Repo) DirOf(p string) (string, bool) {
	rel, _, std, ok := r.resolve(p, nil, false)
	if !ok || std {
		return "", false
	}
	return rel, true
}
