package discover

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestWalkFindsDeployFiles(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{
		"Dockerfile", "build/Dockerfile.prod", "build/api.Dockerfile", "svc/Containerfile",
		"Dockerfile.dockerignore", "internal/dockerfile/dockerfile.go", "docs/Dockerfile.md",
		"deploy/app.service", "deploy/app.service.d/override.conf", "deploy/app.socket",
		".github/workflows/ci.yml", ".github/workflows/release.yaml", ".github/dependabot.yml",
		".gitlab-ci.yml", "sub/.gitlab-ci.yml",
		"vendor/x/Dockerfile", "node_modules/y/Dockerfile", "testdata/Dockerfile",
		".git/Dockerfile", ".cache/z.service",
	} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tree := Walk(dir)
	got := map[string][]string{Dockerfile: tree.Files(Dockerfile), Unit: tree.Files(Unit), Workflow: tree.Files(Workflow), GitLab: tree.Files(GitLab)}
	want := map[string][]string{
		Dockerfile: []string{"Dockerfile", "build/Dockerfile.prod", "build/api.Dockerfile", "svc/Containerfile"},
		Unit:       []string{"deploy/app.service"},
		Workflow:   []string{".github/workflows/ci.yml", ".github/workflows/release.yaml"},
		GitLab:     []string{".gitlab-ci.yml"},
	}
	sort.Strings(got[Dockerfile])
	sort.Strings(want[Dockerfile])
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Walk =\n%+v\nwant\n%+v", got, want)
	}
}

// TestWalkRules: one walk, one set of rules. It never follows a symbolic
// link (a link to a directory outside the tree, or to a file, is not
// entered or listed), skips hidden directories other than .github and the
// SkipDirNames, stops below MaxDepth, and sorts files into kinds: an
// executable file is a binary candidate, go.mod and go.work are listed.
func TestWalkRules(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "Dockerfile"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	deep := strings.Repeat("d/", MaxDepth+1)
	for name, mode := range map[string]os.FileMode{
		"go.mod": 0o644, "sub/go.work": 0o644, "bin/tool": 0o755, "bin/readme": 0o644,
		".hidden/tool": 0o755, "vendor/x/tool": 0o755, deep + "Dockerfile": 0o644,
		strings.Repeat("d/", MaxDepth-1) + "Dockerfile": 0o644,
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(dir, "linked")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "bin", "tool"), filepath.Join(dir, "toollink")); err != nil {
		t.Fatal(err)
	}
	tree := Walk(dir)
	for kind, want := range map[string][]string{
		Executable: {"bin/tool"},
		GoMod:      {"go.mod"},
		GoWork:     {"sub/go.work"},
		Dockerfile: {strings.Repeat("d/", MaxDepth-1) + "Dockerfile"},
	} {
		if got := tree.Files(kind); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", kind, got, want)
		}
	}
	if !InsideModule(filepath.Join(dir, "sub")) || InsideModule(dir) {
		t.Error("InsideModule is wrong about sub (inside) or the root (not inside)")
	}
}
