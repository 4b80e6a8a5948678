// Package sbom turns what a Go module or a Go binary says about its
// contents into a software bill of materials: CycloneDX 1.6 JSON through
// github.com/CycloneDX/cyclonedx-go and SPDX 2.3 JSON through
// github.com/spdx/tools-golang. It holds no document structs of its own;
// it fills the libraries' types from one plain Inventory.
//
// What is in the inventory:
//
//   - For a module directory, the modules of the packages that are really
//     compiled for the chosen GOOS/GOARCH and build tags: `go list -deps`
//     of the packages, not every line of go.sum. A dependency that only a
//     Windows file imports is absent from a linux/amd64 SBOM.
//   - For a binary, its build information (debug/buildinfo): the modules
//     the linker put in, their go.sum hashes and the build settings.
//
// In both, the standard library is a component of its own ("stdlib", at the
// Go release that compiled it, as the Go vulnerability database names it),
// modules are identified by package URLs pkg:golang/<module>@<version>,
// go.sum's h1: hashes are properties (gocompat:gosum:h1), never passed off
// as a SHA-256 of a file (h1 is a SHA-256 over a list of file hashes, see
// golang.org/x/mod/sumdb/dirhash), build settings are properties of the
// main component (gocompat:build:<key>), and the dependency graph is
// module to module, derived from the package import graph (for a binary,
// which keeps no graph, the main module depends on every module).
//
// Same input, same bytes. CycloneDX's serialNumber is a name-based UUID
// (version 5) of the document's own content, and metadata.timestamp, which
// the schema makes optional, is left out. SPDX requires creationInfo.created
// and a documentNamespace: created is SOURCE_DATE_EPOCH when set, else the
// commit time the binary records (vcs.time) or the module's HEAD commit
// time, else the Unix epoch, which the document's comment then says is no
// real date; the namespace ends in a UUID of the content.
//
// Vulnerabilities: Inventory.Vulns is the hook for the results of a
// vulnerability scan with reachability (AddVulns fills it from a
// govulncheck scan; gocompat sbom --db runs one). When it is set, the
// CycloneDX document gains a VEX section in which an unreachable
// vulnerability (a vulnerable package imported but no vulnerable symbol
// called, or a vulnerable module required but none of its vulnerable
// packages imported) is marked not_affected with justification
// code_not_reachable, and a reachable one exploitable.
package sbom

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Inventory is what one module or binary contains.
type Inventory struct {
	// Name names the subject for people: the binary's file name or the
	// module path.
	Name string
	// Kind is "module" or "binary".
	Kind string
	// Main is the main module.
	Main Component
	// Components are every other module compiled in, the standard library
	// among them, sorted by Ref.
	Components []Component
	// Deps maps a component's Ref to the Refs it depends on, sorted.
	Deps map[string][]string
	// Settings are build settings ("GOOS", "linux"; "-trimpath", "true"),
	// in the order the source gave them.
	Settings []Setting
	// Created is the time to state as the document's creation; zero when
	// no source states one.
	Created time.Time
	// Vulns is the hook for a vulnerability scan's results (see the
	// package documentation). Empty leaves the VEX section out.
	Vulns []Vuln
}

// Setting is one build setting.
type Setting struct{ Key, Value string }

// Component is one module.
type Component struct {
	// Path is the module path; "stdlib" for the standard library.
	Path string
	// Version is the module version ("v1.2.3"), the Go release for the
	// standard library ("v1.26.8"), or "" when none is known (a main
	// module built from a working tree).
	Version string
	// Sum is go.sum's h1: hash of the module, when a source states it.
	Sum string
	// Replace is the replacement the build used, if any. A replacement
	// by a local directory has no Version.
	Replace *Component
	// Std marks the standard library.
	Std bool
}

// Vuln is one vulnerability found in a component.
type Vuln struct {
	// ID is the advisory ("GO-2024-2687"); Aliases its other names (CVEs).
	ID      string
	Aliases []string
	// Ref is the affected component's Ref.
	Ref string
	// Reachable is true when the program's code calls the vulnerable
	// symbols; false when the call graph shows it does not.
	Reachable bool
	// Summary is the advisory's one-line summary.
	Summary string
	// Detail, if set, says why in the analysis (how close the code
	// comes to the vulnerability); else a general sentence does.
	Detail string
}

// StdPath is the module path the standard library goes by, as in the Go
// vulnerability database and govulncheck.
const StdPath = "stdlib"

// Ref is the component's identity in the document: its package URL.
func (c Component) Ref() string { return c.PURL() }

// PURL is pkg:golang/<path>@<version> (package-url's golang type: the
// module path's last element is the name, the rest the namespace), each
// segment percent-encoded where the purl specification requires it.
func (c Component) PURL() string {
	segs := strings.Split(c.Path, "/")
	for i, s := range segs {
		segs[i] = pctEncode(s)
	}
	p := "pkg:golang/" + strings.Join(segs, "/")
	if c.Version != "" {
		p += "@" + pctEncode(c.Version)
	}
	return p
}

// pctEncode keeps the characters purl leaves bare and percent-encodes the
// rest ("+incompatible" becomes "%2Bincompatible").
func pctEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteString(url.QueryEscape(string(c)))
	}
	return b.String()
}

// StdVersion turns a Go release ("go1.26.8", "go1.22.12 X:nodwarf5") into
// the semantic version the standard library goes by ("v1.26.8"); a release
// without a patch number ("go1.21") becomes "v1.21.0", and an unreleased
// toolchain ("devel ...") has none.
func StdVersion(goVersion string) string {
	v, _, _ := strings.Cut(strings.TrimSpace(goVersion), " ")
	if !strings.HasPrefix(v, "go1") {
		return ""
	}
	v = strings.TrimPrefix(v, "go")
	// go1.21rc2 → v1.21.0-rc.2, as x/vuln does.
	pre := ""
	for _, tag := range []string{"rc", "beta"} {
		if i := strings.Index(v, tag); i > 0 {
			pre = "-" + tag + "." + v[i+len(tag):]
			v = v[:i]
		}
	}
	if strings.Count(v, ".") == 1 {
		v += ".0"
	}
	return "v" + v + pre
}

// finish sorts the components and the graph.
func (inv *Inventory) finish() {
	sort.Slice(inv.Components, func(i, j int) bool { return inv.Components[i].Ref() < inv.Components[j].Ref() })
	for k, v := range inv.Deps {
		sort.Strings(v)
		inv.Deps[k] = compactStrings(v)
	}
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// Setting returns the value of build setting key.
func (inv *Inventory) Setting(key string) (string, bool) {
	for _, s := range inv.Settings {
		if s.Key == key {
			return s.Value, true
		}
	}
	return "", false
}

// SourceDateEpoch reads SOURCE_DATE_EPOCH (reproducible-builds.org: the
// build's date as Unix seconds) from environ. ok is false when it is not
// set; a value that is not a non-negative integer is an error.
func SourceDateEpoch(environ []string) (t time.Time, ok bool, err error) {
	for i := len(environ) - 1; i >= 0; i-- {
		v, found := strings.CutPrefix(environ[i], "SOURCE_DATE_EPOCH=")
		if !found {
			continue
		}
		if v == "" {
			return time.Time{}, false, nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || n > 253402300799 {
			return time.Time{}, false, fmt.Errorf("SOURCE_DATE_EPOCH=%q: want the Unix time in seconds", v)
		}
		return time.Unix(n, 0).UTC(), true, nil
	}
	return time.Time{}, false, nil
}
