package vetcfg_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gocompat/gocompat/internal/vetcfg"
)

// realVetConfig has go vet write a real vet.cfg: a vet tool that copies
// its last argument to a file, run by go vet on a one-file module.
func realVetConfig(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go on PATH")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "copied.cfg")
	tool := filepath.Join(dir, "tool")
	// A vet tool must answer -V=full and -flags; this one is a shell
	// script so the test does not build a Go program.
	script := `#!/bin/sh
case "$1" in
-V=full) echo "tool version devel buildID=0123456789abcdef"; exit 0;;
-flags) echo "[]"; exit 0;;
esac
for a; do last="$a"; done
cp "$last" ` + out + `
`
	if err := os.WriteFile(tool, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	mod := filepath.Join(dir, "m")
	os.MkdirAll(mod, 0o755)
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(mod, "m.go"), []byte("package m\n"), 0o644)
	cmd := exec.Command("go", "vet", "-vettool="+tool, ".")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet: %v\n%s", err, b)
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("go vet did not pass a config: %v", err)
	}
	return out
}

// TestIsInvocation: a last argument ending in .cfg switched gocompat
// into vet-tool mode (`gocompat binary …/codereview.cfg` printed an error
// about go tool). Only what go vet really passes is a vet invocation.
func TestIsInvocation(t *testing.T) {
	cfg := realVetConfig(t)
	dir := t.TempDir()
	review := filepath.Join(dir, "codereview.cfg")
	os.WriteFile(review, []byte("gerrit: off\n"), 0o644)
	jsonNotVet := filepath.Join(dir, "other.cfg")
	os.WriteFile(jsonNotVet, []byte(`{"ID": "x"}`), 0o644)
	fifo := filepath.Join(dir, "fifo.cfg")
	if err := exec.Command("mkfifo", fifo).Run(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"-V=full"}, true},
		{[]string{"-flags"}, true},
		{[]string{cfg}, true},
		{[]string{"-json", "-loopvar.records", cfg}, true},
		{[]string{"binary", review}, false},
		{[]string{review}, false},
		{[]string{jsonNotVet}, false},
		{[]string{fifo}, false},
		{[]string{filepath.Join(dir, "missing.cfg")}, false},
		{[]string{"-V=full", "x"}, false},
		{[]string{"loopvar", "./..."}, false},
		{[]string{"audit"}, false},
		{nil, false},
	} {
		if got := vetcfg.IsInvocation(c.args); got != c.want {
			t.Errorf("IsInvocation(%q) = %v, want %v", c.args, got, c.want)
		}
	}
}

func FuzzIsConfig(f *testing.F) {
	f.Add([]byte(`{"ID":"m","Compiler":"gc","Dir":"/m","ImportPath":"m","GoFiles":[],"ImportMap":{},"PackageFile":{}}`))
	f.Add([]byte("gerrit: off\n"))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if vetcfg.IsConfig(data) && !json.Valid(data) {
			t.Fatal("invalid JSON taken for a vet config")
		}
	})
}
