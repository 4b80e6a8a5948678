package loopvar

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/fsread"
)

// Edit is one suggested change to a file, in byte offsets.
type Edit struct {
	File       string // absolute path
	Start, End int
	New        string
	// Check is the check whose finding offered the edit.
	Check string
}

// Result is what Analyze found: findings with locations relative to the
// directory, and the edits of each finding's first suggested fix, by file
// and offset.
type Result struct {
	Findings []finding.Finding
	Edits    []Edit
	// NotBuilt, when not empty, says that some packages did not build,
	// so they were not analysed (the go command's errors, summarised);
	// Findings and Edits are those of the packages that were.
	NotBuilt string
}

// NotBuiltError is how a caller that passes on only findings says that
// the analysis left out packages that do not build (Result.NotBuilt).
type NotBuiltError struct{ Msg string }

func (e *NotBuiltError) Error() string { return e.Msg }

// Run analyses the packages matching patterns (default ./...) in the
// module at dir, tests included, and returns the findings with file
// paths relative to dir. It compiles nothing itself: dependencies come
// from export data that the go command builds or finds in its cache.
// vetTool is as for Analyze.
func Run(ctx context.Context, vetTool, dir string, patterns []string) ([]finding.Finding, error) {
	res, err := Analyze(ctx, vetTool, dir, patterns)
	if err != nil {
		return nil, err
	}
	return res.Findings, nil
}

// Analyze is Run with the suggested edits.
//
// With a vet tool — an executable that hands over to VetMain when
// vetcfg.IsInvocation(os.Args[1:]) holds, as the gocompat command does — it
// runs go vet -vettool=vetTool -json, so that the go command's build cache
// keeps each package's result as it does for go vet's own analyzers. With
// "" (a test binary is no vet tool) it loads and type-checks the packages
// in process. Both give the same Result.
func Analyze(ctx context.Context, vetTool, dir string, patterns []string) (*Result, error) {
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	var res *Result
	if vetTool != "" {
		res, err = analyzeVet(ctx, vetTool, dir, patterns)
	} else {
		res, err = analyzeInProcess(ctx, dir, patterns)
	}
	if err != nil {
		return nil, err
	}
	refineByEscape(ctx, dir, res, goBuildEscape)
	return res, nil
}

// analyzeInProcess loads the packages with go/packages and runs the
// analyzer on them with go/analysis/checker.
func analyzeInProcess(ctx context.Context, dir string, patterns []string) (*Result, error) {
	cfg := &packages.Config{
		Context: ctx,
		Mode:    packages.LoadSyntax | packages.NeedModule,
		Dir:     dir,
		Tests:   true,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("load %s in %s: %w", strings.Join(patterns, " "), dir, err)
	}
	var errs []string
	var roots []*packages.Package
	for _, p := range pkgs {
		if strings.HasSuffix(p.ID, ".test") && p.Name == "main" {
			continue // the generated test main
		}
		for _, e := range p.Errors {
			errs = append(errs, e.Error())
		}
		if len(p.Errors) > 0 || p.IllTyped {
			continue // as go vet, which skips what does not compile
		}
		roots = append(roots, p)
	}
	notBuilt := ""
	if len(errs) > 0 {
		sort.Strings(errs)
		more := ""
		if len(errs) > 3 {
			more = fmt.Sprintf(" (and %d more)", len(errs)-3)
			errs = errs[:3]
		}
		notBuilt = fmt.Sprintf("packages in %s do not build: %s%s", dir, strings.Join(errs, "; "), more)
		if len(roots) == 0 {
			return nil, errors.New(notBuilt)
		}
	}
	if len(roots) == 0 {
		return &Result{}, nil
	}
	g, err := checker.Analyze([]*analysis.Analyzer{Analyzer}, roots, nil)
	if err != nil {
		return nil, err
	}
	c := newCollector(dir)
	for _, act := range g.Roots {
		if act.Err != nil {
			return nil, fmt.Errorf("analyse %s: %w", act.Package.PkgPath, act.Err)
		}
		recs, _ := act.Result.([]Record)
		fset := act.Package.Fset
		for _, r := range recs {
			pos, end := fset.Position(r.Pos), fset.Position(r.End)
			rf := rawFinding{
				check: r.Check, severity: r.Severity,
				file: pos.Filename, line: pos.Line, column: pos.Column,
				endLine: end.Line, endColumn: end.Column,
				message: r.Message, fix: r.Fix, details: r.Details, sources: r.Sources,
			}
			if len(r.Suggested) > 0 {
				rf.hasFix = true
				rf.fixMessage = r.Suggested[0].Message
				rf.edits = r.Edits
			}
			c.add(rf)
		}
	}
	res := c.result()
	res.NotBuilt = notBuilt
	return res, nil
}

// rawFinding is one diagnostic of the analyzer as a driver sees it, with
// positions already resolved.
type rawFinding struct {
	check              string
	severity           finding.Severity
	file               string // as the driver names it (absolute)
	line, column       int
	endLine, endColumn int
	message, fix       string
	details            map[string]string
	sources            []finding.Source // beyond the check's
	hasFix             bool
	fixMessage         string
	edits              []Edit // of the first suggested fix
}

// collector turns the diagnostics of all packages into one Result, the
// same way for every driver: a file seen through a package and its test
// variant is reported once, and so are its edits.
type collector struct {
	dir      string
	res      Result
	seen     map[string]bool
	seenEdit map[Edit]bool
}

func newCollector(dir string) *collector {
	return &collector{dir: dir, seen: map[string]bool{}, seenEdit: map[Edit]bool{}}
}

func (c *collector) add(r rawFinding) {
	key := fmt.Sprintf("%s:%d:%d:%s", r.file, r.line, r.column, r.check)
	if c.seen[key] {
		return // the package and its test variant share files
	}
	c.seen[key] = true
	f := finding.New(checkByID(r.check), finding.Location{
		File: relTo(c.dir, r.file), Line: r.line, Column: r.column,
		EndLine: r.endLine, EndColumn: r.endColumn,
	}, r.message, r.fix)
	f.Severity = r.severity
	f.Details = r.details
	f.Sources = append(f.Sources, r.sources...)
	if r.hasFix {
		if f.Details == nil {
			f.Details = map[string]string{}
		}
		f.Details["fix"] = r.fixMessage
		for _, ed := range r.edits {
			if !c.seenEdit[ed] {
				c.seenEdit[ed] = true
				c.res.Edits = append(c.res.Edits, ed)
			}
		}
	}
	c.res.Findings = append(c.res.Findings, f)
}

func (c *collector) result() *Result {
	finding.Sort(c.res.Findings)
	// Packages come in any order (go vet runs them in parallel); sort the
	// edits by place so both drivers agree. Changes orders them this way
	// too, so this changes nothing it applies.
	sort.SliceStable(c.res.Edits, func(i, j int) bool {
		a, b := c.res.Edits[i], c.res.Edits[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.End < b.End
	})
	return &c.res
}

func relTo(dir, file string) string {
	if rel, err := filepath.Rel(dir, file); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(file)
}

// FileChange is the new content of one file after applying edits.
type FileChange struct {
	File     string // absolute
	Old, New []byte
	// Skipped counts edits that overlapped an earlier one.
	Skipped int
}

// Changes applies edits in memory, file by file. Overlapping edits keep
// the first. A file the edits leave as it is has no FileChange (unless
// an edit was skipped, which the caller reports), so it is never
// rewritten with the bytes it has.
func Changes(edits []Edit) ([]FileChange, error) {
	byFile := map[string][]Edit{}
	for _, e := range edits {
		byFile[e.File] = append(byFile[e.File], e)
	}
	files := make([]string, 0, len(byFile))
	for f := range byFile {
		files = append(files, f)
	}
	sort.Strings(files)
	var out []FileChange
	for _, f := range files {
		old, err := fsread.ReadFile(f, maxSourceSize)
		if err != nil {
			return nil, err
		}
		es := byFile[f]
		sort.SliceStable(es, func(i, j int) bool {
			if es[i].Start != es[j].Start {
				return es[i].Start < es[j].Start
			}
			return es[i].End < es[j].End
		})
		var b strings.Builder
		fc := FileChange{File: f, Old: old}
		last := 0
		for _, e := range es {
			if e.Start < last || e.End > len(old) || e.Start > e.End {
				fc.Skipped++
				continue
			}
			b.Write(old[last:e.Start])
			b.WriteString(e.New)
			last = e.End
		}
		b.Write(old[last:])
		fc.New = []byte(b.String())
		if bytes.Equal(fc.New, old) && fc.Skipped == 0 {
			continue // never rewrite a file with the bytes it has
		}
		out = append(out, fc)
	}
	return out, nil
}
