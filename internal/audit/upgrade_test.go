package audit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/finding"
)

func TestUpgradeStep(t *testing.T) {
	dir := t.TempDir()
	step := upgradeStep()
	if step.Applies(&Target{Dir: dir}) {
		t.Errorf("upgrade step applies to an empty directory")
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.21\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "m.go"), []byte("package m\n\nimport \"time\"\n\nvar T = time.NewTimer(0)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// One loop whose variable a goroutine captures: it changes at 1.22.
	if err := os.WriteFile(filepath.Join(dir, "loop.go"), []byte("package m\n\nfunc L(xs []int) {\n\tfor _, x := range xs {\n\t\tgo func() { _ = x }()\n\t}\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !step.Applies(&Target{Dir: dir}) {
		t.Fatalf("upgrade step does not apply to a module")
	}
	rep, _ := Run(context.Background(), &Target{Dir: dir, Environ: os.Environ()}, []Step{step})
	seen := map[string]int{}
	for _, f := range rep.Findings {
		seen[f.Check]++
		// The loops come from the loopvar analyzer (shared with the
		// loopvar step through go vet's cache), summarised, not from a
		// second compilation.
		if f.Check == "upgrade/loopvar-semantics-change" && (f.Details["method"] != "loopvar analyzer" || f.Details["count"] != "1" || !strings.Contains(f.Details["loops"], "loop.go:4:9 x")) {
			t.Errorf("loop summary details %v", f.Details)
		}
		if previewOnly[f.Check] && f.Severity != finding.Info {
			t.Errorf("%s at %s in an audit; previews of an upgrade are info", f.Check, f.Severity)
		}
		if f.Check == "upgrade/test-outcome-changes" {
			t.Errorf("audit ran the module's tests")
		}
	}
	// The installed toolchain is newer than go 1.21, so at least the loop
	// semantics and the GODEBUG defaults change.
	if seen["upgrade/godebug-default-changes"] == 0 || seen["upgrade/loopvar-semantics-change"] != 1 || seen["audit/step-failed"] != 0 {
		t.Errorf("audit upgrade findings: %v", seen)
	}
	if len(rep.Checks) != 1 || rep.Checks[0] != "upgrade" {
		t.Errorf("checks = %v", rep.Checks)
	}
}
