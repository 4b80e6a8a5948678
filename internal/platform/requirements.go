package platform

import (
	"sort"
	"strings"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/dotted"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
)

// Requirements are what a binary needs of the platform it runs on.
type Requirements struct {
	// Binary is the path of the binary, for locations.
	Binary    string
	GoVersion string
	// MinKernel is the kernel floor of GoVersion ("" if unknown).
	MinKernel     string
	KernelSources []finding.Source
	// Static is true when the ELF has no interpreter and no NEEDED.
	Static      bool
	Interpreter string
	// Libc is the flavour the interpreter belongs to: facts.LibcGlibc,
	// facts.LibcMusl, "" for a static binary, "unknown" otherwise.
	Libc string
	// GlibcVersions are the GLIBC_x.y symbol versions needed, ascending.
	GlibcVersions []string
	// GlibcLibraries maps each GLIBC_ version to the libraries needing it.
	GlibcLibraries map[string][]string
	Needed         []string
	RunPath        []string
	GOARCH         string
	// CPULevel is GOAMD64 for amd64 binaries ("v1" when not recorded).
	CPULevel string
}

// LibcUnknown marks an interpreter gocompat does not know.
const LibcUnknown = "unknown"

// FromBinary derives the requirements of a binary.
func FromBinary(info *binary.Info) Requirements {
	r := Requirements{
		Binary: info.File, GoVersion: info.GoVersion, Static: info.Static(),
		Interpreter: info.Interpreter, Needed: info.Needed, RunPath: info.RunPath,
		GOARCH: info.GOARCH(),
	}
	// "go1.26.8 X:nodwarf5" → go1.26.8 for the release tables.
	goVer, _, _ := strings.Cut(info.GoVersion, " ")
	if k, src, err := facts.MinKernelFor(goVer); err == nil {
		r.MinKernel, r.KernelSources = k, src
	}
	if info.Interpreter != "" {
		if fl, ok := facts.Loaders[info.Interpreter]; ok {
			r.Libc = fl
		} else {
			r.Libc = LibcUnknown
		}
	} else if len(info.Needed) > 0 {
		r.Libc = LibcUnknown
	}
	libs := map[string][]string{}
	for _, vn := range info.VersionNeeds {
		for _, v := range vn.Versions {
			n, ok := strings.CutPrefix(v, "GLIBC_")
			if !ok || !dotted.IsNumeric(n) {
				continue // GLIBC_PRIVATE, GLIBCXX_…, other libraries' versions
			}
			libs[n] = append(libs[n], vn.Library)
		}
	}
	for v := range libs {
		r.GlibcVersions = append(r.GlibcVersions, v)
	}
	sort.Slice(r.GlibcVersions, func(i, j int) bool { return dotted.Compare(r.GlibcVersions[i], r.GlibcVersions[j]) < 0 })
	if len(libs) > 0 {
		r.GlibcLibraries = libs
	}
	if r.GOARCH == "amd64" {
		r.CPULevel = "v1"
		if v, ok := info.Setting("GOAMD64"); ok && v != "" {
			r.CPULevel = v
		}
	}
	return r
}

// FromCgoBuild derives what a program linked against the C library of a
// build image needs: that library's loader, and GLIBC_2.34 when built
// against glibc 2.34 or later, which moved libpthread's symbols into
// libc. Which newer symbol versions the program's own C code needs
// depends on that code; FromCgoBuild(bin, libc, true) gives the most it
// can need, the build image's glibc release.
func FromCgoBuild(bin string, libc facts.Libc, most bool) Requirements {
	r := Requirements{Binary: bin, Libc: libc.Flavor}
	if r.Libc == "" || r.Libc == facts.LibcNone {
		r.Libc = LibcUnknown
	}
	if libc.Flavor == facts.LibcGlibc && libc.Version != "" {
		switch {
		case most:
			r.GlibcVersions = []string{libc.Version}
		case dotted.Compare(libc.Version, facts.GlibcLibcPthread) >= 0:
			r.GlibcVersions = []string{facts.GlibcLibcPthread}
		}
	}
	return r
}

// GlibcMax is the newest GLIBC_ version needed, or "".
func (r Requirements) GlibcMax() string {
	if len(r.GlibcVersions) == 0 {
		return ""
	}
	return r.GlibcVersions[len(r.GlibcVersions)-1]
}
