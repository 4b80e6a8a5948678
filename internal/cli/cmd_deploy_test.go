package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/sariftest"
)

// deployTree is a Go service with a Dockerfile, a systemd unit and a CI
// workflow, each with one known problem.
var deployTree = map[string]string{
	"go.mod": "module example.com/svc\n\ngo 1.24.0\n",
	"main.go": `package main

import "net/http"

func main() { _ = http.ListenAndServe(":8080", nil) }
`,
	"Dockerfile": `FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/svc .

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/svc /svc
ENTRYPOINT ["/svc"]
`,
	"deploy/svc.service": `[Unit]
Description=svc

[Service]
ExecStart=/opt/gocompat-test-nonexistent/svc
Environment=GOEXPERIMENT=greenteagc
`,
	".github/workflows/ci.yml": `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-go@v5
        with:
          go-version: '1.22'
`,
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestAuditDeploySARIF runs `gocompat audit --format sarif` on the tree:
// the document is valid SARIF that GitHub code scanning accepts, and the
// Dockerfile, the unit and the workflow are reported together, each
// finding on its own file and line.
func TestAuditDeploySARIF(t *testing.T) {
	dir := writeTree(t, deployTree)
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), Invocation{
		Args:   []string{"audit", "--format", "sarif", dir},
		Env:    os.Environ(),
		Stdout: &stdout, Stderr: &stderr,
	})
	if code != ExitFindings {
		t.Fatalf("exit code %d, want %d; stderr: %s", code, ExitFindings, stderr.String())
	}
	type at struct {
		uri  string
		line int
	}
	got := map[string][]at{}
	for _, r := range sariftest.Validate(t, stdout.Bytes()) {
		got[r.RuleID] = append(got[r.RuleID], at{r.URI, r.Line})
	}
	for _, w := range []struct {
		rule string
		at   at
	}{
		{"dockerfile/builder-go-too-old", at{"Dockerfile", 1}},
		{"systemd/build-env-at-runtime", at{"deploy/svc.service", 6}},
		{"workflow/go-older-than-go-mod", at{".github/workflows/ci.yml", 8}},
	} {
		found := false
		for _, a := range got[w.rule] {
			if a == w.at {
				found = true
			}
		}
		if !found {
			t.Errorf("SARIF has no %s at %s:%d; results: %v", w.rule, w.at.uri, w.at.line, got)
		}
	}
}

// TestDeployCommand runs `gocompat deploy` in text form.
func TestDeployCommand(t *testing.T) {
	dir := writeTree(t, deployTree)
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), Invocation{
		Args:   []string{"-C", dir, "deploy"},
		Env:    os.Environ(),
		Stdout: &stdout, Stderr: &stderr,
	})
	if code != ExitFindings {
		t.Fatalf("exit code %d, want %d; stderr: %s", code, ExitFindings, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"Dockerfile:1", "deploy/svc.service:6", ".github/workflows/ci.yml:8", "checked: dockerfile, systemd, workflow"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "[toolchain/") || strings.HasPrefix(out, "toolchain:") {
		t.Errorf("deploy ran the toolchain checks:\n%s", out)
	}
	code = Main(context.Background(), Invocation{Args: []string{"deploy", "a", "b"}, Stdout: &stdout, Stderr: &stderr})
	if code != ExitError {
		t.Errorf("two directories: exit code %d, want %d", code, ExitError)
	}
}
