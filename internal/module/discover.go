package module

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gocompat/gocompat/internal/fsread"
)

// Module is one module found on disk.
type Module struct {
	// Dir is the module's directory (absolute).
	Dir string
	// Rel is Dir relative to the discovery root, slash-separated ("."
	// for the root itself; "../x" when the root lies inside the module).
	Rel string
	// GoModRel is the go.mod file relative to the discovery root.
	GoModRel string
	Mod      *GoMod
	// GoModData is the go.mod file as read, for byte-exact copies.
	GoModData []byte
	// Workspace is the go.work (relative to the root) that uses this
	// module, or "".
	Workspace string
	// GoFiles are the module's Go source files, relative to Dir,
	// slash-separated, sorted; files of nested modules, vendor and
	// testdata directories and directories the go command ignores
	// (starting with . or _) are left out.
	GoFiles []string
}

// Workspace is one go.work file found on disk.
type Workspace struct {
	// Rel is the go.work file relative to the discovery root.
	Rel  string
	Work *GoWork
}

// Tree is what Discover found.
type Tree struct {
	Root       string
	Modules    []*Module
	Workspaces []*Workspace
}

// Discover finds every module and workspace at or below root. When root
// holds none and lies inside a module, that module is returned instead. A
// go.mod or go.work that cannot be parsed is an error naming it.
func Discover(root string) (*Tree, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	t := &Tree{Root: root}
	var modDirs, workFiles []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // unreadable subdirectory: skip, as the go command would fail there anyway
		}
		if d.IsDir() {
			if p != root && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		switch d.Name() {
		case "go.mod":
			modDirs = append(modDirs, filepath.Dir(p))
		case "go.work":
			workFiles = append(workFiles, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(modDirs) == 0 && len(workFiles) == 0 {
		if dir, ok := enclosingModule(root); ok {
			modDirs = append(modDirs, dir)
		}
	}
	for _, dir := range modDirs {
		m, err := loadModule(root, dir)
		if err != nil {
			return nil, err
		}
		t.Modules = append(t.Modules, m)
	}
	for _, wf := range workFiles {
		data, err := fsread.ReadFile(wf, fsread.SourceLimit)
		if err != nil {
			return nil, err
		}
		rel := relSlash(root, wf)
		w, err := ParseGoWork(rel, data)
		if err != nil {
			return nil, err
		}
		t.Workspaces = append(t.Workspaces, &Workspace{Rel: rel, Work: w})
		for _, u := range w.Use {
			dir := u.Dir
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(filepath.Dir(wf), filepath.FromSlash(dir))
			}
			for _, m := range t.Modules {
				if m.Dir == filepath.Clean(dir) && m.Workspace == "" {
					m.Workspace = rel
				}
			}
		}
	}
	sort.Slice(t.Modules, func(i, j int) bool { return t.Modules[i].Rel < t.Modules[j].Rel })
	if err := listGoFiles(t.Modules); err != nil {
		return nil, err
	}
	return t, nil
}

// skipDir reports directories the go command never treats as packages.
func skipDir(name string) bool {
	return name == "vendor" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

func enclosingModule(dir string) (string, bool) {
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && st.Mode().IsRegular() {
			return d, true
		}
		if filepath.Dir(d) == d {
			return "", false
		}
	}
}

func loadModule(root, dir string) (*Module, error) {
	p := filepath.Join(dir, "go.mod")
	data, err := fsread.ReadFile(p, fsread.SourceLimit)
	if err != nil {
		return nil, err
	}
	rel := relSlash(root, p)
	mod, err := ParseGoMod(rel, data)
	if err != nil {
		return nil, err
	}
	return &Module{Dir: dir, Rel: relSlash(root, dir), GoModRel: rel, Mod: mod, GoModData: data}, nil
}

func relSlash(root, p string) string {
	r, err := filepath.Rel(root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// listGoFiles fills GoFiles, giving each file to the innermost module.
func listGoFiles(mods []*Module) error {
	isMod := map[string]bool{}
	for _, m := range mods {
		isMod[m.Dir] = true
	}
	for _, m := range mods {
		files, err := goFiles(m.Dir, isMod)
		if err != nil {
			return err
		}
		m.GoFiles = files
	}
	return nil
}

// GoFiles lists the Go source files of the module in dir as GoFiles of
// Module does: relative to dir, slash-separated, sorted, without nested
// modules, vendor, testdata and directories starting with . or _.
func GoFiles(dir string) ([]string, error) {
	return goFiles(dir, nil)
}

func goFiles(dir string, isMod map[string]bool) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil
		}
		if d.IsDir() {
			if p != dir && (skipDir(d.Name()) || isMod[p] || hasGoMod(p)) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".go") && d.Type().IsRegular() {
			files = append(files, relSlash(dir, p))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	sort.Strings(files)
	return files, nil
}

func hasGoMod(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "go.mod"))
	return !errors.Is(err, fs.ErrNotExist) && err == nil
}

// Scan reads and scans every file in m.GoFiles. Files that do not parse
// are returned as errors, one per file, after the files that did.
func (m *Module) Scan() ([]*File, []error) {
	var files []*File
	var errs []error
	for _, name := range m.GoFiles {
		src, err := fsread.ReadFile(filepath.Join(m.Dir, filepath.FromSlash(name)), fsread.SourceLimit)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		f, err := ScanFile(name, src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, f)
	}
	return files, errs
}
