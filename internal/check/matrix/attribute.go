package matrix

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/gocompat/gocompat/internal/check/upgrade"
	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/module"
)

// attribution finds the cause of each failing cell of one module.
type attribution struct {
	*run
	mod      *module.Module
	rows     []*Row
	goLine   string
	findings []finding.Finding
	analyzer map[string]map[string]bool // release -> vet analyzers
}

func (a *attribution) add(c finding.Check, r *Row, loc finding.Location, msg, fix string, details map[string]string) {
	f := finding.New(c, loc, msg, fix)
	f.Details = map[string]string{"module": a.mod.Mod.Module, "release": r.Release.Version, "goLine": r.GoLine}
	for k, v := range details {
		f.Details[k] = v
	}
	a.findings = append(a.findings, f)
	r.Failures++
}

// rel makes a path printed by the go command (relative to the module
// directory, or absolute) relative to the run's root.
func (a *attribution) rel(p string) string {
	if filepath.IsAbs(p) {
		if r, err := filepath.Rel(a.o.Dir, p); err == nil && !strings.HasPrefix(r, "..") {
			return filepath.ToSlash(r)
		}
		return p
	}
	return filepath.ToSlash(filepath.Join(a.mod.Rel, p))
}

func (a *attribution) goModLoc() finding.Location {
	loc := finding.Location{File: a.mod.GoModRel}
	if a.mod.Mod.GoLine > 0 {
		loc.Line = a.mod.Mod.GoLine
	}
	return loc
}

var (
	posRE       = regexp.MustCompile(`^(?:vet: )?(\S+?\.go):(\d+)(?::(\d+))?: (.*)$`)
	undefinedRE = regexp.MustCompile(`undefined: (\S+)`)
	stdverRE    = regexp.MustCompile(`^(\S+) requires (go1\.\d+) or later`)
	constraints = "build constraints exclude all Go files in"
)

type pos struct {
	File      string
	Line, Col int
}

func parsePos(l string) (pos, string, bool) {
	m := posRE.FindStringSubmatch(strings.TrimSpace(l))
	if m == nil {
		return pos{}, "", false
	}
	var p pos
	p.File = m[1]
	fmt.Sscan(m[2], &p.Line)
	if m[3] != "" {
		fmt.Sscan(m[3], &p.Col)
	}
	return p, m[4], true
}

// stdSymbol is one stdversion diagnostic.
type stdSymbol struct {
	Pos    pos
	Symbol string // "rand.Text"
	Since  string // "go1.24"
	Msg    string
}

// stdversion collects the stdversion diagnostics of every vet cell at
// the module's own go line (they do not depend on the release that ran
// them, as long as its vet has the analyzer).
func (a *attribution) stdversion() map[pos]stdSymbol {
	out := map[pos]stdSymbol{}
	for _, r := range a.rows {
		if r.Raised {
			continue
		}
		for _, d := range r.Vet.Vet["stdversion"] {
			p, _, ok := parsePos(d.Posn + ": x")
			m := stdverRE.FindStringSubmatch(d.Message)
			if !ok || m == nil {
				continue
			}
			p.File = a.relFile(p.File)
			out[p] = stdSymbol{Pos: p, Symbol: m[1], Since: m[2], Msg: d.Message}
		}
	}
	return out
}

func (a *attribution) anyUndefined() bool {
	for _, r := range a.rows {
		for _, l := range r.Build.Output {
			if strings.Contains(l, "undefined: ") {
				return true
			}
		}
	}
	return false
}

// installedStdversion runs the installed toolchain's vet stdversion
// check at the module's own go line, for matrices whose releases have no
// vet with it (it came with Go 1.23).
func (a *attribution) installedStdversion(ctx context.Context) map[pos]stdSymbol {
	if less(a.inst.Version, "go1.23") {
		return nil
	}
	modfile, cleanup, err := upgrade.ModCopy(a.mod, "stdversion", "")
	if err != nil {
		return nil
	}
	defer cleanup()
	cmd := exec.CommandContext(ctx, a.inst.Go, "vet", "-modfile="+modfile, "-json", "-stdversion", "./...")
	childproc.OwnGroup(cmd)
	cmd.Dir = a.mod.Dir
	cmd.Env = a.inst.Env(a.o.Environ, "GOFLAGS=-mod=mod")
	out, _ := cmd.CombinedOutput()
	c := vetCell(out, nil)
	row := &Row{Vet: c}
	saved := a.rows
	a.rows = []*Row{row}
	defer func() { a.rows = saved }()
	return a.stdversion()
}

// relFile makes a position's file relative to the module directory.
func (a *attribution) relFile(f string) string {
	if filepath.IsAbs(f) {
		if r, err := filepath.Rel(a.mod.Dir, f); err == nil {
			return filepath.ToSlash(r)
		}
	}
	return filepath.ToSlash(filepath.Clean(f))
}

func (a *attribution) explain(ctx context.Context) error {
	std := a.stdversion()
	if len(std) == 0 && a.anyUndefined() {
		std = a.installedStdversion(ctx)
	}
	var loopDone bool
	vetGroups := map[string]*vetGroup{}
	var vetOrder []string
	defer func() { a.vetFindings(ctx, vetGroups, vetOrder) }()
	for _, r := range a.rows {
		if !r.failed() {
			continue
		}
		// The toolchain refuses the go line.
		if want := tooOld(r.Build.Output); want != "" {
			a.add(ToolchainTooOld, r, a.goModLoc(),
				fmt.Sprintf("%s cannot build this module: its go line says %s, and a toolchain older than the go line refuses it (with GOTOOLCHAIN=local, as in an image that pins its Go, or it downloads another Go).", r.Release.Version, want),
				fmt.Sprintf("Build with Go %s or newer, or lower the go line if the module does not need Go %s.", want, want),
				map[string]string{"requires": want})
			continue
		}
		explained := 0
		seen := map[pos]bool{}
		seenOut := map[string]bool{}
		// Build failures: symbols, constraints, the linker.
		for _, l := range append(append([]string(nil), r.Build.Output...), r.Test.Output...) {
			if i := strings.Index(l, constraints); i >= 0 {
				dir := strings.TrimSpace(l[i+len(constraints):])
				if seenOut[dir] {
					continue
				}
				seenOut[dir] = true
				a.addExcludedDir(r, l, dir)
				explained++
				continue
			}
			if m := linknameRE.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
				if !seenOut[l] {
					seenOut[l] = true
					a.addLinkname(r, strings.TrimSpace(l), m[1], m[2])
				}
				explained++
				continue
			}
			p, msg, ok := parsePos(l)
			if !ok {
				continue
			}
			um := undefinedRE.FindStringSubmatch(msg)
			if um == nil {
				continue
			}
			p.File = a.relFile(p.File)
			if seen[pos{p.File, p.Line, 0}] {
				continue
			}
			if c, ok := a.excludedDecl(p.File, um[1], r.Release.Version); ok {
				seen[pos{p.File, p.Line, 0}] = true
				a.addExcludedDecl(r, p, um[1], c)
				explained++
				continue
			}
			if s, ok := lookupStd(std, p); ok {
				seen[pos{p.File, p.Line, 0}] = true
				a.add(StdlibSymbolTooNew, r, finding.Location{File: a.rel(p.File), Line: p.Line, Column: p.Col},
					fmt.Sprintf("%s fails to build with %s at go %s: %s is undefined there. Go %s added it (go vet's stdversion check: %q), but the go line lets older releases build the module.", a.mod.Mod.Module, r.Release.Version, r.GoLine, um[1], strings.TrimPrefix(s.Since, "go"), s.Msg),
					fmt.Sprintf("Raise the go line to %s (the module then needs that Go), or avoid %s while the module supports older releases.", strings.TrimPrefix(s.Since, "go"), s.Symbol),
					map[string]string{"symbol": s.Symbol, "since": s.Since, "undefined": um[1]})
				explained++
				continue
			}
			if older := a.builtBefore(r); older != "" {
				seen[pos{p.File, p.Line, 0}] = true
				a.add(APIRemoved, r, finding.Location{File: a.rel(p.File), Line: p.Line, Column: p.Col},
					fmt.Sprintf("%s builds with %s but not with %s (undefined: %s): the release removed or changed it.", a.mod.Mod.Module, older, r.Release.Version, um[1]),
					"Read the release notes of that release for the symbol, and use what replaces it.",
					map[string]string{"undefined": um[1], "builtWith": older})
				explained++
			}
		}
		// Vet diagnostics.
		if r.Vet.Status == Fail {
			for an, ds := range r.Vet.Vet {
				for _, d := range ds {
					p, _, _ := parsePos(d.Posn + ": x")
					loc := finding.Location{File: a.rel(a.relFile(p.File)), Line: p.Line, Column: p.Col}
					if an == "stdversion" {
						m := stdverRE.FindStringSubmatch(d.Message)
						if m == nil || seen[pos{a.relFile(p.File), p.Line, 0}] {
							continue
						}
						a.add(StdlibSymbolTooNew, r, loc,
							fmt.Sprintf("go vet (stdversion) with %s at go %s: %s. Releases before %s fail to build this.", r.Release.Version, r.GoLine, d.Message, m[2]),
							fmt.Sprintf("Raise the go line to %s, or avoid %s while the module supports older releases.", strings.TrimPrefix(m[2], "go"), m[1]),
							map[string]string{"symbol": m[1], "since": m[2], "analyzer": an})
						explained++
						continue
					}
					// One finding per diagnostic, naming every row that reports it.
					key := an + "\x00" + loc.String() + "\x00" + d.Message
					g := vetGroups[key]
					if g == nil {
						g = &vetGroup{an: an, loc: loc, msg: d.Message}
						vetGroups[key] = g
						vetOrder = append(vetOrder, key)
					}
					g.rows = append(g.rows, r)
					explained++
				}
			}
		}
		// Tests broken by raising the go line: the upgrade attribution.
		if r.Raised && r.Test.Status == Fail && len(r.Test.Failed) > 0 {
			own := a.ownRow(r)
			if own != nil && own.Test.Status == Pass {
				if loopDone {
					a.add(Failure, r, a.goModLoc(),
						fmt.Sprintf("%s fails with %s at go %s as at the oldest such release (see its findings): %s.", strings.Join(r.Test.Failed, ", "), r.Release.Version, r.GoLine, firstLines(r.Test.Output, 3)),
						"Fix the cause named for the oldest failing release.", map[string]string{"tests": strings.Join(r.Test.Failed, ",")})
					continue
				}
				loopDone = true
				n, err := a.upgradeAttribution(ctx, r)
				if err != nil {
					return err
				}
				explained += n
			}
		}
		if explained == 0 {
			var out []string
			for _, c := range []struct {
				name string
				c    Cell
			}{{"build", r.Build}, {"vet", r.Vet}, {"test", r.Test}} {
				if c.c.Status == Fail {
					out = append(out, c.name+": "+firstLines(c.c.Output, 4))
				}
			}
			a.add(Failure, r, a.goModLoc(),
				fmt.Sprintf("With %s at go %s: %s", r.Release.Version, r.GoLine, a.relText(strings.Join(out, "\n"))),
				"Run the failing command with that release (GOTOOLCHAIN="+r.Release.Version+" go …) and read the output.",
				nil)
		}
	}
	return nil
}

type vetGroup struct {
	an, msg string
	loc     finding.Location
	rows    []*Row
}

// vetFindings reports each vet diagnostic once, with the releases and go
// lines whose vet reports it: as new with a release when the oldest
// release of the matrix lacks the check, else as a plain vet failure.
func (a *attribution) vetFindings(ctx context.Context, groups map[string]*vetGroup, order []string) {
	for _, k := range order {
		g := groups[k]
		var where []string
		for _, r := range g.rows {
			where = append(where, r.Release.Version+" at go "+r.GoLine)
			r.Failures++
		}
		first := g.rows[0]
		details := map[string]string{"module": a.mod.Mod.Module, "release": first.Release.Version, "goLine": first.GoLine,
			"analyzer": g.an, "reportedBy": strings.Join(where, ", ")}
		var f finding.Finding
		if oldest := a.lacks(ctx, g.an); oldest != "" {
			f = finding.New(VetCheckNew, g.loc,
				fmt.Sprintf("go vet reports: %s (%s), with %s. %s's vet has no %s check, so the failure is new with the release, not with the code.", g.msg, g.an, strings.Join(where, ", "), oldest, g.an),
				"Fix what the check reports; it usually points at a real mistake.")
			details["absentIn"] = oldest
		} else {
			f = finding.New(Failure, g.loc,
				fmt.Sprintf("go vet reports: %s (%s), with %s; every release of the matrix has this check.", g.msg, g.an, strings.Join(where, ", ")),
				"Fix what the check reports.")
		}
		f.Details = details
		a.findings = append(a.findings, f)
	}
}

// relText shortens the module directory in command output.
func (a *attribution) relText(s string) string {
	prefix := ""
	if a.mod.Rel != "." {
		prefix = filepath.ToSlash(a.mod.Rel) + "/"
	}
	return strings.ReplaceAll(s, a.mod.Dir+string(filepath.Separator), prefix)
}

// lookupStd finds the stdversion diagnostic on the same line (the
// compiler and vet point at different columns of the selector).
func lookupStd(std map[pos]stdSymbol, p pos) (stdSymbol, bool) {
	for q, s := range std {
		if q.File == p.File && q.Line == p.Line {
			return s, true
		}
	}
	return stdSymbol{}, false
}

// builtBefore is an older release whose build at the module's own go
// line passed.
func (a *attribution) builtBefore(r *Row) string {
	for _, o := range a.rows {
		if !o.Raised && o.Build.Status == Pass && less(o.Release.Version, r.Release.Version) {
			return o.Release.Version
		}
	}
	return ""
}

func (a *attribution) ownRow(r *Row) *Row {
	for _, o := range a.rows {
		if !o.Raised && o.Release.Version == r.Release.Version {
			return o
		}
	}
	return nil
}

// lacks is the oldest release of the matrix whose vet lacks analyzer an,
// from each toolchain's own `vet help`.
func (a *attribution) lacks(ctx context.Context, an string) string {
	if a.analyzer == nil {
		// Every release's vet at once: each is a process start.
		a.analyzer = map[string]map[string]bool{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, r := range a.rows {
			if _, ok := a.analyzer[r.Release.Version]; ok {
				continue
			}
			a.analyzer[r.Release.Version] = nil
			wg.Add(1)
			go func() {
				defer wg.Done()
				set := vetAnalyzers(ctx, r)
				mu.Lock()
				a.analyzer[r.Release.Version] = set
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	for _, r := range a.rows {
		if set := a.analyzer[r.Release.Version]; set != nil && !set[an] {
			return r.Release.Version
		}
	}
	return ""
}

// vetAnalyzers lists the analyzers of a release's vet (`vet help`, run
// as go tool vet would run it).
func vetAnalyzers(ctx context.Context, r *Row) map[string]bool {
	cmd := exec.CommandContext(ctx, r.Release.Go, "tool", "vet", "help")
	if vet := vetPath(r.Release); vet != "" {
		cmd = exec.CommandContext(ctx, vet, "help")
	}
	childproc.OwnGroup(cmd)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil
	}
	set := map[string]bool{}
	in := false
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "Registered analyzers:") {
			in = true
			continue
		}
		if in && strings.HasPrefix(l, "    ") {
			if f := strings.Fields(l); len(f) > 0 {
				set[f[0]] = true
			}
		} else if in && strings.TrimSpace(l) != "" {
			break
		}
	}
	if len(set) == 0 {
		return nil
	}
	return set
}

// upgradeAttribution runs the upgrade family's test attribution for the
// module with release r at its go line against the same release at the
// module's own go line, and keeps its findings about the tests.
func (a *attribution) upgradeAttribution(ctx context.Context, r *Row) (int, error) {
	a.progress("%s: %s: attributing %s (upgrade --test --to %s)", a.mod.GoModRel, r.Release.Version, strings.Join(r.Test.Failed, ", "), r.GoLine)
	tc := r.Release
	res, err := upgrade.Run(ctx, upgrade.Options{
		Dir: a.mod.Dir, Target: r.GoLine, Environ: a.o.Environ, Test: true,
		Toolchains: a.src, TargetToolchain: &tc, BaseToolchain: &tc,
		Bisect: a.o.Bisect, CacheDir: a.o.CacheDir,
	})
	if err != nil {
		return 0, fmt.Errorf("attributing the test failures at %s: %w", r.Release.Version, err)
	}
	n := 0
	for _, f := range res.Findings {
		switch f.Check {
		case upgrade.TestBrokenByLoop.ID, upgrade.TestBrokenByGodebug.ID, upgrade.TestOutcomeChanges.ID:
		default:
			continue
		}
		if f.Location.File != "" && !filepath.IsAbs(f.Location.File) && a.mod.Rel != "." {
			f.Location.File = filepath.ToSlash(filepath.Join(a.mod.Rel, f.Location.File))
		}
		f.Details["release"] = r.Release.Version
		f.Message = fmt.Sprintf("[%s] %s", r.Release.Version, f.Message)
		a.findings = append(a.findings, f)
		r.Failures++
		if f.Check != upgrade.TestOutcomeChanges.ID {
			n++
		}
	}
	return n, nil
}

func firstLines(ls []string, n int) string {
	var keep []string
	for _, l := range ls {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "FAIL") || strings.HasPrefix(t, "---") || strings.HasPrefix(t, "ok ") {
			continue
		}
		keep = append(keep, t)
		if len(keep) == n {
			break
		}
	}
	return strings.Join(keep, "; ")
}
