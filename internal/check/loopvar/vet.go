package loopvar

import (
	"strings"

	"golang.org/x/tools/go/analysis/unitchecker"
)

// IsVetInvocation reports whether args (without the program name) are
// those go vet passes to a -vettool: -V=full to fingerprint the tool,
// -flags to list its flags, or flags followed by a .cfg file describing
// one package.
func IsVetInvocation(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "-V=full", "-flags":
		return true
	}
	return strings.HasSuffix(args[len(args)-1], ".cfg")
}

// VetMain runs the analyzer as a go vet tool (unitchecker protocol). It
// reads os.Args and exits the process itself, as go vet expects.
func VetMain() {
	unitchecker.Main(Analyzer)
}
