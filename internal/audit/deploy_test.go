package audit

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"golang.org/x/tools/txtar"
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

// TestDeployStepsShareTheModule: the three deployment steps of one run
// load a module once, so a module that cannot be read is reported once,
// not once per step that needed it.
func TestDeployStepsShareTheModule(t *testing.T) {
	fsys, err := txtar.FS(txtar.Parse([]byte(`-- go.mod --
module example.com/m

go 1.22
require (
-- Dockerfile --
FROM golang:1.22
RUN go build -o /app .
-- deploy/app.service --
[Service]
ExecStart=/app
-- .github/workflows/ci.yml --
on: push
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-go@v5
        with:
          go-version: '1.22'
`)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, fsys); err != nil {
		t.Fatal(err)
	}
	rep := Run(context.Background(), &Target{Dir: dir, Environ: os.Environ(), HostRoot: t.TempDir()}, DeployStepsWith(DeployOptions{}))
	if got, want := rep.Checks, []string{"dockerfile", "systemd", "workflow"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("checks ran: %v, want %v", got, want)
	}
	n := 0
	for _, f := range rep.Findings {
		if f.Check == StepFailed.ID && f.Location.File == "go.mod" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the unreadable module is reported %d times, want once: %+v", n, rep.Findings)
	}
}
