package loopvar

import "testing"

func TestUnifiedDiff(t *testing.T) {
	old := "package p\n\nfunc f() {\n\tfor _, v := range xs {\n\t\tv := v\n\t\tuse(v)\n\t}\n}\n"
	new := "package p\n\nfunc f() {\n\tfor _, v := range xs {\n\t\tuse(v)\n\t}\n}\n"
	want := "diff a/p.go b/p.go\n--- a/p.go\n+++ b/p.go\n@@ -2,7 +2,6 @@\n \n func f() {\n \tfor _, v := range xs {\n-\t\tv := v\n \t\tuse(v)\n \t}\n }\n"
	if got := UnifiedDiff("p.go", []byte(old), []byte(new)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := UnifiedDiff("p.go", []byte(old), []byte(old)); got != "" {
		t.Errorf("equal files: got %q", got)
	}
}
