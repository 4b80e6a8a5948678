package audit

import (
	"os"
	"path/filepath"

	"github.com/gocompat/gocompat/docs"
	"github.com/gocompat/gocompat/internal/check/deploy"
	"github.com/gocompat/gocompat/internal/check/hostcheck"
	"github.com/gocompat/gocompat/internal/check/loopvar"
	matrixcheck "github.com/gocompat/gocompat/internal/check/matrix"
	"github.com/gocompat/gocompat/internal/check/toolchain"
	"github.com/gocompat/gocompat/internal/check/upgrade"
	"github.com/gocompat/gocompat/internal/config"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/platform"
)

// Registry returns every check gocompat has, with the help text of its
// doc page (docs/checks/<id>.md).
func Registry() *finding.Registry {
	reg := finding.NewRegistry()
	reg.Add(StepFailed, GoModInvalid)
	reg.Add(config.Checks...)
	reg.Add(toolchain.Checks...)
	reg.Add(deploy.Checks...)
	reg.Add(deploy.ToolchainChecks...)
	reg.Add(platform.Checks...)
	reg.Add(hostcheck.Checks...)
	reg.Add(upgrade.Checks...)
	reg.Add(loopvar.Checks...)
	reg.Add(matrixcheck.Checks...)
	for _, c := range reg.All() {
		if page, ok := docs.Check(c.ID); ok {
			reg.SetHelp(c.ID, page)
		}
	}
	return reg
}

// DefaultAnchor picks the file that findings without a file of their own
// attach to: go.work, else go.mod, else nothing.
func DefaultAnchor(dir string) string {
	for _, name := range []string{"go.mod", "go.work"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil && st.Mode().IsRegular() {
			return name
		}
	}
	return ""
}
