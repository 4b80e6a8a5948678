// Package matrix implements `gocompat matrix`: each module built, vetted
// and (with Options.Test) tested under several Go releases, each at the
// module's own go line and, where the release is newer, with the go line
// raised to that release — and for every failure, its cause.
//
// Releases are taken the way the go command takes them (package
// toolchains); each release's own go command runs with GOTOOLCHAIN=local
// and -modfile pointing at a temporary copy of go.mod and go.sum, so no
// file of the module is ever written. The cells run in parallel, bounded
// by the CPUs and a memory budget, and share the user's module and build
// caches, so a second run, or a release whose packages were compiled
// before, costs little.
//
// Causes, from the outputs of the cells and the toolchains' own files:
//   - the toolchain is older than the go line (the go command refuses);
//   - a standard library symbol newer than the go line: go vet's
//     stdversion analyzer (golang.org/x/tools/go/analysis/passes/stdversion,
//     in go vet since Go 1.23) names the symbol and the release that added
//     it, which explains "undefined: pkg.Sym" under older releases;
//   - a symbol that builds under an older release and is undefined under a
//     newer one (an API removed), or that the newer release's linker no
//     longer lets a //go:linkname reach ("invalid reference to", Go 1.23
//     and later: facts.LinknameCheckedSince);
//   - a vet check that the oldest release's vet does not have (vet help);
//   - build constraints: a package whose every file a release's tags
//     exclude, or an undefined name declared only in a file they exclude
//     (go/build's matching of the module's files, with only the release
//     tags go1.1 … go1.N differing between the failing release and one
//     that includes the file);
//   - a test that passes at the module's go line and fails with the go
//     line raised: the upgrade family's attribution (loop semantics or a
//     GODEBUG default, bisected) runs for the oldest such release.
package matrix

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/version"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocompat/gocompat/internal/check/upgrade"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/module"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/toolchains"
)

// Options configure a run.
type Options struct {
	// Dir is the directory to look for modules in (absolute).
	Dir string
	// Releases is the --go list: "1.22", "1.22.3", "supported" or
	// "go.mod", comma-separated or one per element; empty means "go.mod".
	Releases []string
	// Test runs the tests too (runs the module's code).
	Test bool
	// Environ is the user's environment.
	Environ []string
	// Progress receives progress lines, or nil.
	Progress io.Writer
	// Toolchains takes the releases; nil means a Source over Environ
	// reporting to Progress.
	Toolchains *toolchains.Source
	// Jobs bounds the cells run at once; 0 means runtime.NumCPU().
	Jobs int
	// MemBudget bounds the memory the cells may take together, in bytes,
	// at JobMemory each; 0 means half of the memory available now.
	MemBudget int64
	// Now is the date for "supported"; zero means time.Now().
	Now time.Time
	// Bisect is passed to the upgrade family's attribution.
	Bisect []string
	// CacheDir is passed to the upgrade family's attribution.
	CacheDir string
}

// JobMemory is what one cell is assumed to take at its peak: a go
// command compiling, vetting or linking with its own -p workers.
const JobMemory = 1 << 30

// Status of a cell.
const (
	Pass    = "pass"
	Fail    = "FAIL"
	NotRun  = "-"
	Skipped = "skip" // not asked (no --test)
)

// Cell is one command's outcome.
type Cell struct {
	Status string
	// Output is the command's diagnostic output (stderr, build output,
	// failing tests' lines), at most maxOutput lines.
	Output []string
	// Failed lists failing tests as "pkg.TestName".
	Failed []string
	// Vet holds vet's diagnostics by analyzer.
	Vet  map[string][]vetDiag
	Took time.Duration
}

type vetDiag struct {
	Posn    string `json:"posn"`
	Message string `json:"message"`
}

// Row is one release at one go line for one module.
type Row struct {
	Module   *module.Module
	Release  toolchains.Toolchain
	GoLine   string // the go line the row builds at
	Raised   bool   // GoLine is the release's, not the module's
	Build    Cell
	Vet      Cell
	Test     Cell
	Failures int
}

func (r *Row) failed() bool {
	return r.Build.Status == Fail || r.Vet.Status == Fail || r.Test.Status == Fail
}

// Result is what a run found.
type Result struct {
	Rows     []*Row
	Findings []finding.Finding
	Subjects []report.Subject
	Table    report.Table
	Anchor   string
	// Unavailable says what could not be fetched, one line each.
	Unavailable []string
	// FirstFailing maps a module path to its oldest release with a failing
	// cell ("" when none fails).
	FirstFailing map[string]string
}

// ParseList splits a --go value into its items.
func ParseList(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		switch f {
		case "supported", "go.mod":
		default:
			v := facts.NormalizeGo(f)
			if v == "" || !strings.HasPrefix(v, "go1.") {
				return nil, fmt.Errorf("--go: %q is not a Go release (want 1.N, 1.N.P, supported or go.mod)", f)
			}
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--go: empty list")
	}
	return out, nil
}

// Run builds the matrix for every module under o.Dir.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	src := o.Toolchains
	if src == nil {
		src = &toolchains.Source{Environ: o.Environ, Progress: o.Progress}
	}
	tree, err := module.Discover(o.Dir)
	if err != nil {
		return nil, err
	}
	if len(tree.Modules) == 0 {
		return nil, fmt.Errorf("%s: %w", o.Dir, upgrade.ErrNoModule)
	}
	if len(o.Releases) == 0 {
		o.Releases = []string{"go.mod"}
	}
	inst, err := src.Installed(ctx)
	if err != nil {
		return nil, err
	}
	res := &Result{Anchor: tree.Modules[0].GoModRel, FirstFailing: map[string]string{}}
	m := &run{o: &o, src: src, inst: inst, res: res}
	for _, mod := range tree.Modules {
		if mod.Mod.Module == "" {
			res.Unavailable = append(res.Unavailable, mod.GoModRel+": no module line; skipped")
			continue
		}
		if err := m.module(ctx, mod); err != nil {
			return nil, fmt.Errorf("%s: %w", mod.GoModRel, err)
		}
	}
	res.Table = table(res.Rows, o.Test)
	var firsts []string
	for _, mod := range tree.Modules {
		if f, ok := res.FirstFailing[mod.Mod.Module]; ok {
			if f == "" {
				f = "none"
			}
			if len(tree.Modules) > 1 {
				f = mod.Mod.Module + " " + f
			}
			firsts = append(firsts, f)
		}
	}
	if len(firsts) > 0 {
		res.Table.Title += "; first failing release: " + strings.Join(firsts, ", ")
	}
	return res, nil
}

type run struct {
	o    *Options
	src  *toolchains.Source
	inst toolchains.Toolchain
	res  *Result
	mu   sync.Mutex
}

func (m *run) progress(format string, args ...any) {
	if m.o.Progress == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintf(m.o.Progress, "gocompat matrix: "+format+"\n", args...)
}

// lang is the language version of a go line, "1.21" for "1.21.3".
func lang(v string) string { return strings.TrimPrefix(version.Lang(facts.NormalizeGo(v)), "go") }

func less(a, b string) bool { return version.Compare(facts.NormalizeGo(a), facts.NormalizeGo(b)) < 0 }

// wanted expands the --go list for a module into language versions or
// releases, oldest first, each once.
func (m *run) wanted(ctx context.Context, goLine string) ([]string, []string) {
	var out, notes []string
	seen := map[string]bool{}
	add := func(v string) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	// newest is the newest language version: the proxy's list, else
	// gocompat's table or the installed release (only "go.mod" needs it).
	newest := func() string {
		n := lang(m.inst.Version)
		if last := facts.GoReleases[len(facts.GoReleases)-1].Version; less(n, last) {
			n = lang(last)
		}
		if listed, err := m.src.Listed(ctx); err == nil && len(listed) > 0 {
			if l := lang(listed[len(listed)-1]); less(n, l) {
				n = l
			}
		} else if err != nil {
			notes = append(notes, "go.mod: the newest release is taken from gocompat's table and the installed toolchain: "+err.Error())
		}
		return n
	}
	for _, item := range m.o.Releases {
		switch item {
		case "supported":
			for _, r := range facts.GoReleases {
				if ok, known, _ := facts.SupportStatus(r.Version, m.o.Now); ok && known {
					add(lang(r.Version))
				}
			}
		case "go.mod":
			from := lang(goLine)
			minor := facts.Minor(from)
			last := facts.Minor(newest())
			for n := minor; n <= last; n++ {
				if n < 21 {
					continue // no golang.org/toolchain module before Go 1.21
				}
				add(fmt.Sprintf("1.%d", n))
			}
		default:
			add(strings.TrimPrefix(facts.NormalizeGo(item), "go"))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out, notes
}

func (m *run) module(ctx context.Context, mod *module.Module) error {
	goLine := mod.Mod.Go
	if goLine == "" {
		goLine = "1.16"
	}
	specs, notes := m.wanted(ctx, goLine)
	// Take every release first (downloads in parallel with each other).
	tcs := make([]*toolchains.Toolchain, len(specs))
	errs := make([]error, len(specs))
	var wg sync.WaitGroup
	for i, spec := range specs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := m.src.Resolve(ctx, spec)
			if err != nil {
				errs[i] = err
				return
			}
			tc, err := m.src.Get(ctx, r.Release)
			if err != nil {
				errs[i] = err
				return
			}
			tcs[i] = &tc
		}()
	}
	wg.Wait()
	var rows []*Row
	for i, tc := range tcs {
		if tc == nil {
			msg := fmt.Sprintf("Go %s: %v", specs[i], errs[i])
			m.res.Unavailable = append(m.res.Unavailable, msg)
			notes = append(notes, msg)
			continue
		}
		rows = append(rows, &Row{Module: mod, Release: *tc, GoLine: goLine})
		if l := tc.Lang(); less(lang(goLine), l) {
			rows = append(rows, &Row{Module: mod, Release: *tc, GoLine: l, Raised: true})
		}
	}
	m.cells(ctx, rows)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	m.res.Rows = append(m.res.Rows, rows...)
	a := &attribution{run: m, mod: mod, rows: rows, goLine: goLine}
	if err := a.explain(ctx); err != nil {
		return err
	}
	m.res.Findings = append(m.res.Findings, a.findings...)
	first := ""
	for _, r := range rows {
		if r.failed() {
			first = r.Release.Version
			break
		}
	}
	m.res.FirstFailing[mod.Mod.Module] = first
	attr := map[string]string{"go": mod.Mod.Go, "releases": strings.Join(releasesOf(rows), ","), "firstFailing": first}
	if first == "" {
		attr["firstFailing"] = "none"
	}
	if len(notes) > 0 {
		attr["notes"] = strings.Join(notes, "; ")
	}
	m.res.Subjects = append(m.res.Subjects, report.Subject{Kind: "module", Name: mod.Mod.Module, Path: mod.Rel, Attributes: attr})
	return nil
}

func releasesOf(rows []*Row) []string {
	var out []string
	for _, r := range rows {
		if !r.Raised {
			out = append(out, r.Release.Version)
		}
	}
	return out
}

// jobs is how many cells run at once: the CPUs, at most the memory
// budget over JobMemory, at least one.
func (m *run) jobs() int {
	n := m.o.Jobs
	if n <= 0 {
		n = runtime.NumCPU()
	}
	budget := m.o.MemBudget
	if budget <= 0 {
		budget = memAvailable() / 2
	}
	if budget > 0 {
		if byMem := int(budget / JobMemory); byMem < n {
			n = byMem
		}
	}
	return max(n, 1)
}

// memAvailable reads MemAvailable from /proc/meminfo (0 when unknown).
func memAvailable() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 64<<10))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				if err == nil {
					return kb << 10
				}
			}
		}
	}
	return 0
}

// cells runs every row's build, vet and test. Rows of one release run
// one after the other (the module's own go line first), so that the
// raised row finds the standard library that release compiled, and vet's
// facts about it, in the build cache instead of compiling them a second
// time in a concurrent go command; releases run in parallel.
func (m *run) cells(ctx context.Context, rows []*Row) {
	var chains [][]*Row
	index := map[string]int{}
	for _, r := range rows {
		i, ok := index[r.Release.Version]
		if !ok {
			i = len(chains)
			index[r.Release.Version] = i
			chains = append(chains, nil)
		}
		chains[i] = append(chains[i], r)
	}
	// Longest chains first, so the last to start is a short one.
	sort.SliceStable(chains, func(i, j int) bool { return len(chains[i]) > len(chains[j]) })
	sem := make(chan struct{}, m.jobs())
	var wg sync.WaitGroup
	for _, chain := range chains {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			for _, r := range chain {
				if ctx.Err() != nil {
					return
				}
				m.row(ctx, r)
			}
		}()
	}
	wg.Wait()
}

const maxOutput = 40

func (m *run) row(ctx context.Context, r *Row) {
	name := fmt.Sprintf("%s at go %s", r.Release.Version, r.GoLine)
	modfile, cleanup, err := upgrade.ModCopy(r.Module, "matrix", map[bool]string{true: r.GoLine}[r.Raised])
	if err != nil {
		r.Build = Cell{Status: Fail, Output: []string{err.Error()}}
		r.Vet, r.Test = Cell{Status: NotRun}, Cell{Status: NotRun}
		return
	}
	defer cleanup()
	env := r.Release.Env(m.o.Environ, "GOFLAGS=-mod=mod")
	goRun := func(args ...string) ([]byte, []byte, time.Duration, error) {
		start := time.Now()
		cmd := exec.CommandContext(ctx, r.Release.Go, args...)
		cmd.Dir = r.Module.Dir
		cmd.Env = env
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		return o.Bytes(), e.Bytes(), time.Since(start), err
	}
	defer func() {
		m.progress("%s: %s: done: build %s %.1fs, vet %s %.1fs, test %s %.1fs", r.Module.GoModRel, name,
			cellText(r.Build), r.Build.Took.Seconds(), cellText(r.Vet), r.Vet.Took.Seconds(), cellText(r.Test), r.Test.Took.Seconds())
	}()
	m.progress("%s: %s: build", r.Module.GoModRel, name)
	_, stderr, took, err := goRun("build", "-modfile="+modfile, "./...")
	r.Build = Cell{Status: Pass, Took: took}
	if err != nil {
		r.Build.Status = Fail
		r.Build.Output = lines(stderr, maxOutput)
	}
	if r.Build.Status == Fail && tooOld(r.Build.Output) != "" {
		r.Vet, r.Test = Cell{Status: NotRun}, Cell{Status: NotRun}
		return
	}
	// vet and test need only what build compiled; they run side by side
	// (vet is mostly waiting on its analyzers, test on the test binaries).
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		m.progress("%s: %s: vet", r.Module.GoModRel, name)
		out, stderr, took, err := goRun("vet", "-modfile="+modfile, "-json", "./...")
		r.Vet = vetCell(append(out, stderr...), err)
		r.Vet.Took = took
	}()
	if !m.o.Test {
		r.Test = Cell{Status: Skipped}
	} else {
		m.progress("%s: %s: test", r.Module.GoModRel, name)
		// -vet=off: vet runs on its own, with every analyzer.
		out, stderr, took, err := goRun("test", "-json", "-vet=off", "-modfile="+modfile, "./...")
		r.Test = testCell(out, stderr, err)
		r.Test.Took = took
	}
	wg.Wait()
}

func lines(b []byte, n int) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if l = strings.TrimRight(l, "\r"); strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
		if len(out) == n {
			break
		}
	}
	return out
}

// vetCell reads go vet -json output: "# pkg" lines, JSON objects
// {pkg: {analyzer: [diagnostics]}} and, for packages that do not type
// check, "vet: file:line:col: message" lines.
func vetCell(out []byte, err error) Cell {
	c := Cell{Status: Pass, Vet: map[string][]vetDiag{}}
	var text []string
	dec := json.NewDecoder(bytes.NewReader(stripComments(out)))
	for {
		var v map[string]map[string]json.RawMessage
		if derr := dec.Decode(&v); derr != nil {
			// What is not JSON is the go command's own message.
			rest, _ := io.ReadAll(dec.Buffered())
			text = append(text, lines(rest, maxOutput)...)
			break
		}
		for _, byAnalyzer := range v {
			for an, raw := range byAnalyzer {
				var ds []vetDiag
				if json.Unmarshal(raw, &ds) != nil {
					continue // {"error": …} objects
				}
				c.Vet[an] = append(c.Vet[an], ds...)
			}
		}
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "vet: ") || strings.HasPrefix(l, "go: ") {
			text = append(text, l)
		}
	}
	if len(c.Vet) > 0 || err != nil || len(text) > 0 && hasError(text) {
		c.Status = Fail
	}
	for an, ds := range c.Vet {
		for _, d := range ds {
			c.Output = append(c.Output, fmt.Sprintf("%s: %s (%s)", d.Posn, d.Message, an))
		}
	}
	sort.Strings(c.Output)
	c.Output = append(c.Output, dedupe(text)...)
	if len(c.Output) > maxOutput {
		c.Output = c.Output[:maxOutput]
	}
	return c
}

func hasError(ls []string) bool {
	for _, l := range ls {
		if strings.HasPrefix(l, "vet: ") || strings.HasPrefix(l, "go: ") {
			return true
		}
	}
	return false
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// stripComments drops the "# pkg" lines go vet prints between JSON
// objects.
func stripComments(b []byte) []byte {
	var out bytes.Buffer
	for _, l := range bytes.SplitAfter(b, []byte("\n")) {
		if bytes.HasPrefix(l, []byte("#")) {
			continue
		}
		out.Write(l)
	}
	return out.Bytes()
}

// testCell reads go test -json output.
func testCell(out, stderr []byte, err error) Cell {
	c := Cell{Status: Pass}
	if err != nil {
		c.Status = Fail
	}
	outputs := map[string][]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var ev struct {
			Action, Package, Test, Output, ImportPath string
		}
		if derr := dec.Decode(&ev); derr != nil {
			break
		}
		key := ev.Package + "." + ev.Test
		switch ev.Action {
		case "output", "build-output":
			if ev.Action == "build-output" {
				key = "build"
			}
			if len(outputs[key]) < maxOutput {
				outputs[key] = append(outputs[key], strings.TrimRight(ev.Output, "\n"))
			}
		case "fail":
			if ev.Test != "" && !strings.Contains(ev.Test, "/") {
				c.Failed = append(c.Failed, key)
			}
		}
	}
	sort.Strings(c.Failed)
	c.Output = append(c.Output, outputs["build"]...)
	for _, k := range c.Failed {
		for _, l := range outputs[k] {
			t := strings.TrimSpace(l)
			if t == "" || strings.HasPrefix(t, "=== ") {
				continue
			}
			c.Output = append(c.Output, t)
		}
	}
	c.Output = append(c.Output, lines(stderr, maxOutput)...)
	if len(c.Output) > maxOutput {
		c.Output = c.Output[:maxOutput]
	}
	return c
}

var tooOldRE = regexp.MustCompile(`go: (?:go\.mod|\S+) requires go >= (\S+) \(running go (\S+); GOTOOLCHAIN=local\)`)

// tooOld returns the go line a toolchain refused as too new for it.
func tooOld(out []string) string {
	for _, l := range out {
		if m := tooOldRE.FindStringSubmatch(l); m != nil {
			return m[1]
		}
	}
	return ""
}

// table is the releases × (build, vet, test) grid.
func table(rows []*Row, test bool) report.Table {
	t := report.Table{Title: "Go releases × build, vet, test", Columns: []string{"module", "release", "go line", "build", "vet", "test"}}
	for _, r := range rows {
		goLine := r.GoLine
		if r.Raised {
			goLine += " (raised)"
		}
		row := []string{r.Module.Mod.Module, r.Release.Version, goLine, cellText(r.Build), cellText(r.Vet), cellText(r.Test)}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func cellText(c Cell) string {
	switch c.Status {
	case Fail:
		if len(c.Failed) > 0 {
			return fmt.Sprintf("FAIL (%d)", len(c.Failed))
		}
		return "FAIL"
	case "":
		return NotRun
	}
	return c.Status
}
