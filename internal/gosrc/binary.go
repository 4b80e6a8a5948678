package gosrc

import (
	"bytes"
	"fmt"
	"io"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/fsread"
)

// Binary is what a Go executable records about itself (package binary)
// and whether a marker string occurs in it.
type Binary struct {
	*binary.Info
	// HasMarker reports whether the marker string occurs in the file.
	HasMarker bool
}

// HasDep reports whether the module path is compiled into the binary.
func (b *Binary) HasDep(path string) bool {
	for _, d := range b.Deps {
		if d.Path == path {
			return true
		}
	}
	return false
}

// ReadBinary reads the Go executable at path with binary.ReadFile and
// searches it for marker ("" skips the search). A file that is not a Go
// executable gives binary's error, which names the file.
func ReadBinary(path, marker string) (*Binary, error) {
	info, err := binary.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b := &Binary{Info: info}
	if marker != "" {
		f, err := fsread.Open(path)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		defer f.Close()
		b.HasMarker, err = contains(f, []byte(marker))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
	return b, nil
}

// contains searches r for m in chunks, keeping an overlap so that a match
// across a chunk boundary is found.
func contains(r io.Reader, m []byte) (bool, error) {
	buf := make([]byte, 1<<20)
	keep := 0
	for {
		n, err := r.Read(buf[keep:])
		if bytes.Contains(buf[:keep+n], m) {
			return true, nil
		}
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		total := keep + n
		keep = len(m) - 1
		if keep > total {
			keep = total
		}
		copy(buf, buf[total-keep:total])
	}
}
