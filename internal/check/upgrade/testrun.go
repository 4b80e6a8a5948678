package upgrade

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
)

// BisectVersion is the golang.org/x/tools release whose cmd/bisect is
// used when Options.Bisect is not set.
const BisectVersion = "v0.52.0"

// testKey names a test (Test empty: the package as a whole).
type testKey struct{ Pkg, Test string }

type testResult struct {
	Outcome string // pass, fail, skip, build failed
	Output  []string
}

// parseTestJSON reads go test -json output into the final outcome of
// every test and package.
func parseTestJSON(out []byte) map[testKey]*testResult {
	res := map[testKey]*testResult{}
	get := func(k testKey) *testResult {
		r := res[k]
		if r == nil {
			r = &testResult{}
			res[k] = r
		}
		return r
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var ev struct {
			Action     string
			Package    string
			ImportPath string
			Test       string
			Output     string
		}
		if err := dec.Decode(&ev); err != nil {
			break
		}
		switch ev.Action {
		case "output":
			r := get(testKey{ev.Package, ev.Test})
			if len(r.Output) < 200 {
				r.Output = append(r.Output, strings.TrimRight(ev.Output, "\n"))
			}
		case "build-output":
			pkg, _, _ := strings.Cut(ev.ImportPath, " ")
			r := get(testKey{pkg, ""})
			r.Output = append(r.Output, strings.TrimRight(ev.Output, "\n"))
		case "build-fail":
			pkg, _, _ := strings.Cut(ev.ImportPath, " ")
			get(testKey{pkg, ""}).Outcome = "build failed"
		case "pass", "fail", "skip":
			r := get(testKey{ev.Package, ev.Test})
			if r.Outcome != "build failed" {
				r.Outcome = ev.Action
			}
			if ev.Test == "" && ev.Action == "fail" {
				for _, l := range r.Output {
					if strings.Contains(l, "[build failed]") || strings.Contains(l, "[setup failed]") {
						r.Outcome = "build failed"
					}
				}
			}
		}
	}
	for k, r := range res {
		if r.Outcome == "" {
			delete(res, k)
		}
	}
	return res
}

// goTest runs go test -json with the given go.mod copy and returns the
// outcomes.
func (a *analysis) goTest(ctx context.Context, tc *goToolchain, modfile string, extraEnv []string, args ...string) (map[testKey]*testResult, error) {
	// -vet=off: a vet check that is new at the target language version
	// would stop the package's tests from running and hide what they do;
	// vet is not what this comparison is about.
	argv := append([]string{"test", "-json", "-vet=off", "-modfile=" + modfile}, args...)
	out, stderr, err := tc.run(ctx, a.m.Dir, a.o.Environ, extraEnv, argv...)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	res := parseTestJSON(out)
	if err != nil && len(res) == 0 {
		return nil, fmt.Errorf("go test: %v: %s", err, firstLines(stderr, 5))
	}
	return res, nil
}

func (a *analysis) test(ctx context.Context) error {
	if a.m.Mod.Module == "" {
		a.notes = append(a.notes, "go.mod has no module line; tests not run")
		return nil
	}
	// The go command's own work directories go under one of ours, so
	// that a cancelled run (SIGINT, SIGTERM, --timeout), whose go
	// commands are killed before they clean up, leaves nothing behind.
	gotmp, remove, err := childproc.GoTmpDir(a.o.Environ)
	if err != nil {
		return err
	}
	defer remove()
	a.o.Environ = append(slices.Clip(a.o.Environ), "GOTMPDIR="+gotmp)
	base, err := newModCopy(a.m, "base", "")
	if err != nil {
		return err
	}
	defer base.Close()
	alt, err := newModCopy(a.m, "alt", a.target)
	if err != nil {
		return err
	}
	defer alt.Close()

	a.progress("running tests at go %s with %s", a.current, a.base.Version)
	before, err := a.goTest(ctx, a.base, base.Mod, nil, "./...")
	if err != nil {
		return err
	}
	a.progress("running tests at go %s with %s", a.target, a.tc.Version)
	after, err := a.goTest(ctx, a.tc, alt.Mod, nil, "./...")
	if err != nil {
		return err
	}
	keys := map[testKey]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var diff []testKey
	for k := range keys {
		b, f := outcome(before[k]), outcome(after[k])
		if b == f {
			continue
		}
		if strings.Contains(k.Test, "/") && (b == "absent" || f == "absent") {
			// Subtest names that hold pointers or times differ from run
			// to run; the parent test carries the outcome.
			continue
		}
		diff = append(diff, k)
	}
	sort.Slice(diff, func(i, j int) bool {
		if diff[i].Pkg != diff[j].Pkg {
			return diff[i].Pkg < diff[j].Pkg
		}
		return diff[i].Test < diff[j].Test
	})
	broken := map[testKey]bool{} // top-level tests that pass before and fail after
	binDir, err := os.MkdirTemp("", "gocompat-upgrade-bin-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(binDir)
	baseBins := &testBinaries{a: a, tc: a.base, mod: base, dir: filepath.Join(binDir, "base"), bins: map[string]string{}}
	altBins := &testBinaries{a: a, tc: a.tc, mod: alt, dir: filepath.Join(binDir, "alt"), bins: map[string]string{}}
	buildFailed := func(pkg string) bool {
		return outcome(before[testKey{pkg, ""}]) == "build failed" || outcome(after[testKey{pkg, ""}]) == "build failed"
	}
	for _, k := range diff {
		b, f := outcome(before[k]), outcome(after[k])
		if k.Test == "" && packageHasTestDiff(diff, k.Pkg) && !buildFailed(k.Pkg) {
			continue // the tests inside say it better
		}
		if k.Test != "" && buildFailed(k.Pkg) {
			continue // the package's build failure says it
		}
		what := k.Test
		if what == "" {
			what = "package " + k.Pkg
		}
		flaky := false
		if k.Test != "" && !strings.Contains(k.Test, "/") && isPassFail(b) && isPassFail(f) {
			// Run both once more: a difference that does not come back
			// is a flaky test, not the upgrade.
			a.progress("%s: confirming (%s at go %s, %s at go %s)", k.Test, b, a.current, f, a.target)
			b2, err := a.rerun(ctx, baseBins, k)
			if err != nil {
				return err
			}
			f2, err := a.rerun(ctx, altBins, k)
			if err != nil {
				return err
			}
			flaky = b2 != b || f2 != f
		}
		msg := fmt.Sprintf("%s (%s): %s at go %s, %s at go %s.", what, k.Pkg, b, a.current, f, a.target)
		if r := after[k]; r != nil && f != "pass" {
			if out := failureOutput(r.Output); out != "" {
				msg += "\n" + out
			}
		}
		fnd := finding.New(TestOutcomeChanges, a.testLoc(k), msg,
			"See the findings that attribute the failure (upgrade/test-broken-by-loop, upgrade/test-broken-by-godebug); fix the code or the test before raising the go line.")
		if f == "pass" || f == "skip" {
			fnd.Severity = finding.Warning
			fnd.Fix = "The test behaves differently at the target; check that the new outcome is the intended one."
		}
		if flaky {
			fnd.Severity = finding.Info
			fnd.Message += "\nA second run of each did not give the same outcomes: the test is flaky, and the difference is not attributed to the upgrade."
			fnd.Fix = "Make the test deterministic; then run gocompat upgrade --test again."
		}
		a.add(fnd, map[string]string{"package": k.Pkg, "test": k.Test, "before": b, "after": f, "flaky": strconv.FormatBool(flaky)})
		if b == "pass" && f == "fail" && k.Test != "" && !flaky {
			top, _, _ := strings.Cut(k.Test, "/")
			broken[testKey{k.Pkg, top}] = true
		}
	}
	a.progress("%d test outcome(s) differ, %d test(s) broke", len(diff), len(broken))
	var brokenList []testKey
	for k := range broken {
		brokenList = append(brokenList, k)
	}
	sort.Slice(brokenList, func(i, j int) bool {
		return brokenList[i].Pkg+" "+brokenList[i].Test < brokenList[j].Pkg+" "+brokenList[j].Test
	})
	if len(brokenList) == 0 {
		return nil
	}
	for _, k := range brokenList {
		if err := a.attribute(ctx, altBins, k); err != nil {
			return err
		}
	}
	return nil
}

func isPassFail(o string) bool { return o == "pass" || o == "fail" }

// rerun runs one top-level test again from a test binary and returns
// its outcome.
func (a *analysis) rerun(ctx context.Context, bins *testBinaries, k testKey) (string, error) {
	bin, err := bins.build(ctx, k.Pkg)
	if err != nil {
		return "", err
	}
	ok, err := a.runTestBinary(ctx, bin, k.Pkg, "^"+regexpQuote(k.Test)+"$", nil)
	if err != nil {
		return "", err
	}
	if ok {
		return "pass", nil
	}
	return "fail", nil
}

func outcome(r *testResult) string {
	if r == nil {
		return "absent"
	}
	return r.Outcome
}

func packageHasTestDiff(diff []testKey, pkg string) bool {
	for _, k := range diff {
		if k.Pkg == pkg && k.Test != "" {
			return true
		}
	}
	return false
}

// failureOutput keeps the lines of a failure that say why, without the
// === RUN noise, at most 8.
func failureOutput(lines []string) string {
	var keep []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- ") || t == "FAIL" || t == "PASS" || strings.HasPrefix(t, "FAIL\t") || strings.HasPrefix(t, "ok ") {
			continue
		}
		keep = append(keep, "  "+t)
		if len(keep) == 8 {
			break
		}
	}
	return strings.Join(keep, "\n")
}

// testLoc finds the test function's declaration in the module's files.
func (a *analysis) testLoc(k testKey) finding.Location {
	dir := strings.TrimPrefix(strings.TrimPrefix(k.Pkg, a.m.Mod.Module), "/")
	top, _, _ := strings.Cut(k.Test, "/")
	for _, f := range a.files {
		if !f.Test || path.Dir(f.Name) != pathOrDot(dir) {
			continue
		}
		for _, fn := range f.Funcs {
			if fn.Name == top {
				return finding.Location{File: a.rel(f.Name), Line: fn.Line}
			}
		}
	}
	if k.Test == "" {
		return finding.Location{File: a.rel(pathOrDot(dir))}
	}
	return finding.Location{File: a.rel(pathOrDot(dir)), Object: k.Test}
}

func pathOrDot(p string) string {
	if p == "" {
		return "."
	}
	return p
}

// graphSettings are the changed settings whose package the module's
// build graph contains (from the godebug-default-changes findings).
func (a *analysis) graphSettings() []facts.GodebugSetting {
	in := map[string]bool{}
	for _, f := range a.findings {
		if f.Check == GodebugDefaultChanges.ID && f.Details["uses"] != "none" && f.Details["pinnedBy"] == "" {
			in[f.Details["setting"]] = true
		}
	}
	var out []facts.GodebugSetting
	for _, s := range a.changed {
		if in[s.Name] {
			out = append(out, s)
		}
	}
	return out
}

func godebugEnv(ss []facts.GodebugSetting) string {
	var kv []string
	for _, s := range ss {
		kv = append(kv, s.Name+"="+s.Old)
	}
	return "GODEBUG=" + strings.Join(kv, ",")
}

// testBinaries builds test binaries at the target once per package and
// variant, so that re-runs with other GODEBUG values cost a process start,
// not a link.
type testBinaries struct {
	a    *analysis
	tc   *goToolchain
	mod  *modCopy
	dir  string
	bins map[string]string
}

// build returns the test binary of pkg at the target, compiled with the
// given extra flags.
func (b *testBinaries) build(ctx context.Context, pkg string, flags ...string) (string, error) {
	key := pkg + "\x00" + strings.Join(flags, " ")
	if p, ok := b.bins[key]; ok {
		return p, nil
	}
	if err := os.MkdirAll(b.dir, 0o755); err != nil {
		return "", err
	}
	out := filepath.Join(b.dir, fmt.Sprintf("t%d.test", len(b.bins)))
	args := append([]string{"test", "-c", "-vet=off", "-modfile=" + b.mod.Mod, "-o", out}, flags...)
	args = append(args, pkg)
	_, stderr, err := b.tc.run(ctx, b.a.m.Dir, b.a.o.Environ, nil, args...)
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	if err != nil {
		return "", fmt.Errorf("go test -c %s: %v: %s", pkg, err, firstLines(stderr, 3))
	}
	b.bins[key] = out
	return out, nil
}

// pkgDir is the source directory of a package of the module, where go
// test runs its binary.
func (a *analysis) pkgDir(pkg string) string {
	rel := strings.TrimPrefix(strings.TrimPrefix(pkg, a.m.Mod.Module), "/")
	return filepath.Join(a.m.Dir, filepath.FromSlash(rel))
}

// runTestBinary runs one test of a test binary and reports whether it
// passed.
func (a *analysis) runTestBinary(ctx context.Context, bin, pkg, run string, env []string) (bool, error) {
	cmd := exec.CommandContext(ctx, bin, "-test.run", run, "-test.count=1")
	cmd.Dir = a.pkgDir(pkg)
	cmd.Env = a.tc.env(a.o.Environ, env...)
	childproc.OwnGroup(cmd)
	err := cmd.Run()
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	return err == nil, nil
}

// attribute re-runs a test that broke at the target with the old loop
// semantics and with the old GODEBUG values, then bisects the cause.
func (a *analysis) attribute(ctx context.Context, bins *testBinaries, k testKey) error {
	run := "^" + regexpQuote(k.Test) + "$"
	oldLoops := "-gcflags=" + a.m.Mod.Module + "/...=-d=loopvarhash=qn"
	settings := a.graphSettings()
	loops := crossesLoopvar(a.current, a.target)
	target, err := bins.build(ctx, k.Pkg)
	if err != nil {
		return err
	}
	// With loops crossing 1.22, GODEBUG questions are asked of the binary
	// with the old loop semantics, so that the two causes stay apart.
	godebugBin := target
	var loopCause, godebugCause bool
	if loops {
		a.progress("%s: re-running at go %s with the old loop semantics", k.Test, a.target)
		if godebugBin, err = bins.build(ctx, k.Pkg, oldLoops); err != nil {
			return err
		}
		if loopCause, err = a.runTestBinary(ctx, godebugBin, k.Pkg, run, nil); err != nil {
			return err
		}
	}
	if len(settings) > 0 {
		a.progress("%s: re-running at go %s with the old GODEBUG defaults", k.Test, a.target)
		if godebugCause, err = a.runTestBinary(ctx, target, k.Pkg, run, []string{godebugEnv(settings)}); err != nil {
			return err
		}
	}
	if !loopCause && !godebugCause && loops && len(settings) > 0 {
		// Both changes may be needed for the failure.
		both, err := a.runTestBinary(ctx, godebugBin, k.Pkg, run, []string{godebugEnv(settings)})
		if err != nil {
			return err
		}
		loopCause, godebugCause = both, both
	}
	loc := a.testLoc(k)
	if !loopCause && !godebugCause {
		msg := fmt.Sprintf("%s (%s) fails at go %s even with the old loop semantics and the old GODEBUG defaults, so another change of the language version breaks it.", k.Test, k.Pkg, a.target)
		a.add(finding.New(TestOutcomeChanges, loc, msg, "Run the test with the raised go line (go test -modfile=<copy with the new go line>) and read the failure."),
			map[string]string{"package": k.Pkg, "test": k.Test, "attribution": "none"})
		return nil
	}
	bisect, berr := a.bisectCommand(ctx)
	if berr != nil {
		a.notes = append(a.notes, "bisect unavailable: "+berr.Error())
	}
	if loopCause {
		var env []string
		if len(settings) > 0 {
			env = append(env, godebugEnv(settings))
		}
		var found []loopChange
		if bisect != nil {
			a.progress("%s: bisecting the loops (bisect -compile=loopvar, scoped to %s/...)", k.Test, a.m.Mod.Module)
			argv := []string{a.tc.goBin(), "test", "-count=1", "-vet=off", "-modfile=" + bins.mod.Mod,
				"-gcflags=" + a.m.Mod.Module + "/...=-d=loopvarhash=PATTERN", "-run", run, k.Pkg}
			out, err := a.runBisect(ctx, bisect, a.m.Dir, env, nil, argv)
			if err != nil {
				return err
			}
			found = parseLoopLog(out, a.m.Dir)
		}
		if len(found) == 0 {
			msg := fmt.Sprintf("%s (%s) passes at go %s and fails at go %s, and passes again with the old loop semantics (-d=loopvarhash=qn): a loop whose variable is now per-iteration breaks it; bisect did not isolate the loop.", k.Test, k.Pkg, a.current, a.target)
			a.add(finding.New(TestBrokenByLoop, loc, msg, "Look at the loops listed by upgrade/loopvar-semantics-change in this package."),
				map[string]string{"package": k.Pkg, "test": k.Test})
		}
		for _, l := range found {
			msg := fmt.Sprintf("%s (%s) passes at go %s and fails at go %s because loop variable %s becomes per-iteration here (found by bisect over -d=loopvarhash; the test passes again with the old loop semantics).",
				k.Test, k.Pkg, a.current, a.target, l.Var)
			fnd := finding.New(TestBrokenByLoop, finding.Location{File: a.rel(l.File), Line: l.Line, Column: l.Col}, msg,
				fmt.Sprintf("The code relied on one %s shared by all iterations. Make that explicit (declare the variable before the loop) or fix the code so each iteration's copy is right.", l.Var))
			a.add(fnd, map[string]string{"package": k.Pkg, "test": k.Test, "variable": l.Var})
		}
	}
	if godebugCause {
		single := 0
		for _, s := range settings {
			ok, err := a.runTestBinary(ctx, godebugBin, k.Pkg, run, []string{"GODEBUG=" + s.Name + "=" + s.Old})
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			single++
			godebugLine := fmt.Sprintf("godebug %s=%s", s.Name, s.Old)
			var stacks [][]frame
			if bisect != nil {
				a.progress("%s: bisecting the call stacks of %s (bisect -godebug=%s=%s)", k.Test, s.Name, s.Name, s.Old)
				out, err := a.runBisect(ctx, bisect, a.pkgDir(k.Pkg), nil, []string{"-godebug=" + s.Name + "=" + s.Old},
					[]string{godebugBin, "-test.run", run, "-test.count=1"})
				if err != nil {
					return err
				}
				stacks = parseStacks(out)
			}
			msg := fmt.Sprintf("%s (%s) passes at go %s and fails at go %s because of the new default of GODEBUG %s: with %s=%s it passes again.\nNew: %s\nOld: %s",
				k.Test, k.Pkg, a.current, a.target, s.Name, s.Name, s.Old, s.NewBehavior, s.OldBehavior)
			where := loc
			details := map[string]string{"package": k.Pkg, "test": k.Test, "setting": s.Name, "godebugLine": godebugLine}
			if len(stacks) > 0 {
				var lines []string
				for _, fr := range stacks[0] {
					lines = append(lines, fmt.Sprintf("  %s (%s)", fr.Func, a.shortPos(fr.Pos)))
				}
				msg += "\nCall stack of the setting (bisect -godebug):\n" + strings.Join(lines, "\n")
				details["stack"] = strings.Join(lines, "\n")
				if l, ok := a.firstOwnFrame(stacks[0]); ok {
					where = l
				}
			} else if bisect != nil {
				msg += "\nbisect could not narrow it to a call stack: the setting is not read through a call that bisect can select (the runtime reads some settings, such as panicnil, itself)."
			}
			fnd := finding.New(TestBrokenByGodebug, where, msg,
				fmt.Sprintf("Make the code work with the new behaviour, or keep the old one for now with this line in %s:\n%s", a.m.GoModRel, godebugLine))
			a.add(fnd, details)
		}
		if single == 0 {
			env := godebugEnv(settings)
			msg := fmt.Sprintf("%s (%s) passes at go %s and fails at go %s; it passes again only with several GODEBUG settings at their old values together (%s), not with any one of them.",
				k.Test, k.Pkg, a.current, a.target, strings.TrimPrefix(env, "GODEBUG="))
			a.add(finding.New(TestBrokenByGodebug, loc, msg, "Narrow it down by running the test with subsets of these settings in GODEBUG; then fix the code or keep the old values with godebug lines."),
				map[string]string{"package": k.Pkg, "test": k.Test, "settings": strings.TrimPrefix(env, "GODEBUG=")})
		}
	}
	return nil
}

func regexpQuote(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\.+*?()|[]{}^$`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// frame is one frame of a bisect -godebug stack.
type frame struct {
	Func string
	Pos  string // file:line
}

// parseStacks reads the change sets bisect prints to stdout.
func parseStacks(out []byte) [][]frame {
	var sets [][]frame
	var cur []frame
	in := false
	var fn string
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "--- change set"):
			in, cur, fn = true, nil, ""
		case line == "---":
			if in && len(cur) > 0 {
				sets = append(sets, cur)
			}
			in = false
		case !in || strings.TrimSpace(line) == "":
		case strings.HasPrefix(line, "\t"):
			if fn != "" {
				cur = append(cur, frame{Func: fn, Pos: strings.TrimSpace(line)})
				fn = ""
			}
		default:
			fn = strings.TrimSpace(line)
		}
	}
	return sets
}

// shortPos shows a stack position relative to the run's root when it is
// in the module, and under $GOROOT when in the toolchain.
func (a *analysis) shortPos(pos string) string {
	if rel, err := filepath.Rel(a.m.Dir, pos); err == nil && !strings.HasPrefix(rel, "..") {
		return a.rel(filepath.ToSlash(rel))
	}
	if a.tc.GOROOT != "" && strings.HasPrefix(pos, a.tc.GOROOT+string(filepath.Separator)) {
		return "$GOROOT" + filepath.ToSlash(pos[len(a.tc.GOROOT):])
	}
	return pos
}

// firstOwnFrame is the first frame in the module's own files.
func (a *analysis) firstOwnFrame(st []frame) (finding.Location, bool) {
	for _, fr := range st {
		i := strings.LastIndexByte(fr.Pos, ':')
		if i < 0 {
			continue
		}
		file := fr.Pos[:i]
		rel, err := filepath.Rel(a.m.Dir, file)
		if err != nil || strings.HasPrefix(rel, "..") {
			continue
		}
		var line int
		fmt.Sscanf(fr.Pos[i+1:], "%d", &line)
		return finding.Location{File: a.rel(filepath.ToSlash(rel)), Line: line}, true
	}
	return finding.Location{}, false
}

// runBisect runs bisect with target command argv in dir and returns
// what it printed on stdout (the change sets).
func (a *analysis) runBisect(ctx context.Context, bisect []string, dir string, env, bisectFlags, argv []string) ([]byte, error) {
	args := append(append(append([]string(nil), bisect[1:]...), bisectFlags...), argv...)
	cmd := exec.CommandContext(ctx, bisect[0], args...)
	cmd.Dir = dir
	cmd.Env = a.tc.env(a.o.Environ, env...)
	childproc.OwnGroup(cmd)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		a.notes = append(a.notes, fmt.Sprintf("bisect %s: %v: %s", strings.Join(argv, " "), err, firstLines(errb.Bytes(), 2)))
	}
	return out.Bytes(), nil
}

// bisectCommand returns the bisect command: Options.Bisect, or the
// binary of golang.org/x/tools/cmd/bisect@BisectVersion installed into
// gocompat's cache directory (through the module proxy or module cache
// the first time).
func (a *analysis) bisectCommand(ctx context.Context) ([]string, error) {
	if a.o.Bisect != nil {
		return a.o.Bisect, nil
	}
	cache := a.o.CacheDir
	if cache == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return nil, err
		}
		cache = filepath.Join(dir, "gocompat")
	}
	bin := filepath.Join(cache, "bisect-"+BisectVersion)
	exe := filepath.Join(bin, "bisect")
	if _, err := os.Stat(exe); err == nil {
		return []string{exe}, nil
	}
	a.progress("installing golang.org/x/tools/cmd/bisect@%s into %s", BisectVersion, bin)
	tmp, err := os.MkdirTemp("", "gocompat-bisect-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	env := goEnv(a.o.Environ, "GOBIN="+bin, "GOFLAGS=")
	_, stderr, err := runGo(ctx, tmp, env, "install", "golang.org/x/tools/cmd/bisect@"+BisectVersion)
	if err == nil {
		return []string{exe}, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	installErr := fmt.Errorf("go install golang.org/x/tools/cmd/bisect@%s: %v: %s", BisectVersion, err, firstLines(stderr, 2))
	// Offline: go install needs the proxy even for a cached module, but a
	// build in a scratch module can use the module cache alone (the
	// cache verified the files when it stored them).
	gomod := "module gocompat-bisect\n\ngo 1.22\n\nrequire golang.org/x/tools " + BisectVersion + "\n"
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), []byte(gomod), 0o644); err != nil {
		return nil, err
	}
	env = goEnv(a.o.Environ, "GOPROXY=off", "GOSUMDB=off")
	if _, stderr, err := runGo(ctx, tmp, env, "build", "-o", exe, "golang.org/x/tools/cmd/bisect"); err != nil {
		return nil, fmt.Errorf("%v; building it from the module cache: %v: %s", installErr, err, firstLines(stderr, 2))
	}
	return []string{exe}, nil
}
