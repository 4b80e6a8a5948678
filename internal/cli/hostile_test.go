package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileTextIsEscaped: a unit file name and a Dockerfile line with
// terminal escape sequences (ESC]0;…BEL sets the window title, ESC[2J
// clears the screen) reached the terminal raw in text output and in the
// one-line error on stderr.
func TestFileTextIsEscaped(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"deploy/app\x1b]0;owned\x07.service": "[Service]\nExecStart=/usr/bin/app\nEnvironment=GODEBUG=x\x1b[2J=1\n",
		"Dockerfile":                         "FROM golang:1.22\nENV GOFLAGS=\"\x1b[2J-bad\"\nRUN go build -o /app .\n",
	}
	for f, s := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, out, errOut := runCLI(t, "deploy", "--fail-on", "never", dir)
	if strings.ContainsAny(out+errOut, "\x1b\x07") {
		t.Errorf("raw escape in output:\n%q\nstderr %q", out, errOut)
	}
	if !strings.Contains(out, `app\x1b]0;owned\x07.service`) {
		t.Errorf("the unit is not named, escaped, in:\n%s", out)
	}
	code, _, errOut := runCLI(t, "upgrade", filepath.Join(dir, "no\x1b]0;such\x07dir"))
	if code != 2 || strings.ContainsAny(errOut, "\x1b\x07") || !strings.Contains(errOut, `no\x1b]0;such\x07dir`) {
		t.Errorf("exit %d, stderr %q; want exit 2 and the name escaped", code, errOut)
	}
}
