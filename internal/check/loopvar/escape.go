package loopvar

import (
	"bytes"
	"context"
	"fmt"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
)

// A method or function of another package of the module is not in the
// analyzer's view: go/analysis gives it the package's syntax only. A
// pointer to a loop variable passed to one is "may change"; so is one
// passed to a function of the package itself that hands it on to a call
// the analyzer does not follow (paramUse). The
// compiler knows better: its escape analysis tags each parameter of a
// function it compiles as not escaping, leaking its content only, or
// leaking (to the heap or a result), and go build -gcflags=PKG=-m=1
// prints those tags ("t does not escape", "leaking param: t").
//
// So the analyzer records, with such a finding, where the parameter is
// declared (Details["escape-check"]), and Analyze, after the analysis,
// compiles those packages once with -m=1 (the go command's build cache
// keeps and replays the output) and turns a finding into no-change when
// every parameter it asked about does not escape or leaks only its
// content: then the function keeps no pointer to the loop variable.
// A parameter that leaks, or one the output does not mention, leaves
// the finding as it was; so does a build that fails.

// escapeQuery names a parameter (or receiver) of a function in another
// package of the module: package, file, line and name identify it (the
// export data the go vet driver reads has no columns).
type escapeQuery struct {
	Pkg  string // import path
	File string // base name of the file that declares it
	Line int
	Name string
}

func (q escapeQuery) String() string {
	return fmt.Sprintf("%s %s:%d %s", q.Pkg, q.File, q.Line, q.Name)
}

func parseEscapeQuery(s string) (escapeQuery, bool) {
	f := strings.Fields(s)
	if len(f) != 3 {
		return escapeQuery{}, false
	}
	file, l, ok := cutLast(f[1], ":")
	line, err := strconv.Atoi(l)
	if !ok || err != nil || file == "" {
		return escapeQuery{}, false
	}
	return escapeQuery{Pkg: f[0], File: file, Line: line, Name: f[2]}, true
}

// escapeQueryFor returns the query for v, a parameter or receiver of fn,
// when fn belongs to a package of the module being analysed. For a
// function of the package itself the analyzer reads the body first
// (paramUse) and asks only when that does not settle it; a function
// declared in a _test.go file is not asked about, since go build does
// not compile it.
func (p *pass) escapeQueryFor(fn *types.Func, v *types.Var) *escapeQuery {
	if fn.Pkg() == nil || p.Module == nil || p.Module.Path == "" {
		return nil
	}
	path := fn.Pkg().Path()
	if path != p.Module.Path && !strings.HasPrefix(path, p.Module.Path+"/") {
		return nil
	}
	if v == nil || v.Name() == "" || v.Name() == "_" {
		return nil
	}
	pos := p.Fset.Position(v.Pos())
	if !pos.IsValid() || pos.Line < 1 || strings.HasSuffix(pos.Filename, "_test.go") {
		return nil
	}
	return &escapeQuery{Pkg: path, File: filepath.Base(pos.Filename), Line: pos.Line, Name: v.Name()}
}

// escapeRefinable returns the queries of a variable whose worst leaks
// are all "may" verdicts with a query, and no leak is worse.
func escapeRefinable(ls []leak) []string {
	var qs []string
	for _, l := range ls {
		switch {
		case l.kind == changes:
			return nil
		case l.kind == may && l.escape == nil:
			return nil
		case l.kind == may:
			if s := l.escape.String(); !containsString(qs, s) {
				qs = append(qs, s)
			}
		}
	}
	sort.Strings(qs)
	return qs
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// escapeLine matches what -m=1 says about a parameter. The compiler
// (cmd/compile/internal/escape/escape.go, reportLeaks) prints, for each
// parameter it tags: "leaking param: p" (p itself goes to the heap),
// "leaking param content: p" (only what p points to does), "leaking
// param: p to result r level=N" (what N dereferences of p reach flows to
// the result r: at N=0 p itself is returned, at N≥1 only values loaded
// through p are), or "p does not escape" when none of those holds.
var escapeLine = regexp.MustCompile(`^(.+):(\d+):(\d+): (?:(\S+) does not escape|leaking param content: (\S+)|leaking param: (\S+) to result \S+ level=(\d+)|leaking param: (\S+).*)$`)

// parseEscapeOutput reads go build -gcflags=…=-m=1 output: per package
// (after its "# path" line), whether each parameter is kept.
func parseEscapeOutput(out []byte) map[escapeQuery]bool {
	kept := map[escapeQuery]bool{}
	pkg := ""
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "# "); ok {
			pkg, _, _ = strings.Cut(rest, " ")
			continue
		}
		m := escapeLine.FindStringSubmatch(line)
		if m == nil || pkg == "" {
			continue
		}
		l, _ := strconv.Atoi(m[2])
		q := escapeQuery{Pkg: pkg, File: filepath.Base(m[1]), Line: l}
		switch {
		case m[4] != "":
			q.Name = m[4]
		case m[5] != "":
			q.Name = m[5]
		case m[6] != "" && m[7] != "0":
			// Only values loaded through the parameter reach the
			// result (a getter returning a field): the pointer
			// itself is not kept.
			q.Name = m[6]
		default:
			q.Name = m[6] + m[8]
			kept[q] = true
			continue
		}
		if _, seen := kept[q]; !seen {
			kept[q] = false
		}
	}
	return kept
}

// escapeRunner runs go build with -m=1 for pkgs in dir and returns what
// the compiler printed. A seam for tests.
type escapeRunner func(ctx context.Context, dir string, pkgs []string) ([]byte, error)

func goBuildEscape(ctx context.Context, dir string, pkgs []string) ([]byte, error) {
	args := []string{"build"}
	for _, p := range pkgs {
		args = append(args, "-gcflags="+p+"=-m=1")
	}
	args = append(args, pkgs...)
	cmd := exec.CommandContext(ctx, "go", args...)
	childproc.OwnGroup(cmd)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// refineByEscape turns the findings that asked for escape analysis into
// no-change where the compiler shows the callee keeps nothing.
func refineByEscape(ctx context.Context, dir string, res *Result, run escapeRunner) {
	var pkgs []string
	for _, f := range res.Findings {
		for _, s := range strings.Split(f.Details["escape-check"], "\n") {
			if q, ok := parseEscapeQuery(s); ok && !containsString(pkgs, q.Pkg) {
				pkgs = append(pkgs, q.Pkg)
			}
		}
	}
	if len(pkgs) == 0 {
		return
	}
	sort.Strings(pkgs)
	out, err := run(ctx, dir, pkgs)
	if err != nil {
		return // the findings stay "may change"
	}
	kept := parseEscapeOutput(out)
	changed := false
	for i, f := range res.Findings {
		qs := f.Details["escape-check"]
		if f.Check != MayChangeBehaviour.ID || qs == "" {
			continue
		}
		var evidence []string
		ok := true
		for _, s := range strings.Split(qs, "\n") {
			q, valid := parseEscapeQuery(s)
			k, known := kept[q]
			if !valid || !known || k {
				ok = false
				break
			}
			evidence = append(evidence, q.String())
		}
		if !ok {
			continue
		}
		res.Findings[i] = noChangeFromEscape(f, evidence)
		changed = true
	}
	if changed {
		finding.Sort(res.Findings)
	}
}

// noChangeFromEscape rewrites a may-change finding as no-change.
func noChangeFromEscape(f finding.Finding, evidence []string) finding.Finding {
	det := map[string]string{}
	for k, v := range f.Details {
		det[k] = v
	}
	how := det["leak-if-not-kept"]
	delete(det, "escape-check")
	delete(det, "leak-if-not-kept")
	det["leak"] = strings.TrimPrefix(how, "is ")
	det["escape-analysis"] = "does not escape (go build -gcflags=PKG=-m=1): " + strings.Join(evidence, "; ")
	today := fmt.Sprintf("this file is at %s (from %s)", det["version"], det["version-source"])
	msg, fix := noChangeText(det["variable"], how, today)
	n := finding.New(NoChange, f.Location, msg, fix)
	if extra := len(MayChangeBehaviour.Sources); len(f.Sources) > extra {
		n.Sources = append(n.Sources, f.Sources[extra:]...)
	}
	n.Sources = append(n.Sources, facts.SrcEscapeAnalysis)
	n.Details = det
	n.Suppressed = f.Suppressed
	return n
}

// noChangeText is the message and fix of a no-change finding.
func noChangeText(name, leak, today string) (string, string) {
	return fmt.Sprintf("loop variable %s %s, within the iteration; %s; at %s it becomes per-iteration with no change in behaviour",
			name, leak, today, facts.LoopvarVersion),
		"Nothing to do; this loop behaves the same after the upgrade."
}
