// Package discover finds what a run looks at — its subjects — once per
// run, and holds the I/O that reads each kind of subject next to the code
// that recognises it. Checks then judge extracted values (a parsed
// Dockerfile, a loaded unit, a module) without touching the disk, so each
// family is testable without the orchestrator in internal/audit.
//
// One walk of the audited directory serves every file-based kind. Its
// rules live here and nowhere else:
//   - directories named in SkipDirNames, and hidden directories other than
//     .github, are not entered;
//   - symbolic links are never followed into directories (filepath.WalkDir
//     does not), so the walk never leaves the tree; a link, named pipe or
//     device whose name matches a kind is listed like a file, and reading
//     it through internal/fsread follows it only inside the tree and
//     refuses anything else with an error saying why, so no file is
//     skipped unsaid (a dangling link, which has nothing to read, is left
//     out);
//   - the walk stops after MaxEntries entries or below MaxDepth levels.
//
// A new kind of file subject is one entry in the kinds table below: a
// name and a match function.
package discover

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/gocompat/gocompat/internal/dockerfile"
)

// Walk bounds: a walk stops after this many entries or this depth.
const (
	MaxEntries = 50000
	MaxDepth   = 12
	// MaxExecutables bounds the executable files collected as binary
	// candidates (each is opened by the binary step).
	MaxExecutables = 20000
)

// SkipDirNames are never entered by the walk.
var SkipDirNames = map[string]bool{".git": true, ".hg": true, ".svn": true, "node_modules": true, "vendor": true, "testdata": true}

// SkipDir says whether the walk leaves out a directory of this name:
// SkipDirNames, and hidden directories other than .github.
func SkipDir(name string) bool {
	return SkipDirNames[name] || strings.HasPrefix(name, ".") && name != ".github"
}

// Kinds of file subjects the walk recognises.
const (
	Dockerfile  = "dockerfile"
	Unit        = "systemd-unit"
	Workflow    = "workflow" // GitHub Actions
	GitLab      = "gitlab-ci"
	Executable  = "executable" // a regular file with an x bit, or a link to one: a binary candidate
	GoMod       = "go.mod"
	GoWork      = "go.work"
	gitlabCIYML = ".gitlab-ci.yml"
)

// A kind recognises one kind of file subject from its path relative to
// the walked directory (slash-separated), its base name and, if it needs
// it, its mode (links followed).
type kind struct {
	name  string
	match func(rel, name string, mode func() fs.FileMode) bool
}

// kinds are tried in order; a file belongs to the first that matches.
// Add a kind of subject here.
var kinds = []kind{
	{Dockerfile, func(rel, name string, _ func() fs.FileMode) bool { return IsDockerfile(name) }},
	{Unit, func(rel, name string, _ func() fs.FileMode) bool {
		return strings.HasSuffix(name, ".service") && !strings.Contains(path.Dir(rel), ".service.d")
	}},
	{Workflow, func(rel, name string, _ func() fs.FileMode) bool {
		return path.Dir(rel) == ".github/workflows" && (strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml"))
	}},
	{GitLab, func(rel, _ string, _ func() fs.FileMode) bool { return rel == gitlabCIYML }},
	{GoMod, func(_, name string, _ func() fs.FileMode) bool { return name == "go.mod" }},
	{GoWork, func(_, name string, _ func() fs.FileMode) bool { return name == "go.work" }},
	{Executable, func(_, _ string, mode func() fs.FileMode) bool {
		m := mode()
		return m.IsRegular() && m.Perm()&0o111 != 0
	}},
}

// IsKind reports whether name is a kind of file subject the walk sorts
// files into.
func IsKind(name string) bool {
	for _, k := range kinds {
		if k.name == name {
			return true
		}
	}
	return false
}

// Tree is what one walk of a directory found: per kind, the files as
// slash-separated paths relative to Dir, in walk (lexical) order.
type Tree struct {
	Dir   string
	files map[string][]string
	// Truncated is set when the walk stopped at MaxEntries.
	Truncated bool
}

// Files returns the files of one kind.
func (t *Tree) Files(kind string) []string {
	if t == nil {
		return nil
	}
	return t.files[kind]
}

// Walk walks dir once and sorts what it finds into kinds.
func Walk(dir string) *Tree {
	t := &Tree{Dir: dir, files: map[string][]string{}}
	n := 0
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		n++
		if n > MaxEntries {
			t.Truncated = true
			return filepath.SkipAll
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if p != dir && (SkipDir(d.Name()) || strings.Count(rel, "/") >= MaxDepth) {
				return filepath.SkipDir
			}
			return nil
		}
		mode := func() fs.FileMode {
			fi, err := d.Info()
			if err != nil {
				return fs.ModeIrregular
			}
			return fi.Mode()
		}
		if d.Type()&fs.ModeSymlink != 0 {
			st, err := os.Stat(p)
			if err != nil {
				return nil // dangling: nothing to read
			}
			mode = st.Mode
		}
		for _, k := range kinds {
			if k.match(rel, d.Name(), mode) {
				if k.name == Executable && len(t.files[Executable]) >= MaxExecutables {
					break
				}
				t.files[k.name] = append(t.files[k.name], rel)
				break
			}
		}
		return nil
	})
	return t
}

// InsideModule reports whether a directory above dir holds a go.mod, so
// that dir lies inside a module.
func InsideModule(dir string) bool {
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && st.Mode().IsRegular() {
			return true
		}
		if d == filepath.Dir(d) {
			return false
		}
	}
}

// IsDockerfile recognises Dockerfiles by name (dockerfile.IsName:
// Dockerfile, Containerfile, *.Dockerfile, Dockerfile.<variant>,
// Dockerfile-<variant> such as Dockerfile-release.amd64, but not
// dockerfile.go or Dockerfile.md).
func IsDockerfile(name string) bool { return dockerfile.IsName(name) }
