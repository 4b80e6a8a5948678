package discover

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gocompat/gocompat/internal/dockerfile"
)

// TestDockerContext is the build context's choice: the module's root, the
// Dockerfile's directory or the tree's root, whichever holds what the
// Dockerfile copies by a literal path.
func TestDockerContext(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{
		"go.mod", "api/go.mod", "main.go",
		// etcd v3.5.9: tests/functional/Dockerfile lies in the tests
		// module and ADDs . and ./tests/functional/functional.yaml,
		// which only the repository's root holds.
		"tests/go.mod", "tests/functional/functional.yaml",
		// A Dockerfile in a module that copies its own files.
		"svc/go.mod", "svc/main.go", "svc/deploy/app.conf",
		// One that copies files of its own directory only.
		"tools/x/run.sh",
		// One that copies nothing by a literal path.
		"other/go.mod",
	} {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ rel, modFile, src, want string }{
		{"tests/functional/Dockerfile", "tests/go.mod", "FROM fedora:28\nADD . /src\nADD ./tests/functional/functional.yaml /functional.yaml\n", "."},
		{"svc/deploy/Dockerfile", "svc/go.mod", "FROM golang:1.22\nCOPY go.mod main.go ./\nCOPY deploy/app.conf /etc/\n", "svc"},
		{"tools/x/Dockerfile", "", "FROM debian:12\nCOPY run.sh /\n", "tools/x"},
		{"other/deploy/Dockerfile", "other/go.mod", "FROM golang:1.22\nCOPY . .\nCOPY --from=build /x /x\n", "other"},
		// Nothing holds all: the one that holds the most.
		{"svc/deploy/Dockerfile", "svc/go.mod", "FROM golang:1.22\nCOPY main.go missing.go ./\n", "svc"},
	} {
		f := parseDockerfile(t, tc.rel, tc.src)
		dc, _ := DockerContext(root, tc.rel, tc.modFile, f)
		if dc.Dir != tc.want {
			t.Errorf("%s: context %q, want %q", tc.rel, dc.Dir, tc.want)
		}
	}
}

func parseDockerfile(t *testing.T, rel, src string) *dockerfile.File {
	t.Helper()
	f, err := dockerfile.Parse(rel, []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
