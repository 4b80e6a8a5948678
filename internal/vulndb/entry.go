// Package vulndb reads and writes Go vulnerability databases in the v1
// layout that golang.org/x/vuln's client reads (the layout of
// https://vuln.go.dev, described at
// https://go.dev/security/vuln/database#api):
//
//	index/db.json       {"modified": TIME}: the newest modification of any entry
//	index/modules.json  [{"path": MODULE, "vulns": [{"id", "modified", "fixed"}]}], sorted by path, then id
//	index/vulns.json    [{"id", "modified", "aliases"}], sorted by id
//	ID/<id>.json        the OSV entry itself
//
// Each file is written plain and gzip-compressed (.json.gz) beside it, so
// the folder is read by govulncheck -db file://DIR and can also be served
// over HTTPS as a mirror (the HTTP client asks for the .json.gz files).
//
// Import lays a folder of OSV entries out as such a database; ReadMeta
// tells what a database URL holds and when it was last modified. Entries
// are parsed into the small subset of the OSV schema
// (https://ossf.github.io/osv-schema/) that gocompat and the index need;
// an entry that golang.org/x/vuln could not read (a field of the wrong
// type, a malformed time, an unusable ID) is rejected with an error that
// names the file.
package vulndb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"golang.org/x/mod/semver"
)

// Entry is the part of an OSV entry gocompat reads.
type Entry struct {
	ID        string     `json:"id"`
	Modified  time.Time  `json:"modified"`
	Published time.Time  `json:"published"`
	Withdrawn *time.Time `json:"withdrawn,omitempty"`
	Aliases   []string   `json:"aliases,omitempty"`
	Summary   string     `json:"summary,omitempty"`
	Details   string     `json:"details,omitempty"`
	Affected  []Affected `json:"affected"`
	// DatabaseSpecific.URL is the entry's page (pkg.go.dev/vuln/ID).
	DatabaseSpecific *struct {
		URL string `json:"url,omitempty"`
	} `json:"database_specific,omitempty"`
}

// Affected is one module an entry affects. In the Go database the
// package name is a module path, or "stdlib" and "toolchain" for the
// standard library and the go command.
type Affected struct {
	Package struct {
		Name      string `json:"name"`
		Ecosystem string `json:"ecosystem"`
	} `json:"package"`
	Ranges            []Range `json:"ranges,omitempty"`
	EcosystemSpecific *struct {
		Imports []Package `json:"imports,omitempty"`
	} `json:"ecosystem_specific,omitempty"`
}

// Range is a list of introduced/fixed events; versions carry no "v".
type Range struct {
	Type   string  `json:"type"`
	Events []Event `json:"events"`
}

// Event is one range event: exactly one of the fields is set.
type Event struct {
	Introduced string `json:"introduced,omitempty"`
	Fixed      string `json:"fixed,omitempty"`
}

// Package is a vulnerable package and its vulnerable symbols.
type Package struct {
	Path    string   `json:"path"`
	GOOS    []string `json:"goos,omitempty"`
	GOARCH  []string `json:"goarch,omitempty"`
	Symbols []string `json:"symbols,omitempty"`
}

// validID is what can name a file ID/<id>.json and a finding: the Go
// database's GO-YYYY-NNNN, and the IDs of other OSV databases
// (GHSA-xxxx-xxxx-xxxx, CVE-…), but no path separators or dot-dot.
var validID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$`)

// maxEntry bounds one OSV file; the largest entry of the Go database is
// about 13 KB.
const maxEntry = 4 << 20

// ParseEntry parses and checks one OSV entry.
func ParseEntry(b []byte) (*Entry, error) {
	if len(b) > maxEntry {
		return nil, fmt.Errorf("entry is %d bytes, more than the %d an OSV entry may have here", len(b), maxEntry)
	}
	var e Entry
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&e); err != nil {
		return nil, fmt.Errorf("not an OSV entry: %v", err)
	}
	if dec.More() {
		return nil, errors.New("not an OSV entry: data after the JSON object")
	}
	if e.ID == "" {
		return nil, errors.New("OSV entry has no id")
	}
	if len(e.ID) > 128 || !validID.MatchString(e.ID) {
		return nil, fmt.Errorf("OSV id %q cannot name a database file (want letters, digits, '-', '_' and '.')", e.ID)
	}
	for i, a := range e.Affected {
		if a.Package.Name == "" {
			return nil, fmt.Errorf("%s: affected[%d] names no package", e.ID, i)
		}
		for j, r := range a.Ranges {
			if r.Type != "SEMVER" {
				continue // ECOSYSTEM and GIT ranges are not read by the Go client
			}
			for k, ev := range r.Events {
				for _, v := range []string{ev.Introduced, ev.Fixed} {
					if v == "" || v == "0" {
						continue
					}
					if !semver.IsValid("v" + v) {
						return nil, fmt.Errorf("%s: affected[%d].ranges[%d].events[%d]: %q is not a semantic version", e.ID, i, j, k, v)
					}
				}
			}
		}
	}
	return &e, nil
}

// Fixed is the version that fixes the vulnerability in a's SEMVER ranges
// and that no later introduction undoes, without a "v"; "" when there is
// none. It is the "fixed" of index/modules.json, computed the way
// golang.org/x/vuln's client computes it for a folder of entries.
func (a Affected) Fixed() string {
	latest := ""
	for _, r := range a.Ranges {
		if r.Type != "SEMVER" {
			continue
		}
		for _, ev := range r.Events {
			if ev.Fixed != "" && less(latest, ev.Fixed) {
				latest = ev.Fixed
			}
		}
		for _, ev := range r.Events {
			if ev.Introduced != "" && ev.Introduced != "0" && less(latest, ev.Introduced) {
				latest = ""
				break
			}
		}
	}
	return latest
}

// less compares database versions ("1.2.3", no "v"); "" is lowest.
func less(a, b string) bool {
	return semver.Compare(canon(a), canon(b)) < 0
}

func canon(v string) string {
	if v == "" {
		return ""
	}
	return "v" + strings.TrimPrefix(v, "v")
}

// changed is the newest of the entry's modified, published and withdrawn
// times. Some exports of the database zero the modified time; the
// others then still date the entry.
func (e *Entry) changed() time.Time {
	t := e.Modified
	if e.Published.After(t) {
		t = e.Published
	}
	if e.Withdrawn != nil && e.Withdrawn.After(t) {
		t = *e.Withdrawn
	}
	return t
}
