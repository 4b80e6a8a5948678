package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/gocompat/gocompat/internal/sariftest"
)

// Two entries written for this test in the Go database's OSV form: one
// whose symbol the textcall fixture calls (language.Parse), one whose
// symbol it does not (language.ParseAcceptLanguage).
var smallOSV = map[string]string{
	"GO-2021-0113.json": `{"id": "GO-2021-0113", "modified": "2026-08-01T00:00:00Z", "aliases": ["CVE-2021-38561"],
  "summary": "Out-of-bounds read in golang.org/x/text/language",
  "affected": [{"package": {"name": "golang.org/x/text", "ecosystem": "Go"},
    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.3.7"}]}],
    "ecosystem_specific": {"imports": [{"path": "golang.org/x/text/language", "symbols": ["Parse"]}]}}]}`,
	"GO-2022-1059.json": `{"id": "GO-2022-1059", "modified": "2026-08-02T00:00:00Z", "aliases": ["CVE-2022-32149", "GHSA-69ch-w2m2-3vjp"],
  "summary": "Denial of service via crafted Accept-Language header",
  "affected": [{"package": {"name": "golang.org/x/text", "ecosystem": "Go"},
    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.3.8"}]}],
    "ecosystem_specific": {"imports": [{"path": "golang.org/x/text/language", "symbols": ["ParseAcceptLanguage"]}]}}]}`,
}

func smallDB(t *testing.T) string {
	t.Helper()
	osv := writeTree(t, smallOSV)
	out := filepath.Join(t.TempDir(), "db")
	code, stdout, stderr := runCLI(t, "vulndb", "import", osv, out)
	if code != ExitOK || !strings.Contains(stdout, "2 entries") {
		t.Fatalf("vulndb import: exit %d\n%s%s", code, stdout, stderr)
	}
	return "file://" + filepath.ToSlash(out)
}

func textcall(t *testing.T) string {
	return copyTree(t, filepath.Join("..", "audit", "testdata", "deps", "textcall"))
}

func TestDepsCommandFormats(t *testing.T) {
	db := smallDB(t)
	dir := textcall(t)
	t.Setenv("GOPROXY", "off") // module health offline: one finding says so

	code, out, stderr := runCLI(t, "deps", dir, "--db", db, "--format", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d: %s", code, ExitFindings, stderr)
	}
	schema, err := os.ReadFile("../../docs/report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewStringLoader(out))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors() {
		t.Errorf("schema: %s", e)
	}
	var rep struct {
		Subjects []struct{ Kind, Name string }
		Findings []struct {
			Check    string
			Location struct {
				File         string
				Line, Column int
			}
			Details map[string]string
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var checks []string
	for _, f := range rep.Findings {
		checks = append(checks, f.Check)
		if f.Check == "deps/vuln-called" {
			if f.Details["osv"] != "GO-2021-0113" || f.Details["aliases"] != "CVE-2021-38561" || f.Location.File != "main.go" || f.Location.Line != 13 || f.Location.Column != 28 {
				t.Errorf("called finding: %+v", f)
			}
		}
	}
	slices.Sort(checks)
	want := []string{"deps/proxy-unreachable", "deps/vuln-called", "deps/vuln-imported", "deps/vulndb-stale"}
	if !slices.Equal(checks, want) {
		t.Errorf("checks %v, want %v", checks, want)
	}
	var dbSubject bool
	for _, s := range rep.Subjects {
		dbSubject = dbSubject || s.Kind == "vulndb" && strings.Contains(s.Name, "modified 2026-08-02T00:00:00Z")
	}
	if !dbSubject {
		t.Errorf("no vulndb subject with the modification date: %+v", rep.Subjects)
	}

	code, out, stderr = runCLI(t, "deps", dir, "--db", db, "--format", "sarif", "--fail-on", "never")
	if code != ExitOK {
		t.Fatalf("sarif: exit %d: %s", code, stderr)
	}
	sariftest.Validate(t, []byte(out))
	if !strings.Contains(out, `"osv": "GO-2021-0113"`) || !strings.Contains(out, `"aliases": "CVE-2022-32149,GHSA-69ch-w2m2-3vjp"`) {
		t.Errorf("SARIF results do not carry the OSV ID and aliases:\n%s", out)
	}

	code, out, stderr = runCLI(t, "deps", dir, "--db", db, "--format", "openvex", "--fail-on", "never")
	if code != ExitOK {
		t.Fatalf("openvex: exit %d: %s", code, stderr)
	}
	var vex struct {
		Context    string `json:"@context"`
		ID         string `json:"@id"`
		Statements []struct {
			Vulnerability struct {
				Name    string
				Aliases []string
			}
			Products []struct {
				ID            string `json:"@id"`
				Subcomponents []struct {
					ID string `json:"@id"`
				}
			}
			Status, Justification string
		}
	}
	if err := json.Unmarshal([]byte(out), &vex); err != nil {
		t.Fatal(err)
	}
	if vex.Context != "https://openvex.dev/ns/v0.2.0" || len(vex.Statements) != 2 {
		t.Fatalf("openvex: %s", out)
	}
	got := map[string]string{}
	for _, s := range vex.Statements {
		got[s.Vulnerability.Name] = s.Status + "/" + s.Justification
		if s.Products[0].ID != "pkg:golang/example.com/textcall" || s.Products[0].Subcomponents[0].ID != "pkg:golang/golang.org/x/text@v0.3.5" {
			t.Errorf("openvex products: %+v", s.Products)
		}
	}
	if got["GO-2021-0113"] != "affected/" || got["GO-2022-1059"] != "not_affected/vulnerable_code_not_in_execute_path" {
		t.Errorf("openvex statuses %v", got)
	}
	// Same input, same document but for the time it was written.
	_, again, _ := runCLI(t, "deps", dir, "--db", db, "--format", "openvex", "--fail-on", "never")
	stamp := regexp.MustCompile(`"timestamp": "[^"]*"`)
	if stamp.ReplaceAllString(again, "") != stamp.ReplaceAllString(out, "") {
		t.Errorf("openvex differs between two runs:\n%s\n%s", out, again)
	}
}

func TestDepsCommandBadInput(t *testing.T) {
	t.Setenv("GOPROXY", "off")
	bad := writeTree(t, map[string]string{"GO-2099-0001.json": `{"id": "GO-2099-0001", "affected": [`})
	code, _, stderr := runCLI(t, "vulndb", "import", bad, filepath.Join(t.TempDir(), "db"))
	if code != ExitError || !strings.Contains(stderr, "GO-2099-0001.json") || strings.Contains(stderr, "goroutine") {
		t.Errorf("malformed OSV: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runCLI(t, "vulndb", "export"); code != ExitError {
		t.Errorf("vulndb export: exit %d", code)
	}
	dir := textcall(t)
	if code, _, stderr := runCLI(t, "deps", dir, "--db", "ftp://example.com/db"); code != ExitError || !strings.Contains(stderr, "https:// or file://") {
		t.Errorf("ftp db: exit %d %q", code, stderr)
	}
	code, out, _ := runCLI(t, "deps", dir, "--db", "file://"+filepath.ToSlash(t.TempDir()), "--format", "json")
	if code != ExitFindings || !strings.Contains(out, "deps/vulndb-unavailable") || !strings.Contains(out, "vulndb import") {
		t.Errorf("db folder without index: exit %d\n%s", code, out)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/textcall\n\ngo 1.22\nrequire (\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI(t, "deps", dir, "--db", "http://127.0.0.1:1", "--format", "json")
	if code != ExitFindings || !strings.Contains(out, "module/go-mod-invalid") {
		t.Errorf("unparsable go.mod: exit %d\n%s", code, out)
	}
}

// gocompat binary --db checks a Go binary's symbols in govulncheck's
// binary mode: the x/text fixture, built here, links language.Parse.
func TestBinaryVulns(t *testing.T) {
	dir := textcall(t)
	bin := filepath.Join(dir, "textcall")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("go build (offline?): %v\n%s", err, out)
	}
	db := smallDB(t)
	code, out, stderr := runCLI(t, "-C", dir, "binary", "textcall", "--db", db, "--target", "scratch", "--format", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	var rep struct {
		Checks   []string
		Findings []struct {
			Check    string
			Location struct{ File string }
			Details  map[string]string
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var called bool
	for _, f := range rep.Findings {
		if f.Check == "deps/vuln-called" {
			called = f.Details["osv"] == "GO-2021-0113" && f.Location.File == "textcall" && f.Details["binary"] == "textcall"
		}
	}
	if !called || !slices.Contains(rep.Checks, "deps") {
		t.Errorf("no GO-2021-0113 on the binary (checks %v):\n%s", rep.Checks, out)
	}
	// Without a database the binary command stays offline.
	t.Setenv("GOVULNDB", "")
	_, out, _ = runCLI(t, "-C", dir, "binary", "textcall", "--target", "scratch", "--format", "json", "--fail-on", "never")
	if strings.Contains(out, "deps/") {
		t.Errorf("binary without --db ran the deps step:\n%s", out)
	}
}
