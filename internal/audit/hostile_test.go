package audit

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/finding"
)

// hostileTree lays out a deployment tree with every kind of file that
// made the deployment steps hang, read without end, leave the tree or
// skip a file silently. It returns the tree and a directory outside it.
func hostileTree(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	dir, out := filepath.Join(base, "repo"), filepath.Join(base, "elsewhere")
	files := map[string]string{
		"repo/Dockerfile":                     "FROM scratch\nCOPY app /app\n",
		"repo/docker/base.txt":                "FROM golang:1.22\nRUN go build -o /app .\n",
		"repo/deploy/app.service":             "[Service]\nExecStart=/usr/bin/app\nEnvironmentFile=/etc/app.env\nEnvironmentFile=-/opt/app/extra.env\n",
		"repo/deploy/other.service":           "[Service]\nExecStart=/usr/bin/other\n",
		"elsewhere/app.env":                   "GODEBUG=x=1\n",
		"elsewhere/extra.env":                 "GOGC=50\n",
		"elsewhere/dropins/evil.conf":         "[Service]\nEnvironment=GOMAXPROCS=1\n",
		"elsewhere/Dockerfile":                "FROM scratch\n",
		"repo/.git/HEAD":                      "ref: refs/heads/main\n",
		"repo/.github/workflows/release.yaml": "on: push\n",
	}
	for f, s := range files {
		p := filepath.Join(base, filepath.FromSlash(f))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(s), 0o644))
	}
	for _, f := range []string{".dockerignore", ".github/workflows/ci.yml", "deploy/app.service.d/fifo.conf"} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, syscall.Mkfifo(p, 0o644))
	}
	for link, target := range map[string]string{
		"deploy/app.service.d/zero.conf": "/dev/zero",
		"deploy/extra.env":               filepath.Join(out, "extra.env"),
		"deploy/other.service.d":         filepath.Join(out, "dropins"),
		"etc":                            out,
		"build/Dockerfile":               "../docker/base.txt",
		"out.Dockerfile":                 filepath.Join(out, "Dockerfile"),
	} {
		p := filepath.Join(dir, filepath.FromSlash(link))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.Symlink(target, p))
	}
	return dir
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestDeployStepsHostileTree: named pipes and links to /dev/zero are
// refused at once (they hung the audit or read until memory ran out),
// links out of the tree are refused with a finding (they were followed
// to /etc and beyond), and an in-tree symlinked Dockerfile is checked
// (it was skipped without a word). Every refusal names its file.
func TestDeployStepsHostileTree(t *testing.T) {
	dir := hostileTree(t)
	done := make(chan struct{})
	var refusedFiles, subjects []string
	var other []string
	go func() {
		defer close(done)
		rep, _ := Run(context.Background(), &Target{Dir: dir, Environ: os.Environ()}, StepsOf("dockerfile", "systemd", "workflow"))
		for _, f := range rep.Findings {
			switch f.Check {
			case FileRefused.ID:
				refusedFiles = append(refusedFiles, f.Location.File+": "+f.Message)
			case StepFailed.ID:
				other = append(other, f.Message)
			}
		}
		for _, s := range rep.Subjects {
			subjects = append(subjects, s.Path)
		}
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("the deployment steps did not finish within 60s")
	}
	if len(other) > 0 {
		t.Errorf("steps failed: %q", other)
	}
	sort.Strings(refusedFiles)
	want := map[string]string{
		".dockerignore":                  "is a named pipe",
		".github/workflows/ci.yml":       "is a named pipe",
		"deploy/app.service.d/fifo.conf": "is a named pipe",
		"deploy/app.service.d/zero.conf": "leads out of the audited directory (to /dev/zero)",
		"deploy/extra.env":               "leads out of the audited directory",
		"deploy/other.service.d":         "leads out of the audited directory",
		"etc/app.env":                    "leads out of the audited directory",
		"out.Dockerfile":                 "leads out of the audited directory",
	}
	for file, reason := range want {
		found := false
		for _, r := range refusedFiles {
			if strings.HasPrefix(r, file+": read "+file+": ") && strings.Contains(r, reason) {
				found = true
			}
		}
		if !found {
			t.Errorf("no audit/file-refused finding for %s saying %q; got:\n%s", file, reason, strings.Join(refusedFiles, "\n"))
		}
	}
	if len(refusedFiles) != len(want) {
		t.Errorf("got %d refusals, want %d:\n%s", len(refusedFiles), len(want), strings.Join(refusedFiles, "\n"))
	}
	for _, s := range []string{"Dockerfile", "build/Dockerfile", "deploy/app.service", "deploy/other.service", ".github/workflows/release.yaml"} {
		found := false
		for _, got := range subjects {
			found = found || got == s
		}
		if !found {
			t.Errorf("subject %s not checked; subjects: %q", s, subjects)
		}
	}
}

// TestSystemdAnalyzeTimeoutIsAFinding: a unit that keeps systemd-analyze
// verify busy past the timeout yields systemd/analyze-timeout (it ran
// with no bound, 82 s on 100,000 continuation lines).
func TestSystemdAnalyzeTimeoutIsAFinding(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("[Service]\nExecStart=/bin/true\nEnvironment=A=1 \\\n")
	for range 100000 {
		b.WriteString(" x \\\n")
	}
	b.WriteString(" y\n")
	must(t, os.WriteFile(filepath.Join(dir, "slow.service"), []byte(b.String()), 0o644))
	start := time.Now()
	target := &Target{Dir: dir, Environ: os.Environ(), LookPath: exec.LookPath}
	target.SetOptions("systemd", SystemdOptions{VerifyTimeout: time.Second})
	rep, _ := Run(context.Background(), target, StepsOf("systemd"))
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("the systemd step took %s with a 1s verify timeout", d)
	}
	for _, f := range rep.Findings {
		if f.Check == "systemd/analyze-timeout" && f.Location.File == "slow.service" {
			return
		}
	}
	t.Errorf("no systemd/analyze-timeout finding; findings: %+v", rep.Findings)
}

// TestEmptyModuleIsInfoNotFailure: a module with no packages made audit
// exit 1 with audit/step-failed quoting go vet's "matched no packages"
// warning. It is an info saying what is missing.
func TestEmptyModuleIsInfoNotFailure(t *testing.T) {
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/empty\n\ngo 1.22\n"), 0o644))
	must(t, os.MkdirAll(filepath.Join(dir, "testdata"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "testdata", "x.go"), []byte("package x\n"), 0o644))
	rep, _ := Run(context.Background(), &Target{Dir: dir, Environ: os.Environ()}, StepsOf("loopvar"))
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.Check+" "+f.Severity.String()+": "+f.Message)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Check != ModuleNoPackages.ID || rep.Findings[0].Severity != finding.Info {
		t.Errorf("findings = %q; want one module/no-packages info", got)
	}
}

// TestLongValuesAreClipped: a 10 MB workflow scalar was echoed twice into
// a 20 MB report. Values a file supplies are quoted up to
// finding.MaxQuoted bytes, and no message grows past finding.MaxMessage.
func TestLongValuesAreClipped(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("x", 300_000) // three of them stay under fsread.ConfigLimit, so the file is read
	wf := "on: push\nenv:\n  GOFLAGS: " + long + "\n  GOTOOLCHAIN: go1.22" + long + "\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-go@v5\n        with:\n          go-version-file: " + long + "\n"
	must(t, os.MkdirAll(filepath.Join(dir, ".github", "workflows"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, ".github", "workflows", "ci.yml"), []byte(wf), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "app.service"), []byte("[Service]\nExecStart=/usr/bin/app\nEnvironment=GOFLAGS="+long+"\nMemoryMax="+long+"\n"), 0o644))
	rep, _ := Run(context.Background(), &Target{Dir: dir, Environ: os.Environ()}, StepsOf("dockerfile", "systemd", "workflow"))
	data, err := json.Marshal(rep.Findings)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) == 0 {
		t.Fatal("no findings: the test proves nothing")
	}
	if len(data) > 64<<10 {
		t.Errorf("%d findings take %d bytes of JSON; the long values are not clipped", len(rep.Findings), len(data))
	}
}

// TestBinaryStepRefusesLinksOutOfTree: an executable linked from outside
// the audited directory is refused with audit/file-refused, not read.
func TestBinaryStepRefusesLinksOutOfTree(t *testing.T) {
	dir := t.TempDir()
	must(t, os.Symlink("/bin/sh", filepath.Join(dir, "tool")))
	rep, _ := Run(context.Background(), &Target{Dir: dir, Environ: os.Environ(), HostRoot: "/"}, StepsOf("binary"))
	for _, f := range rep.Findings {
		if f.Check == FileRefused.ID && f.Location.File == "tool" && strings.Contains(f.Message, "leads out of the audited directory") {
			return
		}
	}
	t.Errorf("no audit/file-refused for the link; findings: %+v", rep.Findings)
}
