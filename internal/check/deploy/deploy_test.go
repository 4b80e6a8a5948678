package deploy_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/audit"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// now is the date the cases are judged at, so that end-of-support
// findings do not change as time passes.
var now = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// unpack writes the files of ar under prefix into a new directory.
func unpack(t *testing.T, ar *txtar.Archive, prefix string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range ar.Files {
		name, ok := strings.CutPrefix(f.Name, prefix)
		if !ok || (prefix == "" && strings.HasPrefix(f.Name, "fixed/")) {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// run judges the deployment files of dir; systemd-analyze is not run
// (its messages depend on the installed systemd) and the host root is
// empty, so no ExecStart binary is found.
func run(t *testing.T, dir string) []finding.Finding {
	t.Helper()
	return judgeTree(t, dir, t.TempDir(), "").Findings
}

var wantRE = regexp.MustCompile(`(?m)^want (\S+):(\d+) (\S+)$`)

func render(fs []finding.Finding, dir string) string {
	var b strings.Builder
	for _, f := range fs {
		msg := strings.ReplaceAll(f.Message, dir, "$DIR")
		fmt.Fprintf(&b, "%s %s [%s]\n\t%s\n", f.Location, f.Severity, f.Check, msg)
	}
	return b.String()
}

// TestCases runs every testdata/<family>/<case>.txtar: the broken tree
// must report each `want file:line check` of the archive's comment, and
// match <case>.golden; the fixed/ tree must report none of those checks.
// A case marked `wantnone` is a sound setup that must report nothing.
func TestCases(t *testing.T) {
	files, err := filepath.Glob("testdata/*/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatal("no cases", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(file, ".txtar")
		t.Run(strings.TrimPrefix(name, "testdata/"), func(t *testing.T) {
			t.Parallel()
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			wants := wantRE.FindAllStringSubmatch(string(ar.Comment), -1)
			none := regexp.MustCompile(`(?m)^wantnone$`).Match(ar.Comment)
			if len(wants) == 0 && !none {
				t.Fatal("case has no want or wantnone line")
			}
			dir := unpack(t, ar, "")
			got := run(t, dir)
			if none && len(got) > 0 {
				t.Errorf("want no findings, got:\n%s", render(got, dir))
			}
			ids := map[string]bool{}
			for _, w := range wants {
				ids[w[3]] = true
				found := false
				for _, f := range got {
					if f.Check == w[3] && f.Location.File == w[1] && fmt.Sprint(f.Location.Line) == w[2] {
						found = true
					}
				}
				if !found {
					t.Errorf("want %s at %s:%s; got:\n%s", w[3], w[1], w[2], render(got, dir))
				}
			}
			golden := name + ".golden"
			text := render(got, dir)
			if *update {
				if err := os.WriteFile(golden, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			} else if want, err := os.ReadFile(golden); err != nil {
				t.Errorf("%v (run go test -update)", err)
			} else if string(want) != text {
				t.Errorf("%s differs (run go test -update and review):\ngot:\n%s\nwant:\n%s", golden, text, want)
			}

			if none {
				return
			}
			fixed := unpack(t, ar, "fixed/")
			for _, f := range run(t, fixed) {
				if ids[f.Check] {
					t.Errorf("fixed variant still reports %s at %s: %s", f.Check, f.Location, f.Message)
				}
			}
		})
	}
}

// TestEveryCheckHasACase keeps the testdata complete: each check except
// systemd/analyze-verify (which has its own test) has a case that wants it.
func TestEveryCheckHasACase(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.txtar")
	wanted := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range wantRE.FindAllStringSubmatch(string(txtar.Parse(data).Comment), -1) {
			wanted[m[3]] = true
		}
	}
	var missing []string
	for _, c := range audit.Registry().All() {
		fam := c.Family()
		if (fam == "dockerfile" || fam == "systemd" || fam == "workflow") && !wanted[c.ID] && c.ID != "systemd/analyze-verify" {
			missing = append(missing, c.ID)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("checks without a testdata case: %v", missing)
	}
}

// TestImageFactsCiteSources: a finding that says what an image holds
// (no CA bundle, no zoneinfo, no /etc/passwd, no C compiler) cites the
// sources internal/facts gives for that image.
func TestImageFactsCiteSources(t *testing.T) {
	for _, tc := range []struct{ name, check string }{
		{"missing-ca-certificates", "dockerfile/missing-ca-certificates"},
		{"missing-zoneinfo", "dockerfile/missing-zoneinfo"},
		{"missing-passwd", "dockerfile/missing-passwd"},
		{"cgo-no-c-compiler", "dockerfile/cgo-no-c-compiler"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ar, err := txtar.ParseFile(filepath.Join("testdata", "dockerfile", tc.name+".txtar"))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, f := range run(t, unpack(t, ar, "")) {
				if f.Check != tc.check {
					continue
				}
				n++
				image := f.Details["image"]
				var want []finding.Source
				if img, ok := facts.ParseGolangImage(image); ok {
					want = img.Sources
				} else if p, ok := facts.LookupPreset(image); ok {
					want = p.Sources
				}
				if len(want) == 0 {
					t.Fatalf("internal/facts has no sources for image %q", image)
				}
				for _, s := range want {
					if !slices.Contains(f.Sources, s) {
						t.Errorf("%s on %s does not cite %q; sources: %v", f.Check, image, s.Title, f.Sources)
					}
				}
			}
			if n == 0 {
				t.Fatalf("the case reports no %s", tc.check)
			}
		})
	}
}
