package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/sariftest"
	"github.com/gocompat/gocompat/internal/testbin"
	"github.com/xeipuuv/gojsonschema"
)

// TestMatrixCommand runs the acceptance command on the fixture whose
// go 1.21 module calls a Go 1.24 API, in the three formats.
func TestMatrixCommand(t *testing.T) {
	testbin.Toolchain(t, testbin.Go121)
	testbin.Toolchain(t, testbin.Go122)
	dir := copyTree(t, filepath.Join("..", "check", "matrix", "testdata", "api124"))
	gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	code, out, stderr := runCLI(t, "matrix", "--go", "1.21,1.22", "--test", "--format", "json", dir)
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitFindings, stderr)
	}
	rep, err := report.Decode(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	schema, err := os.ReadFile("../../docs/report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if res, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewStringLoader(out)); err != nil || !res.Valid() {
		t.Errorf("JSON does not match the schema: %v %v", err, res.Errors())
	}
	if len(rep.Tables) != 1 || len(rep.Tables[0].Rows) != 3 || !strings.HasSuffix(rep.Tables[0].Title, "first failing release: "+testbin.Go121) {
		t.Fatalf("tables = %+v", rep.Tables)
	}
	causes := 0
	for _, f := range rep.Findings {
		if f.Check == "matrix/stdlib-symbol-too-new" && f.Location.String() == "token.go:8:33" {
			causes++
		}
	}
	if causes != 3 {
		t.Errorf("%d stdlib-symbol-too-new findings at token.go:8:33, want 3 (1.21 at 1.21, 1.22 at 1.21 and 1.22):\n%s", causes, out)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "go.mod")); !bytes.Equal(gomod, after) {
		t.Errorf("go.mod changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "go.sum")); err == nil {
		t.Errorf("go.sum was created")
	}

	code, sarifOut, _ := runCLI(t, "matrix", "--go", "1.21,1.22", "--format", "sarif", dir)
	if code != ExitFindings {
		t.Fatalf("sarif: exit %d", code)
	}
	if results := sariftest.Validate(t, []byte(sarifOut)); len(results) != 3 || results[0].URI != "token.go" || results[0].Line != 8 {
		t.Errorf("SARIF results: %v", results)
	}
	var log struct {
		Runs []struct {
			Properties struct{ Tables []report.Table }
		}
	}
	if err := json.Unmarshal([]byte(sarifOut), &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Properties.Tables) != 1 {
		t.Errorf("SARIF run properties lack the table: %v", err)
	}

	_, textOut, _ := runCLI(t, "matrix", "--go", "1.21", dir)
	for _, want := range []string{"release    go line  build  vet   test", testbin.Go121 + "  1.21     FAIL   FAIL  skip"} {
		if !strings.Contains(textOut, want) {
			t.Errorf("text output lacks %q:\n%s", want, textOut)
		}
	}
	if code, _, stderr := runCLI(t, "matrix", "--go", "banana", dir); code != ExitError || !strings.Contains(stderr, `"banana" is not a Go release`) {
		t.Errorf("bad --go: exit %d, %s", code, stderr)
	}
}

// TestMatrixAndUpgradeOffline: with the proxy off and an empty module
// cache, each command says on stderr which release it could not fetch
// and reports the rest.
func TestMatrixAndUpgradeOffline(t *testing.T) {
	dir := copyTree(t, filepath.Join("..", "check", "matrix", "testdata", "api124"))
	env := append(os.Environ(), "GOPROXY=off", "GOMODCACHE="+t.TempDir())
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(context.Background(), Invocation{Args: args, Env: env, Stdout: &out, Stderr: &errb})
		return code, out.String(), errb.String()
	}
	code, out, stderr := run("matrix", "--go", "1.21,"+installedLang(t), "--format", "json", dir)
	if code == ExitError || !strings.Contains(stderr, "gocompat: matrix: Go 1.21:") || !strings.Contains(stderr, "GOPROXY=off") {
		t.Fatalf("matrix offline: exit %d\nstderr: %s", code, stderr)
	}
	if rep, err := report.Decode(strings.NewReader(out)); err != nil || len(rep.Tables) != 1 || len(rep.Tables[0].Rows) != 2 {
		t.Errorf("matrix offline report: %v\n%s", err, out)
	}
	code, _, stderr = run("upgrade", "--to", "1.99", "--format", "json", dir)
	if code == ExitError || !strings.Contains(stderr, "could not fetch a Go 1.99 toolchain") {
		t.Fatalf("upgrade offline: exit %d\nstderr: %s", code, stderr)
	}
}

func installedLang(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		t.Skip("go not on PATH")
	}
	v := strings.TrimPrefix(strings.Fields(string(out))[0], "go")
	parts := strings.Split(v, ".")
	return parts[0] + "." + parts[1]
}
