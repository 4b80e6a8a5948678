// Package docs embeds the documentation that the gocompat binary serves:
// one page per check under checks/<family>/<name>.md. `gocompat explain`
// prints a page, and SARIF rule help is taken from it.
package docs

import (
	"embed"
	"io/fs"
	"strings"
)

//go:embed checks
var checks embed.FS

// Check returns the page of check id ("family/name"), if there is one.
func Check(id string) (string, bool) {
	b, err := checks.ReadFile("checks/" + id + ".md")
	if err != nil {
		return "", false
	}
	return string(b), true
}

// CheckIDs lists every check that has a page.
func CheckIDs() []string {
	var ids []string
	_ = fs.WalkDir(checks, "checks", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			ids = append(ids, strings.TrimSuffix(strings.TrimPrefix(p, "checks/"), ".md"))
		}
		return nil
	})
	return ids
}
