package action

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestProgressOnATerminalOnly drives gocompat through a pseudo-terminal
// (util-linux script(1) gives the command one as its stderr) and sees
// progress there; with -q, or with stderr piped, there is none, and the
// report on stdout is byte-identical either way.
func TestProgressOnATerminalOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gocompat")
	}
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("script(1) from util-linux is not installed")
	}
	root := repoRoot(t)
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "gocompat")
	build := exec.Command("go", "build", "-o", bin, "./cmd/gocompat")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	mod := filepath.Join(tmp, "mod")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, mod, "go.mod", "module example.com/p\n\ngo 1.22\n")
	write(t, mod, "a.go", "package p\n\nimport \"fmt\"\n\nfunc F(xs []int) {\n\tfor _, x := range xs {\n\t\tx := x\n\t\tfmt.Println(x)\n\t}\n}\n")

	// Piped: the reference output, and nothing on stderr.
	piped := exec.Command(bin, "-C", mod, "loopvar", "--format", "text", "--color", "never", "--fail-on", "never")
	var pipedOut, pipedErr bytes.Buffer
	piped.Stdout, piped.Stderr = &pipedOut, &pipedErr
	if err := piped.Run(); err != nil {
		t.Fatalf("piped run: %v\n%s", err, pipedErr.String())
	}
	if pipedErr.Len() != 0 {
		t.Errorf("piped stderr is not empty: %q", pipedErr.String())
	}

	// onTTY runs the command under a pty. cold gives it an empty build
	// cache, so that its one step (go vet compiling fmt and what it
	// imports) runs well over the second after which a step is shown.
	onTTY := func(cold bool, extra ...string) (stdout []byte, tty string) {
		t.Helper()
		out := filepath.Join(tmp, "out.txt")
		args := append([]string{bin, "-C", mod, "loopvar", "--format", "text", "--color", "never", "--fail-on", "never"}, extra...)
		// script runs the command under a pty; its stdout goes to a
		// file, so only stderr (and script's own lines) reach the pty.
		cmdline := strings.Join(quoteAll(args), " ") + " > " + quote(out)
		cmd := exec.Command("script", "-q", "-e", "-c", cmdline, "/dev/null")
		cmd.Env = append(os.Environ(), "TERM=xterm")
		if cold {
			cmd.Env = append(cmd.Env, "GOCACHE="+t.TempDir())
		}
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("script: %v\n%s", err, b)
		}
		stdout, err = os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return stdout, string(b)
	}
	out, tty := onTTY(true)
	if !bytes.Equal(out, pipedOut.Bytes()) {
		t.Errorf("the report differs when stderr is a terminal")
	}
	if !strings.Contains(tty, "loopvar") {
		t.Errorf("no progress on the terminal: %q", tty)
	}
	out, tty = onTTY(true, "-q")
	if !bytes.Equal(out, pipedOut.Bytes()) {
		t.Errorf("the report differs with -q")
	}
	if strings.TrimSpace(tty) != "" {
		t.Errorf("-q still shows progress: %q", tty)
	}
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = quote(s)
	}
	return out
}
