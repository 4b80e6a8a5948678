package module

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const rootMod = `module example.com/root

go 1.21

toolchain go1.21.5

godebug (
	panicnil=1
	asynctimerchan=1
)

require example.com/dep v1.0.0
`

func TestParseGoModLax(t *testing.T) {
	// A line this parser does not know (as from a newer go command):
	// ParseGoMod fails, ParseGoModLax still reads the go line.
	data := []byte("module example.com/new\n\ngo 1.30\n\nfrobnicate on\n")
	if _, err := ParseGoMod("go.mod", data); err == nil {
		t.Fatal("ParseGoMod accepted an unknown directive; pick another for this test")
	}
	m, err := ParseGoModLax("go.mod", data)
	if err != nil || m.Go != "1.30" || m.GoLine != 3 || m.Module != "example.com/new" {
		t.Errorf("ParseGoModLax = %+v, %v", m, err)
	}
	if _, err := ParseGoModLax("go.mod", []byte("module x\ngo bogus bogus\n")); err == nil || !strings.Contains(err.Error(), "go.mod") {
		t.Errorf("ParseGoModLax of a malformed go line: %v", err)
	}
}

func TestParseGoMod(t *testing.T) {
	m, err := ParseGoMod("go.mod", []byte(rootMod))
	if err != nil {
		t.Fatal(err)
	}
	want := &GoMod{
		File: "go.mod", Module: "example.com/root", ModuleLine: 1,
		Go: "1.21", GoLine: 3, GoSpan: Span{25, 32},
		Toolchain: "go1.21.5", ToolchainLine: 5, ToolchainSpan: Span{34, 52},
		Godebug:  []Directive{{"panicnil", "1", 8}, {"asynctimerchan", "1", 9}},
		Requires: []string{"example.com/dep"},
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("ParseGoMod =\n%+v\nwant\n%+v", m, want)
	}
	if got := rootMod[m.GoSpan.Start:m.GoSpan.End]; got != "go 1.21" {
		t.Errorf("GoSpan covers %q", got)
	}
	if got := rootMod[m.ToolchainSpan.Start:m.ToolchainSpan.End]; got != "toolchain go1.21.5" {
		t.Errorf("ToolchainSpan covers %q", got)
	}
}

func TestParseErrorsNameTheFile(t *testing.T) {
	_, err := ParseGoMod("sub/go.mod", []byte("module x\ngo 1.21\nbogus directive\n"))
	if err == nil || !strings.Contains(err.Error(), "sub/go.mod") || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("ParseGoMod error = %v, want one naming sub/go.mod line 3", err)
	}
	_, err = ParseGoWork("go.work", []byte("go 1.22\nuse (\n"))
	if err == nil || !strings.Contains(err.Error(), "go.work") {
		t.Errorf("ParseGoWork error = %v", err)
	}
	_, err = ScanFile("a.go", []byte("package"))
	if err == nil || !strings.Contains(err.Error(), "a.go") {
		t.Errorf("ScanFile error = %v", err)
	}
}

func TestDiscover(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"go.mod":                  rootMod,
		"main.go":                 "//go:debug httpmuxgo121=1\n\n// Command root.\npackage main\n\nfunc main() {}\n",
		"lib/lib.go":              "package lib\n",
		"nested/go.mod":           "module example.com/nested\n\ngo 1.20\n",
		"nested/n.go":             "package nested\n",
		"nested/deeper/d.go":      "package deeper\n",
		"vendor/x/go.mod":         "module x\n",
		"testdata/t/go.mod":       "module t\n",
		".hidden/go.mod":          "module h\n",
		"work/go.work":            "go 1.22\n\nuse (\n\t./a\n\t../nested\n)\n\ngodebug tls10server=1\n",
		"work/a/go.mod":           "module example.com/a\n\ngo 1.22.1\n",
		"work/a/a_test.go":        "//go:debug asynctimerchan=1\npackage a\n",
		"lib/skip/_gen/x.go":      "package x\n",
		"lib/skip/testdata/t.go":  "package t\n",
		"nested/vendor/v/v.go":    "package v\n",
		"nested/deeper/README.md": "not go",
	})
	tr, err := Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range tr.Modules {
		got = append(got, m.Rel+" "+m.GoModRel+" go="+m.Mod.Go+" ws="+m.Workspace+" files="+strings.Join(m.GoFiles, ","))
	}
	want := []string{
		". go.mod go=1.21 ws= files=lib/lib.go,main.go",
		"nested nested/go.mod go=1.20 ws=work/go.work files=deeper/d.go,n.go",
		"work/a work/a/go.mod go=1.22.1 ws=work/go.work files=a_test.go",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("modules:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(tr.Workspaces) != 1 || tr.Workspaces[0].Rel != "work/go.work" || tr.Workspaces[0].Work.Go != "1.22" ||
		len(tr.Workspaces[0].Work.Godebug) != 1 || tr.Workspaces[0].Work.Godebug[0] != (Directive{"tls10server", "1", 8}) {
		t.Errorf("workspaces = %+v", tr.Workspaces[0].Work)
	}
	files, errs := tr.Modules[0].Scan()
	if len(errs) != 0 || len(files) != 2 {
		t.Fatalf("Scan: %v %v", files, errs)
	}
	if d := files[1].Directives; files[1].Package != "main" || len(d) != 1 || d[0] != (Directive{"httpmuxgo121", "1", 1}) {
		t.Errorf("main.go directives = %+v (package %s)", d, files[1].Package)
	}

	// A directory inside a module with no go.mod of its own gives the
	// enclosing module.
	tr, err = Discover(filepath.Join(dir, "lib"))
	if err != nil || len(tr.Modules) != 1 || tr.Modules[0].Rel != ".." || tr.Modules[0].Mod.Module != "example.com/root" {
		t.Errorf("Discover(lib) = %+v, %v", tr, err)
	}
	// A broken go.mod is an error naming it.
	bad := writeTree(t, map[string]string{"x/go.mod": "module\n"})
	if _, err := Discover(bad); err == nil || !strings.Contains(err.Error(), "x/go.mod") {
		t.Errorf("Discover(broken) error = %v", err)
	}
}

func TestScanFile(t *testing.T) {
	src := `// Copyright.

//go:debug asynctimerchan=1
//go:debugger not a directive
//go:debug  panicnil = 1

// Package p.
package p

//go:debug ignored=1

import (
	"net/http"
	tm "time"
	_ "embed"
)

func f(mux *http.ServeMux, s struct{ m *http.ServeMux }) {
	http.HandleFunc("/a", nil)
	mux.Handle("GET /b/{id}", nil)
	s.m.HandleFunc("/c", nil)
	t := tm.NewTimer(tm.Second)
	<-tm.After(1)
	t.Reset(2)
	f(nil, s)
}
`
	f, err := ScanFile("p.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if want := []Directive{{"asynctimerchan", "1", 3}, {"panicnil", "1", 5}}; !reflect.DeepEqual(f.Directives, want) {
		t.Errorf("directives = %+v, want %+v", f.Directives, want)
	}
	if want := []Import{{"net/http", "", 13, 2}, {"time", "tm", 14, 2}, {"embed", "_", 15, 2}}; !reflect.DeepEqual(f.Imports, want) {
		t.Errorf("imports = %+v, want %+v", f.Imports, want)
	}
	var calls []string
	for _, c := range f.Calls {
		s := c.Pkg + "|" + c.Recv + "|" + c.Name
		if c.HasStringArg {
			s += "|" + c.StringArg
		}
		calls = append(calls, s)
	}
	want := []string{
		"net/http||HandleFunc|/a", "|mux|Handle|GET /b/{id}", "|s.m|HandleFunc|/c",
		"time||NewTimer", "time||After", "|t|Reset",
	}
	if !reflect.DeepEqual(calls, want) {
		t.Errorf("calls =\n%s\nwant\n%s", strings.Join(calls, "\n"), strings.Join(want, "\n"))
	}
	if want := []Func{{"f", 18}}; !reflect.DeepEqual(f.Funcs, want) {
		t.Errorf("funcs = %+v, want %+v", f.Funcs, want)
	}
	if c := f.Calls[1]; c.Line != 20 || c.Col != 6 {
		t.Errorf("mux.Handle at %d:%d, want 20:6", c.Line, c.Col)
	}
}

func FuzzParseGoMod(f *testing.F) {
	f.Add([]byte(rootMod))
	f.Add([]byte("module x\ngo 1.22\ngodebug default=go1.21\n"))
	f.Add([]byte("module x\ngo 1.2x\n"))
	f.Add([]byte("module x\ngo 1.30\nfrobnicate on\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		strict, errStrict := ParseGoMod("go.mod", data)
		lax, errLax := ParseGoModLax("go.mod", data)
		if errStrict == nil && (errLax != nil || !reflect.DeepEqual(strict, lax)) {
			t.Errorf("ParseGoModLax = %+v, %v; ParseGoMod = %+v", lax, errLax, strict)
		}
		for _, m := range []*GoMod{strict, lax} {
			if m != nil && (m.GoSpan.End > len(data) || m.GoSpan.Start > m.GoSpan.End || m.ToolchainSpan.End > len(data)) {
				t.Errorf("span out of range: %+v / %d", m, len(data))
			}
		}
		for _, err := range []error{errStrict, errLax} {
			if err != nil && !strings.Contains(err.Error(), "go.mod") {
				t.Errorf("error %q does not name the file", err)
			}
		}
	})
}

func FuzzParseGoWork(f *testing.F) {
	f.Add([]byte("go 1.22\n\nuse (\n\t./a\n\t../b\n)\n\ngodebug tls10server=1\n"))
	f.Add([]byte("use ."))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := ParseGoWork("go.work", data); err != nil && !strings.Contains(err.Error(), "go.work") {
			t.Errorf("error %q does not name the file", err)
		}
	})
}

func FuzzScanFile(f *testing.F) {
	f.Add([]byte("//go:debug a=1\npackage main\nimport \"time\"\nfunc main(){ time.NewTimer(1); x.y.Z(\"s\") }\n"))
	f.Add([]byte("package p\nimport q \"net/http\"\nvar _ = q.Handle(`/x`, nil)\n"))
	f.Add([]byte("//go:debug\npackage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := ScanFile("f.go", data); err != nil && !strings.Contains(err.Error(), "f.go") {
			t.Errorf("error %q does not name the file", err)
		}
	})
}

func TestGoEnv(t *testing.T) {
	user := []string{"HOME=/home/u", "GOFLAGS=-mod=vendor", "GOTOOLCHAIN=go1.99.0+auto", "GOPROXY=https://example.com", "GOWORK=/w/go.work", "PATH=/bin"}
	got := GoEnv(user, "GOFLAGS=-mod=mod", "GOPROXY=off", "GOFLAGS=")
	want := []string{"HOME=/home/u", "PATH=/bin", "GOTOOLCHAIN=local", "GOWORK=off", "GOFLAGS=", "GOPROXY=off"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GoEnv = %q, want %q", got, want)
	}
	if got := GoEnv(nil); !reflect.DeepEqual(got, []string{"GOTOOLCHAIN=local", "GOWORK=off", "GOFLAGS="}) {
		t.Errorf("GoEnv(nil) = %q", got)
	}
}
