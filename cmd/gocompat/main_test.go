package main_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// build builds this command into a temporary directory.
func build(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go on PATH")
	}
	bin := filepath.Join(t.TempDir(), "gocompat")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestCfgArgumentIsNotVetMode: a last argument ending in .cfg switched
// gocompat into vet-tool mode, so `gocompat binary …/codereview.cfg`
// printed unitchecker's error about "go tool".
func TestCfgArgumentIsNotVetMode(t *testing.T) {
	bin := build(t)
	cfg := filepath.Join(t.TempDir(), "codereview.cfg")
	if err := os.WriteFile(cfg, []byte("gerrit: off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(bin, "binary", cfg).CombinedOutput()
	if bytes.Contains(out, []byte("go tool")) || bytes.Contains(out, []byte("unsupported")) {
		t.Errorf("gocompat binary %s answered as a vet tool:\n%s", cfg, out)
	}
	if !bytes.Contains(out, []byte("codereview.cfg")) {
		t.Errorf("gocompat binary %s does not talk about the file:\n%s", cfg, out)
	}
}

