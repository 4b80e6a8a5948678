package facts

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
)

// Facts about the go command's build cache (GOCACHE), from
// cmd/go/internal/cache/cache.go of the Go source tree (go1.21 through
// go1.27): DiskCache.put names every output by its output ID, the
// SHA-256 of its content, and DiskCache.fileName stores it at
// <GOCACHE>/<first byte in hex>/<output ID in hex>-d.
var SrcGoCache = Source{
	Title: "cmd/go/internal/cache/cache.go (DiskCache.put: output ID = SHA-256 of the content; DiskCache.fileName: <dir>/<xx>/<id>-d)",
	URL:   "https://go.dev/src/cmd/go/internal/cache/cache.go",
}

// GoCacheDir is the build cache directory of a go command run with
// environ: GOCACHE from the environment or go env -w (GoEnvSetting), or
// by default os.UserCacheDir()/go-build (cmd/go/internal/cache/default.go);
// "" for GOCACHE=off or when unknown.
func GoCacheDir(environ []string) string {
	if v, ok := GoEnvSetting(environ, "GOCACHE"); ok && v != "" {
		if v == "off" || !filepath.IsAbs(v) {
			return ""
		}
		return v
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "go-build")
}

// GoCacheOutputHash returns the hex SHA-256 of the content of the file
// at path, read from its name, when path is an output file of the build
// cache at gocache: gocache/xx/<64 hex digits>-d whose digits start with
// xx. Anything else returns false (then hash the content).
func GoCacheOutputHash(gocache, path string) (string, bool) {
	if gocache == "" || !filepath.IsAbs(path) {
		return "", false
	}
	dir, base := filepath.Split(filepath.Clean(path))
	id, ok := strings.CutSuffix(base, "-d")
	if !ok || len(id) != 64 || strings.ToLower(id) != id {
		return "", false
	}
	if _, err := hex.DecodeString(id); err != nil {
		return "", false
	}
	if filepath.Join(filepath.Clean(gocache), id[:2]) != filepath.Clean(dir) {
		return "", false
	}
	return id, true
}
