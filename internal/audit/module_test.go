package audit

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// A go.mod that does not parse is one finding on its line; the module
// checks stand aside instead of each failing with the go command's error.
func TestBrokenGoMod(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\nrequire (\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, _ := Run(context.Background(), &Target{Dir: dir, Environ: os.Environ(), HostRoot: "/"}, []Step{moduleStep(), loopvarStep(), upgradeStep()})
	if len(rep.Findings) != 1 {
		t.Fatalf("findings: %+v", rep.Findings)
	}
	f := rep.Findings[0]
	if f.Check != GoModInvalid.ID || f.Location.File != "go.mod" || f.Location.Line != 5 {
		t.Errorf("finding %s at %s, want %s at go.mod:5", f.Check, f.Location, GoModInvalid.ID)
	}
	if !slices.Equal(rep.Checks, []string{"module"}) {
		t.Errorf("checks that ran: %v, want only module", rep.Checks)
	}

	// A go.mod that parses gives nothing, and the module checks run.
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fs := goModErrors(dir); fs != nil {
		t.Errorf("sound go.mod: %+v", fs)
	}
	if !loopvarStep().Applies(&Target{Dir: dir}) || !upgradeStep().Applies(&Target{Dir: dir}) {
		t.Error("module checks do not apply to a sound module")
	}
}
