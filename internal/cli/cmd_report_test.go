package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/report"
)

// TestReportReplay: a report saved with --format json renders through
// gocompat report --from exactly as the command that made it renders it,
// in every format, with the same exit code; - reads stdin.
func TestReportReplay(t *testing.T) {
	dir := writeTree(t, deployTree)
	code, saved, stderr := runCLI(t, "deploy", dir, "--format", "json")
	if code != ExitFindings {
		t.Fatalf("deploy: exit %d: %s", code, stderr)
	}
	file := filepath.Join(t.TempDir(), "saved.json")
	if err := os.WriteFile(file, []byte(saved), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"text", "json", "sarif"} {
		wantCode, want, _ := runCLI(t, "deploy", dir, "--format", f)
		gotCode, got, stderr := runCLI(t, "report", "--from", file, "--format", f)
		if f == "json" {
			// The replay keeps the saved run's step times; the new run
			// has its own.
			got, want = withoutTimes(t, got), withoutTimes(t, want)
		}
		if gotCode != wantCode || got != want {
			t.Errorf("--format %s: replay exit %d (want %d), stderr %q; differs from the run:\ngot:\n%s\nwant:\n%s", f, gotCode, wantCode, stderr, got, want)
		}
	}
	var out bytes.Buffer
	code = Main(context.Background(), Invocation{Args: []string{"report", "--from", "-", "--fail-on", "never"}, Stdin: strings.NewReader(saved), Stdout: &out})
	if code != ExitOK || !strings.Contains(out.String(), "Dockerfile:1") {
		t.Errorf("--from -: exit %d:\n%s", code, out.String())
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"schemaVersion": "1", "findings": [`), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report"}, "needs --from FILE"},
		{[]string{"report", "--from", file, "extra"}, "takes no arguments"},
		{[]string{"report", "--from", bad}, "bad.json"},
		{[]string{"report", "--from", filepath.Join(dir, "nope.json")}, "nope.json"},
		{[]string{"report", "--from", dir}, "not a regular file"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != ExitError || !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line with %q", tc.args, code, stderr, tc.want)
		}
	}
}

// TestConfigOfTheAuditedDirectory: gocompat deploy DIR (as audit DIR and
// upgrade DIR) uses DIR's .gocompat.yaml, or one above it up to the
// repository root, not the working directory's.
func TestConfigOfTheAuditedDirectory(t *testing.T) {
	files := map[string]string{
		".git/HEAD":      "ref: refs/heads/main\n",
		".gocompat.yaml": "version: 1\ndisable:\n  - dockerfile/builder-go-too-old\n",
	}
	for name, data := range deployTree {
		files["svc/"+name] = data
	}
	repo := writeTree(t, files)
	for _, dir := range []string{repo, filepath.Join(repo, "svc")} {
		rep, _ := runJSON(t, "deploy", dir, "--fail-on", "never")
		if len(rep.Findings) == 0 {
			t.Fatalf("deploy %s: no findings at all", dir)
		}
		for _, f := range rep.Findings {
			if f.Check == "dockerfile/builder-go-too-old" {
				t.Errorf("deploy %s: the check disabled in %s/.gocompat.yaml was reported", dir, repo)
			}
		}
	}
}

// withoutTimes is a JSON report with its steps' times cleared: what two
// runs on the same input may differ in.
func withoutTimes(t *testing.T, js string) string {
	t.Helper()
	rep, err := report.Decode(strings.NewReader(js))
	if err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	rep.ZeroTimes()
	var b bytes.Buffer
	if err := report.Encode(&b, rep); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
