// Package facts is gocompat's knowledge about Go, Linux kernels, libcs,
// distributions and images, each fact with its source. Nothing else in
// gocompat states such a fact; checks look it up here and cite the source
// this package gives.
//
// Facts the installed toolchain can tell (the GOEXPERIMENT names, the
// GODEBUG table) are read from $GOROOT when it is there, with an embedded
// snapshot as the fallback; tests keep the snapshot equal to the toolchain.
package facts

import "github.com/gocompat/gocompat/internal/finding"

// Source is a citation.
type Source = finding.Source

// Frequently cited sources.
var (
	SrcReleasePolicy   = Source{Title: "Go release policy: each major release is supported until there are two newer major releases", URL: "https://go.dev/doc/devel/release#policy"}
	SrcMinRequirements = Source{Title: "Go wiki: minimum requirements", URL: "https://go.dev/wiki/MinimumRequirements"}
	SrcToolchains      = Source{Title: "Go toolchains (GOTOOLCHAIN, go and toolchain lines)", URL: "https://go.dev/doc/toolchain"}
	SrcGoEnv           = Source{Title: "go help environment", URL: "https://pkg.go.dev/cmd/go#hdr-Environment_variables"}
	SrcGOEXPERIMENT    = Source{Title: "internal/buildcfg/exp.go and internal/goexperiment: experiments are build-time constants", URL: "https://go.dev/src/internal/goexperiment/flags.go"}
	SrcCgo             = Source{Title: "cgo: CGO_ENABLED defaults to 0 when no C compiler is found (Go 1.20)", URL: "https://go.dev/doc/go1.20#cgo"}
	SrcInstall         = Source{Title: "Download and install Go (remove a previous installation before extracting)", URL: "https://go.dev/doc/install"}
	SrcGOPATH          = Source{Title: "go help gopath: GOPATH, GOBIN and where go install puts commands", URL: "https://pkg.go.dev/cmd/go#hdr-GOPATH_environment_variable"}
	SrcGo112Cache      = Source{Title: "Go 1.12 release notes: the build cache is now required (GOCACHE=off fails)", URL: "https://go.dev/doc/go1.12#gocache"}
	SrcModuleProxy     = Source{Title: "go help goproxy: module proxy protocol", URL: "https://go.dev/ref/mod#module-proxy"}
)
