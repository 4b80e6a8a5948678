package loopvar

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnbuildable runs the real analysis (in process) on a tools-only
// module, a module missing its generated package and a module with a type
// error: the first two are Unbuildable, saying what is missing; the third
// is the user's build failing.
func TestUnbuildable(t *testing.T) {
	for _, tc := range []struct {
		name, mod string
		files     map[string]string
		want      string // "" = not Unbuildable
	}{
		{"tools-only", "example.com/tools", map[string]string{
			"tools.go": "//go:build tools\n\npackage tools\n\nimport _ \"golang.org/x/tools/cmd/stringer\"\n",
		}, "no package to build"},
		{"generated-missing", "example.com/gen", map[string]string{
			"main.go": "package main\n\nimport \"example.com/gen/pb\"\n\nfunc main() { pb.F() }\n",
		}, "example.com/gen/pb"},
		{"type-error", "example.com/bad", map[string]string{
			"main.go": "package main\n\nfunc main() { var x int = \"s\"; _ = x }\n",
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.files["go.mod"] = "module " + tc.mod + "\n\ngo 1.22\n"
			for n, s := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, n), []byte(s), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Setenv("GOPROXY", "off")
			t.Setenv("GOFLAGS", "")
			_, err := Run(context.Background(), "", dir, nil)
			what, ok := Unbuildable(err, tc.mod)
			if tc.name == "tools-only" && err == nil {
				// In process, go/packages loads no package and reports
				// no error: nothing to analyse either way.
				return
			}
			if tc.want == "" {
				if ok {
					t.Errorf("Unbuildable(%v) = %q, want false", err, what)
				}
				return
			}
			if !ok || !strings.Contains(what, tc.want) {
				t.Errorf("Unbuildable(%v) = %q, %v; want one naming %q", err, what, ok, tc.want)
			}
		})
	}
	if _, ok := Unbuildable(errString("packages in /x do not build: no packages to vet"), "example.com/x"); !ok {
		t.Error("go vet's \"no packages to vet\" is not Unbuildable")
	}
	if _, ok := Unbuildable(errString("no required module provides package github.com/other/x; to add it"), "example.com/x"); ok {
		t.Error("a missing dependency is Unbuildable")
	}
}

type errString string

func (e errString) Error() string { return string(e) }
