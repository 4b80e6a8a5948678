package loopvar

import (
	"math/rand"
	"strings"
	"testing"
)

// applyDiff rebuilds new from old and the changes, which proves the
// script is complete.
func applyChanges(a, b []string, cs []change) []string {
	var out []string
	pos := 0
	for _, c := range cs {
		out = append(out, a[pos:c.a0]...)
		out = append(out, b[c.b0:c.b1]...)
		pos = c.a1
	}
	return append(out, a[pos:]...)
}

func TestDiffLinesRebuilds(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	words := []string{"a\n", "b\n", "c\n", "d\n"}
	for i := 0; i < 2000; i++ {
		a := make([]string, r.Intn(12))
		b := make([]string, r.Intn(12))
		for j := range a {
			a[j] = words[r.Intn(len(words))]
		}
		for j := range b {
			b[j] = words[r.Intn(len(words))]
		}
		cs := diffLines(a, b)
		if got := strings.Join(applyChanges(a, b, cs), ""); got != strings.Join(b, "") {
			t.Fatalf("diff of %q -> %q gives %v, rebuilding %q", a, b, cs, got)
		}
		for _, c := range cs {
			for k := c.a0; k < c.a1; k++ {
				_ = a[k]
			}
		}
	}
}

func TestUnifiedDiff(t *testing.T) {
	old := "package p\n\nfunc f() {\n\tfor _, v := range xs {\n\t\tv := v\n\t\tuse(v)\n\t}\n}\n"
	new := "package p\n\nfunc f() {\n\tfor _, v := range xs {\n\t\tuse(v)\n\t}\n}\n"
	want := "--- a/p.go\n+++ b/p.go\n@@ -2,7 +2,6 @@\n \n func f() {\n \tfor _, v := range xs {\n-\t\tv := v\n \t\tuse(v)\n \t}\n }\n"
	if got := UnifiedDiff("p.go", []byte(old), []byte(new)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := UnifiedDiff("p.go", []byte(old), []byte(old)); got != "" {
		t.Errorf("equal files: got %q", got)
	}
}
