package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestAuditTwiceSameOutput runs `gocompat audit` twice on a real project
// in every format and wants the same bytes and exit code, but for the
// steps' wall times in JSON (issue 11: two runs on coredns and etcd gave
// different findings). The project is github.com/coreos/go-systemd/v22
// v22.7.0, which gocompat requires, so
// the module cache of a machine that built gocompat holds it: real Go
// packages (one with cgo that does not build without libsystemd's
// headers), GitHub workflows and unit files. GOPROXY=off, so that the
// first run cannot change the module cache under the second.
func TestAuditTwiceSameOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs six full audits")
	}
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skipf("go env: %v", err)
	}
	src := filepath.Join(strings.TrimSpace(string(out)), "github.com", "coreos", "go-systemd", "v22@v22.7.0")
	if _, err := os.Stat(filepath.Join(src, "go.mod")); err != nil {
		t.Skipf("the module cache does not hold go-systemd v22.7.0 (go mod download in the gocompat module): %v", err)
	}
	// A writable copy (the module cache's is read-only).
	dir := filepath.Join(t.TempDir(), "go-systemd")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "")
	for _, format := range []string{"text", "json", "sarif"} {
		var outs [2]string
		var codes [2]int
		for i := range outs {
			var stdout, stderr bytes.Buffer
			codes[i] = Main(context.Background(), Invocation{
				Args: []string{"audit", "--format", format, "--color", "never", dir}, Env: os.Environ(),
				Stdout: &stdout, Stderr: &stderr,
			})
			outs[i] = stdout.String()
			if codes[i] == ExitError {
				t.Fatalf("%s: gocompat audit failed: %s", format, stderr.String())
			}
			if format == "json" {
				outs[i] = withoutTimes(t, outs[i])
			}
		}
		if codes[0] != codes[1] {
			t.Errorf("%s: exit codes %d and %d", format, codes[0], codes[1])
		}
		if outs[0] != outs[1] {
			t.Errorf("%s: two runs differ:\n%s", format, firstDiff(outs[0], outs[1]))
			for i, o := range outs {
				for _, l := range strings.Split(o, "\n") {
					if strings.Contains(l, "could not run") {
						t.Logf("run %d: %s", i+1, l)
					}
				}
			}
		}
		if !strings.Contains(outs[0], "workflow/") {
			t.Errorf("%s: the deployment checks did not run on the project's workflows:\n%.2000s", format, outs[0])
		}
	}
}

// firstDiff shows the first differing line of a and b.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + itoa(i+1) + ":\n- " + al[i] + "\n+ " + bl[i]
		}
	}
	return "one output is a prefix of the other"
}

func itoa(i int) string { return strconv.Itoa(i) }
