package dockerfile

import "testing"

func TestIsName(t *testing.T) {
	for name, want := range map[string]bool{
		"Dockerfile":               true,
		"Containerfile":            true,
		"build.Dockerfile":         true,
		"bundle.Dockerfile":        true,
		"Dockerfile.prod":          true,
		"Dockerfile.debug":         true,
		"Dockerfile-release.amd64": true, // issue 11: a name the discovery missed
		"Dockerfile-arm64":         true,
		"Dockerfile_builder":       true,
		"dockerfile.go":            false,
		"dockerfile_test.go":       false,
		"Dockerfile.md":            false,
		"Dockerfile-template.tmpl": false,
		"Dockerfile.dockerignore":  false,
		"Dockerfiles":              false,
		"Dockerfile-":              false,
		"README":                   false,
	} {
		if got := IsName(name); got != want {
			t.Errorf("IsName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestExeName(t *testing.T) {
	for p, want := range map[string]string{
		"example.com/app":                   "app",
		"go.etcd.io/etcd/v3":                "etcd",
		"github.com/go-delve/delve/cmd/dlv": "dlv",
		"github.com/x/tool/v2":              "tool",
		"./cmd/v2":                          "cmd",
		"v2":                                "v2",
	} {
		if got := exeName(p); got != want {
			t.Errorf("exeName(%q) = %q, want %q", p, got, want)
		}
	}
}
