package discover

import (
	"errors"
	"path/filepath"

	"github.com/gocompat/gocompat/internal/binary"
)

// Binaries reads the executables the walk found (rels, relative to root)
// and keeps the Go binaries, as `go version` does with a directory:
// files that are not ELF or not Go are left out quietly, damaged ELF
// files are kept with their error.
func Binaries(root string, rels []string) []binary.Result {
	var out []binary.Result
	for _, rel := range rels {
		p := filepath.Join(root, filepath.FromSlash(rel))
		info, err := binary.ReadFile(p)
		if errors.Is(err, binary.ErrNotELF) || errors.Is(err, binary.ErrNotGo) {
			continue
		}
		out = append(out, binary.Result{Path: p, Info: info, Err: err})
	}
	return out
}
