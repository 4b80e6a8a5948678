package loopvar

import (
	"fmt"
	"regexp"
	"strings"
)

// The go command's words for an import it cannot find (go vet), and
// go/packages' for an imported package with no files (in process).
var reNoModuleProvides = regexp.MustCompile(`no required module provides package ([^\s;:]+)|could not import ([^\s;:]+) \(invalid package name: ""\)`)

// Unbuildable reports whether err, from Run or Analyze on the module with
// path modulePath, says that there is nothing to analyse rather than that
// the code is wrong: the module has no package to build (a tools-only
// module, whose tools.go is excluded by its //go:build tools constraint),
// or it imports a package of its own that is not in the tree (generated
// code that is not checked in). what says which, in a sentence. Any other
// error (a type error, a missing dependency) is the user's build failing
// and is not Unbuildable.
func Unbuildable(err error, modulePath string) (what string, ok bool) {
	if err == nil {
		return "", false
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "matched no packages"), strings.Contains(msg, "no packages to vet"),
		strings.Contains(msg, "build constraints exclude all Go files"):
		return "the module has no package to build (its Go files are all excluded by build constraints, as a tools.go with //go:build tools is), so there is no code to analyse", true
	}
	var missing []string
	for _, m := range reNoModuleProvides.FindAllStringSubmatch(msg, -1) {
		p := m[1] + m[2]
		if modulePath == "" || (p != modulePath && !strings.HasPrefix(p, modulePath+"/")) {
			return "", false // a dependency, not the module's own code
		}
		missing = append(missing, p)
	}
	if len(missing) == 0 {
		return "", false
	}
	return fmt.Sprintf("the module imports %s, a package of its own that is not in the tree (generated code that is not checked in?); run the generator (go generate) and audit again to analyse the packages that need it", strings.Join(missing, ", ")), true
}
