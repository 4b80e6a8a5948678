package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/gocompat/gocompat/internal/sariftest"
	"github.com/gocompat/gocompat/internal/testbin"
)

// runCLI runs gocompat in-process with this process's environment.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), Invocation{Args: args, Env: os.Environ(), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

// The JSON that doctor writes for this machine validates against the
// published schema.
func TestDoctorJSONMatchesSchema(t *testing.T) {
	schema, err := os.ReadFile("../../docs/report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "doctor", "--format", "json", "--fail-on", "never")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	res, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewStringLoader(out))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors() {
		t.Errorf("schema: %s", e)
	}
}

func TestUsageAndHelp(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"--version"}, 0, "gocompat ", ""},
		{[]string{"version"}, 0, "gocompat ", ""},
		{[]string{"help"}, 0, "Commands:", ""},
		{[]string{"-h"}, 0, "Commands:", ""},
		{[]string{"doctor", "-h"}, 0, "Usage: gocompat doctor", ""},
		{[]string{"help", "audit"}, 0, "-online", ""},
		{nil, 2, "", "gocompat: no command given"},
		{[]string{"nope"}, 2, "", `unknown command "nope"`},
		{[]string{"doctor", "--fail-on", "sometimes"}, 2, "", "unknown --fail-on value"},
		{[]string{"doctor", "--bogus"}, 2, "", "flag provided but not defined: -bogus"},
		{[]string{"doctor", "extra"}, 2, "", "doctor takes no arguments"},
		{[]string{"-C", "/no/such/dir", "doctor"}, 2, "", "-C /no/such/dir: not a directory"},
		{[]string{"audit", "/no/such/dir"}, 2, "", "audit /no/such/dir: not a directory"},
		{[]string{"explain", "toolchain/go-not-on-path"}, 0, "## How to fix it", ""},
		{[]string{"explain"}, 0, "toolchain/goexperiment-unknown", ""},
		{[]string{"explain", "no/such"}, 2, "", `unknown check "no/such"`},
	} {
		code, out, errOut := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errOut, tc.err) {
			t.Errorf("gocompat %v: exit %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", tc.args, code, tc.code, out, tc.out, errOut, tc.err)
		}
		if tc.code == 2 && strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("gocompat %v: more than one line on stderr: %q", tc.args, errOut)
		}
	}
}

// Flags may follow the positional arguments.
func TestInterspersedFlags(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "audit", dir, "--format", "json", "--fail-on", "never")
	if code != 0 || !strings.Contains(out, `"command": "audit"`) {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestColor(t *testing.T) {
	get := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if on, _ := colorEnabled("auto", &bytes.Buffer{}, get(nil)); on {
		t.Error("colour on a buffer")
	}
	if on, _ := colorEnabled("always", &bytes.Buffer{}, get(map[string]string{"NO_COLOR": "1"})); !on {
		t.Error("--color always ignored")
	}
	if on, _ := colorEnabled("auto", os.Stdout, get(map[string]string{"NO_COLOR": "1"})); on {
		t.Error("colour despite NO_COLOR")
	}
	if _, err := colorEnabled("sometimes", os.Stdout, get(nil)); err == nil {
		t.Error("bad --color accepted")
	}
}

// Every reporting command's SARIF validates against the SARIF 2.1.0 schema
// and meets GitHub code scanning's needs (results array, rules with help,
// a repo-relative location with a start line on every result, file-less
// findings anchored), on inputs that produce findings of each family, and
// in a directory without go.mod. The cases are keyed by command: a
// reporting command added to the table without a case here fails.
func TestSARIFOfEveryCommand(t *testing.T) {
	goroot := strings.TrimSpace(runOut(t, "go", "env", "GOROOT"))
	newer := t.TempDir()
	if err := os.WriteFile(filepath.Join(newer, "go.mod"), []byte("module example.com/m\n\ngo 1.99\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// plain has no go.mod, no go.work and no .gocompat.yaml: file-less
	// findings anchor to its first file.
	plain := writeTree(t, map[string]string{"notes.txt": "not a binary\n", "z.sh": "#!/bin/sh\n"})
	// A damaged binary outside the directory: its finding has an absolute
	// path, which SARIF anchors instead of writing a file: URI.
	cut := filepath.Join(t.TempDir(), "cut")
	if b, err := os.ReadFile(filepath.Join(goroot, "bin", "gofmt")); err != nil {
		t.Fatal(err)
	} else if err := os.WriteFile(cut, b[:3000], 0o755); err != nil {
		t.Fatal(err)
	}
	deployDir := writeTree(t, deployTree)
	repo, repoBin := provenanceRepo(t)
	elsewhere := filepath.Join(t.TempDir(), "clone")
	testbin.Git(t, repo, "clone", "-q", repo, elsewhere)
	elsewhereBin := testbin.GoBuild(t, "go", elsewhere, []string{"CGO_ENABLED=0"}, "./cmd/app")
	saved := filepath.Join(t.TempDir(), "saved.json")
	if code, out, stderr := runCLI(t, "-C", plain, "doctor", "--format", "json", "--fail-on", "never"); code != ExitOK {
		t.Fatalf("doctor --format json: exit %d: %s", code, stderr)
	} else if err := os.WriteFile(saved, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	// A running Go program with an error finding (GOGC=off, no GOMEMLIMIT).
	waiter := testbin.Build(t, testbin.Program{Name: "waiter", Main: testbin.Waiter, GoLine: "1.26"})
	child := testbin.Start(t, nil, waiter, "GOGC=off")
	cases := map[string][][]string{
		"ps":      {{"-C", plain, "ps", strconv.Itoa(child.PID())}, {"-C", newer, "ps"}},
		"doctor":  {{"-C", newer, "doctor"}, {"-C", plain, "doctor"}},
		"audit":   {{"audit", deployDir}, {"audit", plain}},
		"upgrade": {{"upgrade", "--to", "1.22", copyModule(t, "loop121")}},
		"matrix":  {{"matrix", "--go", installedLang(t), copyTree(t, filepath.Join("..", "check", "matrix", "testdata", "api124"))}},
		"loopvar": {{"-C", copyTree(t, filepath.Join(loopvarTestdata, "old")), "loopvar"}},
		"binary": {
			{"-C", newer, "binary", filepath.Join(goroot, "bin", "go"), "--target", "debian-11", "--target", "scratch"},
			// A file outside the directory, and a non-Go file in it.
			{"-C", plain, "binary", cut, "z.sh", "--target", "alpine-3.22"},
		},
		"host":    {{"-C", newer, "host"}, {"-C", plain, "host"}},
		"deploy":  {{"deploy", deployDir}, {"deploy", plain}},
		"report":  {{"report", "--from", saved}},
		"rebuild": {{"-C", repo, "rebuild", repoBin}, {"-C", plain, "rebuild", elsewhereBin, "--src", repo}},
		"deps":    {{"deps", textcall(t), "--db", smallDB(t)}},
	}
	for _, c := range commands() {
		if !c.reports {
			continue
		}
		runs, ok := cases[c.name]
		if !ok {
			t.Errorf("no SARIF case for the reporting command %s", c.name)
		}
		for i, args := range runs {
			t.Run(fmt.Sprintf("%s/%d", c.name, i), func(t *testing.T) {
				code, out, stderr := runCLI(t, append(args, "--format", "sarif", "--fail-on", "never")...)
				if code != ExitOK {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				sariftest.Validate(t, []byte(out))
			})
		}
	}
	// loopvar and upgrade need a module: outside one they fail with exit
	// 2 and write no SARIF at all, rather than an invalid document.
	for _, args := range [][]string{{"-C", plain, "loopvar"}, {"upgrade", plain}} {
		code, out, _ := runCLI(t, append(args, "--format", "sarif")...)
		if code != ExitError || out != "" {
			t.Errorf("%v outside a module: exit %d, stdout %q; want 2 and nothing", args, code, out)
		}
	}
}
