package audit

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
)

func TestDiscoverDeploy(t *testing.T) {
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
	got := DiscoverDeploy(dir)
	want := DeployFiles{
		Dockerfiles: []string{"Dockerfile", "build/Dockerfile.prod", "build/api.Dockerfile", "svc/Containerfile"},
		Units:       []string{"deploy/app.service"},
		Workflows:   []string{".github/workflows/ci.yml", ".github/workflows/release.yaml"},
		GitLab:      []string{".gitlab-ci.yml"},
	}
	sort.Strings(got.Dockerfiles)
	sort.Strings(want.Dockerfiles)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DiscoverDeploy =\n%+v\nwant\n%+v", got, want)
	}
}
