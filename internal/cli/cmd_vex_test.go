package cli

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/sbom/sbomtest"
	"github.com/gocompat/gocompat/internal/testbin"
)

// cdxAnalyses reads a CycloneDX document's VEX section: OSV ID to
// "state/justification".
func cdxAnalyses(t *testing.T, doc []byte) map[string]string {
	t.Helper()
	var d struct {
		Vulnerabilities []struct {
			ID       string
			Affects  []struct{ Ref string }
			Analysis struct{ State, Justification string }
		}
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, v := range d.Vulnerabilities {
		if len(v.Affects) != 1 || v.Affects[0].Ref == "" {
			t.Errorf("%s: affects %v", v.ID, v.Affects)
		}
		out[v.ID] = v.Analysis.State + "/" + v.Analysis.Justification
	}
	return out
}

// gocompat sbom --db gives the CycloneDX document a VEX section from the
// deps family's scan, on the x/text fixture that calls language.Parse
// (GO-2021-0113), imports, without calling, ParseAcceptLanguage
// (GO-2022-1059) and requires a version with a module-wide entry
// (GO-2026-5970), against the shared Go vulnerability database: source
// mode for the module, binary mode for the binary built from it.
func TestSBOMVEX(t *testing.T) {
	db := testbin.VulnDB(t)
	dir := textcall(t)
	bin := filepath.Join(t.TempDir(), "textcall")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("go build (offline?): %v\n%s", err, out)
	}
	for _, arg := range []string{dir, bin} {
		code, out, stderr := runCLI(t, "sbom", "--db", db, arg)
		if code != ExitOK {
			t.Fatalf("sbom --db %s: exit %d: %s", arg, code, stderr)
		}
		sbomtest.ValidateCycloneDX(t, []byte(out))
		got := cdxAnalyses(t, []byte(out))
		if got["GO-2021-0113"] != "exploitable/" {
			t.Errorf("sbom %s: GO-2021-0113 is %q, want exploitable (called)", arg, got["GO-2021-0113"])
		}
		if got["GO-2022-1059"] != "not_affected/code_not_reachable" {
			t.Errorf("sbom %s: GO-2022-1059 is %q, want not_affected/code_not_reachable (imported, not called)", arg, got["GO-2022-1059"])
		}
		// Required, no vulnerable package imported: x/text's own entry
		// of the shared database for the module as a whole.
		if got["GO-2026-5970"] != "not_affected/code_not_reachable" {
			t.Errorf("sbom %s: GO-2026-5970 is %q, want not_affected/code_not_reachable (required, not imported)", arg, got["GO-2026-5970"])
		}
		if !strings.Contains(out, `"affects"`) || !strings.Contains(out, "pkg:golang/golang.org/x/text@v0.3.5") {
			t.Errorf("sbom %s: no vulnerability points at x/text v0.3.5:\n%s", arg, out)
		}
		if _, again, _ := runCLI(t, "sbom", "--db", db, arg); again != out {
			t.Errorf("sbom --db %s: a second run wrote other bytes", arg)
		}
	}
	// Without --db or GOVULNDB there is no scan and no VEX section.
	t.Setenv("GOVULNDB", "")
	if _, out, _ := runCLI(t, "sbom", dir); strings.Contains(out, "vulnerabilities") {
		t.Errorf("sbom without --db has a VEX section:\n%s", out)
	}
	// GOVULNDB alone asks for it too.
	t.Setenv("GOVULNDB", db)
	if _, out, _ := runCLI(t, "sbom", dir); !strings.Contains(out, "GO-2021-0113") {
		t.Errorf("sbom with GOVULNDB has no VEX section:\n%s", out)
	}
	if code, _, stderr := runCLI(t, "sbom", "--format", "spdx", "--db", db, dir); code != ExitError || !strings.Contains(stderr, "CycloneDX") {
		t.Errorf("sbom --format spdx --db: exit %d: %s", code, stderr)
	}
}

// vulnWaiter is a program that calls the vulnerable language.Parse of
// golang.org/x/text v0.3.5 (GO-2021-0113) and then waits, as
// testbin.Waiter does, for its standard input to close.
const vulnWaiter = `package main

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/text/language"
)

func main() {
	tag, err := language.Parse("en-US")
	fmt.Fprintln(os.Stderr, tag, err)
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
}
`

// gocompat ps --db checks the executable of a running Go program in
// binary mode: a child built here from a module that requires the old
// x/text and calls language.Parse, against the shared database.
func TestPsVulns(t *testing.T) {
	db := testbin.VulnDB(t)
	dir := textcall(t)
	testbin.WriteFiles(t, dir, map[string]string{"main.go": vulnWaiter})
	bin := filepath.Join(t.TempDir(), "vulnwaiter")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("go build (offline?): %v\n%s", err, out)
	}
	child := testbin.Start(t, nil, bin)
	pid := strconv.Itoa(child.PID())

	code, out, stderr := runCLI(t, "ps", pid, "--db", db, "--format", "json")
	if code != ExitFindings {
		t.Fatalf("ps --db: exit %d: %s\n%s", code, stderr, out)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	levels := map[string]string{}
	for _, f := range rep.Findings {
		if !strings.HasPrefix(f.Check, "deps/vuln-") || f.Check == "deps/vuln-db-stale" {
			continue
		}
		levels[f.Details["osv"]] = f.Check
		if f.Details["pid"] != pid || f.Details["binary"] != bin || f.Location.Object != "pid "+pid+" ("+bin+")" {
			t.Errorf("%s %s: details %v, location %+v: want pid %s and %s", f.Check, f.Details["osv"], f.Details, f.Location, pid, bin)
		}
		if f.Check == "deps/vuln-called" && (!strings.Contains(f.Message, "Process "+pid) || !strings.Contains(f.Message, bin)) {
			t.Errorf("message names neither the process nor the executable: %s", f.Message)
		}
	}
	if levels["GO-2021-0113"] != "deps/vuln-called" || levels["GO-2022-1059"] == "deps/vuln-called" || levels["GO-2022-1059"] == "" {
		t.Errorf("levels %v: want GO-2021-0113 called and GO-2022-1059 found, not called\n%s", levels, out)
	}
	if !slices.Contains(rep.Checks, "deps") || !slices.Contains(rep.Checks, "proc") {
		t.Errorf("checks %v", rep.Checks)
	}

	// Without a database, ps stays offline and has no deps findings.
	t.Setenv("GOVULNDB", "")
	if _, out, _ := runCLI(t, "ps", pid, "--format", "json", "--fail-on", "never"); strings.Contains(out, "deps/") {
		t.Errorf("ps without --db ran the deps step:\n%s", out)
	}
}
