package upgrade

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/module"
)

// copyTree copies a testdata module into a fresh directory, so that a run
// can be checked to leave every byte as it was.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// treeHash maps every file under dir to the hash of its bytes and mode.
func treeHash(t *testing.T, dir string) map[string]string {
	t.Helper()
	h := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			h[rel+"/"] = info.Mode().String()
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		h[rel] = fmt.Sprintf("%x %s", sha256.Sum256(b), info.Mode())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// runUnchanged runs Run and fails the test when it returns an error or
// leaves any file under o.Dir other than it was.
func runUnchanged(t *testing.T, o Options) *Result {
	t.Helper()
	before := treeHash(t, o.Dir)
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	assertUnchanged(t, o.Dir, before)
	return res
}

func assertUnchanged(t *testing.T, dir string, before map[string]string) {
	t.Helper()
	after := treeHash(t, dir)
	if !reflect.DeepEqual(before, after) {
		for k, v := range after {
			if before[k] != v {
				t.Errorf("%s changed or appeared", k)
			}
		}
		for k := range before {
			if _, ok := after[k]; !ok {
				t.Errorf("%s disappeared", k)
			}
		}
	}
}

var (
	bisectOnce sync.Once
	bisectPath string
	bisectErr  error
)

// testBisect builds golang.org/x/tools/cmd/bisect (a tool dependency of
// this module) once into a cache directory outside the repository.
func testBisect(t *testing.T) []string {
	t.Helper()
	bisectOnce.Do(func() {
		out, err := exec.Command("go", "env", "GOCACHE").Output()
		if err != nil {
			bisectErr = err
			return
		}
		dir := filepath.Join(filepath.Dir(strings.TrimSpace(string(out))), "gocompat-test", "bisect-"+BisectVersion)
		bisectPath = filepath.Join(dir, "bisect")
		if _, err := os.Stat(bisectPath); err == nil {
			return
		}
		if b, err := exec.Command("go", "build", "-o", bisectPath, "golang.org/x/tools/cmd/bisect").CombinedOutput(); err != nil {
			bisectErr = fmt.Errorf("build bisect: %v\n%s", err, b)
		}
	})
	if bisectErr != nil {
		t.Fatal(bisectErr)
	}
	return []string{bisectPath}
}

func toolchain(t *testing.T) *goToolchain {
	t.Helper()
	tc, err := Toolchain(context.Background(), os.Environ())
	if err != nil {
		t.Fatalf("no usable go command: %v", err)
	}
	return &tc
}

func byCheck(fs []finding.Finding, id string) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if f.Check == id {
			out = append(out, f)
		}
	}
	return out
}

func dump(fs []finding.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s %s %s: %s\n", f.Location, f.Severity, f.Check, strings.SplitN(f.Message, "\n", 2)[0])
	}
	return b.String()
}

func TestLoopFailureIsBisectedToTheLoop(t *testing.T) {
	dir := copyTree(t, "testdata/loop121")
	var progress strings.Builder
	res := runUnchanged(t, Options{
		Dir: dir, Target: "1.22", Test: true, Environ: os.Environ(),
		Bisect: testBisect(t), Toolchain: toolchain(t), Progress: &progress,
	})
	fs := res.Findings

	outcome := byCheck(fs, TestOutcomeChanges.ID)
	if len(outcome) != 1 || outcome[0].Details["test"] != "TestSteps" || outcome[0].Location.String() != "counter_test.go:8" ||
		!strings.Contains(outcome[0].Message, "Steps(6) = [0 1 2 3 4 5]") {
		t.Errorf("test-outcome-changes = \n%s", dump(outcome))
	}
	loops := byCheck(fs, TestBrokenByLoop.ID)
	if len(loops) != 1 || loops[0].Location.String() != "counter.go:10:6" || loops[0].Details["variable"] != "i" ||
		!strings.Contains(loops[0].Message, "TestSteps") || loops[0].Severity != finding.Error {
		t.Errorf("test-broken-by-loop =\n%s", dump(loops))
	}
	if n := len(byCheck(fs, TestBrokenByGodebug.ID)); n != 0 {
		t.Errorf("%d test-broken-by-godebug findings for a loop failure", n)
	}
	preview := byCheck(fs, LoopvarSemanticsChange.ID)
	if len(preview) != 1 || !strings.Contains(preview[0].Details["loops"], "counter.go:10:6 i") ||
		!strings.Contains(preview[0].Details["loops"], "counter.go:26:9 x") || preview[0].Location.String() != "go.mod:3" {
		t.Errorf("loopvar-semantics-change =\n%s%v", dump(preview), preview)
	}
	for _, want := range []string{"running tests at go 1.21", "running tests at go 1.22", "bisecting the loops"} {
		if !strings.Contains(progress.String(), want) {
			t.Errorf("progress lacks %q:\n%s", want, progress.String())
		}
	}
}

func TestGodebugFailureIsAttributedToTheSetting(t *testing.T) {
	dir := copyTree(t, "testdata/godebug121")
	tc := toolchain(t)
	res := runUnchanged(t, Options{
		Dir: dir, Target: "1.23", Test: true, Environ: os.Environ(),
		Bisect: testBisect(t), Toolchain: tc,
	})
	fs := res.Findings

	// Every setting of the toolchain's table that changes between 1.21 and 1.23.
	table, _ := facts.Godebugs(tc.GOROOT)
	var want, got []string
	for _, s := range table.ChangedBetween("1.21", "1.23") {
		want = append(want, s.Name)
	}
	settings := map[string]finding.Finding{}
	for _, f := range byCheck(fs, GodebugDefaultChanges.ID) {
		got = append(got, f.Details["setting"])
		settings[f.Details["setting"]] = f
	}
	sort.Strings(want)
	sort.Strings(got)
	if !reflect.DeepEqual(got, want) || len(want) == 0 {
		t.Errorf("settings reported = %v, want the table's %v", got, want)
	}
	timer := settings["asynctimerchan"]
	if timer.Severity != finding.Warning || timer.Details["uses"] != "module" || timer.Details["importSites"] != "timers/timers.go:5, timers/timers_test.go:5" ||
		timer.Details["godebugLine"] != "godebug asynctimerchan=1" || !strings.Contains(timer.Fix, "godebug asynctimerchan=1") {
		t.Errorf("asynctimerchan finding = %+v", timer)
	}
	if tls := settings["tls10server"]; tls.Details["uses"] != "standard library" && tls.Details["uses"] != "dependencies" || tls.Severity != finding.Warning {
		// net/http pulls in crypto/tls.
		t.Errorf("tls10server finding = %+v", tls)
	}
	if ws := settings["winsymlink"]; ws.Severity != finding.Info || ws.Details["onlyOn"] != "windows" {
		t.Errorf("winsymlink finding = %+v", ws)
	}

	calls := map[string]finding.Finding{}
	for _, f := range byCheck(fs, GodebugAffectedCall.ID) {
		calls[f.Location.String()] = f
	}
	if c, ok := calls["timers/timers.go:10:12"]; !ok || c.Details["setting"] != "asynctimerchan" || !strings.Contains(c.Fix, "godebug asynctimerchan=1") {
		t.Errorf("no asynctimerchan call site at timers/timers.go:10:12:\n%s", dump(byCheck(fs, GodebugAffectedCall.ID)))
	}
	if c, ok := calls["routes/routes.go:10:6"]; !ok || c.Details["pattern"] != "/v1/{$}" || !strings.Contains(c.Message, "Go 1.22 syntax ({$})") {
		t.Errorf("no httpmuxgo121 call site at routes/routes.go:10:6:\n%s", dump(byCheck(fs, GodebugAffectedCall.ID)))
	}
	if c, ok := calls["routes/routes.go:13:6"]; !ok || !strings.Contains(c.Message, "no Go 1.22 syntax") {
		t.Errorf("no plain-pattern call site at routes/routes.go:13:6")
	}

	broken := map[string]finding.Finding{}
	for _, f := range byCheck(fs, TestBrokenByGodebug.ID) {
		broken[f.Details["test"]] = f
	}
	if f := broken["TestFired"]; f.Details["setting"] != "asynctimerchan" || f.Location.String() != "timers/timers.go:10" ||
		!strings.Contains(f.Message, "time.NewTimer") || !strings.Contains(f.Fix, "godebug asynctimerchan=1") {
		t.Errorf("TestFired attribution = %+v\nall:\n%s", f, dump(fs))
	}
	if f := broken["TestLiteralPath"]; f.Details["setting"] != "httpmuxgo121" || !strings.Contains(f.Fix, "godebug httpmuxgo121=1") {
		t.Errorf("TestLiteralPath attribution = %+v", f)
	}
	if n := len(byCheck(fs, TestBrokenByLoop.ID)); n != 0 {
		t.Errorf("%d loop attributions for GODEBUG failures", n)
	}
	if len(res.Subjects) != 1 || res.Subjects[0].Attributes["goDebugDirectives"] != "panicnil=1 (cmd/server/main.go:1)" {
		t.Errorf("subject = %+v", res.Subjects)
	}
}

func TestStaticReport(t *testing.T) {
	dir := copyTree(t, "testdata/godebug121")
	gomod := filepath.Join(dir, "go.mod")
	if err := os.WriteFile(gomod, []byte("module example.com/godebug121\n\ngo 1.21\n\ngodebug (\n\tasynctimerchan=1\n\tx509sha1=1\n)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tc := toolchain(t)
	res := runUnchanged(t, Options{Dir: dir, Environ: os.Environ(), Toolchain: tc})
	fs := res.Findings
	if n := len(byCheck(fs, TestOutcomeChanges.ID)); n != 0 {
		t.Errorf("tests ran without Test: %d outcome findings", n)
	}
	for _, f := range byCheck(fs, GodebugDefaultChanges.ID) {
		if f.Details["setting"] == "asynctimerchan" && (f.Severity != finding.Info || f.Details["pinnedBy"] != "go.mod:6") {
			t.Errorf("pinned asynctimerchan = %+v", f)
		}
	}
	for _, f := range byCheck(fs, GodebugAffectedCall.ID) {
		if f.Details["setting"] == "asynctimerchan" {
			t.Errorf("call site reported for a pinned setting: %s", f.Location)
		}
	}
	rm := byCheck(fs, GodebugSettingRemoved.ID)
	if len(rm) != 1 || rm[0].Location.String() != "go.mod:7" || rm[0].Details["setting"] != "x509sha1" {
		t.Errorf("godebug-setting-removed =\n%s", dump(rm))
	}
	// Target = the installed toolchain; from 1.21 the kernel floor rises
	// once the target reaches 1.24.
	target, _ := TargetVersion("", tc.Version)
	k := byCheck(fs, KernelFloorRises.ID)
	if versionLess(target, "1.24") {
		if len(k) != 0 {
			t.Errorf("kernel floor rise reported up to %s", target)
		}
	} else if len(k) != 1 || k[0].Details["minKernelBefore"] != "2.6.32" || k[0].Details["minKernelAfter"] != "3.2" {
		t.Errorf("kernel-floor-rises =\n%s", dump(k))
	}
}

func TestInjectedLoopvarAnalyzer(t *testing.T) {
	dir := copyTree(t, "testdata/loop121")
	var gotDir string
	res := runUnchanged(t, Options{
		Dir: dir, Target: "1.22", Environ: os.Environ(), Toolchain: toolchain(t),
		Loopvar: func(ctx context.Context, d string) ([]finding.Finding, error) {
			gotDir = d
			return []finding.Finding{{Check: "loopvar/example", Location: finding.Location{File: "counter.go", Line: 10}}}, nil
		},
	})
	if gotDir != dir {
		t.Errorf("analyzer called with %q, want %q", gotDir, dir)
	}
	if n := len(byCheck(res.Findings, "loopvar/example")); n != 1 {
		t.Errorf("%d injected findings, want 1", n)
	}
	if n := len(byCheck(res.Findings, LoopvarSemanticsChange.ID)); n != 0 {
		t.Errorf("compiler preview ran although an analyzer was given")
	}
	// Not crossing 1.22: the analyzer is not asked.
	gotDir = ""
	if _, err := Run(context.Background(), Options{Dir: dir, Target: "1.21", Environ: os.Environ(), Toolchain: toolchain(t),
		Loopvar: func(ctx context.Context, d string) ([]finding.Finding, error) { gotDir = d; return nil, nil }}); err != nil {
		t.Fatal(err)
	}
	if gotDir != "" {
		t.Errorf("analyzer called for a range that does not cross 1.22")
	}
}

func TestTimeout(t *testing.T) {
	dir := copyTree(t, "testdata/loop121")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := Run(ctx, Options{Dir: dir, Target: "1.22", Test: true, Environ: os.Environ(), Toolchain: toolchain(t), Bisect: testBisect(t)})
	if err == nil || !strings.Contains(err.Error(), "deadline") {
		t.Errorf("Run with a 50ms deadline: err = %v", err)
	}
}

func TestTargetVersion(t *testing.T) {
	for _, tc := range []struct{ to, tc, want, err string }{
		{"", "go1.26.8", "1.26", ""},
		{"1.22", "go1.26.8", "1.22", ""},
		{"go1.23.4", "go1.26.8", "1.23.4", ""},
		{"1.27", "go1.26.8", "", "newer than the toolchain go1.26.8"},
		{"banana", "go1.26.8", "", "not a Go version"},
		{"2.0", "go1.26.8", "", "not a Go version"},
	} {
		got, err := TargetVersion(tc.to, tc.tc)
		if got != tc.want || (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("TargetVersion(%q, %q) = %q, %v; want %q, %q", tc.to, tc.tc, got, err, tc.want, tc.err)
		}
	}
}

func TestWithGoLine(t *testing.T) {
	for _, tc := range []struct{ in, goLine, want string }{
		{"module m\n\ngo 1.21\n\nrequire x v1.0.0\n", "1.22", "module m\n\ngo 1.22\n\nrequire x v1.0.0\n"},
		{"module m\n\ngo 1.21 // old\ntoolchain go1.21.5\n", "1.23", "module m\n\ngo 1.23 // old\n\n"},
		{"module m\ngo 1.21\ntoolchain go1.24.1\n", "1.23", "module m\ngo 1.23\ntoolchain go1.24.1\n"},
		{"module m\n", "1.22", "module m\n\ngo 1.22\n"},
		{"toolchain go1.20\n\ngo 1.19\n", "1.22", "\n\ngo 1.22\n"},
	} {
		mod, err := module.ParseGoMod("go.mod", []byte(tc.in))
		if err != nil {
			t.Fatal(err)
		}
		got := string(withGoLine(mod, []byte(tc.in), tc.goLine))
		if got != tc.want {
			t.Errorf("withGoLine(%q, %s) = %q, want %q", tc.in, tc.goLine, got, tc.want)
		}
		if _, err := module.ParseGoMod("alt.mod", []byte(got)); err != nil {
			t.Errorf("result does not parse: %v", err)
		}
	}
}

func TestMuxPatternNote(t *testing.T) {
	for p, want := range map[string]string{
		"GET /items/{id}": "a method (GET), a {wildcard}",
		"/v1/{$}":         "({$})",
		"/static/":        "no Go 1.22 syntax",
		"example.com/":    "no Go 1.22 syntax",
	} {
		if got := muxPatternNote(p); !strings.Contains(got, want) {
			t.Errorf("muxPatternNote(%q) = %q, want it to contain %q", p, got, want)
		}
	}
}

const sampleTestJSON = `{"Action":"start","Package":"m/a"}
{"Action":"run","Package":"m/a","Test":"TestX"}
{"Action":"output","Package":"m/a","Test":"TestX","Output":"    a_test.go:9: boom\n"}
{"Action":"fail","Package":"m/a","Test":"TestX","Elapsed":0}
{"Action":"pass","Package":"m/a","Test":"TestY/sub","Elapsed":0}
{"Action":"pass","Package":"m/a","Test":"TestY","Elapsed":0}
{"Action":"fail","Package":"m/a","Elapsed":0}
{"ImportPath":"m/b [m/b.test]","Action":"build-output","Output":"b.go:3:1: syntax error\n"}
{"ImportPath":"m/b [m/b.test]","Action":"build-fail"}
{"Action":"output","Package":"m/b","Output":"FAIL\tm/b [build failed]\n"}
{"Action":"fail","Package":"m/b","Elapsed":0}
not json
`

func TestParseTestJSON(t *testing.T) {
	res := parseTestJSON([]byte(sampleTestJSON))
	got := map[string]string{}
	for k, r := range res {
		got[k.Pkg+" "+k.Test] = r.Outcome
	}
	want := map[string]string{"m/a TestX": "fail", "m/a TestY/sub": "pass", "m/a TestY": "pass", "m/a ": "fail", "m/b ": "build failed"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseTestJSON = %v, want %v", got, want)
	}
	if out := failureOutput(res[testKey{"m/a", "TestX"}].Output); out != "  a_test.go:9: boom" {
		t.Errorf("failureOutput = %q", out)
	}
}

const sampleStacks = `--- change set #1 (disabling changes causes failure)
internal/godebug.(*Setting).Value()
	/usr/local/go/src/internal/godebug/godebug.go:165
example.com/t.Buffered()
	/m/t.go:6

---
`

func TestParseStacks(t *testing.T) {
	got := parseStacks([]byte("bisect: noise\n" + sampleStacks))
	want := [][]frame{{{"internal/godebug.(*Setting).Value()", "/usr/local/go/src/internal/godebug/godebug.go:165"}, {"example.com/t.Buffered()", "/m/t.go:6"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseStacks = %v", got)
	}
	a := &analysis{m: &module.Module{Dir: "/m", Rel: "sub"}, tc: &goToolchain{GOROOT: "/usr/local/go"}}
	if loc, ok := a.firstOwnFrame(got[0]); !ok || loc.String() != "sub/t.go:6" {
		t.Errorf("firstOwnFrame = %v %v", loc, ok)
	}
	if s := a.shortPos(got[0][0].Pos); s != "$GOROOT/src/internal/godebug/godebug.go:165" {
		t.Errorf("shortPos = %q", s)
	}
}

func TestParseLoopLog(t *testing.T) {
	log := `# example.com/m
./a.go:10:6: loop variable i now per-iteration, heap-allocated
./a.go:10:6: loop variable i now per-iteration, stack-allocated (loop inlined into ./a_test.go:7)
sub/b.go:3:9: loop variable v now per-iteration, stack-allocated
/mod/c.go:1:2: loop variable w now per-iteration [bisect-match 0x1234]
`
	var got []string
	for _, l := range parseLoopLog([]byte(log), "/mod") {
		got = append(got, fmt.Sprintf("%s heap=%v", l, l.Heap))
	}
	want := []string{"a.go:10:6 i heap=true", "c.go:1:2 w heap=false", "sub/b.go:3:9 v heap=false"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseLoopLog = %v, want %v", got, want)
	}
}

func FuzzParseTestJSON(f *testing.F) {
	f.Add([]byte(sampleTestJSON))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, r := range parseTestJSON(b) {
			if r.Outcome == "" {
				t.Error("result without an outcome")
			}
		}
	})
}

func FuzzParseStacks(f *testing.F) {
	f.Add([]byte(sampleStacks))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, st := range parseStacks(b) {
			if len(st) == 0 {
				t.Error("empty stack")
			}
		}
	})
}

func FuzzParseLoopLog(f *testing.F) {
	f.Add([]byte("./a.go:10:6: loop variable i now per-iteration, heap-allocated\n"))
	f.Add([]byte("a.go:99999999999999999999:1: loop variable i now per-iteration\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, l := range parseLoopLog(b, "/m") {
			if l.Var == "" || l.File == "" {
				t.Errorf("incomplete loop %+v", l)
			}
		}
	})
}

func TestNestedModulesAndWorkspace(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":         "module example.com/root\n\ngo 1.22\n",
		"root.go":        "package root\n",
		"go.work":        "go 1.22\n\nuse (\n\t.\n\t./svc\n)\n",
		"svc/go.mod":     "module example.com/svc\n\ngo 1.21\n",
		"svc/main.go":    "package main\n\nimport \"net/http\"\n\nfunc main() { http.HandleFunc(\"GET /x\", nil) }\n",
		"tools/go.mod":   "module example.com/tools\n\ngo 1.22\n\ngodebug default=go1.21\n",
		"tools/tools.go": "package tools\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := runUnchanged(t, Options{Dir: dir, Target: "1.23", Environ: os.Environ(), Toolchain: toolchain(t)})
	subj := map[string]map[string]string{}
	for _, s := range res.Subjects {
		subj[s.Path] = s.Attributes
	}
	if len(subj) != 3 || subj["svc"]["workspace"] != "go.work" || !strings.Contains(subj["tools"]["notes"], "godebug default=go1.21") ||
		!strings.Contains(subj["svc"]["notes"], "go.work uses this module") {
		t.Errorf("subjects = %v", subj)
	}
	var call, svcLoop bool
	for _, f := range res.Findings {
		if f.Check == GodebugDefaultChanges.ID && f.Details["module"] == "example.com/tools" {
			t.Errorf("GODEBUG change reported although godebug default= fixes the defaults: %s", f.Details["setting"])
		}
		if f.Check == GodebugAffectedCall.ID && f.Location.String() == "svc/main.go:5:20" && strings.Contains(f.Message, "a method (GET)") && strings.Contains(f.Fix, "svc/go.mod") {
			call = true
		}
		if f.Check == LoopvarSemanticsChange.ID && f.Location.String() == "svc/go.mod:3" {
			svcLoop = true
		}
	}
	if !call || !svcLoop {
		t.Errorf("nested module findings (call %v, loop %v):\n%s", call, svcLoop, dump(res.Findings))
	}
}

func TestFlakyTestIsNotAttributed(t *testing.T) {
	dir := copyTree(t, "testdata/flaky121")
	counter := filepath.Join(t.TempDir(), "count")
	res := runUnchanged(t, Options{
		Dir: dir, Target: "1.22", Test: true, Environ: append(os.Environ(), "FLAKY_COUNTER="+counter),
		Bisect: testBisect(t), Toolchain: toolchain(t),
	})
	out := byCheck(res.Findings, TestOutcomeChanges.ID)
	if len(out) != 1 || out[0].Details["flaky"] != "true" || out[0].Severity != finding.Info || !strings.Contains(out[0].Message, "flaky") {
		t.Errorf("test-outcome-changes =\n%s", dump(out))
	}
	if n := len(byCheck(res.Findings, TestBrokenByLoop.ID)) + len(byCheck(res.Findings, TestBrokenByGodebug.ID)); n != 0 {
		t.Errorf("a flaky failure was attributed: %d findings", n)
	}
	if b, _ := os.ReadFile(counter); string(b) != "4" {
		t.Errorf("the test ran %s times, want 4 (base, target, and one confirmation each)", b)
	}
}

func TestKeepOldFix(t *testing.T) {
	s := facts.GodebugSetting{Name: "panicnil", Old: "1"}
	before := keepOldFix("Check.", "go.mod", "1.22", s)
	if !strings.Contains(before, "above the package clause of each main package (go.mod godebug lines need Go 1.23):\n//go:debug panicnil=1\n") ||
		!strings.HasSuffix(before, "Once the go line is 1.23 or later, this line in go.mod does it for the whole module:\ngodebug panicnil=1") {
		t.Errorf("fix for target 1.22:\n%s", before)
	}
	if at := keepOldFix("Check.", "svc/go.mod", "1.23", s); at != "Check. To keep the old behaviour for now, add this line to svc/go.mod:\ngodebug panicnil=1" {
		t.Errorf("fix for target 1.23:\n%s", at)
	}
}

// url.Parse of a literal whose host urlstrictcolons does not touch (one
// colon, a bracketed IPv6 address, no host) is no call to review; one
// with two colons in the host, or of a value not known here, is.
// Reported on tailscale v1.84.0 (client/web/assets.go:119 parses
// "http://127.0.0.1:4000"), where all seven url.Parse findings were of
// unaffected literals.
func TestURLParseLiteralsUnaffected(t *testing.T) {
	tc := toolchain(t)
	if versionLess(tc.Version[2:], "1.26") {
		t.Skipf("urlstrictcolons came with Go 1.26; the installed release is %s", tc.Version)
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/urls\n\ngo 1.21\n",
		"urls.go": `package urls

import "net/url"

func Parse(s string) []*url.URL {
	a, _ := url.Parse("http://127.0.0.1:4000")
	b, _ := url.Parse("http://[::1]:8080/x")
	c, _ := url.Parse("/local/path")
	d, _ := url.Parse("http://localhost:1:2")
	e, _ := url.Parse(s)
	return []*url.URL{a, b, c, d, e}
}
`,
	}
	for name, s := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := runUnchanged(t, Options{Dir: dir, Environ: os.Environ(), Toolchain: tc})
	var got []string
	for _, f := range byCheck(res.Findings, GodebugAffectedCall.ID) {
		if f.Details["setting"] == "urlstrictcolons" {
			got = append(got, f.Location.String())
		}
	}
	if want := []string{"urls.go:9:14", "urls.go:10:14"}; !slices.Equal(got, want) {
		t.Errorf("urlstrictcolons call sites = %q, want %q", got, want)
	}
}
