package loopvar

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis/unitchecker"
)

// VetMain runs the analyzer as a go vet tool (unitchecker protocol). It
// reads os.Args and exits the process itself, as go vet expects.
func VetMain() {
	if len(os.Args) == 2 && os.Args[1] == "-V=full" {
		printVersion()
	}
	unitchecker.Main(Analyzer)
}

// printVersion answers -V=full, by which go vet fingerprints the tool for
// its cache, with the executable's Go build ID when it has one, and
// exits. unitchecker would hash the whole executable (about 30 ms for
// gocompat, on every go vet run); the build ID is the go command's own
// hash of that content, and toolID reads its content part either way.
// Without a build ID (not ELF, or linked with -buildid=) it returns and
// unitchecker hashes.
func printVersion() {
	exe, err := os.Executable()
	if err != nil {
		return
	}
	id := executableBuildID(exe)
	if id == "" {
		return
	}
	fmt.Printf("%s version devel comments-go-here buildID=%s\n", exe, id)
	os.Exit(0)
}

// executableBuildID returns the Go build ID in the ELF note of the
// executable at path, or "".
func executableBuildID(path string) string {
	f, err := elf.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sec := f.Section(".note.go.buildid")
	if sec == nil {
		return ""
	}
	data, err := sec.Data()
	if err != nil {
		return ""
	}
	return goBuildIDNote(data, f.ByteOrder)
}

// goBuildIDNote reads a Go build ID note: name size, description size
// and type (4, the Go build ID) as 32-bit words, the name "Go" padded to
// 4 bytes, then the ID. It returns "" for anything else.
func goBuildIDNote(data []byte, order binary.ByteOrder) string {
	if len(data) < 16 {
		return ""
	}
	namesz, descsz, typ := order.Uint32(data), order.Uint32(data[4:]), order.Uint32(data[8:])
	if namesz != 4 || typ != 4 || !bytes.Equal(data[12:16], []byte("Go\x00\x00")) {
		return ""
	}
	if uint64(descsz) > uint64(len(data)-16) {
		return ""
	}
	id := string(data[16 : 16+descsz])
	// A build ID is printable and has no spaces: go vet splits the
	// -V=full line on white space and takes the last field.
	if id == "" || strings.ContainsFunc(id, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return ""
	}
	return id
}
