package modhealth

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func fixture(t *testing.T, dropSum string) string {
	t.Helper()
	src := filepath.Join("..", "audit", "testdata", "deps", "textcall")
	dst := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum", "main.go"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "go.sum" && dropSum != "" {
			var keep []string
			for _, l := range strings.SplitAfter(string(b), "\n") {
				if !strings.Contains(l, dropSum) {
					keep = append(keep, l)
				}
			}
			b = []byte(strings.Join(keep, ""))
		}
		if err := os.WriteFile(filepath.Join(dst, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// Offline (GOPROXY=off), the graph still comes from the module cache
// and Offline says why nothing else is known. The module must be in the
// cache: the proxy fills it on first use.
func TestListOffline(t *testing.T) {
	dir := fixture(t, "")
	if out, err := goCmd(dir, "mod", "download"); err != nil {
		t.Skipf("go mod download (offline?): %v\n%s", err, out)
	}
	info, err := List(context.Background(), dir, append(os.Environ(), "GOPROXY=off"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Offline != "GOPROXY=off" {
		t.Errorf("Offline = %q", info.Offline)
	}
	var text *Module
	for i, m := range info.Modules {
		if m.Path == "golang.org/x/text" {
			text = &info.Modules[i]
		}
	}
	if text == nil || text.Version != "v0.3.5" || len(info.MissingSums) != 0 {
		t.Errorf("modules %+v, missing sums %v", info.Modules, info.MissingSums)
	}
}

// A go.sum without the module's hash: the package that needs it is named.
func TestListMissingSum(t *testing.T) {
	dir := fixture(t, "golang.org/x/text v0.3.5 h1:")
	info, err := List(context.Background(), dir, append(os.Environ(), "GOPROXY=off"))
	if err != nil {
		t.Fatal(err)
	}
	if e := info.MissingSums["golang.org/x/text/language"]; !strings.Contains(e, "missing go.sum entry") {
		t.Errorf("missing sums %v", info.MissingSums)
	}
}

func TestListBadGoMod(t *testing.T) {
	dir := fixture(t, "")
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module m\nrequire (\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := List(context.Background(), dir, os.Environ()); err == nil || !strings.Contains(err.Error(), "go list -m all") {
		t.Errorf("bad go.mod: %v", err)
	}
}

func goCmd(dir string, args ...string) ([]byte, error) {
	out, stderr, err := run(context.Background(), dir, os.Environ(), args...)
	return append(out, stderr...), err
}

// Offline, a module of the graph whose go.mod the module cache lacks
// (one only a dependency's tests need, say) is listed with its error
// instead of failing the whole list: gocompat audit of a repository whose
// cache holds what its build needs, and no more, must not fail.
func TestListOfflineGraphNotInCache(t *testing.T) {
	dir := fixture(t, "")
	if out, err := goCmd(dir, "mod", "download"); err != nil {
		t.Skipf("go mod download (offline?): %v\n%s", err, out)
	}
	gomod := filepath.Join(dir, "go.mod")
	b, err := os.ReadFile(gomod)
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, "\nrequire example.invalid/not-in-any-cache v1.0.0 // indirect\n"...)
	if err := os.WriteFile(gomod, b, 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := List(context.Background(), dir, append(os.Environ(), "GOPROXY=off"))
	if err != nil {
		t.Fatalf("List failed on a module missing from the cache: %v", err)
	}
	var missing *Module
	for i, m := range info.Modules {
		if m.Path == "example.invalid/not-in-any-cache" {
			missing = &info.Modules[i]
		}
	}
	if missing == nil || missing.Error == nil {
		t.Errorf("the missing module is not listed with its error: %+v", info.Modules)
	}
}
