// Package matrix implements `gocompat matrix`: each module built, vetted
// and (with Options.Test) tested under several Go releases, each at the
// module's own go line and, where the release is newer, with the go line
// raised to that release — and for every failure, its cause.
//
// Releases are taken the way the go command takes them (package
// toolchains); each release's own go command runs with GOTOOLCHAIN=local
// and -modfile pointing at a temporary copy of go.mod and go.sum, so no
// file of the module is ever written. The go commands run in parallel,
// bounded by the CPUs and a memory budget, and share the user's module
// and build caches, so a second run, or a release whose packages were
// compiled before, costs little.
//
// A row (one release at one go line) is one go command where it can be:
// with Options.Test and Options.VetTool, go test -vet=all with gocompat
// as its -toolexec program, which runs vet -json and keeps its output
// (package vetcache), so that the same command tests, vets like go vet
// -json and, for a module without main packages, proves the build by its
// compile. go build runs where there are main packages to link, or
// without --test; go vet on its own without VetTool, without --test, or
// for a row where a package does not compile (go test does not vet it,
// go vet reports its type errors).
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
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"go/version"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocompat/gocompat/internal/check/upgrade"
	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/fsread"
	"github.com/gocompat/gocompat/internal/module"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/toolchains"
	"github.com/gocompat/gocompat/internal/vetcache"
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
	// Jobs bounds the go commands run at once; 0 means runtime.NumCPU().
	Jobs int
	// MemBudget bounds the memory the go commands may take together, in bytes,
	// at JobMemory each; 0 means half of the memory available now.
	MemBudget int64
	// Now is the date for "supported"; zero means time.Now().
	Now time.Time
	// Bisect is passed to the upgrade family's attribution.
	Bisect []string
	// CacheDir is passed to the upgrade family's attribution, and holds
	// the vet cache (vetcache) in its vet directory; empty means
	// gocompat's directory in the user's cache directory.
	CacheDir string
	// VetTool is the gocompat executable: with Test, go test runs it
	// (through vetcache.Script) as its -toolexec program, so that one go
	// test per row also vets as go vet -json does (package vetcache);
	// empty: go vet runs on its own.
	VetTool string
}

// JobMemory is what one go command is assumed to take at its peak,
// compiling, vetting or linking with its own -p workers.
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
	Vet map[string][]vetDiag
	// Took is the command's wall time, CPU its user and system time with
	// the compilers, vet and test binaries it ran (both zero when the
	// cell was judged from another command's output: In names it).
	Took, CPU time.Duration
	In        string
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
	start := time.Now()
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
	if m.commands > 0 {
		m.progress("%d go commands for the cells: %.1fs wall summed, %.1fs CPU; %.2fs before the first (toolchains), %.2fs after the last (attribution)",
			m.commands, m.wall.Seconds(), m.cpu.Seconds(), m.firstStart.Sub(start).Seconds(), time.Since(m.lastEnd).Seconds())
	}
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
	// mains caches hasMain by module directory.
	mains map[string]bool
	// vetEnv caches vetToolEnv by release; vetDir is the vet cache.
	vetEnv   map[string][]string
	vetDir   string
	toolexec string // go test's -toolexec program: vetcache.Script, or VetTool
	// The go commands the cells ran, their wall and CPU time summed.
	commands            int
	wall, cpu           time.Duration
	firstStart, lastEnd time.Time
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

// jobs is how many go commands run at once: the CPUs, at most the memory
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

// cells runs every row's build, vet and test: go commands, at most
// jobs() at once. Rows of one release are ordered so that no two of its
// go commands compile the same thing at once: a row's first command
// (test, or build) waits for the previous row's, so that the raised row
// finds the standard library that release compiled in the build cache,
// and its vet waits for the previous row's vet, which computed vet's
// facts about the standard library; apart from that, the commands of
// every row and release run as soon as a slot is free (warm, a raised
// row's test runs beside its own-line row's vet).
func (m *run) cells(ctx context.Context, rows []*Row) {
	sem := make(chan struct{}, m.jobs())
	last := map[string]*rowSync{}
	var wg sync.WaitGroup
	for _, r := range rows {
		prev := last[r.Release.Version]
		if prev == nil {
			prev = doneSync()
		}
		me := &rowSync{first: make(chan struct{}), vetted: make(chan struct{})}
		last[r.Release.Version] = me
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.row(ctx, r, &slots{sem: sem, prev: prev, me: me})
		}()
	}
	wg.Wait()
}

// rowSync is closed as a row's steps finish.
type rowSync struct {
	first  chan struct{} // its first go command (test, or build)
	vetted chan struct{} // its vet (or all of it, when it stops early)
}

func doneSync() *rowSync {
	s := &rowSync{first: make(chan struct{}), vetted: make(chan struct{})}
	close(s.first)
	close(s.vetted)
	return s
}

// slots hands a row its turns: a CPU slot for each go command, after
// what the previous row of its release must have finished.
type slots struct {
	sem        chan struct{}
	prev, me   *rowSync
	firstDone  bool
	vettedDone bool
}

// acquire waits for after (nil: nothing) and a free slot.
func (s *slots) acquire(ctx context.Context, after chan struct{}) bool {
	if after != nil {
		select {
		case <-after:
		case <-ctx.Done():
			return false
		}
	}
	select {
	case s.sem <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *slots) release() { <-s.sem }

func (s *slots) markFirst() {
	if !s.firstDone {
		s.firstDone = true
		close(s.me.first)
	}
}

// finish marks the whole row done.
func (s *slots) finish() {
	s.markFirst()
	if !s.vettedDone {
		s.vettedDone = true
		close(s.me.vetted)
	}
}

const maxOutput = 40

func (m *run) row(ctx context.Context, r *Row, sl *slots) {
	defer sl.finish()
	name := fmt.Sprintf("%s at go %s", r.Release.Version, r.GoLine)
	modfile, cleanup, err := upgrade.ModCopy(r.Module, "matrix", map[bool]string{true: r.GoLine}[r.Raised])
	if err != nil {
		r.Build = Cell{Status: Fail, Output: []string{err.Error()}}
		r.Vet, r.Test = Cell{Status: NotRun}, Cell{Status: NotRun}
		return
	}
	defer cleanup()
	env := r.Release.Env(m.o.Environ, "GOFLAGS=-mod=mod")
	type result struct {
		out, stderr []byte
		took, cpu   time.Duration
		err         error
	}
	// goRun runs one go command in a slot, after the previous row's step
	// after (nil: none).
	goRun := func(after chan struct{}, args ...string) result {
		if !sl.acquire(ctx, after) {
			return result{err: ctx.Err()}
		}
		defer sl.release()
		start := time.Now()
		cmd := exec.CommandContext(ctx, r.Release.Go, args...)
		cmd.Dir, cmd.Env = r.Module.Dir, env
		// Cancelled, the compilers and test binaries go too.
		o, e, err := childproc.Output(ctx, cmd)
		res := result{out: o, stderr: e, took: time.Since(start), err: err}
		if st := cmd.ProcessState; st != nil {
			// The go command's own time and that of the compilers, vet
			// and test binaries it waited for.
			res.cpu = st.UserTime() + st.SystemTime()
		}
		m.count(res.took, res.cpu)
		return res
	}
	defer func() {
		m.progress("%s: %s: done: build %s, vet %s, test %s", r.Module.GoModRel, name, cellTime(r.Build), cellTime(r.Vet), cellTime(r.Test))
	}()
	// One go command per step, one after the other: each finds what the
	// one before compiled in the build cache. With --test, go test comes
	// first; it also vets when gocompat can be its -toolexec program
	// (vetToolEnv), and its compile of every package proves the build of
	// a module without main packages (go build would link nothing more).
	// go build runs only where there is something to link, or without
	// --test; go vet only without --test or without that program.
	vetDone := false
	if m.o.Test {
		m.progress("%s: %s: test", r.Module.GoModRel, name)
		args := []string{"test", "-json", "-modfile=" + modfile}
		vdir, venv := m.vetToolEnv(r.Release)
		if within(r.Module.Dir, filepath.Join(r.Release.GOROOT, "src")) {
			// A module of the release's own tree (std, cmd): the script
			// in front of vet takes every package there for one vetted
			// only for its facts (vetcache.Script).
			venv = nil
		}
		if venv != nil {
			// -vet=all: every analyzer, as go vet runs them; gocompat runs
			// vet with -json, so that its findings do not stop the tests,
			// and keeps its output (package vetcache).
			args = append(args, "-vet=all", "-toolexec="+m.toolexec)
			env = append(env, venv...)
		} else {
			// -vet=off: vet runs on its own, with every analyzer and -json
			// (go test would skip the tests of a package vet complains about).
			args = append(args, "-vet=off")
		}
		t := goRun(sl.prev.first, append(args, "./...")...)
		sl.markFirst()
		var vet []byte
		if venv != nil {
			var refs, refs2 []string
			refs, t.out = vetcache.Refs(t.out)
			refs2, t.stderr = vetcache.Refs(t.stderr)
			var err error
			vet, err = loadVet(vdir, append(refs, refs2...))
			// go test does not vet a package that does not compile, where
			// go vet reports its type errors: go vet runs on its own then.
			vetDone = err == nil && !(t.err != nil && buildFailed(t.out, t.stderr))
		}
		events, _ := testEvents(t.out) // read once: a row's output is 10⁴ lines and more
		r.Test = testCellEvents(events, t.stderr, t.err)
		r.Test.Took, r.Test.CPU = t.took, t.cpu
		if !m.hasMain(r.Module) {
			r.Build = buildFromEvents(events, t.stderr, t.err)
			r.Build.In = "go test"
		}
		if vetDone {
			r.Vet = vetCell(append(vet, vetText(events, t.stderr)...), nil)
			r.Vet.In = "go test"
		}
	} else {
		r.Test = Cell{Status: Skipped}
	}
	if r.Build.Status == "" {
		m.progress("%s: %s: build", r.Module.GoModRel, name)
		b := goRun(sl.prev.first, "build", "-modfile="+modfile, "./...")
		sl.markFirst()
		r.Build = Cell{Status: Pass, Took: b.took, CPU: b.cpu}
		if b.err != nil {
			r.Build.Status = Fail
			r.Build.Output = lines(b.stderr, maxOutput)
		}
	}
	if r.Build.Status == Fail && tooOld(r.Build.Output) != "" {
		r.Vet, r.Test = Cell{Status: NotRun}, Cell{Status: NotRun}
		return
	}
	if vetDone {
		return
	}
	m.progress("%s: %s: vet", r.Module.GoModRel, name)
	v := goRun(sl.prev.vetted, "vet", "-modfile="+modfile, "-json", "./...")
	r.Vet = vetCell(append(v.out, v.stderr...), v.err)
	r.Vet.Took, r.Vet.CPU = v.took, v.cpu
}

// buildFailed reports whether go test -json says a package failed to
// build or could not be set up, or printed anything on stderr but its
// headers and what it fetched.
func buildFailed(out, stderr []byte) bool {
	if bytes.Contains(out, []byte("[build failed]")) || bytes.Contains(out, []byte("[setup failed]")) {
		return true
	}
	for _, l := range strings.Split(string(stderr), "\n") {
		if strings.TrimSpace(l) != "" && !strings.HasPrefix(l, "# ") && !informational(l) {
			return true
		}
	}
	return false
}

// loadVet reads the vet outputs go test's Ref lines name.
func loadVet(dir string, sums []string) ([]byte, error) {
	var out []byte
	for _, s := range sums {
		b, err := vetcache.Load(dir, s)
		if err != nil {
			return nil, err
		}
		out = append(append(out, b...), '\n')
	}
	return out, nil
}

// vetText is what go test printed of vet's own failures (a package that
// does not type-check: "vet: file:line:col: message") and of the go
// command's, as go vet would print them: stderr up to Go 1.23,
// build-output events from Go 1.24.
func vetText(events []testEvent, stderr []byte) []byte {
	var b bytes.Buffer
	for _, ev := range events {
		if ev.Action == "build-output" && strings.HasPrefix(ev.Output, "vet: ") {
			b.WriteString(ev.Output)
		}
	}
	for _, l := range strings.Split(string(stderr), "\n") {
		if strings.HasPrefix(l, "vet: ") || strings.HasPrefix(l, "go: ") && !informational(l) {
			b.WriteString(l + "\n")
		}
	}
	return b.Bytes()
}

// vetToolEnv is the cache directory and the environment that have go
// test -vet=all -toolexec=VetTool vet as go vet -json would (package
// vetcache), or nil (no VetTool, or the release's vet cannot be found
// or asked for its version).
func (m *run) vetToolEnv(tc toolchains.Toolchain) (string, []string) {
	if m.o.VetTool == "" {
		return "", nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if env, ok := m.vetEnv[tc.Version]; ok {
		return m.vetDir, env
	}
	if m.vetEnv == nil {
		m.vetEnv = map[string][]string{}
		dir := m.o.CacheDir
		if dir == "" {
			if d, err := os.UserCacheDir(); err == nil {
				dir = filepath.Join(d, "gocompat")
			}
		}
		if dir != "" && writable(filepath.Join(dir, "vet")) {
			// Where vet's output cannot be kept, go test cannot vet:
			// go vet runs on its own.
			m.vetDir = filepath.Join(dir, "vet")
			vetcache.Trim(m.vetDir) // a cache that cannot be trimmed still works
			m.toolexec = m.o.VetTool
			if sh := vetcache.Script(m.vetDir, m.o.VetTool); sh != "" {
				m.toolexec = sh
			}
		}
	}
	var env []string
	if vet := vetPath(tc); vet != "" && m.vetDir != "" {
		if id, err := vetcache.ToolID(vet); err == nil {
			env = vetcache.Env(id, m.vetDir)
		}
	}
	m.vetEnv[tc.Version] = env
	return m.vetDir, env
}

// within reports whether path is dir or below it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// writable reports whether files can be created in dir (made if need be).
func writable(dir string) bool {
	if os.MkdirAll(dir, 0o777) != nil {
		return false
	}
	f, err := os.CreateTemp(dir, ".probe-")
	if err != nil {
		return false
	}
	f.Close()
	return os.Remove(f.Name()) == nil
}

// vetPath is the vet of a release (the go command's GOTOOLDIR for this
// machine), or "" when it is not there.
func vetPath(tc toolchains.Toolchain) string {
	vet := filepath.Join(tc.GOROOT, "pkg", "tool", runtime.GOOS+"_"+runtime.GOARCH, "vet")
	if st, err := os.Stat(vet); err != nil || !st.Mode().IsRegular() {
		return ""
	}
	return vet
}

// count adds one go command's wall and CPU time to the run's totals.
func (m *run) count(wall, cpu time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	if start := now.Add(-wall); m.firstStart.IsZero() || start.Before(m.firstStart) {
		m.firstStart = start
	}
	if now.After(m.lastEnd) {
		m.lastEnd = now
	}
	m.commands++
	m.wall += wall
	m.cpu += cpu
}

// hasMain reports whether the module may have a main package: a Go file
// that is not a test, in a directory ./... matches, whose package clause
// says main (a file that does not parse counts as one). Files excluded
// by a //go:build ignore line, as generators are, do not count.
func (m *run) hasMain(mod *module.Module) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.mains[mod.Dir]; ok {
		return v
	}
	if m.mains == nil {
		m.mains = map[string]bool{}
	}
	v := hasMainFile(mod)
	m.mains[mod.Dir] = v
	return v
}

func hasMainFile(mod *module.Module) bool {
	for _, name := range mod.GoFiles {
		base := path.Base(name)
		if strings.HasSuffix(base, "_test.go") || strings.HasPrefix(base, "_") || strings.HasPrefix(base, ".") {
			continue
		}
		src, err := fsread.ReadFile(filepath.Join(mod.Dir, filepath.FromSlash(name)), fsread.SourceLimit)
		if err != nil {
			return true
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			return true
		}
		if f.Name.Name == "main" && !ignored(f) {
			return true
		}
	}
	return false
}

// ignored reports whether a file's build constraint (its //go:build
// line, else its // +build lines) needs the ignore tag, which no build
// sets.
func ignored(f *ast.File) bool {
	plus := false
	for _, g := range f.Comments {
		if g.Pos() > f.Package {
			break
		}
		for _, c := range g.List {
			switch {
			case constraint.IsGoBuild(c.Text):
				x, err := constraint.Parse(c.Text)
				return err == nil && needs(x, "ignore")
			case constraint.IsPlusBuild(c.Text):
				if x, err := constraint.Parse(c.Text); err == nil && needs(x, "ignore") {
					plus = true // one such line excludes the file
				}
			}
		}
	}
	return plus
}

// needs reports whether x is false whenever tag is.
func needs(x constraint.Expr, tag string) bool {
	switch x := x.(type) {
	case *constraint.TagExpr:
		return x.Tag == tag
	case *constraint.AndExpr:
		return needs(x.X, tag) || needs(x.Y, tag)
	case *constraint.OrExpr:
		return needs(x.X, tag) && needs(x.Y, tag)
	}
	return false
}

// buildFromEvents judges the build from the events of a go test -json
// run (testEvents), for modules without main packages: go test compiles
// every package ./... matches (with its internal tests where it has
// any), so a compile error in a
// file that is not a _test.go file, or an error of the go command itself,
// fails the build as go build would; errors only in test files, or a test
// binary that does not link, are the test's. go test prints the compiler's
// output on stderr up to Go 1.23 and as build-output events from Go 1.24.
// When the compiler stops at its error limit inside test files, an error
// in the package's own files may go unseen: the build then passes here
// and the test fails.
func buildFromEvents(events []testEvent, stderr []byte, err error) Cell {
	c := Cell{Status: Pass}
	if err == nil {
		return c
	}
	var ls []string
	for _, ev := range events {
		if ev.Action == "build-output" {
			ls = append(ls, strings.Split(strings.TrimRight(ev.Output, "\n"), "\n")...)
		}
	}
	ls = append(ls, strings.Split(string(stderr), "\n")...)
	var block []string
	test, failing := false, false
	flush := func() {
		if failing {
			c.Status = Fail
			c.Output = append(c.Output, block...)
		}
		block, failing = nil, false
	}
	for _, l := range ls {
		l = strings.TrimRight(l, "\r")
		if strings.TrimSpace(l) == "" || informational(l) {
			continue
		}
		if h, ok := strings.CutPrefix(l, "# "); ok {
			flush()
			block = []string{l}
			// "# p [p.test]", "# p_test [p.test]": a package compiled
			// with test files; "# p.test": the test binary's link.
			test = strings.HasSuffix(h, ".test]") || strings.HasSuffix(h, ".test")
			continue
		}
		block = append(block, l)
		if l[0] == ' ' || l[0] == '\t' {
			continue // the continuation of the line before
		}
		if p, _, ok := parsePos(l); ok {
			if !strings.HasSuffix(p.File, "_test.go") {
				failing = true
			}
			continue
		}
		if !test {
			failing = true
		}
	}
	flush()
	if len(c.Output) > maxOutput {
		c.Output = c.Output[:maxOutput]
	}
	return c
}

// informational reports the go command's lines that say what it fetched
// or added (with -mod=mod), not what failed.
func informational(l string) bool {
	for _, p := range []string{"go: downloading ", "go: finding ", "go: found ", "go: extracting ", "go: added ", "go: upgraded "} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
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

type testEvent struct {
	Action, Package, Test, Output, ImportPath string
}

// testEvents reads go test -json output one line at a time: up to Go
// 1.23 it prints a package's "FAIL p [build failed]" line as text between
// the JSON events, which are returned as text.
func testEvents(out []byte) ([]testEvent, []string) {
	var evs []testEvent
	var text []string
	for _, l := range bytes.Split(out, []byte("\n")) {
		l = bytes.TrimSpace(l)
		if len(l) == 0 {
			continue
		}
		if l[0] == '{' && unused(l) {
			continue
		}
		var ev testEvent
		if l[0] != '{' || json.Unmarshal(l, &ev) != nil {
			text = append(text, string(l))
			continue
		}
		evs = append(evs, ev)
	}
	return evs, text
}

// unusedActions are test2json's events no cell reads, as test2json
// writes them (most of a row's output: one run and one pass per test).
var unusedActions = [][]byte{[]byte(`"Action":"run"`), []byte(`"Action":"pass"`), []byte(`"Action":"pause"`),
	[]byte(`"Action":"cont"`), []byte(`"Action":"start"`), []byte(`"Action":"skip"`)}

// unused reports an event line no cell reads (without decoding it).
func unused(l []byte) bool {
	for _, a := range unusedActions {
		if bytes.Contains(l, a) && !bytes.Contains(l, []byte(`"Output"`)) {
			return true
		}
	}
	return false
}

// testCellEvents judges the test from the events of a go test -json run
// (testEvents).
func testCellEvents(events []testEvent, stderr []byte, err error) Cell {
	c := Cell{Status: Pass}
	if err != nil {
		c.Status = Fail
	}
	outputs := map[string][]string{}
	for _, ev := range events {
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

// cellTime is a cell's status with its wall and CPU seconds, for the
// progress lines that say where the time goes.
func cellTime(c Cell) string {
	switch {
	case c.Status == Skipped || c.Status == NotRun || c.Status == "":
		return cellText(c)
	case c.In != "":
		return cellText(c) + " (in " + c.In + ")"
	}
	return fmt.Sprintf("%s %.1fs (CPU %.1fs)", cellText(c), c.Took.Seconds(), c.CPU.Seconds())
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
