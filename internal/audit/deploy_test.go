package audit

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/docs"
	"github.com/gocompat/gocompat/internal/check/deploy"
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

// TestDeployDocPages: every deployment check has its page, with the
// title line the registry declares, and every page has a check.
func TestDeployDocPages(t *testing.T) {
	ids := map[string]bool{}
	for _, c := range deploy.Checks {
		ids[c.ID] = true
		page, ok := docs.Check(c.ID)
		if !ok {
			t.Errorf("%s has no page docs/checks/%s.md", c.ID, c.ID)
			continue
		}
		head := "# " + c.ID + "\n\n" + c.Title + ". Default severity: " + c.Severity.String() + ".\n"
		if !strings.HasPrefix(page, head) {
			t.Errorf("%s: page does not start with %q", c.ID, head)
		}
		for _, sec := range []string{"\n## What it means\n", "\n## How to fix it\n"} {
			if !strings.Contains(page, sec) {
				t.Errorf("%s: page lacks %q", c.ID, strings.TrimSpace(sec))
			}
		}
	}
	for _, id := range docs.CheckIDs() {
		fam, _, _ := strings.Cut(id, "/")
		if (fam == "dockerfile" || fam == "systemd" || fam == "workflow") && !ids[id] {
			t.Errorf("page %s has no check", id)
		}
	}
	reg := Registry()
	for id := range ids {
		if _, ok := reg.Lookup(id); !ok {
			t.Errorf("%s is not registered", id)
		}
	}
}
