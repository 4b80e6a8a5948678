package facts

// Facts about what a Go binary records of its build (runtime/debug.BuildInfo),
// for the provenance checks (SBOM, rebuild, deployed ≠ source).
var (
	// SrcLdflagsTrimpath: the go command records -ldflags in the build
	// information only when -trimpath is off, because linker flags can
	// carry system paths (-extld, -extldflags). A -trimpath binary linked
	// with -ldflags "-X main.version=…" therefore does not say so.
	SrcLdflagsTrimpath = Source{Title: "cmd/go/internal/load/pkg.go: -ldflags are recorded only if -trimpath is not set (go.dev/issue/52372)", URL: "https://go.dev/issue/52372"}
)

// LdflagsRecorded reports whether a binary built with trimpath records
// its -ldflags (SrcLdflagsTrimpath): only without -trimpath.
func LdflagsRecorded(trimpath bool) bool { return !trimpath }
