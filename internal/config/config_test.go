package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		wantErr   string // substring; "" means success
	}{
		{"minimal", "version: 1\n", ""},
		{"full", "version: 1\nfail-on: warning\ndisable:\n  - toolchain/go-shadowed\n  - loopvar/*\nignore:\n  - check: toolchain/gobin-not-on-path\n    reason: ok\n    path: cmd/*.go\n    expires: 2027-01-31\n", ""},
		{"empty", "", "cfg.yaml: empty file"},
		{"no version", "fail-on: error\n", "cfg.yaml:1: missing \"version: 1\""},
		{"wrong version", "version: 2\n", "cfg.yaml:1: unsupported version \"2\""},
		{"unknown key", "version: 1\n\nfial-on: warning\n", "cfg.yaml:3: unknown key \"fial-on\""},
		{"duplicate key", "version: 1\nversion: 1\n", "cfg.yaml:2: duplicate key"},
		{"bad fail-on", "version: 1\nfail-on: sometimes\n", "cfg.yaml:2: fail-on: \"sometimes\""},
		{"disable not list", "version: 1\ndisable: toolchain/go-shadowed\n", "cfg.yaml:2: disable: want a list"},
		{"disable bad id", "version: 1\ndisable:\n  - Toolchain\n", "cfg.yaml:3: disable: check ID \"Toolchain\""},
		{"ignore without reason", "version: 1\nignore:\n  - check: toolchain/go-shadowed\n", "cfg.yaml:3: ignore: ignore of toolchain/go-shadowed has no reason"},
		{"ignore blank reason", "version: 1\nignore:\n  - check: toolchain/go-shadowed\n    reason: \"  \"\n", "has no reason"},
		{"ignore without check", "version: 1\nignore:\n  - reason: x\n", "cfg.yaml:3: ignore: missing check"},
		{"ignore bad date", "version: 1\nignore:\n  - check: a/b\n    reason: x\n    expires: next week\n", "cfg.yaml:5: ignore: expires: \"next week\""},
		{"ignore unknown key", "version: 1\nignore:\n  - check: a/b\n    reason: x\n    until: 2027-01-01\n", "cfg.yaml:5: ignore: unknown key \"until\""},
		{"ignore bad glob", "version: 1\nignore:\n  - check: a/b\n    reason: x\n    path: \"[\"\n", "cfg.yaml:5: ignore: path: bad glob"},
		{"not a mapping", "- a\n- b\n", "cfg.yaml:1: want a mapping"},
		{"tab", "version: 1\n\tfail-on: x\n", "cfg.yaml:2: invalid YAML"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("cfg.yaml", []byte(tc.src))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if cfg.Path != "cfg.yaml" {
					t.Errorf("Path = %q", cfg.Path)
				}
				return
			}
			if err == nil {
				t.Fatalf("Parse succeeded, want error containing %q", tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %q does not contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestParseFull(t *testing.T) {
	cfg, err := Parse("c", []byte("version: 1\nfail-on: never\ndisable: [a/b, c/*]\nignore:\n  - check: x/y\n    reason: because\n    expires: 2027-01-31\n    path: a/**\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.FailOn != "never" || len(cfg.Disable) != 2 || cfg.Disable[1].Check != "c/*" || cfg.Disable[0].Line != 3 {
		t.Errorf("cfg = %+v", cfg)
	}
	ig := cfg.Ignores[0]
	if ig.Check != "x/y" || ig.Reason != "because" || ig.Path != "a/**" || ig.Line != 5 || !ig.Expires.Equal(time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ignore = %+v", ig)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"version: 1\n",
		"version: 1\nfail-on: warning\ndisable: [a/b]\nignore:\n  - check: a/b\n    reason: r\n    expires: 2027-01-01\n",
		"version: 1\n\tfoo",
		"[",
		"version: &a 1\nfail-on: *a\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("f.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, ig := range cfg.Ignores {
			if ig.Reason == "" || validPattern(ig.Check) != nil {
				t.Fatalf("accepted invalid ignore %+v", ig)
			}
		}
	})
}

func TestFindStopsAtRepositoryRoot(t *testing.T) {
	top := t.TempDir()
	repo := filepath.Join(top, "repo")
	sub := filepath.Join(repo, "a", "b")
	must(t, os.MkdirAll(sub, 0o755))
	must(t, os.MkdirAll(filepath.Join(repo, ".git"), 0o755))
	// A config above the repository root is not used.
	must(t, os.WriteFile(filepath.Join(top, ".gocompat.yaml"), []byte("version: 1\n"), 0o644))
	cfg, err := Find(sub)
	if err != nil || cfg != nil {
		t.Fatalf("Find = %v, %v; want nothing above the repository root", cfg, err)
	}
	must(t, os.WriteFile(filepath.Join(repo, ".gocompat.yaml"), []byte("version: 1\nfail-on: info\n"), 0o644))
	cfg, err = Find(sub)
	if err != nil || cfg == nil || cfg.FailOn != "info" {
		t.Fatalf("Find = %+v, %v; want the repository's config", cfg, err)
	}
}

var (
	chkA = finding.Check{ID: "fam/a", Title: "A", Severity: finding.Error}
	chkB = finding.Check{ID: "fam/b", Title: "B", Severity: finding.Warning}
)

func registry() *finding.Registry {
	reg := finding.NewRegistry()
	reg.Add(chkA, chkB, finding.Check{ID: "other/c", Title: "C"})
	reg.Add(Checks...)
	return reg
}

func TestApply(t *testing.T) {
	root := t.TempDir()
	must(t, os.WriteFile(filepath.Join(root, "x.go"), []byte(`package x

//gocompat:ignore fam/a the caller joins the goroutines
var _ = 1 // line 4: finding of fam/a here is ignored

var s = "//gocompat:ignore fam/b not a comment"

//gocompat:ignore fam/b
var _ = 2

//gocompat:ignore fam/a nothing here
`), 0o644))
	cfgPath := filepath.Join(root, ".gocompat.yaml")
	cfg, err := Parse(cfgPath, []byte(`version: 1
disable:
  - other/*
ignore:
  - check: fam/b
    reason: legacy
    path: legacy/*
  - check: fam/b
    reason: was fine once
    expires: 2026-01-01
  - check: fam/a
    reason: nothing matches
    path: nowhere/*
  - check: nosuch/check
    reason: typo
`))
	must(t, err)
	rep := &report.Report{Root: root, Checks: []string{"fam"}, Findings: []finding.Finding{
		{Check: "fam/a", Severity: finding.Error, Location: finding.Location{File: "x.go", Line: 4}},
		{Check: "fam/b", Severity: finding.Warning, Location: finding.Location{File: "legacy/y.go", Line: 1}},
		{Check: "fam/b", Severity: finding.Warning, Location: finding.Location{File: "z.go", Line: 1}},
		{Check: "other/c", Severity: finding.Error},
	}}
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	Apply(rep, cfg, registry(), now)

	got := map[string][]string{}
	for _, f := range rep.Findings {
		key := f.Check
		if f.Suppressed != "" {
			key += " (suppressed)"
		}
		got[key] = append(got[key], f.Location.String())
	}
	want := map[string][]string{
		"fam/a (suppressed)":    {"x.go:4"},
		"fam/b (suppressed)":    {"legacy/y.go:1"},
		"fam/b":                 {"z.go:1"},
		"config/ignore-invalid": {"x.go:8:1"},
		"config/ignore-unused":  {"x.go:11:1", ".gocompat.yaml:11"},
		"config/ignore-expired": {".gocompat.yaml:8"},
		"config/unknown-check":  {".gocompat.yaml:14"},
	}
	for k, v := range want {
		if strings.Join(got[k], ",") != strings.Join(v, ",") {
			t.Errorf("%s at %v, want %v", k, got[k], v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected %s at %v", k, got[k])
		}
	}

	// The day of expiry itself still counts.
	rep2 := &report.Report{Root: root, Checks: []string{"fam"}}
	Apply(rep2, cfg, registry(), time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	for _, f := range rep2.Findings {
		if f.Check == "config/ignore-expired" {
			t.Errorf("ignore expiring 2026-01-01 reported expired on that day")
		}
	}
}

func TestApplyUnusedOnlyForFamiliesThatRan(t *testing.T) {
	root := t.TempDir()
	cfg, err := Parse(filepath.Join(root, ".gocompat.yaml"), []byte("version: 1\nignore:\n  - check: fam/a\n    reason: r\n"))
	must(t, err)
	rep := &report.Report{Root: root, Checks: []string{"toolchain"}}
	Apply(rep, cfg, registry(), time.Now())
	if len(rep.Findings) != 0 {
		t.Fatalf("findings %v; an ignore of a family that did not run is not unused", rep.Findings)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestApplyReadsOnlyFilesWithFindings: inline ignores are looked for only
// in the Go files findings point into; the other Go files of the tree
// (here 200, each with a malformed ignore that a tree scan would report)
// are never opened, and neither are files outside the root.
func TestApplyReadsOnlyFilesWithFindings(t *testing.T) {
	root := t.TempDir()
	for i := range 200 {
		must(t, os.WriteFile(filepath.Join(root, fmt.Sprintf("f%03d.go", i)), []byte("package x\n\n//gocompat:ignore\n"), 0o644))
	}
	must(t, os.WriteFile(filepath.Join(root, "a.go"), []byte("package x\n\n//gocompat:ignore fam/a the reason\nvar _ = 1\n"), 0o644))
	var opened []string
	read := func(p string) ([]byte, error) {
		opened = append(opened, p)
		return readGoFile(p)
	}
	rep := &report.Report{Root: root, Checks: []string{"fam"}, Findings: []finding.Finding{
		{Check: "fam/a", Severity: finding.Error, Location: finding.Location{File: "a.go", Line: 4}},
		{Check: "fam/a", Severity: finding.Error, Location: finding.Location{File: "a.go", Line: 9}},
		{Check: "fam/b", Severity: finding.Warning, Location: finding.Location{File: "../outside.go", Line: 1}},
		{Check: "fam/b", Severity: finding.Warning, Location: finding.Location{File: "/abs/bin/tool", Line: 1}},
		{Check: "fam/b", Severity: finding.Warning, Location: finding.Location{File: "Dockerfile", Line: 1}},
		{Check: "fam/b", Severity: finding.Warning},
	}}
	apply(rep, nil, registry(), time.Now(), read)
	if len(opened) != 1 || opened[0] != filepath.Join(root, "a.go") {
		t.Errorf("opened %v, want only a.go", opened)
	}
	for _, f := range rep.Findings {
		if f.Check == IgnoreInvalid.ID {
			t.Errorf("a file without findings was scanned: %s at %s", f.Message, f.Location)
		}
	}
	if rep.Findings[0].Suppressed == "" {
		t.Errorf("the inline ignore in a.go was not applied: %+v", rep.Findings[0])
	}
}

// A .gocompat.yaml that is no regular file, or too large, is an error
// naming it, not a hang or a huge read.
func TestFindBoundsTheFile(t *testing.T) {
	dir := t.TempDir()
	must(t, os.Mkdir(filepath.Join(dir, ".gocompat.yaml"), 0o755))
	if _, err := Find(dir); err == nil || !strings.Contains(err.Error(), ".gocompat.yaml: not a regular file") {
		t.Errorf("a directory: %v", err)
	}
	dir = t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, ".gocompat.yaml"), []byte("version: 1\n#"+strings.Repeat("x", maxConfigFile)+"\n"), 0o644))
	if _, err := Find(dir); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("a huge file: %v", err)
	}
}
