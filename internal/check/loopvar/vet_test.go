package loopvar_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/check/loopvar"
)

// TestVetTool builds the gocompat binary and runs it under
// go vet -vettool on the testdata modules: it must report exactly the
// findings of loopvar.Run (position and check ID), except that a finding
// Run turned into no-change with the compiler's escape analysis is "may
// change" under plain go vet.
func TestVetTool(t *testing.T) {
	t.Parallel()
	bin := buildGocompat(t)
	for _, m := range []string{"old", "new"} {
		t.Run(m, func(t *testing.T) {
			dir, err := filepath.Abs(filepath.Join("testdata", m))
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("go", "vet", "-vettool="+bin, "-json", "./...")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("go vet -vettool: %v\n%s", err, out)
			}
			// go vet -json prints one JSON object per package, keyed by
			// package ID, then analyzer name.
			vet := map[string]bool{}
			dec := json.NewDecoder(strings.NewReader(string(out)))
			for dec.More() {
				var pkgs map[string]map[string]json.RawMessage
				if err := dec.Decode(&pkgs); err != nil {
					t.Fatalf("decode go vet -json: %v\n%s", err, out)
				}
				for pkg, byAnalyzer := range pkgs {
					var diags []struct{ Posn, Category string }
					if err := json.Unmarshal(byAnalyzer["loopvar"], &diags); err != nil {
						t.Fatalf("%s: %v: %s", pkg, err, byAnalyzer["loopvar"])
					}
					for _, d := range diags {
						rel, err := filepath.Rel(dir, d.Posn)
						if err != nil {
							t.Fatal(err)
						}
						vet[filepath.ToSlash(rel)+" "+d.Category] = true
					}
				}
			}
			fs, err := loopvar.Run(context.Background(), "", dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			run := map[string]bool{}
			for _, f := range fs {
				check := f.Check
				if f.Details["escape-analysis"] != "" {
					// Plain go vet has no step after the analysis to
					// ask the compiler: it says "may change".
					check = loopvar.MayChangeBehaviour.ID
				}
				run[fmt.Sprintf("%s:%d:%d %s", f.Location.File, f.Location.Line, f.Location.Column, check)] = true
			}
			if len(run) == 0 {
				t.Fatal("loopvar.Run found nothing; the comparison would be empty")
			}
			if d := setDiff(run, vet); len(d) > 0 {
				t.Errorf("gocompat loopvar reports, go vet -vettool does not:\n%s", strings.Join(d, "\n"))
			}
			if d := setDiff(vet, run); len(d) > 0 {
				t.Errorf("go vet -vettool reports, gocompat loopvar does not:\n%s", strings.Join(d, "\n"))
			}
			t.Logf("%s: %d findings in both", m, len(run))
		})
	}
}

func setDiff(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// gocompat -V=full, go vet's fingerprint of the tool, names the Go build
// ID that go tool buildid reads from the executable.
func TestVetVersionIsBuildID(t *testing.T) {
	t.Parallel()
	bin := buildGocompat(t)
	want, err := exec.Command("go", "tool", "buildid", bin).Output()
	if err != nil {
		t.Fatalf("go tool buildid: %v", err)
	}
	out, err := exec.Command(bin, "-V=full").Output()
	if err != nil {
		t.Fatalf("gocompat -V=full: %v", err)
	}
	f := strings.Fields(string(out))
	if len(f) < 4 || f[1] != "version" || f[2] != "devel" || f[len(f)-1] != "buildID="+strings.TrimSpace(string(want)) {
		t.Errorf("gocompat -V=full = %q, want \"<path> version devel … buildID=%s\"", out, strings.TrimSpace(string(want)))
	}
}
