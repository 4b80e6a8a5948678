package loopvar

import "github.com/rogpeppe/go-internal/diff"

// UnifiedDiff returns a unified diff from old to new, labelled a/name and
// b/name, or "" when they are equal.
func UnifiedDiff(name string, old, new []byte) string {
	return string(diff.Diff("a/"+name, old, "b/"+name, new))
}
