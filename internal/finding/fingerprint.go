package finding

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
)

// Fingerprint identifies a finding across runs so that it survives lines
// moving: it hashes the check, the file, the object and the message, with
// every line reference in the message (file.go:12:3, "line 12") reduced
// to its file, since a line inserted above a finding renumbers them. The
// line of the finding itself is not part of it for the same reason.
//
// SARIF carries it as partialFingerprints "gocompatFinding/v1", baselines
// match by it (internal/baseline), and the GitLab report numbers equal
// fingerprints to keep each one unique.
func Fingerprint(f Finding) string {
	msg := lineRef.ReplaceAllString(f.Message, "$1$3")
	h := sha256.Sum256([]byte(f.Check + "\x00" + f.Location.File + "\x00" + f.Location.Object + "\x00" + msg))
	return hex.EncodeToString(h[:16])
}

// lineRef matches a line reference in a message: ":12" or ":12:3" after a
// file name, and "line 12".
var lineRef = regexp.MustCompile(`(\.[A-Za-z0-9_]+):\d+(:\d+)?\b|\b(line) \d+\b`)
