package platform

import (
	"strings"
	"testing"

	"github.com/gocompat/gocompat/docs"
)

func TestEveryCheckHasItsPage(t *testing.T) {
	for _, c := range Checks {
		page, ok := docs.Check(c.ID)
		if !ok {
			t.Errorf("%s: no page docs/checks/%s.md", c.ID, c.ID)
			continue
		}
		want := "# " + c.ID + "\n\n" + c.Title + ". Default severity: " + c.Severity.String() + ".\n"
		if !strings.HasPrefix(page, want) {
			t.Errorf("%s: page does not start with\n%s", c.ID, want)
		}
	}
}
