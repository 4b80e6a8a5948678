package gosrc

import (
	"bytes"
	"debug/buildinfo"
	"fmt"
	"io"
	"os"
)

// Binary is what a Go executable records about itself.
type Binary struct {
	Path string
	// GoVersion is the toolchain that built it ("go1.25.3").
	GoVersion string
	// Settings are the build settings (CGO_ENABLED, GOAMD64,
	// DefaultGODEBUG, which reflects the main module's go line, …).
	Settings map[string]string
	// Deps are the module paths linked in.
	Deps []string
	// HasMarker reports whether the marker string occurs in the file.
	HasMarker bool
}

// ReadBinary reads the build information of the Go executable at path and
// searches it for marker ("" skips the search). A file that is not a Go
// executable gives an error wrapping the buildinfo error.
func ReadBinary(path, marker string) (*Binary, error) {
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	b := &Binary{Path: path, GoVersion: info.GoVersion, Settings: map[string]string{}}
	for _, s := range info.Settings {
		b.Settings[s.Key] = s.Value
	}
	for _, d := range info.Deps {
		b.Deps = append(b.Deps, d.Path)
	}
	if marker != "" {
		f, err := os.Open(path)
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
