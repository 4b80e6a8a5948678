package facts

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// embeddedExperiments is the GOEXPERIMENT name list of go1.26, the field
// names of internal/goexperiment.Flags in lower case. It is the fallback
// when $GOROOT/src is absent; TestExperimentsMatchGOROOT keeps it equal to
// the installed toolchain's list.
var embeddedExperiments = []string{
	"arenas", "boringcrypto", "cgocheck2", "dwarf5", "fieldtrack",
	"goroutineleakprofile", "greenteagc", "heapminimum512kib", "jsonv2",
	"loopvar", "newinliner", "preemptibleloops", "randomizedheapbase64",
	"regabiargs", "regabiwrappers", "runtimefreegc", "runtimesecret",
	"simd", "sizespecializedmalloc", "staticlockranking",
}

// EmbeddedExperimentsVersion is the toolchain the embedded list was taken from.
const EmbeddedExperimentsVersion = "go1.26"

// Experiments returns the GOEXPERIMENT names the toolchain at goroot
// accepts (without the "no" prefix or the "regabi" and "none" aliases),
// read from $GOROOT/src/internal/goexperiment/flags.go, and whether they
// came from there (false: the embedded fallback).
func Experiments(goroot string) ([]string, bool) {
	if goroot != "" {
		p := filepath.Join(goroot, "src", "internal", "goexperiment", "flags.go")
		if data, err := os.ReadFile(p); err == nil {
			if names, err := ParseExperimentFlags(data); err == nil && len(names) > 0 {
				return names, true
			}
		}
	}
	return append([]string(nil), embeddedExperiments...), false
}

// ParseExperimentFlags reads the Flags struct of internal/goexperiment's
// flags.go and returns its bool field names in lower case, sorted.
func ParseExperimentFlags(src []byte) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "flags.go", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("parse flags.go: %w", err)
	}
	var names []string
	for _, s := range topLevel(f, token.TYPE) {
		ts := s.(*ast.TypeSpec)
		st, ok := ts.Type.(*ast.StructType)
		if ts.Name.Name != "Flags" || !ok {
			continue
		}
		for _, fld := range st.Fields.List {
			if id, ok := fld.Type.(*ast.Ident); !ok || id.Name != "bool" {
				continue
			}
			for _, n := range fld.Names {
				names = append(names, strings.ToLower(n.Name))
			}
		}
	}
	if names == nil {
		return nil, fmt.Errorf("parse flags.go: no Flags struct")
	}
	sort.Strings(names)
	return names, nil
}

// CheckGOEXPERIMENT validates a GOEXPERIMENT value the way
// internal/buildcfg.ParseGOEXPERIMENT does: comma-separated names, each
// optionally prefixed with "no", plus the aliases "regabi" and "none". It
// returns the unknown entries exactly as `go build` names them.
func CheckGOEXPERIMENT(value string, known []string) (unknown []string) {
	set := map[string]bool{"regabi": true}
	for _, k := range known {
		set[k] = true
	}
	for _, f := range strings.Split(value, ",") {
		if f == "" || f == "none" {
			continue
		}
		name := strings.TrimPrefix(f, "no")
		if !set[name] {
			unknown = append(unknown, name)
		}
	}
	return unknown
}
