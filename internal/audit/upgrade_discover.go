package audit

import "github.com/gocompat/gocompat/internal/module"

// hasModuleBelow reports whether dir holds a go.mod at any depth (nested
// modules and workspaces without a root go.mod) or lies inside a module.
// A go.mod that does not parse counts, so that the step runs and reports
// the error instead of being skipped in silence.
func hasModuleBelow(dir string) bool {
	t, err := module.Discover(dir)
	return err != nil || len(t.Modules) > 0
}
