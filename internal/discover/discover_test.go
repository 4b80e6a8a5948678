package discover

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
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
