package deps

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/modhealth"
	"github.com/gocompat/gocompat/internal/vulndb"
	"github.com/gocompat/gocompat/internal/vulnscan"
)

// A scan result as vulnscan.Parse reads govulncheck's stream; the
// stream itself is tested in package vulnscan.
func scanResult() *vulnscan.Result {
	frame := func(mod, pkg, fn, file string, line, col int) vulnscan.Frame {
		f := vulnscan.Frame{Module: mod, Package: pkg, Function: fn}
		if file != "" {
			f.Position = &vulnscan.Position{Filename: file, Line: line, Column: col}
		}
		return f
	}
	return &vulnscan.Result{
		MainModule: "example.com/app", DB: "file:///db",
		Vulns: []*vulnscan.Vuln{
			{ID: "GO-2021-0113", Level: vulnscan.Called, Module: "golang.org/x/text", Found: "v0.3.5", Fixed: "v0.3.7",
				Entry:    &vulndb.Entry{ID: "GO-2021-0113", Aliases: []string{"CVE-2021-38561"}, Summary: "Out-of-bounds read"},
				Packages: []string{"golang.org/x/text/language"},
				Traces: [][]vulnscan.Frame{
					{frame("golang.org/x/text", "golang.org/x/text/language", "Parse", "", 0, 0),
						frame("example.com/app", "example.com/app/lang", "Tag", "lang/lang.go", 9, 14),
						frame("example.com/app", "example.com/app", "main", "main.go", 3, 2)},
					{frame("golang.org/x/text", "golang.org/x/text/language", "MustParse", "", 0, 0),
						frame("golang.org/x/text", "golang.org/x/text/language", "Parse", "language/parse.go", 40, 1),
						frame("example.com/app", "example.com/app", "init", "main.go", 20, 5)},
				}},
			{ID: "GO-2024-0001", Level: vulnscan.Called, Module: "stdlib", Found: "v1.22.1", Fixed: "v1.22.5",
				Traces: [][]vulnscan.Frame{{frame("stdlib", "net/http", "Serve", "", 0, 0), frame("example.com/app", "example.com/app", "main", "main.go", 7, 3)}}},
			{ID: "GO-2022-1059", Level: vulnscan.Imported, Module: "golang.org/x/text", Found: "v0.3.5", Fixed: "v0.3.8", Packages: []string{"golang.org/x/text/language"}},
			{ID: "GO-2026-5970", Level: vulnscan.Required, Module: "golang.org/x/text", Found: "v0.3.5"},
		},
	}
}

func TestVulns(t *testing.T) {
	in := VulnInput{GoMod: "go.mod", ModDir: ".", Requires: map[string]int{"golang.org/x/text": 5}, GoLine: 3, ToolchainLine: 4}
	fs := Vulns(scanResult(), in)
	if len(fs) != 4 {
		t.Fatalf("%d findings", len(fs))
	}
	byID := map[string]finding.Finding{}
	for _, f := range fs {
		byID[f.Details["osv"]] = f
	}
	c := byID["GO-2021-0113"]
	// The first call site in the module's own code, over both traces:
	// lang/lang.go:9:14 (Tag calls Parse) comes before main.go:20:5.
	if c.Check != VulnCalled.ID || c.Location.String() != "lang/lang.go:9:14" {
		t.Errorf("called: %s at %s", c.Check, c.Location)
	}
	for _, s := range []string{"GO-2021-0113 (CVE-2021-38561)", "example.com/app/lang.Tag calls golang.org/x/text/language.Parse (vulnerable symbols reached: golang.org/x/text/language.MustParse, golang.org/x/text/language.Parse)", "v0.3.5"} {
		if !strings.Contains(c.Message, s) {
			t.Errorf("called message lacks %q: %s", s, c.Message)
		}
	}
	if c.Fix != "`go get golang.org/x/text@v0.3.7` (then `go mod tidy`)." || c.Details["aliases"] != "CVE-2021-38561" || c.Details["symbols"] != "golang.org/x/text/language.MustParse,golang.org/x/text/language.Parse" {
		t.Errorf("called: fix %q details %v", c.Fix, c.Details)
	}
	s := byID["GO-2024-0001"]
	if !strings.Contains(s.Fix, "go1.22.5") || !strings.Contains(s.Message, "the standard library go1.22.1") || s.Location.String() != "main.go:7:3" {
		t.Errorf("stdlib: %s / %s at %s", s.Message, s.Fix, s.Location)
	}
	if i := byID["GO-2022-1059"]; i.Check != VulnImported.ID || i.Severity != finding.Warning || i.Location.String() != "go.mod:5" {
		t.Errorf("imported: %+v", i)
	}
	if r := byID["GO-2026-5970"]; r.Check != VulnRequired.ID || r.Severity != finding.Info || !strings.Contains(r.Fix, "No version") {
		t.Errorf("required: %+v", r)
	}
	// In binary mode every finding sits on the binary.
	for _, f := range Vulns(scanResult(), VulnInput{Binary: "bin/app"}) {
		if f.Location.File != "bin/app" || f.Location.Line != 0 || f.Details["binary"] != "bin/app" {
			t.Errorf("binary finding at %s", f.Location)
		}
	}
}

func TestDBStale(t *testing.T) {
	mod := time.Date(2026, 8, 21, 0, 0, 0, 0, time.UTC)
	m := vulndb.Meta{URL: "file:///db", Modified: mod}
	if fs := DB(m, mod.Add(6*24*time.Hour), finding.Location{}); len(fs) != 0 {
		t.Errorf("6 days: %v", fs)
	}
	fs := DB(m, mod.Add(10*24*time.Hour), finding.Location{File: "go.mod"})
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "2026-08-21, 10 days ago") {
		t.Errorf("10 days: %+v", fs)
	}
}

func TestHealth(t *testing.T) {
	modDir := t.TempDir()
	if err := os.Mkdir(filepath.Join(modDir, "local"), 0o755); err != nil {
		t.Fatal(err)
	}
	info := &modhealth.Info{
		Offline: "dial tcp: connection refused",
		Modules: []modhealth.Module{
			{Path: "example.com/app", Main: true, GoVersion: "1.22"},
			{Path: "google.golang.org/grpc", Version: "v1.74.0", GoVersion: "1.23.0", Retracted: []string{"v1.74.0 was published prematurely with known issues."}, Update: &struct{ Version string }{"v1.75.0"}},
			{Path: "github.com/golang/protobuf", Version: "v1.5.4", GoVersion: "1.17", Deprecated: `Use the "google.golang.org/protobuf" module instead.`},
			{Path: "example.com/deep", Version: "v1.0.0", Retracted: []string{"oops"}}, // not in go.mod: not ours to fix
		},
		MissingSums: map[string]string{"example.com/x/y": "missing go.sum entry for module providing package example.com/x/y; to add:\n\tgo get"},
	}
	in := HealthInput{
		GoMod: "go.mod", ModDir: modDir, GoVersion: "1.22", GoLine: 3,
		Requires: map[string]int{"google.golang.org/grpc": 6, "github.com/golang/protobuf": 7},
		Replaces: []LocalReplace{{Module: "example.com/gone", Dir: "../gone", Line: 9}, {Module: "example.com/local", Dir: "./local", Line: 10}},
		Info:     info,
		Builds: []Build{{Where: finding.Location{File: "Dockerfile", Line: 1}, What: "the stage at Dockerfile:1", Go: "1.22", Local: true,
			ContextDir: modDir, Copied: []string{"go.mod", "go.sum", "*.go"}, HasContext: true}},
	}
	got := map[string][]finding.Finding{}
	for _, f := range Health(in) {
		got[f.Check] = append(got[f.Check], f)
	}
	want := map[string]int{ProxyUnreachable.ID: 1, Retracted.ID: 1, Deprecated.ID: 1, GoSumMissing.ID: 1, ReplaceNotInContext.ID: 2, DepGoNewer.ID: 2}
	for id, n := range want {
		if len(got[id]) != n {
			t.Errorf("%s: %d findings, want %d: %+v", id, len(got[id]), n, got[id])
		}
	}
	if len(got[UpdateAvailable.ID]) != 0 {
		t.Error("updates without Outdated")
	}
	if r := got[Retracted.ID]; len(r) == 1 && (r[0].Location.Line != 6 || !strings.Contains(r[0].Message, "published prematurely")) {
		t.Errorf("retracted: %+v", r[0])
	}
	if d := got[Deprecated.ID]; len(d) == 1 && d[0].Details["successor"] != "google.golang.org/protobuf" {
		t.Errorf("deprecated: %+v", d[0])
	}
	for _, f := range got[DepGoNewer.ID] {
		if f.Location.File == "Dockerfile" && f.Severity != finding.Error {
			t.Errorf("GOTOOLCHAIN=local build: severity %s", f.Severity)
		}
	}
	in.Offline, in.Outdated = true, true
	got = map[string][]finding.Finding{}
	for _, f := range Health(in) {
		got[f.Check] = append(got[f.Check], f)
	}
	if len(got[ProxyUnreachable.ID]) != 0 || len(got[UpdateAvailable.ID]) != 1 {
		t.Errorf("offline by choice / outdated: %v", got)
	}
}

func TestSuccessor(t *testing.T) {
	for text, want := range map[string]string{
		`Use the "google.golang.org/protobuf" module instead.`:                  "google.golang.org/protobuf",
		"Use go.opentelemetry.io/contrib/detectors/gcp instead.":                "go.opentelemetry.io/contrib/detectors/gcp",
		"This module is no longer maintained.":                                  "",
		"github.com/old/mod is deprecated; use github.com/new/mod/v2 from now.": "github.com/new/mod/v2",
	} {
		if got := successor(text, "github.com/old/mod"); got != want {
			t.Errorf("successor(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestCopied(t *testing.T) {
	for _, tc := range []struct {
		rel     string
		sources []string
		want    bool
	}{
		{"local", []string{"."}, true},
		{"local", []string{"./"}, true},
		{"local", []string{"go.mod", "local/"}, true},
		{"local/sub", []string{"local"}, true},
		{"local", []string{"go.mod", "*.go"}, false},
		{"localx", []string{"local"}, false},
	} {
		if got := copied(tc.rel, tc.sources); got != tc.want {
			t.Errorf("copied(%q, %q) = %v", tc.rel, tc.sources, got)
		}
	}
}

// A build's Go without a patch ("1.23", a floating image tag or a
// setup-go version) is the newest patch of that minor.
func TestGoNewerFloatingVersion(t *testing.T) {
	m := modhealth.Module{Path: "example.com/dep", Version: "v1.0.0", GoVersion: "1.23.4"}
	at := func(int) finding.Location { return finding.Location{File: "go.mod"} }
	for build, want := range map[string]int{"1.23": 0, "1.22": 1, "1.23.2": 1, "1.23.4": 0} {
		in := HealthInput{GoVersion: "1.24", Builds: []Build{{What: "CI", Go: build}}}
		if got := len(goNewer(in, m, "example.com/app", at)); got != want {
			t.Errorf("build Go %s: %d findings, want %d", build, got, want)
		}
	}
}
