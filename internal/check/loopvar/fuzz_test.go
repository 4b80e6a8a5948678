package loopvar

import (
	"strings"
	"testing"
)

// FuzzDiffLines: the change list always rebuilds the new text from the
// old one, and UnifiedDiff never panics.
func FuzzDiffLines(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nc\n")
	f.Add("", "x\n")
	f.Add("x", "x\n")
	f.Add("for {\n\tv := v\n}\n", "for {\n}\n")
	f.Fuzz(func(t *testing.T, old, new string) {
		a, b := strings.SplitAfter(old, "\n"), strings.SplitAfter(new, "\n")
		cs := diffLines(a, b)
		if got := strings.Join(applyChanges(a, b, cs), ""); got != new {
			t.Fatalf("rebuilt %q, want %q", got, new)
		}
		d := UnifiedDiff("f.go", []byte(old), []byte(new))
		if (old == new) != (d == "") {
			t.Fatalf("equal=%v but diff %q", old == new, d)
		}
	})
}
