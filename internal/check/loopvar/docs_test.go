package loopvar_test

import (
	"strings"
	"testing"

	"github.com/gocompat/gocompat/docs"
	"github.com/gocompat/gocompat/internal/check/loopvar"
)

// Every loopvar check has a page, every loopvar page a check, and each
// page starts with its ID and states the default severity.
func TestDocPages(t *testing.T) {
	ids := map[string]bool{}
	for _, c := range loopvar.Checks {
		ids[c.ID] = true
		page, ok := docs.Check(c.ID)
		if !ok {
			t.Errorf("%s: no page docs/checks/%s.md", c.ID, c.ID)
			continue
		}
		if !strings.HasPrefix(page, "# "+c.ID+"\n") {
			t.Errorf("%s: page does not start with its ID", c.ID)
		}
		if !strings.Contains(page, "Default severity: "+c.Severity.String()+".") {
			t.Errorf("%s: page does not state the default severity %s", c.ID, c.Severity)
		}
		for _, h := range []string{"## What it means", "## How to fix it"} {
			if !strings.Contains(page, h) {
				t.Errorf("%s: page lacks %q", c.ID, h)
			}
		}
	}
	for _, id := range docs.CheckIDs() {
		if strings.HasPrefix(id, "loopvar/") && !ids[id] {
			t.Errorf("page docs/checks/%s.md has no check", id)
		}
	}
}
