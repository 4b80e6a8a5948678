package upgrade

import (
	"strings"
	"testing"

	"github.com/gocompat/gocompat/docs"
)

func TestEveryCheckHasItsPage(t *testing.T) {
	for _, c := range Checks {
		page, ok := docs.Check(c.ID)
		if !ok {
			t.Errorf("%s: no docs/checks/%s.md", c.ID, c.ID)
			continue
		}
		lines := strings.Split(page, "\n")
		if lines[0] != "# "+c.ID {
			t.Errorf("%s: page starts with %q", c.ID, lines[0])
		}
		if want := c.Title + ". Default severity: " + c.Severity.String() + "."; len(lines) < 3 || lines[2] != want {
			t.Errorf("%s: third line %q, want %q", c.ID, lines[2], want)
		}
		for _, h := range []string{"\n## What it means\n", "\n## How to fix it\n"} {
			if !strings.Contains(page, h) {
				t.Errorf("%s: page lacks %q", c.ID, strings.TrimSpace(h))
			}
		}
	}
	for _, id := range docs.CheckIDs() {
		if strings.HasPrefix(id, "upgrade/") {
			found := false
			for _, c := range Checks {
				found = found || c.ID == id
			}
			if !found {
				t.Errorf("page docs/checks/%s.md has no check", id)
			}
		}
	}
}
