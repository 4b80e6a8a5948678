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
//   - symbolic links are never followed (filepath.WalkDir does not), so
//     the walk never leaves the tree;
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
	"sort"
	"strings"
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
	Executable  = "executable" // a regular file with an x bit: a binary candidate
	GoMod       = "go.mod"
	GoWork      = "go.work"
	gitlabCIYML = ".gitlab-ci.yml"
)

// A kind recognises one kind of file subject from its path relative to
// the walked directory (slash-separated) and its base name.
type kind struct {
	name  string
	match func(rel, name string, d fs.DirEntry) bool
}

// kinds are tried in order; a file belongs to the first that matches.
// Add a kind of subject here.
var kinds = []kind{
	{Dockerfile, func(rel, name string, _ fs.DirEntry) bool { return IsDockerfile(name) }},
	{Unit, func(rel, name string, _ fs.DirEntry) bool {
		return strings.HasSuffix(name, ".service") && !strings.Contains(path.Dir(rel), ".service.d")
	}},
	{Workflow, func(rel, name string, _ fs.DirEntry) bool {
		return path.Dir(rel) == ".github/workflows" && (strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml"))
	}},
	{GitLab, func(rel, _ string, _ fs.DirEntry) bool { return rel == gitlabCIYML }},
	{GoMod, func(_, name string, _ fs.DirEntry) bool { return name == "go.mod" }},
	{GoWork, func(_, name string, _ fs.DirEntry) bool { return name == "go.work" }},
	{Executable, func(_, _ string, d fs.DirEntry) bool {
		fi, err := d.Info()
		return err == nil && fi.Mode().Perm()&0o111 != 0
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
		if !d.Type().IsRegular() {
			return nil
		}
		for _, k := range kinds {
			if k.match(rel, d.Name(), d) {
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

// IsDockerfile recognises Dockerfile, Containerfile, *.Dockerfile,
// *.containerfile and Dockerfile.<variant> (Dockerfile.prod), but not a
// source or document named after them (dockerfile.go, Dockerfile.md).
func IsDockerfile(name string) bool {
	l := strings.ToLower(name)
	if l == "dockerfile" || l == "containerfile" || strings.HasSuffix(l, ".dockerfile") || strings.HasSuffix(l, ".containerfile") {
		return true
	}
	for _, p := range []string{"Dockerfile.", "Containerfile."} {
		if strings.HasPrefix(name, p) {
			switch path.Ext(l) {
			case ".go", ".md", ".txt", ".json", ".yml", ".yaml", ".sh", ".py", ".dockerignore", ".golden", ".txtar", ".orig", ".bak", ".swp", ".tmpl", ".tpl", ".j2":
				return false
			}
			return true
		}
	}
	return false
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
