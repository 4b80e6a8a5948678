package loopvar_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gocompat/gocompat/internal/check/loopvar"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/testbin"
)

var (
	gocompatOnce sync.Once
	gocompatBin  string
	gocompatErr  error
	gocompatDir  string
)

// buildGocompat builds the gocompat command once per test binary: the
// vet tool that the go vet driver of loopvar needs.
func buildGocompat(t *testing.T) string {
	t.Helper()
	gocompatOnce.Do(func() {
		gocompatDir, gocompatErr = os.MkdirTemp("", "gocompat-loopvar-test-")
		if gocompatErr != nil {
			return
		}
		gocompatBin = filepath.Join(gocompatDir, "gocompat")
		out, err := exec.Command("go", "build", "-o", gocompatBin, "github.com/gocompat/gocompat/cmd/gocompat").CombinedOutput()
		if err != nil {
			gocompatErr = &buildError{err, out}
		}
	})
	if gocompatErr != nil {
		t.Fatalf("build gocompat: %v", gocompatErr)
	}
	return gocompatBin
}

type buildError struct {
	err error
	out []byte
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + string(e.out) }

func TestMain(m *testing.M) {
	code := m.Run()
	if gocompatDir != "" {
		os.RemoveAll(gocompatDir)
	}
	os.Exit(code)
}

// The go vet driver and the in-process driver give the same Result on the
// testdata modules: every field of every finding (check, severity,
// position, message, fix, sources, details) and every edit, in order;
// again when go vet replays the results from its cache.
func TestVetDriverMatchesInProcess(t *testing.T) {
	t.Parallel()
	bin := buildGocompat(t)
	ctx := context.Background()
	for _, m := range []string{"old", "new"} {
		t.Run(m, func(t *testing.T) {
			dir, err := filepath.Abs(filepath.Join("testdata", m))
			if err != nil {
				t.Fatal(err)
			}
			in, err := loopvar.AnalyzeInProcess(ctx, dir, []string{"./..."})
			if err != nil {
				t.Fatal(err)
			}
			if len(in.Findings) == 0 || len(in.Edits) == 0 {
				t.Fatalf("in process: %d findings, %d edits; the comparison would be empty", len(in.Findings), len(in.Edits))
			}
			for run := range 2 { // the second run comes from the build cache
				vet, err := loopvar.AnalyzeVet(ctx, bin, dir, []string{"./..."})
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(in.Findings, vet.Findings) {
					a, _ := json.MarshalIndent(in.Findings, "", " ")
					b, _ := json.MarshalIndent(vet.Findings, "", " ")
					t.Fatalf("run %d: findings differ\nin process:\n%s\ngo vet:\n%s", run, a, b)
				}
				if !reflect.DeepEqual(in.Edits, vet.Edits) {
					t.Fatalf("run %d: edits differ\nin process: %+v\ngo vet: %+v", run, in.Edits, vet.Edits)
				}
			}
			t.Logf("%s: %d findings, %d edits in both", m, len(in.Findings), len(in.Edits))
		})
	}
}

// The same on real modules below go 1.22 (the oracle's; through the
// module proxy once, then the module cache).
func TestVetDriverMatchesInProcessRealModules(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("analyses real modules; skipped with -short")
	}
	bin := buildGocompat(t)
	ctx := context.Background()
	for _, mv := range realModules {
		t.Run(mv, func(t *testing.T) {
			dir := fetchModule(t, mv)
			in, err := loopvar.AnalyzeInProcess(ctx, dir, []string{"./..."})
			if err != nil {
				t.Fatal(err)
			}
			vet, err := loopvar.AnalyzeVet(ctx, bin, dir, []string{"./..."})
			if err != nil {
				t.Fatal(err)
			}
			if len(in.Findings) == 0 {
				t.Fatal("no findings in process; the comparison would be empty")
			}
			if !reflect.DeepEqual(in, vet) {
				a, _ := json.MarshalIndent(in, "", " ")
				b, _ := json.MarshalIndent(vet, "", " ")
				t.Fatalf("results differ\nin process:\n%s\ngo vet:\n%s", a, b)
			}
			t.Logf("%s: %d findings, %d edits in both", mv, len(in.Findings), len(in.Edits))
		})
	}
}

// gocompat loopvar (the command, which drives go vet) prints the same
// diff as the in-process edits make.
func TestCommandDiffMatchesInProcess(t *testing.T) {
	t.Parallel()
	bin := buildGocompat(t)
	dir, err := filepath.Abs(filepath.Join("testdata", "old"))
	if err != nil {
		t.Fatal(err)
	}
	in, err := loopvar.AnalyzeInProcess(context.Background(), dir, []string{"./..."})
	if err != nil {
		t.Fatal(err)
	}
	changes, err := loopvar.Changes(in.Edits)
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	for _, c := range changes {
		rel, _ := filepath.Rel(dir, c.File)
		want.WriteString(loopvar.UnifiedDiff(filepath.ToSlash(rel), c.Old, c.New))
	}
	cmd := exec.Command(bin, "-C", dir, "loopvar", "--diff", "--fail-on", "never")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gocompat loopvar --diff: %v\n%s", err, stderr.String())
	}
	if want.Len() == 0 {
		t.Fatal("no edits in process; the comparison would be empty")
	}
	if !strings.HasPrefix(string(out), want.String()) {
		t.Errorf("gocompat loopvar --diff printed\n%s\nwant (then the report)\n%s", out, want.String())
	}
}

// A package that does not type-check is an error naming the directory
// and the compiler's complaint, in both drivers.
func TestVetDriverBuildError(t *testing.T) {
	t.Parallel()
	bin := buildGocompat(t)
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/broken\n\ngo 1.21\n")
	write("p.go", "package p\n\nvar x int = \"s\"\n")
	ctx := context.Background()
	for name, analyze := range map[string]func() (*loopvar.Result, error){
		"vet":        func() (*loopvar.Result, error) { return loopvar.AnalyzeVet(ctx, bin, dir, []string{"./..."}) },
		"in process": func() (*loopvar.Result, error) { return loopvar.AnalyzeInProcess(ctx, dir, []string{"./..."}) },
	} {
		_, err := analyze()
		if err == nil {
			t.Errorf("%s: no error for a package that does not build", name)
			continue
		}
		for _, want := range []string{"do not build", dir, "p.go:3:", "cannot use"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q lacks %q", name, err, want)
			}
		}
	}
}

// TestVetDriverPartBuilds: packages that build are analysed even when
// others do not (as caddy v2.6.4's, whose quic-go v0.32.0 refuses Go
// 1.21 and later with a constant of the wrong type in a file built only
// from go1.21 on): the result keeps their findings and says what did not
// build. The fixture's refuse package is that file in small.
func TestVetDriverPartBuilds(t *testing.T) {
	t.Parallel()
	bin := buildGocompat(t)
	dir := t.TempDir()
	testbin.WriteFiles(t, dir, map[string]string{
		"go.mod":                 "module example.com/part\n\ngo 1.21\n",
		"refuse/refuse_go121.go": "//go:build go1.21\n\npackage refuse\n\nvar _ int = \"This version can't be built on Go 1.21 yet.\"\n",
		"refuse/refuse.go":       "package refuse\n\nfunc F() {}\n",
		"uses/uses.go":           "package uses\n\nimport \"example.com/part/refuse\"\n\nfunc G() { refuse.F() }\n",
		"good/good.go":           "package good\n\nfunc Ptrs(xs []int) []*int {\n\tvar out []*int\n\tfor _, x := range xs {\n\t\tout = append(out, &x)\n\t}\n\treturn out\n}\n",
	})
	ctx := context.Background()
	for name, analyze := range map[string]func() (*loopvar.Result, error){
		"vet":        func() (*loopvar.Result, error) { return loopvar.AnalyzeVet(ctx, bin, dir, []string{"./..."}) },
		"in process": func() (*loopvar.Result, error) { return loopvar.AnalyzeInProcess(ctx, dir, []string{"./..."}) },
	} {
		res, err := analyze()
		if err != nil {
			t.Errorf("%s: the packages that build were not analysed: %v", name, err)
			continue
		}
		for _, want := range []string{"do not build", "refuse_go121.go:5:"} {
			if !strings.Contains(res.NotBuilt, want) {
				t.Errorf("%s: NotBuilt %q lacks %q", name, res.NotBuilt, want)
			}
		}
		found := false
		for _, f := range res.Findings {
			if strings.HasSuffix(f.Location.File, "good.go") && f.Check == loopvar.ChangesBehaviour.ID {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: good.go's loop (its &x is returned) is not reported as changing: %v", name, res.Findings)
		}
	}
}

// go vet -json output that is not what the driver asked for is an error,
// never a panic or a silently empty result.
func FuzzDecodeVetJSON(f *testing.F) {
	f.Add(`{}`)
	f.Add(`{"p": {"loopvar": [{"category": "loopvar/no-change {\"severity\":\"info\",\"fix\":\"\",\"details\":{}}", "posn": "/m/p.go:3:6", "end": "/m/p.go:3:7", "message": "m"}]}}`)
	f.Add(`{"p": {"loopvar": [{"category": "loopvar/no-change", "posn": "/m/p.go:3:6", "end": "/m/p.go:3:7", "message": "m"}]}}`)
	f.Add(`{"p [p.test]": {"loopvar": {"error": "internal error"}}}`)
	f.Add(`{"p": {"loopvar": [{"category": "loopvar/redundant-copy {\"severity\":\"warning\",\"fix\":\"f\",\"details\":{\"v\":\"k\"}}", "posn": "p.go:1:1", "end": "p.go:x", "message": "m", "suggested_fixes": [{"message": "r", "edits": [{"filename": "p.go", "start": 1, "end": 4, "new": ""}]}]}]}}`)
	f.Fuzz(func(t *testing.T, s string) {
		res, err := loopvar.DecodeVetJSON("/m", strings.NewReader(s))
		if err == nil && res == nil {
			t.Fatal("nil result without an error")
		}
	})
}

func TestDecodeVetJSONErrors(t *testing.T) {
	for in, want := range map[string]string{
		`{"p [p.test]": {"loopvar": {"error": "internal error x"}}}`:                                        "analyse p: internal error x",
		`{"p": {"loopvar": [{"category": "loopvar/no-change", "posn": "p.go:1:1", "end": "p.go:1:2"}]}}`:    "carries no record",
		`{"p": {"loopvar": [{"category": "loopvar/nope {}", "posn": "p.go:1:1", "end": "p.go:1:2"}]}}`:      "unknown check",
		`{"p": {"loopvar": [{"category": "loopvar/no-change {\"severity\":\"info\"}", "posn": "p.go:1"}]}}`: "not file:line:column",
		`{"p": `: "read go vet -json output",
	} {
		_, err := loopvar.DecodeVetJSON("/m", strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("DecodeVetJSON(%s) = %v, want an error with %q", in, err, want)
		}
	}
}

// Two copies of a module, with GOFLAGS=-trimpath: the second copy's
// findings and edits name its own files, not results replayed from the
// cache with the first copy's paths (which --fix would then rewrite).
func TestVetDriverCopiesWithTrimpath(t *testing.T) {
	bin := buildGocompat(t) // before GOFLAGS changes
	t.Setenv("GOFLAGS", "-trimpath")
	var dirs []string
	for range 2 {
		dir := filepath.Join(t.TempDir(), "new")
		if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "new"))); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	for _, dir := range dirs {
		res, err := loopvar.AnalyzeVet(context.Background(), bin, dir, []string{"./..."})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) == 0 || len(res.Edits) == 0 {
			t.Fatalf("%s: %d findings, %d edits; the check would be empty", dir, len(res.Findings), len(res.Edits))
		}
		for _, f := range res.Findings {
			if filepath.IsAbs(f.Location.File) || strings.HasPrefix(f.Location.File, "..") {
				t.Errorf("%s: finding in %s, outside the module", dir, f.Location.File)
			}
		}
		for _, e := range res.Edits {
			if !strings.HasPrefix(e.File, dir+string(filepath.Separator)) {
				t.Errorf("%s: edit of %s, outside the module", dir, e.File)
			}
		}
	}
}

// A go.mod without a go directive means go1.16 (the go command reports
// it as go 1.16, like a stated one): a finding says so and cites the
// modules reference for it, in both drivers.
func TestNoGoDirective(t *testing.T) {
	t.Parallel()
	bin := buildGocompat(t)
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/nogo\n")
	write("p.go", "package p\n\nfunc F(xs []int, c chan int) {\n\tfor _, x := range xs {\n\t\tgo func() { c <- x }()\n\t}\n}\n")
	ctx := context.Background()
	in, err := loopvar.AnalyzeInProcess(ctx, dir, []string{"./..."})
	if err != nil {
		t.Fatal(err)
	}
	vet, err := loopvar.AnalyzeVet(ctx, bin, dir, []string{"./..."})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, vet) {
		a, _ := json.MarshalIndent(in, "", " ")
		b, _ := json.MarshalIndent(vet, "", " ")
		t.Fatalf("results differ\nin process:\n%s\ngo vet:\n%s", a, b)
	}
	if len(in.Findings) != 1 {
		t.Fatalf("%d findings, want 1: %+v", len(in.Findings), in.Findings)
	}
	f := in.Findings[0]
	if f.Check != loopvar.ChangesBehaviour.ID || f.Details["version"] != facts.DefaultGoLine || !strings.Contains(f.Message, "or the lack of one, which means go1.16") {
		t.Errorf("finding %s, version %q: %s", f.Check, f.Details["version"], f.Message)
	}
	if !slices.Contains(f.Sources, facts.SrcGoLineDefault) {
		t.Errorf("sources %v lack %v", f.Sources, facts.SrcGoLineDefault)
	}
	for _, s := range loopvar.ChangesBehaviour.Sources {
		if !slices.Contains(f.Sources, s) {
			t.Errorf("sources %v lack the check's %v", f.Sources, s)
		}
	}
}
