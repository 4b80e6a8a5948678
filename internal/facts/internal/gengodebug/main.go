// Command gengodebug writes the embedded copy of the GODEBUG table
// (internal/facts/godebug_table.json) from the installed toolchain's
// $GOROOT/src/internal/godebugs/table.go and $GOROOT/doc/godebug.md. Run
// it through `go generate ./internal/facts` after a toolchain upgrade;
// TestEmbeddedGodebugsMatchGOROOT fails until it has been run.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/gocompat/gocompat/internal/facts"
)

func main() {
	out := flag.String("o", "godebug_table.json", "output file")
	goroot := flag.String("goroot", "", "GOROOT to read (default: go env GOROOT)")
	flag.Parse()
	if *goroot == "" {
		b, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			fmt.Fprintf(os.Stderr, "gengodebug: go env GOROOT: %v\n", err)
			os.Exit(1)
		}
		*goroot = strings.TrimSpace(string(b))
	}
	t, err := facts.ReadGodebugs(*goroot)
	if err != nil {
		fmt.Fprintf(os.Stderr, "gengodebug: %v\n", err)
		os.Exit(1)
	}
	b, err := facts.EncodeGodebugTable(t)
	if err != nil {
		fmt.Fprintf(os.Stderr, "gengodebug: %v\n", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "gengodebug: %v\n", err)
		os.Exit(1)
	}
}
