package cli

import (
	"os/exec"
	"strings"
	"testing"
)

// TestManPage: gocompat man lists every command and format, and groff
// renders it without a warning.
func TestManPage(t *testing.T) {
	code, out, stderr := runCLI(t, "man")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(out, ".TH GOCOMPAT 1 ") {
		t.Errorf("no .TH header: %.60q", out)
	}
	for _, c := range commands() {
		if !strings.Contains(out, `\fB`+roff(c.name)+`\fR`) {
			t.Errorf("the man page does not list %s", c.name)
		}
	}
	if _, err := exec.LookPath("groff"); err != nil {
		t.Skip("groff is not installed")
	}
	cmd := exec.Command("groff", "-man", "-Tutf8", "-ww", "-z")
	cmd.Stdin = strings.NewReader(out)
	if msg, err := cmd.CombinedOutput(); err != nil || len(msg) > 0 {
		t.Errorf("groff -man -ww: %v\n%s", err, msg)
	}
}
