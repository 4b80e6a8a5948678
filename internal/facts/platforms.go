package facts

import (
	"sort"
	"strings"
	"time"
)

// Libc flavours.
const (
	LibcGlibc = "glibc"
	LibcMusl  = "musl"
	LibcNone  = "none" // no C library at all (scratch, distroless/static)
)

// Libc is the C library a platform provides. An empty Flavor or Version
// means unknown, never a guess.
type Libc struct {
	Flavor  string
	Version string
}

// Preset is a named platform people deploy to: a distribution release or a
// container image. Empty fields are unknown.
type Preset struct {
	// Name is the canonical name used with --target ("debian-12").
	Name string
	// Aliases are other names that select it ("debian:bookworm", …).
	Aliases []string
	// Kind is "distro" or "image".
	Kind string
	// Kernel is the release's default kernel ("6.1"); empty for images,
	// which run on the host's kernel.
	Kernel string
	Libc   Libc
	// PackagedGo is the Go version the distribution packages ("1.19").
	PackagedGo string
	// GoToolchain is the Go in a golang:* image ("1.26").
	GoToolchain string
	// CCompiler says whether a C compiler is installed (images).
	CCompiler *bool
	// GOTOOLCHAIN is the value the image sets, if any.
	GOTOOLCHAIN string
	// EndOfSupport is the end of standard support; zero if unknown.
	EndOfSupport time.Time
	// CPULevel is the minimum x86-64 micro-architecture level the release
	// requires of the CPU ("v2"); empty if v1 or unknown.
	CPULevel string
	// Git says whether git is installed (golang images).
	Git *bool
	// Contents says which runtime files a minimal image provides; nil
	// for images and distributions whose contents gocompat does not
	// claim to know (they install them as packages).
	Contents *ImageContents
	// Base names the preset an image is built on ("debian-12").
	Base    string
	Sources []Source
}

// ImageContents says which files a minimal runtime image provides.
type ImageContents struct {
	CACerts  bool
	Zoneinfo bool
	Passwd   bool
}

var (
	// scratch is empty.
	emptyImage = &ImageContents{}
	// Every distroless image has a CA bundle, tzdata and /etc/passwd
	// (base/README.md).
	distrolessContents = &ImageContents{CACerts: true, Zoneinfo: true, Passwd: true}
)

var (
	yes = true
	no  = false
)

// Sources for platform facts (see the fact sheet on platforms).
var (
	srcDebianPkgs  = Source{Title: "packages.debian.org (libc6, golang-defaults, linux-image)", URL: "https://packages.debian.org/"}
	srcDebianEOL   = Source{Title: "Debian releases and LTS", URL: "https://wiki.debian.org/DebianReleases"}
	srcUbuntuPkgs  = Source{Title: "packages.ubuntu.com (libc6, golang-defaults)", URL: "https://packages.ubuntu.com/"}
	srcUbuntuKern  = Source{Title: "Ubuntu kernel release cycle", URL: "https://ubuntu.com/kernel/lifecycle"}
	srcUbuntuEOL   = Source{Title: "Ubuntu release cycle", URL: "https://ubuntu.com/about/release-cycle"}
	srcAlpinePkgs  = Source{Title: "pkgs.alpinelinux.org (musl, go)", URL: "https://pkgs.alpinelinux.org/"}
	srcAlpineEOL   = Source{Title: "Alpine Linux releases", URL: "https://alpinelinux.org/releases/"}
	srcRHEL        = Source{Title: "Red Hat Enterprise Linux life cycle and release notes", URL: "https://access.redhat.com/support/policy/updates/errata"}
	srcRHEL9CPU    = Source{Title: "RHEL 9 requires x86-64-v2 (RHEL 9 release notes)", URL: "https://docs.redhat.com/en/documentation/red_hat_enterprise_linux/9"}
	srcRHEL10CPU   = Source{Title: "RHEL 10 requires x86-64-v3 (CentOS Stream 10 kernel, MR 3972)", URL: "https://gitlab.com/redhat/centos-stream/src/kernel/centos-stream-10/-/merge_requests/3972"}
	srcAmazonLinux = Source{Title: "Amazon Linux release notes and FAQs", URL: "https://aws.amazon.com/amazon-linux-2/faqs/"}
	srcAL2023EOL   = Source{Title: "Amazon Linux 2023 release cadence: standard support ends 2027-06-30", URL: "https://docs.aws.amazon.com/linux/al2023/ug/release-cadence.html"}
	srcAL2023Glibc = Source{Title: "Amazon Linux 2023 core toolchain packages: glibc 2.34", URL: "https://docs.aws.amazon.com/linux/al2023/ug/core-glibc.html"}
	srcAL2023Kern  = Source{Title: "The Amazon Linux kernel: AL2023's long-term support kernels, 6.1 the first", URL: "https://docs.aws.amazon.com/linux/al2023/ug/kernel-lifecycle.html"}
	srcSLES        = Source{Title: "SUSE Linux Enterprise Server 15 life cycle and release notes", URL: "https://www.suse.com/lifecycle/"}
	srcDockerGo    = Source{Title: "docker-library/golang Dockerfiles (1.26/*/Dockerfile)", URL: "https://github.com/docker-library/golang"}
	srcDistroless  = Source{Title: "distroless base/README.md", URL: "https://github.com/GoogleContainerTools/distroless/blob/main/base/README.md"}
	srcScratch     = Source{Title: "Docker: the scratch image is empty", URL: "https://hub.docker.com/_/scratch"}
)

func glibc(v string) Libc { return Libc{Flavor: LibcGlibc, Version: v} }
func musl(v string) Libc  { return Libc{Flavor: LibcMusl, Version: v} }

// Presets lists the platforms gocompat knows by name. Values the fact
// sheet marks unverified are left empty.
var Presets = []Preset{
	// Enterprise Linux.
	{Name: "rhel-7", Aliases: []string{"centos-7", "centos:7"}, Kind: "distro", Kernel: "3.10", Libc: glibc("2.17"), EndOfSupport: day("2024-06-30"), Sources: []Source{srcRHEL, relNotes("1.27")}},
	{Name: "rhel-8", Aliases: []string{"rocky-8", "alma-8", "almalinux-8", "rockylinux:8", "almalinux:8", "centos-8", "ubi8"}, Kind: "distro", Kernel: "4.18", Libc: glibc("2.28"), EndOfSupport: day("2024-05-31"), Sources: []Source{srcRHEL}},
	{Name: "rhel-9", Aliases: []string{"rocky-9", "alma-9", "almalinux-9", "rockylinux:9", "almalinux:9", "ubi9", "ubi9-minimal"}, Kind: "distro", Kernel: "5.14", Libc: glibc("2.34"), EndOfSupport: day("2027-05-31"), CPULevel: "v2", Sources: []Source{srcRHEL, srcRHEL9CPU}},
	{Name: "rhel-10", Aliases: []string{"rocky-10", "alma-10", "almalinux-10", "ubi10"}, Kind: "distro", Kernel: "6.12", Libc: glibc("2.39"), EndOfSupport: day("2030-05-31"), CPULevel: "v3", Sources: []Source{srcRHEL, srcRHEL10CPU}},
	// Ubuntu.
	{Name: "ubuntu-18.04", Aliases: []string{"ubuntu:18.04", "ubuntu:bionic"}, Kind: "distro", Kernel: "4.15", EndOfSupport: day("2023-05-31"), Sources: []Source{srcUbuntuKern, srcUbuntuEOL}},
	{Name: "ubuntu-20.04", Aliases: []string{"ubuntu:20.04", "ubuntu:focal"}, Kind: "distro", Kernel: "5.4", Libc: glibc("2.31"), EndOfSupport: day("2025-05-31"), Sources: []Source{srcUbuntuPkgs, srcUbuntuKern, srcUbuntuEOL}},
	{Name: "ubuntu-22.04", Aliases: []string{"ubuntu:22.04", "ubuntu:jammy"}, Kind: "distro", Kernel: "5.15", Libc: glibc("2.35"), PackagedGo: "1.18", EndOfSupport: day("2027-04-01"), Sources: []Source{srcUbuntuPkgs, srcUbuntuKern, srcUbuntuEOL}},
	{Name: "ubuntu-24.04", Aliases: []string{"ubuntu:24.04", "ubuntu:noble", "ubuntu:latest", "ubuntu"}, Kind: "distro", Kernel: "6.8", Libc: glibc("2.39"), PackagedGo: "1.22", EndOfSupport: day("2029-05-31"), Sources: []Source{srcUbuntuPkgs, srcUbuntuKern, srcUbuntuEOL}},
	// Debian.
	{Name: "debian-10", Aliases: []string{"debian:10", "debian:buster", "buster"}, Kind: "distro", Kernel: "4.19", Libc: glibc("2.28"), EndOfSupport: day("2022-09-10"), Sources: []Source{srcDebianPkgs, srcDebianEOL}},
	{Name: "debian-11", Aliases: []string{"debian:11", "debian:bullseye", "bullseye"}, Kind: "distro", Libc: glibc("2.31"), PackagedGo: "1.15", EndOfSupport: day("2024-08-14"), Sources: []Source{srcDebianPkgs, srcDebianEOL}},
	{Name: "debian-12", Aliases: []string{"debian:12", "debian:bookworm", "bookworm"}, Kind: "distro", Kernel: "6.1", Libc: glibc("2.36"), PackagedGo: "1.19", EndOfSupport: day("2026-07-11"), Sources: []Source{srcDebianPkgs, srcDebianEOL}},
	{Name: "debian-13", Aliases: []string{"debian:13", "debian:trixie", "trixie", "debian:latest", "debian"}, Kind: "distro", Kernel: "6.12", Libc: glibc("2.41"), PackagedGo: "1.24", EndOfSupport: day("2028-08-09"), Sources: []Source{srcDebianPkgs, srcDebianEOL}},
	// Alpine: musl; runs on the host's kernel.
	{Name: "alpine-3.18", Aliases: []string{"alpine:3.18"}, Kind: "distro", Libc: musl("1.2.4"), PackagedGo: "1.20", EndOfSupport: day("2025-05-09"), Sources: []Source{srcAlpinePkgs, srcAlpineEOL}},
	{Name: "alpine-3.19", Aliases: []string{"alpine:3.19"}, Kind: "distro", Libc: musl("1.2.4"), EndOfSupport: day("2025-11-01"), Sources: []Source{srcAlpinePkgs, srcAlpineEOL}},
	{Name: "alpine-3.20", Aliases: []string{"alpine:3.20"}, Kind: "distro", Libc: Libc{Flavor: LibcMusl}, PackagedGo: "1.22", EndOfSupport: day("2026-04-01"), Sources: []Source{srcAlpinePkgs, srcAlpineEOL}},
	{Name: "alpine-3.21", Aliases: []string{"alpine:3.21"}, Kind: "distro", Libc: musl("1.2.5"), EndOfSupport: day("2026-11-01"), Sources: []Source{srcAlpinePkgs, srcAlpineEOL}},
	{Name: "alpine-3.22", Aliases: []string{"alpine:3.22", "alpine:latest", "alpine"}, Kind: "distro", Libc: musl("1.2.5"), PackagedGo: "1.24", EndOfSupport: day("2027-05-01"), Sources: []Source{srcAlpinePkgs, srcAlpineEOL}},
	// Amazon Linux and SLES.
	{Name: "amazonlinux-2", Aliases: []string{"amazonlinux:2", "al2"}, Kind: "distro", Kernel: "4.14", Libc: glibc("2.26"), EndOfSupport: day("2026-06-30"), Sources: []Source{srcAmazonLinux}},
	{Name: "amazonlinux-2023", Aliases: []string{"amazonlinux:2023", "al2023", "amazonlinux"}, Kind: "distro", Kernel: "6.1", Libc: glibc("2.34"), EndOfSupport: day("2027-06-30"), Sources: []Source{srcAL2023Kern, srcAL2023Glibc, srcAL2023EOL}},
	{Name: "sles-15-sp5", Aliases: []string{"sles-15.5"}, Kind: "distro", Kernel: "5.14.21", Libc: glibc("2.31"), EndOfSupport: day("2024-12-31"), Sources: []Source{srcSLES}},
	{Name: "sles-15-sp6", Aliases: []string{"sles-15.6", "sles-15"}, Kind: "distro", Kernel: "6.4.0", Libc: glibc("2.38"), EndOfSupport: day("2025-12-31"), Sources: []Source{srcSLES}},
	// Images.
	{Name: "scratch", Kind: "image", Libc: Libc{Flavor: LibcNone}, CCompiler: &no, Contents: emptyImage, Sources: []Source{srcScratch}},
	{Name: "distroless-static", Aliases: []string{"gcr.io/distroless/static", "gcr.io/distroless/static-debian12", "gcr.io/distroless/static-debian13", "gcr.io/distroless/static:nonroot", "gcr.io/distroless/static-debian12:nonroot"}, Kind: "image", Libc: Libc{Flavor: LibcNone}, CCompiler: &no, Contents: distrolessContents, Sources: []Source{srcDistroless}},
	{Name: "distroless-base-debian12", Aliases: []string{"gcr.io/distroless/base", "gcr.io/distroless/base-debian12", "gcr.io/distroless/base-nossl-debian12", "gcr.io/distroless/cc-debian12"}, Kind: "image", Libc: glibc("2.36"), CCompiler: &no, Contents: distrolessContents, Base: "debian-12", Sources: []Source{srcDistroless}},
	{Name: "distroless-base-debian13", Aliases: []string{"gcr.io/distroless/base-debian13", "gcr.io/distroless/base-nossl-debian13", "gcr.io/distroless/cc-debian13"}, Kind: "image", Libc: glibc("2.41"), CCompiler: &no, Contents: distrolessContents, Base: "debian-13", Sources: []Source{srcDistroless}},
	{Name: "golang-bookworm", Aliases: []string{"golang:bookworm", "golang:1.26-bookworm"}, Kind: "image", Libc: glibc("2.36"), GoToolchain: "1.26", CCompiler: &yes, Git: &yes, GOTOOLCHAIN: "local", Base: "debian-12", Sources: []Source{srcDockerGo, SrcDockerGolang472, srcDebianPkgs}},
	{Name: "golang-trixie", Aliases: []string{"golang:trixie", "golang:1.26-trixie", "golang:1.26", "golang:latest", "golang"}, Kind: "image", Libc: glibc("2.41"), GoToolchain: "1.26", CCompiler: &yes, Git: &yes, GOTOOLCHAIN: "local", Base: "debian-13", Sources: []Source{srcDockerGo, SrcDockerGolang472, srcDebianPkgs}},
	{Name: "golang-alpine", Aliases: []string{"golang:alpine", "golang:1.26-alpine", "golang:1.26-alpine3.22"}, Kind: "image", Libc: Libc{Flavor: LibcMusl}, GoToolchain: "1.26", CCompiler: &no, Git: &no, GOTOOLCHAIN: "local", Sources: []Source{srcDockerGo, SrcDockerGolang472}},
}

// LookupPreset finds a preset by name or alias, case-insensitively, and
// resolves image references to them: digests, registry prefixes and the
// -slim suffix of Debian tags are ignored, point releases select their
// release ("debian:11.9" is debian-11, "alpine:3.20.3" alpine-3.20), and
// distroless tags (:nonroot, :debug) select the image they are a tag of.
// The debug tags add a busybox shell and tools, so their contents are not
// claimed.
func LookupPreset(name string) (Preset, bool) {
	r := strings.ToLower(strings.TrimSpace(name))
	if i := strings.Index(r, "@"); i >= 0 {
		r = r[:i]
	}
	r = strings.TrimPrefix(r, "docker.io/")
	r = strings.TrimPrefix(r, "library/")
	if p, ok := presetNamed(r); ok {
		return p, true
	}
	name, tag, _ := strings.Cut(r, ":")
	tag = strings.TrimSuffix(tag, "-slim")
	switch {
	case name == "debian":
		if p, ok := presetNamed("debian:" + strings.SplitN(tag, "-", 2)[0]); ok {
			return p, true
		}
		if maj, _, _ := strings.Cut(tag, "."); maj != "" {
			return presetNamed("debian:" + maj)
		}
	case name == "alpine":
		if parts := strings.Split(tag, "."); len(parts) >= 2 {
			return presetNamed("alpine:" + parts[0] + "." + parts[1])
		}
	case strings.HasPrefix(name, "gcr.io/distroless/"):
		p, ok := presetNamed(name)
		if !ok {
			// The other distroless images (cc, java, python, nodejs)
			// are built on distroless/cc: glibc.
			p, ok = distrolessOther, true
		}
		if strings.HasPrefix(tag, "debug") {
			p.Contents = nil
		}
		return p, ok
	case name == "redhat/ubi9" || name == "registry.access.redhat.com/ubi9" || strings.HasPrefix(name, "registry.access.redhat.com/ubi9/") || strings.HasPrefix(name, "redhat/ubi9-"):
		return presetNamed("ubi9")
	case name == "ubuntu" || name == "rockylinux" || name == "almalinux" || name == "amazonlinux":
		return presetNamed(name + ":" + strings.SplitN(tag, ".", 2)[0] + tagMinor(tag))
	}
	return Preset{}, false
}

// distrolessOther stands for the distroless images without a preset of
// their own.
var distrolessOther = Preset{Name: "distroless", Kind: "image", Libc: Libc{Flavor: LibcGlibc}, CCompiler: &no, Contents: distrolessContents, Sources: []Source{srcDistroless}}

func tagMinor(tag string) string {
	// ubuntu:22.04 keeps its minor; rockylinux:9.3 does not.
	if parts := strings.SplitN(tag, ".", 3); len(parts) >= 2 && len(parts[1]) == 2 && parts[1][0] == '0' {
		return "." + parts[1]
	}
	return ""
}

func presetNamed(n string) (Preset, bool) {
	for _, p := range Presets {
		if p.Name == n {
			return p, true
		}
		for _, a := range p.Aliases {
			if a == n {
				return p, true
			}
		}
	}
	return Preset{}, false
}

// PresetNames lists the canonical names, sorted.
func PresetNames() []string {
	out := make([]string, 0, len(Presets))
	for _, p := range Presets {
		out = append(out, p.Name)
	}
	sort.Strings(out)
	return out
}

// Loaders are the ELF interpreters of each libc (cmd/link/internal/*/obj.go).
var Loaders = map[string]string{
	"/lib64/ld-linux-x86-64.so.2":      LibcGlibc,
	"/lib/ld-linux-aarch64.so.1":       LibcGlibc,
	"/lib/ld-linux-armhf.so.3":         LibcGlibc,
	"/lib/ld-linux.so.2":               LibcGlibc,
	"/lib/ld-musl-x86_64.so.1":         LibcMusl,
	"/lib/ld-musl-aarch64.so.1":        LibcMusl,
	"/lib/ld-musl-armhf.so.1":          LibcMusl,
	"/lib/ld-musl-i386.so.1":           LibcMusl,
	"/lib64/ld64.so.2":                 LibcGlibc,
	"/lib/ld64.so.1":                   LibcGlibc,
	"/lib/ld-linux-riscv64-lp64d.so.1": LibcGlibc,
}

// SrcLoaders cites the loader paths.
var SrcLoaders = Source{Title: "cmd/link/internal/{amd64,arm64}/obj.go: dynamic linker paths for glibc and musl", URL: "https://go.dev/src/cmd/link/internal/amd64/obj.go"}

// GlibcLibcPthread is the glibc release that merged libpthread into libc:
// a program linked against it or a later glibc needs GLIBC_2.34.
const GlibcLibcPthread = "2.34"

// SrcGlibc234 cites why glibc 2.34 is a hard line for cgo binaries.
var SrcGlibc234 = Source{Title: "glibc 2.34 merged libpthread into libc: programs linked against 2.34 need GLIBC_2.34 (golang/go#58550)", URL: "https://go.dev/issue/58550"}
