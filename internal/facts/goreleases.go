package facts

import (
	"fmt"
	"go/version"
	"time"
)

// GoRelease is one major Go release and what it needs from Linux.
type GoRelease struct {
	// Version is the language version, "go1.24".
	Version string
	// Released is the date of the .0 release.
	Released time.Time
	// Unsupported is the date the N+2 release came out, after which this
	// release gets no security fixes; zero while still supported or not
	// yet known.
	Unsupported time.Time
	// LatestPatch is the newest patch release known to this table.
	LatestPatch string
	// MinKernel is the minimum Linux kernel (amd64, arm64, 386) for
	// programs built with this release. A toolchain's own files do not
	// state it (so it cannot be read from the release, as the GODEBUG
	// table is): the release notes do. The runtime does not check a floor
	// at start (src/runtime/os_linux.go reads the kernel version only to
	// choose features, as src/internal/syscall/unix.KernelVersionGE
	// callers do), src/cmd/dist and src/internal/platform list ports, not
	// kernels, VERSION holds the release and its date, the toolchain module
	// ships no doc/, api/ or misc/, and the linker writes no ELF ABI-tag
	// note for Linux (src/cmd/link/internal/ld/elf.go: only the BSDs').
	MinKernel string
	// Sources back MinKernel and the dates.
	Sources []Source
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func relNotes(v string) Source {
	return Source{Title: "Go " + v + " release notes", URL: "https://go.dev/doc/go" + v}
}

// GoReleases lists Go 1.17 onwards. Dates are from the Go release history
// (go.dev/doc/devel/release) and the release notes; kernel floors from the
// release notes (1.18: 2.6.32, golang/go#45964; 1.24: 3.2) and the
// MinimumRequirements wiki page for 1.17 (2.6.23). Latest patches as of
// 2026-08-21.
var GoReleases = []GoRelease{
	{Version: "go1.17", Released: day("2021-08-16"), Unsupported: day("2022-08-02"), LatestPatch: "go1.17.13", MinKernel: "2.6.23", Sources: []Source{SrcMinRequirements}},
	{Version: "go1.18", Released: day("2022-03-15"), Unsupported: day("2023-02-01"), LatestPatch: "go1.18.10", MinKernel: "2.6.32", Sources: []Source{relNotes("1.18"), {Title: "golang/go#45964: require Linux 2.6.32", URL: "https://go.dev/issue/45964"}}},
	{Version: "go1.19", Released: day("2022-08-02"), Unsupported: day("2023-08-08"), LatestPatch: "go1.19.13", MinKernel: "2.6.32", Sources: []Source{relNotes("1.19")}},
	{Version: "go1.20", Released: day("2023-02-01"), Unsupported: day("2024-02-06"), LatestPatch: "go1.20.14", MinKernel: "2.6.32", Sources: []Source{relNotes("1.20")}},
	{Version: "go1.21", Released: day("2023-08-08"), Unsupported: day("2024-08-13"), LatestPatch: "go1.21.13", MinKernel: "2.6.32", Sources: []Source{relNotes("1.21")}},
	{Version: "go1.22", Released: day("2024-02-06"), Unsupported: day("2025-02-11"), LatestPatch: "go1.22.12", MinKernel: "2.6.32", Sources: []Source{relNotes("1.22")}},
	{Version: "go1.23", Released: day("2024-08-13"), Unsupported: day("2025-08-12"), LatestPatch: "go1.23.12", MinKernel: "2.6.32", Sources: []Source{relNotes("1.23"), {Title: "golang/go#67001: Go 1.23 is the last release to run on Linux 2.6.32", URL: "https://go.dev/issue/67001"}}},
	{Version: "go1.24", Released: day("2025-02-11"), Unsupported: day("2026-02-10"), LatestPatch: "go1.24.13", MinKernel: "3.2", Sources: []Source{relNotes("1.24")}},
	{Version: "go1.25", Released: day("2025-08-12"), Unsupported: day("2026-08-19"), LatestPatch: "go1.25.14", MinKernel: "3.2", Sources: []Source{relNotes("1.25")}},
	{Version: "go1.26", Released: day("2026-02-10"), LatestPatch: "go1.26.8", MinKernel: "3.2", Sources: []Source{relNotes("1.26")}},
	{Version: "go1.27", Released: day("2026-08-19"), LatestPatch: "go1.27.0", MinKernel: "3.2", Sources: []Source{relNotes("1.27")}},
}

// LookupGoRelease returns the release of a Go version ("go1.24.3",
// "1.24", "go1.24rc1").
func LookupGoRelease(v string) (GoRelease, bool) {
	lang := version.Lang(normalizeGo(v))
	for _, r := range GoReleases {
		if r.Version == lang {
			return r, true
		}
	}
	return GoRelease{}, false
}

// normalizeGo adds the "go" prefix go/version wants.
func normalizeGo(v string) string {
	if len(v) > 0 && v[0] >= '0' && v[0] <= '9' {
		return "go" + v
	}
	return v
}

// NormalizeGo turns "1.22", "go1.22" and "go1.22.3" into the form
// go/version understands ("go1.22"); it returns "" for what is not a
// valid Go version.
func NormalizeGo(v string) string {
	v = normalizeGo(v)
	if !version.IsValid(v) {
		return ""
	}
	return v
}

// SupportStatus says whether Go version v is still supported on date now.
// known is false for versions outside the table.
func SupportStatus(v string, now time.Time) (supported, known bool, r GoRelease) {
	r, ok := LookupGoRelease(v)
	if !ok {
		return false, false, r
	}
	if r.Unsupported.IsZero() {
		return true, true, r
	}
	return now.Before(r.Unsupported), true, r
}

// MinKernelFor returns the minimum Linux kernel for programs built with Go
// version v, with its sources.
func MinKernelFor(v string) (string, []Source, error) {
	r, ok := LookupGoRelease(v)
	if !ok {
		lang := version.Lang(normalizeGo(v))
		if lang != "" && version.Compare(lang, GoReleases[len(GoReleases)-1].Version) > 0 {
			// Newer than the table: the floor has never gone down.
			last := GoReleases[len(GoReleases)-1]
			return last.MinKernel, last.Sources, nil
		}
		return "", nil, fmt.Errorf("no kernel floor known for Go %q", v)
	}
	return r.MinKernel, r.Sources, nil
}
