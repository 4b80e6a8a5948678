package audit

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gocompat/gocompat/docs"
	"github.com/gocompat/gocompat/internal/config"
	"github.com/gocompat/gocompat/internal/finding"
)

// Registry returns every check gocompat has — those the pipeline and the
// configuration own, and those each registered step declares — with the
// help text of its doc page (docs/checks/<id>.md).
func Registry() *finding.Registry {
	reg := finding.NewRegistry()
	reg.Add(StepFailed, StepTimeout, Interrupted, NothingToAnalyse, NotBuilt, FileRefused)
	reg.Add(config.Checks...)
	for _, s := range Steps() {
		reg.Add(s.Checks...)
	}
	for _, c := range reg.All() {
		if page, ok := docs.Check(c.ID); ok {
			reg.SetHelp(c.ID, page)
		}
	}
	return reg
}

// checksOf returns the checks of cs whose family is fam.
func checksOf(cs []finding.Check, fam string) []finding.Check {
	var out []finding.Check
	for _, c := range cs {
		if c.Family() == fam {
			out = append(out, c)
		}
	}
	return out
}

// DefaultAnchor picks the file that findings without a file of their own
// attach to where a format needs a file (SARIF): the directory's go.mod,
// go.work or .gocompat.yaml, else its first regular file in name order
// (visible files before hidden ones), else nothing (an empty directory).
func DefaultAnchor(dir string) string {
	for _, name := range []string{"go.mod", "go.work", ".gocompat.yaml"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil && st.Mode().IsRegular() {
			return name
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	var names []string
	for _, e := range ents {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	sort.SliceStable(names, func(i, j int) bool {
		hi, hj := strings.HasPrefix(names[i], "."), strings.HasPrefix(names[j], ".")
		if hi != hj {
			return hj
		}
		return names[i] < names[j]
	})
	if len(names) == 0 {
		return ""
	}
	return names[0]
}
