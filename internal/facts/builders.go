package facts

import (
	"strings"
)

// Go builder images other than docker.io's golang, and Go installed from a
// release archive.
var (
	SrcPrometheusGolangBuilder = Source{Title: "prometheus/golang-builder: images FROM golang:<version> (Debian) with build tools; tags <go version>-base, -main, …", URL: "https://github.com/prometheus/golang-builder"}
	SrcCimgGo                  = Source{Title: "CircleCI-Public/cimg-go: cimg/go:<go version>, Ubuntu-based, with git and build-essential; GOTOOLCHAIN is not set", URL: "https://github.com/CircleCI-Public/cimg-go"}
	SrcCircleciGolang          = Source{Title: "circleci/golang (deprecated legacy image): FROM golang:<version>", URL: "https://github.com/CircleCI-Public/circleci-dockerfiles/tree/master/golang/images"}
	SrcGoDownloads             = Source{Title: "go.dev/dl: Go release archives go<version>.<os>-<arch>.tar.gz, unpacked to /usr/local/go; GOTOOLCHAIN defaults to auto", URL: "https://go.dev/doc/install"}
)

// goBuilderImages are builder images that carry a Go toolchain named by
// their tag's leading version. Their tools are as their sources say; an
// image whose tools are not known is taken to have gcc and git, so that no
// check claims they are missing.
var goBuilderImages = []struct {
	// suffix matches the image name without registry ("prometheus/golang-builder").
	suffix  string
	libc    Libc
	sources []Source
}{
	{"prometheus/golang-builder", Libc{Flavor: LibcGlibc}, []Source{SrcPrometheusGolangBuilder}},
	{"cimg/go", Libc{Flavor: LibcGlibc}, []Source{SrcCimgGo}},
	{"circleci/golang", Libc{Flavor: LibcGlibc}, []Source{SrcCircleciGolang}},
	// Any other golang-builder image: the Go version is its tag's; the
	// rest is unknown.
	{"golang-builder", Libc{}, nil},
}

// LookupGoBuilderImage recognises an image that carries a Go toolchain:
// docker.io's golang (ParseGolangImage), and the builder images of other
// registries (quay.io/prometheus/golang-builder:1.20-base, cimg/go:1.21,
// circleci/golang:1.16, any …/golang-builder:<version>). For the latter,
// GOTOOLCHAIN is not set by the image (so the go command's default,
// auto, applies) and gcc and git are present.
func LookupGoBuilderImage(ref string) (GolangImage, bool) {
	if img, ok := ParseGolangImage(ref); ok {
		return img, true
	}
	r := strings.ToLower(strings.TrimSpace(ref))
	if i := strings.Index(r, "@"); i >= 0 {
		r = r[:i]
	}
	name, tag := r, ""
	if i := strings.LastIndex(r, ":"); i > strings.LastIndex(r, "/") {
		name, tag = r[:i], r[i+1:]
	}
	if j := strings.Index(name, "/"); j >= 0 && strings.ContainsAny(name[:j], ".:") {
		name = name[j+1:] // the registry host
	}
	for _, b := range goBuilderImages {
		if name != b.suffix && !strings.HasSuffix(name, "/"+b.suffix) {
			continue
		}
		ver, variant, _ := strings.Cut(tag, "-")
		if NormalizeGo(ver) == "" {
			return GolangImage{}, false
		}
		return GolangImage{Ref: ref, GoVersion: ver, Variant: variant, Libc: b.libc,
			CCompiler: true, Git: true, Sources: append([]Source(nil), b.sources...)}, true
	}
	return GolangImage{}, false
}

// GoFromTarball describes a builder whose Go comes from a release
// archive (version as in the file name, "1.20.5").
func GoFromTarball(v string) (GolangImage, bool) {
	if NormalizeGo(v) == "" {
		return GolangImage{}, false
	}
	return GolangImage{Ref: "go" + v + " release archive", GoVersion: v, Sources: []Source{SrcGoDownloads}}, true
}

// CgoOffWithoutCCSince is the first release whose go command turns cgo
// off by default when no C compiler is found in PATH (SrcGo120Cgo).
// Before it, cgo stayed on and a package with cgo files failed to build
// with `exec: "gcc": executable file not found in $PATH`.
const CgoOffWithoutCCSince = "go1.20"

// SrcGo120Cgo cites that change.
var SrcGo120Cgo = Source{Title: "Go 1.20 release notes: the go command now disables cgo by default on systems without a C toolchain", URL: "https://go.dev/doc/go1.20#cgo"}
