package cli

import (
	"runtime"
	"strings"
	"testing"
)

func runtimeArch() string { return runtime.GOARCH }

// TestCommandsGoThroughThePipeline: no command calls a check package, the
// host probe or the binary reader; they name steps of internal/audit. And
// no renderer imports a check (go list reads the real import graph).
func TestCommandsGoThroughThePipeline(t *testing.T) {
	forbidden := []string{"/internal/check/", "/internal/platform", "/internal/host", "/internal/binary"}
	for _, pkg := range []string{".", "../report/...", "../../cmd/gocompat"} {
		out := runOut(t, "go", "list", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, pkg)
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			for _, imp := range strings.Fields(line)[1:] {
				for _, f := range forbidden {
					// The vet tool entry point of main runs the loopvar
					// analyzer as go vet asks; that is no command.
					if strings.Contains(imp, f) && !(strings.HasPrefix(line, "github.com/gocompat/gocompat/cmd/gocompat:") && strings.HasSuffix(imp, "/check/loopvar")) {
						t.Errorf("%s imports %s", strings.Fields(line)[0], imp)
					}
				}
			}
		}
	}
}
