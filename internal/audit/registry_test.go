package audit

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/docs"
)

// Every registered check has a doc page, every page a registered check,
// and each page starts with its ID, the registered title and severity,
// and has the two sections explain and SARIF help rely on.
func TestEveryCheckHasItsPage(t *testing.T) {
	reg := Registry()
	ids := map[string]bool{}
	for _, c := range reg.All() {
		ids[c.ID] = true
		page, ok := docs.Check(c.ID)
		if !ok {
			t.Errorf("%s: no page docs/checks/%s.md", c.ID, c.ID)
			continue
		}
		head := "# " + c.ID + "\n\n" + c.Title + ". Default severity: " + c.Severity.String() + ".\n"
		if !strings.HasPrefix(page, head) {
			t.Errorf("%s: page does not start with %q", c.ID, head)
		}
		for _, sec := range []string{"## What it means", "## How to fix it"} {
			if !strings.Contains(page, sec) {
				t.Errorf("%s: page lacks %q", c.ID, sec)
			}
		}
		if c.Help == "" {
			t.Errorf("%s: registry has no help", c.ID)
		}
		if c.Title == "" {
			t.Errorf("%s: no title", c.ID)
		}
	}
	pages := docs.CheckIDs()
	sort.Strings(pages)
	for _, id := range pages {
		if !ids[id] {
			t.Errorf("docs/checks/%s.md documents a check that is not registered", id)
		}
	}
}

func TestDefaultAnchor(t *testing.T) {
	dir := t.TempDir()
	if got := DefaultAnchor(dir); got != "" {
		t.Errorf("empty dir: anchor %q", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.work"), []byte("go 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := DefaultAnchor(dir); got != "go.work" {
		t.Errorf("anchor %q, want go.work", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := DefaultAnchor(dir); got != "go.mod" {
		t.Errorf("anchor %q, want go.mod", got)
	}
}
