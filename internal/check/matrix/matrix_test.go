package matrix

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/module"
	"github.com/gocompat/gocompat/internal/testbin"
	"github.com/gocompat/gocompat/internal/toolchains"
)

// treeState maps every file under dir to its bytes' hash, mode and
// modification time; a run must leave all three as they were.
func treeState(t *testing.T, dir string) map[string]string {
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
		h[rel] = fmt.Sprintf("%x %s %s", sha256.Sum256(b), info.Mode(), info.ModTime().Format(time.RFC3339Nano))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// matrixReleases are the releases of the acceptance run: the two older
// ones are the only toolchains this test downloads (shared with the other
// tests through the module cache); the third is the installed one.
func matrixReleases(t *testing.T) (string, []string) {
	testbin.Toolchain(t, testbin.Go121)
	testbin.Toolchain(t, testbin.Go122)
	src := &toolchains.Source{Environ: os.Environ()}
	inst, err := src.Installed(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return inst.Version, []string{"1.21", "1.22", inst.Lang()}
}

func runMatrix(t *testing.T, fixture string, releases []string) (*Result, string) {
	t.Helper()
	dir := copyTree(t, fixture)
	before := treeState(t, dir)
	var progress strings.Builder
	res, err := Run(context.Background(), Options{Dir: dir, Releases: releases, Test: true, Environ: os.Environ(), Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if after := treeState(t, dir); !reflect.DeepEqual(before, after) {
		t.Fatalf("the run changed the module:\nbefore %v\nafter  %v", before, after)
	}
	if len(res.Unavailable) > 0 {
		t.Fatalf("unavailable: %v", res.Unavailable)
	}
	return res, progress.String()
}

func dump(res *Result) string {
	var b strings.Builder
	for _, r := range res.Table.Rows {
		fmt.Fprintf(&b, "%s\n", strings.Join(r, "\t"))
	}
	for _, f := range res.Findings {
		fmt.Fprintf(&b, "%s %s %s: %s\n", f.Location, f.Severity, f.Check, strings.ReplaceAll(f.Message, "\n", " | "))
	}
	return b.String()
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

// TestMatrixLoopSemantics: loop121's test passes at its go line (1.21)
// under every release and fails once the go line is raised to 1.22 or
// later; the cause is the loop, bisected by the upgrade attribution.
func TestMatrixLoopSemantics(t *testing.T) {
	inst, releases := matrixReleases(t)
	res, progress := runMatrix(t, "testdata/loop121", releases)
	if got := res.FirstFailing["example.com/loop121"]; got != testbin.Go122 {
		t.Errorf("first failing release = %q, want %s\n%s", got, testbin.Go122, dump(res))
	}
	want := [][]string{
		{"example.com/loop121", testbin.Go121, "1.21", "pass", "pass", "pass"},
		{"example.com/loop121", testbin.Go122, "1.21", "pass", "pass", "pass"},
		{"example.com/loop121", testbin.Go122, "1.22 (raised)", "pass", "pass", "FAIL (1)"},
		{"example.com/loop121", inst, "1.21", "pass", "pass", "pass"},
		{"example.com/loop121", inst, strings.Join(strings.Split(releases[2], ".")[:2], ".") + " (raised)", "pass", "pass", "FAIL (1)"},
	}
	if !reflect.DeepEqual(res.Table.Rows, want) {
		t.Errorf("table:\n%s", dump(res))
	}
	loops := byCheck(res.Findings, "upgrade/test-broken-by-loop")
	if len(loops) != 1 || loops[0].Location.String() != "counter.go:10:6" || loops[0].Details["release"] != testbin.Go122 || loops[0].Details["variable"] != "i" {
		t.Errorf("test-broken-by-loop:\n%s", dump(res))
	}
	later := byCheck(res.Findings, Failure.ID)
	if len(later) != 1 || later[0].Details["release"] != inst || !strings.Contains(later[0].Message, "TestSteps") {
		t.Errorf("failure at the later release:\n%s", dump(res))
	}
	if !strings.Contains(progress, "attributing example.com/loop121.TestSteps") {
		t.Errorf("progress:\n%s", progress)
	}
}

// TestMatrixNewAPI: api124 calls crypto/rand.Text (Go 1.24) under a go
// 1.21 line. Go 1.21 and 1.22 cannot build it; the installed release
// builds it, and its vet's stdversion check names the symbol.
func TestMatrixNewAPI(t *testing.T) {
	inst, releases := matrixReleases(t)
	res, _ := runMatrix(t, "testdata/api124", releases)
	if got := res.FirstFailing["example.com/api124"]; got != testbin.Go121 {
		t.Errorf("first failing release = %q, want %s\n%s", got, testbin.Go121, dump(res))
	}
	byRelease := map[string][]string{}
	for _, f := range byCheck(res.Findings, StdlibSymbolTooNew.ID) {
		if f.Location.String() != "token.go:8:33" || f.Details["symbol"] != "rand.Text" || f.Details["since"] != "go1.24" {
			t.Errorf("finding %v %v", f.Location, f.Details)
		}
		byRelease[f.Details["release"]] = append(byRelease[f.Details["release"]], f.Details["goLine"])
	}
	wantBy := map[string][]string{testbin.Go121: {"1.21"}, testbin.Go122: {"1.21", "1.22"}, inst: {"1.21"}}
	if !reflect.DeepEqual(byRelease, wantBy) {
		t.Errorf("stdlib-symbol-too-new by release = %v, want %v\n%s", byRelease, wantBy, dump(res))
	}
	if n := len(res.Findings) - len(byCheck(res.Findings, StdlibSymbolTooNew.ID)); n != 0 {
		t.Errorf("%d other findings:\n%s", n, dump(res))
	}
	last := res.Table.Rows[len(res.Table.Rows)-1]
	if !reflect.DeepEqual(last[3:], []string{"pass", "pass", "pass"}) || !strings.HasSuffix(last[2], "(raised)") {
		t.Errorf("raised to the installed release: %v", last)
	}
}

// TestMatrixOffline: with no proxy and an empty module cache, only the
// installed release can run; the result says which releases it could not
// fetch, and the rest is done.
func TestMatrixOffline(t *testing.T) {
	src := &toolchains.Source{Environ: os.Environ()}
	inst, err := src.Installed(context.Background())
	if err != nil {
		t.Skip(err)
	}
	dir := copyTree(t, "testdata/api124")
	before := treeState(t, dir)
	env := append(os.Environ(), "GOPROXY=off", "GOMODCACHE="+t.TempDir())
	res, err := Run(context.Background(), Options{Dir: dir, Releases: []string{"1.21", inst.Lang()}, Environ: env})
	if err != nil {
		t.Fatal(err)
	}
	if after := treeState(t, dir); !reflect.DeepEqual(before, after) {
		t.Fatal("the run changed the module")
	}
	if len(res.Unavailable) != 1 || !strings.Contains(res.Unavailable[0], "Go 1.21") || !strings.Contains(res.Unavailable[0], "GOPROXY=off") {
		t.Errorf("Unavailable = %q", res.Unavailable)
	}
	if len(res.Rows) != 2 || res.Rows[0].Release.Version != inst.Version || res.Rows[0].Test.Status != Skipped {
		t.Errorf("rows:\n%s", dump(res))
	}
	if !strings.Contains(res.Subjects[0].Attributes["notes"], "Go 1.21") {
		t.Errorf("subject = %v", res.Subjects[0])
	}
}

func TestParseList(t *testing.T) {
	got, err := ParseList(" 1.22, go1.24.3 ,supported,go.mod,")
	if err != nil || !reflect.DeepEqual(got, []string{"1.22", "go1.24.3", "supported", "go.mod"}) {
		t.Errorf("ParseList = %v, %v", got, err)
	}
	for _, bad := range []string{"", "banana", "2.0", "1.22,x"} {
		if _, err := ParseList(bad); err == nil {
			t.Errorf("ParseList(%q): no error", bad)
		}
	}
}

func FuzzParseList(f *testing.F) {
	for _, s := range []string{"1.22,1.24", "supported", "go.mod,1.27.4", ",,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items, err := ParseList(s)
		if err == nil && len(items) == 0 {
			t.Fatalf("ParseList(%q): no items and no error", s)
		}
	})
}

func TestVetCell(t *testing.T) {
	out := []byte("# example.com/m\n{\n\t\"example.com/m\": {\n\t\t\"stdversion\": [\n\t\t\t{\"posn\": \"/m/a.go:8:33\", \"end\": \"/m/a.go:8:37\", \"message\": \"rand.Text requires go1.24 or later (module is go1.21)\"}\n\t\t]\n\t}\n}\n")
	c := vetCell(out, nil)
	if c.Status != Fail || len(c.Vet["stdversion"]) != 1 || c.Vet["stdversion"][0].Posn != "/m/a.go:8:33" {
		t.Errorf("vetCell = %+v", c)
	}
	c = vetCell([]byte("# example.com/m\nvet: ./a.go:8:33: undefined: rand.Text\n"), fmt.Errorf("exit status 1"))
	if c.Status != Fail || len(c.Output) != 1 || !strings.Contains(c.Output[0], "undefined: rand.Text") {
		t.Errorf("vetCell(type error) = %+v", c)
	}
	if c := vetCell(nil, nil); c.Status != Pass {
		t.Errorf("vetCell(empty) = %+v", c)
	}
}

func FuzzVetCell(f *testing.F) {
	f.Add([]byte("# p\n{\"p\": {\"printf\": [{\"posn\": \"a.go:1:2\", \"message\": \"m\"}]}}\n"))
	f.Add([]byte("vet: a.go:1: x\n"))
	f.Add([]byte("{\"p\": {\"error\": {\"error\": \"x\"}}}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		vetCell(b, nil)
		testCell(b, b, nil)
		buildFromTest(b, b, fmt.Errorf("exit status 1"))
	})
}

// TestMatrixToolchainTooOld: Go 1.21 refuses a module whose go line is
// 1.22.0; the row says so and nothing else is run for it.
func TestMatrixToolchainTooOld(t *testing.T) {
	testbin.Toolchain(t, testbin.Go121)
	res, _ := runMatrix(t, "testdata/go122", []string{"1.21"})
	if len(res.Rows) != 1 || res.Rows[0].Build.Status != Fail || res.Rows[0].Vet.Status != NotRun {
		t.Fatalf("rows:\n%s", dump(res))
	}
	fs := byCheck(res.Findings, ToolchainTooOld.ID)
	if len(fs) != 1 || len(res.Findings) != 1 || fs[0].Location.String() != "go.mod:3" || fs[0].Details["requires"] != "1.22.0" ||
		!strings.Contains(fs[0].Message, testbin.Go121+" cannot build this module") {
		t.Errorf("findings:\n%s", dump(res))
	}
}

func TestJobs(t *testing.T) {
	for _, tc := range []struct {
		jobs int
		mem  int64
		want int
	}{
		{jobs: 4, mem: 8 * JobMemory, want: 4},
		{jobs: 4, mem: 2 * JobMemory, want: 2},
		{jobs: 4, mem: JobMemory / 2, want: 1},
		{jobs: 1, mem: 8 * JobMemory, want: 1},
	} {
		m := &run{o: &Options{Jobs: tc.jobs, MemBudget: tc.mem}}
		if got := m.jobs(); got != tc.want {
			t.Errorf("jobs(%d, %d MiB) = %d, want %d", tc.jobs, tc.mem>>20, got, tc.want)
		}
	}
	if memAvailable() <= 0 {
		t.Errorf("MemAvailable not read from /proc/meminfo")
	}
}

// TestWanted expands the --go list without running anything but the
// proxy listing: go.mod from the go line, supported from the facts table.
func TestWanted(t *testing.T) {
	src := &toolchains.Source{Environ: append(os.Environ(), "GOPROXY=off", "GOMODCACHE="+t.TempDir())}
	inst, err := src.Installed(context.Background())
	if err != nil {
		t.Skip(err)
	}
	m := &run{o: &Options{Releases: []string{"go.mod", "1.21"}, Now: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}, src: src, inst: inst}
	got, notes := m.wanted(context.Background(), "1.25.3")
	if got[0] != "1.21" || got[1] != "1.25" || len(notes) != 1 || !strings.Contains(notes[0], "GOPROXY=off") {
		t.Errorf("wanted(go.mod,1.21) = %v, %v", got, notes)
	}
	m.o.Releases = []string{"supported"}
	got, notes = m.wanted(context.Background(), "1.21")
	if !reflect.DeepEqual(got, []string{"1.26", "1.27"}) || len(notes) != 0 {
		t.Errorf("wanted(supported) on 2026-11-30 = %v, %v", got, notes)
	}
}

// TestMatrixVetCheckNew: vet125's WaitGroup.Add inside the goroutine is
// reported by the waitgroup check of the installed release's vet, which
// Go 1.21's vet does not have (go tool vet help of each toolchain).
func TestMatrixVetCheckNew(t *testing.T) {
	inst, releases := matrixReleases(t)
	if less(inst, "go1.25") {
		t.Skipf("%s's vet has no waitgroup check", inst)
	}
	res, _ := runMatrix(t, "testdata/vet125", []string{releases[0], releases[2]})
	fs := byCheck(res.Findings, VetCheckNew.ID)
	if len(fs) != 1 || len(res.Findings) != 1 || fs[0].Details["reportedBy"] != inst+" at go 1.21, "+inst+" at go "+releases[2] {
		t.Fatalf("findings:\n%s", dump(res))
	}
	for _, f := range fs {
		if f.Location.String() != "work.go:12:10" || f.Details["analyzer"] != "waitgroup" || f.Details["absentIn"] != testbin.Go121 || f.Details["release"] != inst {
			t.Errorf("finding %s %v", f.Location, f.Details)
		}
	}
	if got := res.FirstFailing["example.com/vet125"]; got != inst {
		t.Errorf("first failing = %q", got)
	}
}

// TestAttributionFromPlainValues judges rows built by hand from the
// outputs the go command prints, for causes no real toolchain pair here
// produces: a symbol that an older release builds and a newer one leaves
// undefined (no standard library symbol was removed between the releases
// the tests have), build constraints that exclude every file of a
// directory gocompat cannot read, and a file constrained to releases
// before Go 1.23 (//go:build !go1.23: the real files are judged, the
// output is the go command's for such a file).
func TestAttributionFromPlainValues(t *testing.T) {
	dir := t.TempDir()
	testbin.WriteFiles(t, dir, map[string]string{
		"go.mod":    "module example.com/m\n\ngo 1.22\n",
		"old.go":    "//go:build !go1.23\n\npackage m\n\nfunc legacy() int { return 1 }\n",
		"use.go":    "package m\n\nfunc Use() int { return legacy() }\n",
		"x509.go":   "package m\n",
		"m_test.go": "package m\n",
	})
	mod := &module.Module{Dir: dir, Rel: ".", GoModRel: "go.mod", Mod: &module.GoMod{Module: "example.com/m", Go: "1.22", GoLine: 3}}
	old := &Row{Module: mod, Release: toolchains.Toolchain{Version: "go1.22.12"}, GoLine: "1.22",
		Build: Cell{Status: Pass}, Vet: Cell{Status: Pass}, Test: Cell{Status: Pass}}
	removed := &Row{Module: mod, Release: toolchains.Toolchain{Version: "go1.26.8"}, GoLine: "1.22",
		Build: Cell{Status: Fail, Output: []string{"# example.com/m", "./x509.go:7:12: undefined: x509.Gone", "./use.go:3:31: undefined: legacy"}},
		Vet:   Cell{Status: Fail, Output: []string{"vet: ./x509.go:7:12: undefined: x509.Gone"}}, Test: Cell{Status: NotRun}}
	tagged := &Row{Module: mod, Release: toolchains.Toolchain{Version: "go1.26.8"}, GoLine: "1.26", Raised: true,
		Build: Cell{Status: Fail, Output: []string{"package example.com/m/sub: build constraints exclude all Go files in " + filepath.Join(dir, "sub")}},
		Vet:   Cell{Status: Pass}, Test: Cell{Status: Pass}}
	a := &attribution{run: &run{o: &Options{Dir: dir}, inst: toolchains.Toolchain{Version: "go1.22.12"}}, mod: mod, rows: []*Row{old, removed, tagged}, goLine: "1.22"}
	if err := a.explain(context.Background()); err != nil {
		t.Fatal(err)
	}
	res := &Result{Findings: a.findings}
	api := byCheck(a.findings, APIRemoved.ID)
	if len(api) != 1 || api[0].Location.String() != "x509.go:7:12" || api[0].Details["builtWith"] != "go1.22.12" || api[0].Details["undefined"] != "x509.Gone" {
		t.Errorf("api-removed:\n%s", dump(res))
	}
	bc := byCheck(a.findings, BuildConstraint.ID)
	if len(bc) != 2 {
		t.Fatalf("build-constraint:\n%s", dump(res))
	}
	if f := bc[0]; f.Location.String() != "old.go:1" || f.Details["constraint"] != "//go:build !go1.23" || f.Details["tag"] != "go1.23" ||
		f.Details["includedBy"] != "go1.22.12" || f.Details["usedAt"] != "use.go:3:31" || !strings.Contains(f.Message, "from go1.23 on the file is left out") {
		t.Errorf("build-constraint of a newer release: %s %v %s", f.Location, f.Details, f.Message)
	}
	if f := bc[1]; f.Details["release"] != "go1.26.8" || f.Location.String() != "go.mod:3" || !strings.Contains(f.Message, "build constraints exclude all Go files in sub") {
		t.Errorf("build-constraint of a missing directory:\n%s", dump(res))
	}
	if len(a.findings) != 3 {
		t.Errorf("findings:\n%s", dump(res))
	}
}

// TestMatrixBuildConstraint: constraint121's reset is declared only in a
// file constrained to go1.22 under a go 1.21 line. Go 1.21's build fails
// with "undefined: reset"; Go 1.22 and the installed release build it.
// The cause named is the constraint, at the constrained file.
func TestMatrixBuildConstraint(t *testing.T) {
	inst, releases := matrixReleases(t)
	res, _ := runMatrix(t, "testdata/constraint121", releases)
	if got := res.FirstFailing["example.com/constraint121"]; got != testbin.Go121 {
		t.Errorf("first failing release = %q, want %s\n%s", got, testbin.Go121, dump(res))
	}
	fs := byCheck(res.Findings, BuildConstraint.ID)
	if len(fs) != 1 || len(res.Findings) != 1 {
		t.Fatalf("findings:\n%s", dump(res))
	}
	f := fs[0]
	want := map[string]string{"release": testbin.Go121, "goLine": "1.21", "undefined": "reset", "usedAt": "cache.go:18:27",
		"file": "clear_go122.go", "constraint": "//go:build go1.22", "includedBy": testbin.Go122, "tag": "go1.22"}
	for k, v := range want {
		if f.Details[k] != v {
			t.Errorf("details[%s] = %q, want %q", k, f.Details[k], v)
		}
	}
	if f.Location.String() != "clear_go122.go:1" || !strings.Contains(f.Message, "go1.1 to go1.21") || !strings.Contains(f.Fix, "raise the go line to 1.22") {
		t.Errorf("finding: %s %s / %s", f.Location, f.Message, f.Fix)
	}
	for _, r := range res.Rows {
		if failed := r.failed(); failed != (r.Release.Version == testbin.Go121) {
			t.Errorf("%s at go %s failed: %v (installed %s)\n%s", r.Release.Version, r.GoLine, failed, inst, dump(res))
		}
	}
}

// TestMatrixBuildConstraintPackage: every file of constraintpkg121/sub is
// constrained to go1.22, so Go 1.21 says that build constraints exclude
// all its files; the finding points at the file whose constraint does it.
func TestMatrixBuildConstraintPackage(t *testing.T) {
	testbin.Toolchain(t, testbin.Go121)
	res, _ := runMatrix(t, "testdata/constraintpkg121", []string{"1.21"})
	fs := byCheck(res.Findings, BuildConstraint.ID)
	if len(fs) != 1 || len(res.Findings) != 1 {
		t.Fatalf("findings:\n%s", dump(res))
	}
	f := fs[0]
	if f.Location.String() != "sub/half.go:1" || f.Details["constraint"] != "//go:build go1.22" || f.Details["tag"] != "go1.22" ||
		f.Details["release"] != testbin.Go121 || !strings.Contains(f.Message, "build constraints exclude all Go files in sub") {
		t.Errorf("finding: %s %v\n%s", f.Location, f.Details, dump(res))
	}
}

// TestMatrixLinkname: linkname122 pulls runtime.mcount with
// //go:linkname. Go 1.22 links it; the installed release's linker (Go
// 1.23 and later) refuses it, so the build of its command and the test
// binary fail there. The cause named is the linkname, at its directive.
func TestMatrixLinkname(t *testing.T) {
	inst, releases := matrixReleases(t)
	if !facts.LinknameChecked(inst) {
		t.Skipf("%s's linker does not check linkname references", inst)
	}
	res, _ := runMatrix(t, "testdata/linkname122", releases[1:])
	if got := res.FirstFailing["example.com/linkname122"]; got != inst {
		t.Errorf("first failing release = %q, want %s\n%s", got, inst, dump(res))
	}
	fs := byCheck(res.Findings, APIRemoved.ID)
	if len(fs) != 2 || len(res.Findings) != 2 {
		t.Fatalf("findings:\n%s", dump(res))
	}
	for i, f := range fs {
		want := map[string]string{"release": inst, "goLine": []string{"1.22", releases[2]}[i], "symbol": "runtime.mcount", "package": "example.com/linkname122",
			"cause": "linkname", "builtWith": testbin.Go122, "since": "go1.23"}
		for k, v := range want {
			if got := f.Details[k]; got != v && !(k == "goLine" && strings.HasPrefix(got, v)) {
				t.Errorf("finding %d: details[%s] = %q, want %q", i, k, got, v)
			}
		}
		if f.Location.String() != "threads.go:9:1" || !strings.Contains(f.Message, "invalid reference to runtime.mcount") || len(f.Sources) < 3 || f.Sources[1].URL != "https://go.dev/doc/go1.23#linker" {
			t.Errorf("finding %d: %s %s %v", i, f.Location, f.Message, f.Sources)
		}
	}
}

// FuzzCauses feeds arbitrary Go files and output lines to what reads
// them for the causes: the constraint line, the declarations, the
// linker's refusal.
func FuzzCauses(f *testing.F) {
	f.Add([]byte("//go:build go1.22\n\npackage p\n\nfunc reset() {}\n"), "reset")
	f.Add([]byte("// +build !go1.23\n\npackage p\n\nvar a, reset = 1, 2\n"), "reset")
	f.Add([]byte("link: example.com/p: invalid reference to runtime.mcount"), "p")
	f.Fuzz(func(t *testing.T, b []byte, name string) {
		if n, l := constraintLineOf(b); n < 1 || l != "" && !strings.Contains(string(b), l) {
			t.Fatalf("constraintLineOf = %d, %q", n, l)
		}
		declaresIn("fuzz.go", b, name)
		if m := linknameRE.FindStringSubmatch(strings.TrimSpace(string(b))); m != nil && (m[1] == "" || m[2] == "") {
			t.Fatalf("linknameRE = %q", m)
		}
	})
}

// TestBuildFromTest judges the build from go test -json output as the
// releases print it (captured from go1.21.13 and go1.26.8 on a module
// whose package p has a compile error in p.go and whose package q has
// one only in q_test.go): p's build fails, q's is the test's alone.
func TestBuildFromTest(t *testing.T) {
	failed := fmt.Errorf("exit status 1")
	// Up to Go 1.23: the compiler's output on stderr, text lines on stdout.
	out121 := []byte("{\"Action\":\"start\",\"Package\":\"example.com/bad/cmd/x\"}\n" +
		"FAIL\texample.com/bad/p [build failed]\nFAIL\texample.com/bad/q [build failed]\n")
	errP := "# example.com/bad/p [example.com/bad/p.test]\np/p.go:3:23: undefined: undefinedThing\n"
	errQ := "# example.com/bad/q [example.com/bad/q.test]\nq/q_test.go:5:30: undefined: undefinedArg\nq/q_test.go:5:30: too many arguments in call to G\n\thave (unknown type)\n\twant ()\n"
	c := buildFromTest(out121, []byte("go: downloading example.com/dep v1.0.0\n"+errP+errQ), failed)
	if c.Status != Fail || !reflect.DeepEqual(c.Output, []string{"# example.com/bad/p [example.com/bad/p.test]", "p/p.go:3:23: undefined: undefinedThing"}) {
		t.Errorf("go1.21, p and q: %+v", c)
	}
	if c := buildFromTest(out121, []byte(errQ), failed); c.Status != Pass {
		t.Errorf("go1.21, q alone: %+v", c)
	}
	// From Go 1.24: build-output events.
	ev := func(imp, out string) string {
		b, _ := json.Marshal(map[string]string{"ImportPath": imp, "Action": "build-output", "Output": out})
		return string(b) + "\n"
	}
	q := ev("example.com/bad/q [example.com/bad/q.test]", "# example.com/bad/q [example.com/bad/q.test]\n") +
		ev("example.com/bad/q [example.com/bad/q.test]", "q/q_test.go:5:30: undefined: undefinedArg\n")
	p := ev("example.com/bad/p [example.com/bad/p.test]", "# example.com/bad/p [example.com/bad/p.test]\n") +
		ev("example.com/bad/p [example.com/bad/p.test]", "p/p.go:3:23: undefined: undefinedThing\n")
	if c := buildFromTest([]byte(q+p), nil, failed); c.Status != Fail || len(c.Output) != 2 || c.Output[1] != "p/p.go:3:23: undefined: undefinedThing" {
		t.Errorf("go1.26, p and q: %+v", c)
	}
	if c := buildFromTest([]byte(q), nil, failed); c.Status != Pass {
		t.Errorf("go1.26, q alone: %+v", c)
	}
	// The go command's own error fails the build; a test binary's link
	// failure does not; a passing run passes whatever it printed.
	if c := buildFromTest(nil, []byte("go: go.mod requires go >= 1.22.0 (running go 1.21.13; GOTOOLCHAIN=local)\n"), failed); c.Status != Fail || tooOld(c.Output) != "1.22.0" {
		t.Errorf("too old: %+v", c)
	}
	if c := buildFromTest(nil, []byte("# example.com/bad/q.test\nlink: duplicated definition of symbol x\n"), failed); c.Status != Pass {
		t.Errorf("test link: %+v", c)
	}
	if c := buildFromTest(nil, []byte(errP), nil); c.Status != Pass {
		t.Errorf("exit 0: %+v", c)
	}
}

// TestTestCellOldReleaseText: Go 1.21's go test -json prints "FAIL p
// [build failed]" as text between the events; the events after it are
// read too.
func TestTestCellOldReleaseText(t *testing.T) {
	out := []byte("FAIL\texample.com/bad/p [build failed]\n" +
		"{\"Action\":\"output\",\"Package\":\"example.com/m\",\"Test\":\"TestX\",\"Output\":\"    x_test.go:5: boom\\n\"}\n" +
		"{\"Action\":\"fail\",\"Package\":\"example.com/m\",\"Test\":\"TestX\"}\n")
	c := testCell(out, nil, fmt.Errorf("exit status 1"))
	if c.Status != Fail || !reflect.DeepEqual(c.Failed, []string{"example.com/m.TestX"}) || !reflect.DeepEqual(c.Output, []string{"x_test.go:5: boom"}) {
		t.Errorf("testCell = %+v", c)
	}
}

// TestHasMain: a package main counts, unless //go:build ignore (or the
// old +build form) excludes its file; test files and _ files do not.
func TestHasMain(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\n\ngo 1.21\n")
	write("lib.go", "// Package m.\npackage m\n")
	write("gen.go", "//go:build ignore\n\n// Generator.\npackage main\n")
	write("old.go", "// +build ignore\n\npackage main\n")
	write("main_test.go", "package main\n")
	write("_x/main.go", "package main\n")
	write("testdata/main.go", "package main\n")
	mod := func() *module.Module {
		tree, err := module.Discover(dir)
		if err != nil {
			t.Fatal(err)
		}
		return tree.Modules[0]
	}
	if hasMainFile(mod()) {
		t.Errorf("hasMain: true without a main package")
	}
	write("cmd/x/main.go", "//go:build linux || ignore\n\npackage main\n")
	if !hasMainFile(mod()) {
		t.Errorf("hasMain: false with cmd/x")
	}
}

// TestMatrixVetInGoTest: with gocompat as go test's -toolexec program
// (Options.VetTool, what the gocompat command sets), each row runs one go
// test that also vets, and the table and findings are those of the run
// with go vet on its own, on the fixtures with vet findings (vet125), a
// build failing in some releases with vet's type errors (api124) and a
// test broken by raising the go line (loop121).
func TestMatrixVetInGoTest(t *testing.T) {
	_, releases := matrixReleases(t)
	exe := testbin.Gocompat(t)
	// go test does not vet a package that does not compile (go vet
	// reports its type errors): go vet runs on its own for those rows,
	// api124's three under Go 1.21 and 1.22.
	for fixture, goVets := range map[string]int{"testdata/vet125": 0, "testdata/api124": 3, "testdata/loop121": 0} {
		t.Run(filepath.Base(fixture), func(t *testing.T) {
			want, _ := runMatrix(t, fixture, releases)
			dir := copyTree(t, fixture)
			var progress strings.Builder
			got, err := Run(context.Background(), Options{Dir: dir, Releases: releases, Test: true, Environ: os.Environ(),
				Progress: &progress, VetTool: exe, CacheDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			if dump(got) != dump(want) {
				t.Errorf("with vet in go test:\n%s\nwith go vet:\n%s", dump(got), dump(want))
			}
			if n := strings.Count(progress.String(), ": vet\n"); n != goVets || !strings.Contains(progress.String(), " (in go test), test ") {
				t.Errorf("progress (%d go vet runs, want %d):\n%s", n, goVets, progress.String())
			}
		})
	}
}

// TestVetToolEnvUnwritable: where the cache directory cannot be made
// (here a file is in its way), vet's output could not be kept, so go test
// does not vet (go vet runs on its own).
func TestVetToolEnvUnwritable(t *testing.T) {
	src := &toolchains.Source{Environ: os.Environ()}
	inst, err := src.Installed(context.Background())
	if err != nil {
		t.Skip(err)
	}
	file := filepath.Join(t.TempDir(), "cache")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	m := &run{o: &Options{VetTool: "/bin/true", CacheDir: file}}
	if _, env := m.vetToolEnv(inst); env != nil {
		t.Errorf("vetToolEnv where no directory can be made = %q", env)
	}
	m = &run{o: &Options{VetTool: "/bin/true", CacheDir: t.TempDir()}}
	if _, env := m.vetToolEnv(inst); env == nil {
		t.Errorf("vetToolEnv in a writable cache directory: nil")
	}
}

func TestWithin(t *testing.T) {
	for _, tc := range []struct {
		path, dir string
		want      bool
	}{
		{"/opt/go/src", "/opt/go/src", true},
		{"/opt/go/src/cmd", "/opt/go/src", true},
		{"/opt/go/srcx/m", "/opt/go/src", false},
		{"/opt/go", "/opt/go/src", false},
		{"/home/u/m", "/opt/go/src", false},
		{"/opt/go/src/..x/m", "/opt/go/src", true},
	} {
		if got := within(tc.path, tc.dir); got != tc.want {
			t.Errorf("within(%q, %q) = %v, want %v", tc.path, tc.dir, got, tc.want)
		}
	}
}

// buildFromTest and testCell judge go test -json output as the matrix does
// (testEvents, then the cell).
func buildFromTest(out, stderr []byte, err error) Cell {
	events, _ := testEvents(out)
	return buildFromEvents(events, stderr, err)
}

func testCell(out, stderr []byte, err error) Cell {
	events, _ := testEvents(out)
	return testCellEvents(events, stderr, err)
}
