package matrix

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/fsread"
)

// A file that build constraints exclude under one release and include
// under another, judged by go/build's own matching with only the release
// tags (go1.1 … go1.N of each release) differing between the two.
type constrained struct {
	File     string // relative to the module directory
	Line     int    // of the //go:build (or // +build) line; 1 when none
	Expr     string // the constraint as written
	Included string // a release whose tags include the file
	Since    string // the oldest release tag that includes it ("go1.22")
	Excluded bool   // the release tags exclude it from the older releases
}

// releaseTags are the tags a release satisfies: go1.1 up to its own.
func releaseTags(v string) []string {
	n := facts.Minor(v)
	var tags []string
	for i := 1; i <= n; i++ {
		tags = append(tags, fmt.Sprintf("go1.%d", i))
	}
	return tags
}

// buildContext is go/build's default context for the run's GOOS and
// GOARCH with the release tags of v, reading files bounded.
func (a *attribution) buildContext(v string) *build.Context {
	c := build.Default
	c.GOOS, c.GOARCH = runtime.GOOS, runtime.GOARCH
	for _, kv := range a.o.Environ {
		if s, ok := strings.CutPrefix(kv, "GOOS="); ok && s != "" {
			c.GOOS = s
		}
		if s, ok := strings.CutPrefix(kv, "GOARCH="); ok && s != "" {
			c.GOARCH = s
		}
	}
	c.ReleaseTags = releaseTags(v)
	c.OpenFile = func(p string) (io.ReadCloser, error) {
		b, err := fsread.ReadFile(p, fsread.SourceLimit)
		if err != nil {
			return nil, err
		}
		return io.NopCloser(bytes.NewReader(b)), nil
	}
	return &c
}

// otherReleases are the releases to compare a failing one with: those
// whose build passed first, then the rest of the matrix, then the
// installed release.
func (a *attribution) otherReleases(failing string) []string {
	var passed, rest []string
	seen := map[string]bool{failing: true}
	for _, r := range a.rows {
		if seen[r.Release.Version] {
			continue
		}
		seen[r.Release.Version] = true
		if r.Build.Status == Pass {
			passed = append(passed, r.Release.Version)
		} else {
			rest = append(rest, r.Release.Version)
		}
	}
	out := append(passed, rest...)
	if !seen[a.inst.Version] && a.inst.Version != "" {
		out = append(out, a.inst.Version)
	}
	return out
}

// goFiles lists the .go files of a package directory, sorted; test
// files only when tests is set.
func goFiles(dir string, tests bool) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(n, ".go") || (!tests && strings.HasSuffix(n, "_test.go")) {
			continue
		}
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// constrainedFile judges one file of dir: excluded under release failing
// and included under another release of the matrix.
func (a *attribution) constrainedFile(dir, name, failing string) (constrained, bool) {
	if ok, err := a.buildContext(failing).MatchFile(dir, name); err != nil || ok {
		return constrained{}, false
	}
	for _, other := range a.otherReleases(failing) {
		if ok, err := a.buildContext(other).MatchFile(dir, name); err != nil || !ok {
			continue
		}
		c := constrained{File: a.relFile(filepath.Join(dir, name)), Line: 1, Included: other}
		lo, hi := facts.Minor(failing), facts.Minor(other)
		c.Excluded = lo > hi // the newer release excludes it
		if c.Excluded {
			lo, hi = hi, lo
		}
		// The release tag where the answer changes.
		for n := lo + 1; n <= hi; n++ {
			v := fmt.Sprintf("go1.%d", n)
			if ok, _ := a.buildContext(v).MatchFile(dir, name); ok != c.Excluded {
				c.Since = v
				break
			}
		}
		c.Line, c.Expr = constraintLine(filepath.Join(dir, name))
		return c, true
	}
	return constrained{}, false
}

// constraintLine finds the //go:build line of a file's header (or its
// first // +build line).
func constraintLine(path string) (int, string) {
	b, err := fsread.ReadFile(path, fsread.SourceLimit)
	if err != nil {
		return 1, ""
	}
	return constraintLineOf(b)
}

// constraintLineOf finds the constraint line in a Go file's bytes.
func constraintLineOf(b []byte) (int, string) {
	plusLine, plus := 0, ""
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if constraint.IsGoBuild(l) {
			return n, l
		}
		if constraint.IsPlusBuild(l) && plusLine == 0 {
			plusLine, plus = n, l
		}
		if strings.HasPrefix(l, "package ") {
			break
		}
	}
	if plusLine > 0 {
		return plusLine, plus
	}
	return 1, ""
}

// declares says whether the Go file at path declares name at its top level.
func declares(path, name string) bool {
	b, err := fsread.ReadFile(path, fsread.SourceLimit)
	if err != nil {
		return false
	}
	return declaresIn(path, b, name)
}

// declaresIn says whether Go source b declares name at its top level.
func declaresIn(path string, b []byte, name string) bool {
	f, err := parser.ParseFile(token.NewFileSet(), path, b, parser.SkipObjectResolution)
	if err != nil {
		return false
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.Name == name {
				return true
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					if s.Name.Name == name {
						return true
					}
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.Name == name {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

// excludedDecl finds the file of the package that file errFile (relative
// to the module directory) belongs to which declares name and which the
// release tags of release exclude.
func (a *attribution) excludedDecl(errFile, name, release string) (constrained, bool) {
	if strings.Contains(name, ".") || filepath.IsAbs(errFile) || strings.HasPrefix(errFile, "..") {
		return constrained{}, false
	}
	dir := filepath.Join(a.mod.Dir, filepath.FromSlash(filepath.Dir(errFile)))
	for _, n := range goFiles(dir, strings.HasSuffix(errFile, "_test.go")) {
		if !declares(filepath.Join(dir, n), name) {
			continue
		}
		if c, ok := a.constrainedFile(dir, n, release); ok {
			return c, true
		}
	}
	return constrained{}, false
}

// excludedDir finds the first file of dir (an absolute directory the go
// command named) that the release tags of release exclude.
func (a *attribution) excludedDir(dir, release string) (constrained, bool) {
	if !filepath.IsAbs(dir) || !fsread.Within(a.mod.Dir, dir) {
		return constrained{}, false
	}
	for _, n := range goFiles(dir, false) {
		if c, ok := a.constrainedFile(dir, n, release); ok {
			return c, true
		}
	}
	return constrained{}, false
}

// linknameRE matches the linker's refusal (facts.LinknameRefusal with
// the linker's "link: " prefix).
var linknameRE = regexp.MustCompile(`^link: (\S+): invalid reference to (\S+)$`)

// linknameDirective finds the //go:linkname line that pulls symbol in the
// directory of package pkg, when pkg is in the module.
func (a *attribution) linknameDirective(pkg, symbol string) (string, int, bool) {
	pkg = strings.TrimSuffix(pkg, "_test")
	modPath := a.mod.Mod.Module
	var rel string
	switch {
	case pkg == modPath:
		rel = "."
	case strings.HasPrefix(pkg, modPath+"/"):
		rel = strings.TrimPrefix(pkg, modPath+"/")
	default:
		return "", 0, false
	}
	dir := filepath.Join(a.mod.Dir, filepath.FromSlash(rel))
	if !fsread.Within(a.mod.Dir, dir) {
		return "", 0, false
	}
	re := regexp.MustCompile(`^//go:linkname\s+\S+\s+` + regexp.QuoteMeta(symbol) + `\s*$`)
	for _, n := range goFiles(dir, true) {
		b, err := fsread.ReadFile(filepath.Join(dir, n), fsread.SourceLimit)
		if err != nil {
			continue
		}
		for i, l := range strings.Split(string(b), "\n") {
			if re.MatchString(strings.TrimSpace(l)) {
				return a.relFile(filepath.Join(dir, n)), i + 1, true
			}
		}
	}
	return "", 0, false
}

// addExcludedDecl reports an undefined name whose declaration a build
// constraint leaves out under release r.
func (a *attribution) addExcludedDecl(r *Row, p pos, name string, c constrained) {
	used := fmt.Sprintf("%s:%d:%d", a.rel(p.File), p.Line, p.Col)
	why, fix := a.constraintText(r, c)
	a.add(BuildConstraint, r, finding.Location{File: a.rel(c.File), Line: c.Line},
		fmt.Sprintf("%s fails to build with %s at go %s: %s, used at %s, is undefined because %s declares it under %s.", a.mod.Mod.Module, r.Release.Version, r.GoLine, name, used, a.rel(c.File), why),
		fmt.Sprintf("Declare %s for those releases too (a file with the opposite constraint), %s", name, fix),
		map[string]string{"undefined": name, "usedAt": used, "file": a.rel(c.File), "constraint": c.Expr, "includedBy": c.Included, "tag": c.Since})
}

// addExcludedDir reports a package that build constraints empty under
// release r, at the first file whose constraint does it when there is one.
func (a *attribution) addExcludedDir(r *Row, line, dir string) {
	out := a.relText(strings.TrimPrefix(strings.TrimSpace(line), "package "))
	details := map[string]string{"output": a.relText(strings.TrimSpace(line))}
	c, ok := a.excludedDir(dir, r.Release.Version)
	if !ok {
		a.add(BuildConstraint, r, a.goModLoc(),
			fmt.Sprintf("With %s at go %s: %s", r.Release.Version, r.GoLine, out),
			"Check the //go:build lines of those files (a go1.N tag newer than the release, or a GOOS/GOARCH the release lacks).",
			details)
		return
	}
	why, fix := a.constraintText(r, c)
	details["file"], details["constraint"], details["includedBy"], details["tag"] = a.rel(c.File), c.Expr, c.Included, c.Since
	a.add(BuildConstraint, r, finding.Location{File: a.rel(c.File), Line: c.Line},
		fmt.Sprintf("With %s at go %s: %s; %s is under %s.", r.Release.Version, r.GoLine, out, a.rel(c.File), why),
		"Give the package a file for those releases too, "+fix, details)
}

// constraintText says which releases a constrained file is left out of,
// and how to fix it.
func (a *attribution) constraintText(r *Row, c constrained) (why, fix string) {
	expr := "its file name"
	if c.Expr != "" {
		expr = fmt.Sprintf("%q", c.Expr)
	}
	tags := fmt.Sprintf("%s's release tags (go1.1 to go1.%d)", r.Release.Version, facts.Minor(r.Release.Version))
	if c.Excluded {
		why = fmt.Sprintf("%s, which %s do not satisfy (from %s on the file is left out; %s builds it)", expr, tags, c.Since, c.Included)
		return why, "or keep to releases before " + strings.TrimPrefix(c.Since, "go") + "."
	}
	why = fmt.Sprintf("%s, which %s do not satisfy (%s includes the file", expr, tags, c.Included)
	if c.Since != "" {
		why += ", from the " + c.Since + " tag on"
	}
	why += ")"
	if c.Since == "" {
		return why, "or raise the go line so that the release is not asked to build it."
	}
	return why, fmt.Sprintf("or raise the go line to %s so that older releases are not asked to build it.", strings.TrimPrefix(c.Since, "go"))
}

// addLinkname reports the linker of release r refusing a //go:linkname
// reference of package pkg to a standard library symbol.
func (a *attribution) addLinkname(r *Row, line, pkg, symbol string) {
	loc := a.goModLoc()
	if f, n, ok := a.linknameDirective(pkg, symbol); ok {
		loc = finding.Location{File: a.rel(f), Line: n, Column: 1}
	}
	details := map[string]string{"symbol": symbol, "package": pkg, "cause": "linkname", "output": line}
	built := ""
	if older := a.builtBefore(r); older != "" {
		details["builtWith"] = older
		built = fmt.Sprintf(" %s builds it.", older)
	}
	since := ""
	if facts.LinknameChecked(r.Release.Version) {
		details["since"] = facts.LinknameCheckedSince
		since = fmt.Sprintf(" Since Go %s the linker lets a //go:linkname reach a standard library symbol only when the symbol's own definition is marked //go:linkname (pushed), and in %s %s is not.", strings.TrimPrefix(facts.LinknameCheckedSince, "go"), r.Release.Version, symbol)
	}
	a.add(APIRemoved, r, loc,
		fmt.Sprintf("%s fails to link with %s at go %s: %q. The //go:linkname reference to %s is no longer allowed.%s%s", a.mod.Mod.Module, r.Release.Version, r.GoLine, line, symbol, since, built),
		fmt.Sprintf("Use a public API instead of %s (an internal symbol may change or go in any release); -ldflags=-checklinkname=0 turns the linker's check off while you move.", symbol),
		details)
	f := &a.findings[len(a.findings)-1]
	f.Sources = append(f.Sources, facts.SrcLinkname123, facts.SrcLinknameLoader)
}
