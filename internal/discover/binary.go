package discover

import (
	"errors"
	"path/filepath"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/fsread"
)

// Binaries reads the executables the walk found (rels, relative to root)
// and keeps the Go binaries, as `go version` does with a directory:
// files that are not ELF or not Go are left out quietly, damaged ELF
// files are kept with their error. An executable reached through a
// symbolic link that leads out of root is kept with its fsread refusal,
// unread: it may be a Go binary the audit is not allowed to read.
func Binaries(root string, rels []string) []binary.Result {
	var out []binary.Result
	for _, rel := range rels {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if _, err := fsread.Resolve(root, rel); err != nil {
			if errors.Is(err, fsread.ErrRefused) {
				out = append(out, binary.Result{Path: p, Err: err})
			}
			continue
		}
		info, err := binary.ReadFile(p)
		if errors.Is(err, binary.ErrNotELF) || errors.Is(err, binary.ErrNotGo) {
			continue
		}
		out = append(out, binary.Result{Path: p, Info: info, Err: err})
	}
	return out
}
