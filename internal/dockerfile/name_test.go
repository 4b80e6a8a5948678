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
