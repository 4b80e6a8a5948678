// Package action holds the tests of the repository's GitHub Action
// (action.yml and scripts/action.sh at the repository's root): its shell
// steps run here with the environment GitHub sets for a job step.
package action

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/sariftest"
)

type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			Name  string            `yaml:"name"`
			ID    string            `yaml:"id"`
			If    string            `yaml:"if"`
			Uses  string            `yaml:"uses"`
			Run   string            `yaml:"run"`
			Shell string            `yaml:"shell"`
			Env   map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

var expr = regexp.MustCompile(`\$\{\{\s*([^}]+?)\s*\}\}`)

// repoRoot is the repository's root, two levels above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// TestActionSteps runs every shell step of action.yml as a GitHub runner
// would: inputs and step outputs substituted into the steps' env, the
// GITHUB_* variables of a job set, the workspace a module with a known
// fault. The upload step uses GitHub's own action, which cannot run here;
// the test checks what it would upload instead (the SARIF file, against
// the SARIF schema and code scanning's needs).
func TestActionSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gocompat")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not on PATH")
	}
	root := repoRoot(t)
	raw, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(raw, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", a.Runs.Using)
	}

	// The workspace: a module whose Dockerfile builds with a Go older
	// than its go line (dockerfile/builder-go-too-old, an error).
	ws := t.TempDir()
	write(t, ws, "go.mod", "module example.com/app\n\ngo 1.25\n")
	write(t, ws, "main.go", "package main\n\nfunc main() {}\n")
	write(t, ws, "Dockerfile", "FROM golang:1.24 AS build\nENV GOTOOLCHAIN=local\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n\nFROM debian:12\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n")

	tmp := t.TempDir()
	summary := filepath.Join(tmp, "summary.md")
	inputs := map[string]string{}
	for k, v := range a.Inputs {
		inputs[k] = v.Default
	}
	inputs["upload-sarif"] = "true"
	outputs := map[string]map[string]string{}
	githubEnv := []string{
		"GITHUB_ACTIONS=true", "CI=true",
		"GITHUB_WORKSPACE=" + ws,
		"GITHUB_STEP_SUMMARY=" + summary,
		"GITHUB_SERVER_URL=https://github.com", "GITHUB_REPOSITORY=example/app", "GITHUB_SHA=0123456789abcdef",
		"RUNNER_TEMP=" + tmp,
		"RUNNER_OS=Linux",
	}
	eval := func(s string) string {
		return expr.ReplaceAllStringFunc(s, func(m string) string {
			e := strings.TrimSpace(expr.FindStringSubmatch(m)[1])
			switch {
			case e == "github.action_path":
				return root
			case strings.HasPrefix(e, "inputs."):
				return inputs[strings.TrimPrefix(e, "inputs.")]
			case strings.HasPrefix(e, "steps."):
				parts := strings.Split(e, ".") // steps.ID.outputs.NAME
				if len(parts) == 4 {
					return outputs[parts[1]][parts[3]]
				}
			}
			t.Fatalf("action.yml uses %s, which this test does not know", m)
			return ""
		})
	}
	var exitCode = -1
	var sarifPath string
	for _, st := range a.Runs.Steps {
		if st.Uses != "" {
			if !strings.HasPrefix(st.Uses, "github/codeql-action/upload-sarif@") {
				t.Errorf("step %q uses %s; only the SARIF upload is expected", st.Name, st.Uses)
			}
			continue
		}
		if st.Shell != "bash" {
			t.Errorf("step %q: shell %q, want bash", st.Name, st.Shell)
		}
		out := filepath.Join(tmp, "output-"+st.ID)
		env := append(os.Environ(), githubEnv...)
		env = append(env, "GITHUB_OUTPUT="+out)
		for k, v := range st.Env {
			env = append(env, k+"="+eval(v))
		}
		cmd := exec.Command("bash", "-e", "-c", eval(st.Run))
		cmd.Dir = ws
		cmd.Env = env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if st.ID != "" {
			outputs[st.ID] = readOutputs(t, out)
		}
		if strings.HasPrefix(st.Name, "Fail") {
			var ee *exec.ExitError
			if err == nil {
				exitCode = 0
			} else if errors.As(err, &ee) {
				exitCode = ee.ExitCode()
			} else {
				t.Fatal(err)
			}
			if !strings.Contains(stdout.String(), "::error title=gocompat::") {
				t.Errorf("the failing step writes no error annotation:\n%s", stdout.String())
			}
			continue
		}
		if err != nil {
			t.Fatalf("step %q: %v\nstdout:\n%s\nstderr:\n%s", st.Name, err, stdout.String(), stderr.String())
		}
		if st.ID == "audit" {
			sarifPath = outputs["audit"]["sarif"]
			if !strings.Contains(stdout.String(), "dockerfile/builder-go-too-old") {
				t.Errorf("the job log does not show the finding:\n%s", stdout.String())
			}
		}
	}
	if got := outputs["audit"]["exit-code"]; got != "1" {
		t.Errorf("exit-code output = %q, want 1 (an error finding)", got)
	}
	if exitCode != 1 {
		t.Errorf("the last step exits %d, want 1 so the job fails", exitCode)
	}
	if sarifPath == "" {
		t.Fatal("no sarif output")
	}
	doc, err := os.ReadFile(sarifPath)
	if err != nil {
		t.Fatal(err)
	}
	sariftest.Validate(t, doc)
	if !bytes.Contains(doc, []byte("dockerfile/builder-go-too-old")) {
		t.Error("the SARIF lacks the finding")
	}
	md, err := os.ReadFile(summary)
	if err != nil {
		t.Fatalf("no job summary: %v", err)
	}
	for _, want := range []string{"## gocompat audit", "dockerfile/builder-go-too-old", "(https://github.com/example/app/blob/0123456789abcdef/Dockerfile#L1)"} {
		if !bytes.Contains(md, []byte(want)) {
			t.Errorf("job summary lacks %q:\n%s", want, md)
		}
	}
}

// TestOwnWorkflowPassesWorkflowChecks: the project's workflow that uses
// the action passes gocompat's own workflow checks.
func TestOwnWorkflowPassesWorkflowChecks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gocompat")
	}
	root := repoRoot(t)
	if _, err := os.Stat(filepath.Join(root, ".github", "workflows", "gocompat.yml")); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "gocompat")
	build := exec.Command("go", "build", "-o", bin, "./cmd/gocompat")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "deploy", "--format", "json", "--fail-on", "never", ".")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gocompat deploy: %v", err)
	}
	rep, err := report.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	sawWorkflow := false
	for _, s := range rep.Subjects {
		if s.Kind == "workflow" && strings.Contains(s.Name+s.Path, "gocompat.yml") {
			sawWorkflow = true
		}
	}
	if !sawWorkflow {
		t.Errorf("gocompat deploy did not look at .github/workflows/gocompat.yml; subjects: %+v", rep.Subjects)
	}
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.Check, "workflow/") && f.Suppressed == "" {
			js, _ := json.Marshal(f)
			t.Errorf("the project's workflow has a finding: %s", js)
		}
	}
}

func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	m := map[string]string{}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return m
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			m[k] = v
		}
	}
	return m
}

func write(t *testing.T, dir, name, s string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGitLabTemplate runs the script of ci/gitlab/gocompat.gitlab-ci.yml
// as a GitLab runner would (sh, one line after another, stopping at the
// first failure), with the gocompat built here standing in for the go
// install line, which would fetch a release from the module proxy. The
// Code Quality report it leaves is what GitLab publishes.
func TestGitLabTemplate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gocompat")
	}
	root := repoRoot(t)
	raw, err := os.ReadFile(filepath.Join(root, "ci", "gitlab", "gocompat.gitlab-ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var tmpl struct {
		Variables map[string]string `yaml:"variables"`
		Job       struct {
			Script    []string `yaml:"script"`
			Artifacts struct {
				When    string `yaml:"when"`
				Reports struct {
					CodeQuality string `yaml:"codequality"`
				} `yaml:"reports"`
			} `yaml:"artifacts"`
		} `yaml:"gocompat"`
	}
	if err := yaml.Unmarshal(raw, &tmpl); err != nil {
		t.Fatalf("gocompat.gitlab-ci.yml: %v", err)
	}
	if tmpl.Job.Artifacts.Reports.CodeQuality == "" || tmpl.Job.Artifacts.When != "always" {
		t.Fatalf("the job does not publish a Code Quality report whatever its outcome: %+v", tmpl.Job.Artifacts)
	}
	gopath := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(gopath, "bin", "gocompat"), "./cmd/gocompat")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ws := t.TempDir()
	write(t, ws, "go.mod", "module example.com/app\n\ngo 1.25\n")
	write(t, ws, "main.go", "package main\n\nfunc main() {}\n")
	write(t, ws, "Dockerfile", "FROM golang:1.24 AS build\nENV GOTOOLCHAIN=local\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n\nFROM debian:12\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n")

	var script strings.Builder
	script.WriteString("set -e\n")
	for _, line := range tmpl.Job.Script {
		if strings.HasPrefix(line, "go install ") {
			continue
		}
		script.WriteString(line + "\n")
	}
	cmd := exec.Command("sh", "-c", script.String())
	cmd.Dir = ws
	cmd.Env = append(os.Environ(), "GOPATH="+gopath, "CI=true", "GITLAB_CI=true")
	for k, v := range tmpl.Variables {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Errorf("the job ends with %v, want exit 1 (an error finding):\n%s", err, out)
	}
	if !strings.Contains(string(out), "dockerfile/builder-go-too-old") {
		t.Errorf("the job log does not show the finding:\n%s", out)
	}
	cq, err := os.ReadFile(filepath.Join(ws, tmpl.Job.Artifacts.Reports.CodeQuality))
	if err != nil {
		t.Fatalf("no Code Quality report: %v", err)
	}
	var issues []map[string]any
	if err := json.Unmarshal(cq, &issues); err != nil {
		t.Fatalf("Code Quality report: %v\n%s", err, cq)
	}
	found := false
	for _, is := range issues {
		if is["check_name"] == "dockerfile/builder-go-too-old" {
			found = true
		}
	}
	if !found {
		t.Errorf("the Code Quality report lacks the finding:\n%s", cq)
	}
}
