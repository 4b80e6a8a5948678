// Package vetcfg tells a go vet tool invocation from a gocompat command
// line, by what go vet really passes to a -vettool (cmd/go: work/buildid.go
// toolID, vet/vetflag.go toolFlags, work/exec.go vet):
//
//   - "-V=full", alone: go vet fingerprints the tool for its cache;
//   - "-flags", alone: go vet asks the tool for its flags as JSON;
//   - the tool's flags as the user gave them, then one file named
//     <objdir>vet.cfg holding the JSON of cmd/go's vetConfig (ID, Compiler,
//     Dir, ImportPath, GoFiles, …) for one package.
//
// A last argument that merely ends in .cfg (a codereview.cfg handed to
// `gocompat binary`) is not a vet invocation: the file must be a regular
// file whose JSON object carries the fields every vetConfig has.
package vetcfg

import (
	"encoding/json"
	"strings"

	"github.com/gocompat/gocompat/internal/fsread"
)

// MaxConfig bounds the vet.cfg read: it lists every dependency's export
// data file, a few megabytes for the largest packages.
const MaxConfig = 64 << 20

// required are fields cmd/go's vetConfig always writes (none has
// omitempty) and unitchecker's Config reads.
var required = []string{"ID", "Compiler", "Dir", "ImportPath", "GoFiles", "ImportMap", "PackageFile"}

// IsInvocation reports whether args (without the program name) are what
// go vet passes to a vet tool.
func IsInvocation(args []string) bool {
	switch {
	case len(args) == 0:
		return false
	case len(args) == 1 && (args[0] == "-V=full" || args[0] == "-flags"):
		return true
	}
	last := args[len(args)-1]
	if !strings.HasSuffix(last, ".cfg") || strings.HasPrefix(last, "-") {
		return false
	}
	data, err := fsread.ReadFile(last, MaxConfig)
	if err != nil {
		return false
	}
	return IsConfig(data)
}

// IsConfig reports whether data is the JSON of a go vet config.
func IsConfig(data []byte) bool {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return false
	}
	for _, f := range required {
		if _, ok := fields[f]; !ok {
			return false
		}
	}
	return true
}
