package cli

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

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
// (GO-2021-0113) and imports, without calling, ParseAcceptLanguage
// (GO-2022-1059), against the shared Go vulnerability database: source
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
