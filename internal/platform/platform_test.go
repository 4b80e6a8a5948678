package platform

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/dotted"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/host"
	"github.com/gocompat/gocompat/internal/testbin"
)

func read(t *testing.T, p testbin.Program) (*binary.Info, Requirements) {
	t.Helper()
	info, err := binary.ReadFile(testbin.Build(t, p))
	if err != nil {
		t.Fatal(err)
	}
	return info, FromBinary(info)
}

func preset(t *testing.T, name string) Platform {
	t.Helper()
	p, err := Target(name, "/", "/")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func checks(r Result) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Check)
	}
	return out
}

func TestStaticRunsEverywhere(t *testing.T) {
	_, req := read(t, testbin.Program{Env: []string{"CGO_ENABLED=0"}})
	if !req.Static || req.Libc != "" || req.MinKernel != "3.2" {
		t.Fatalf("requirements of a static go1.26 binary: %+v", req)
	}
	for _, name := range []string{"scratch", "distroless-static", "alpine-3.22", "debian-11", "rhel-7", "golang:alpine"} {
		r := Match(req, preset(t, name))
		if len(r.Findings) > 0 {
			t.Errorf("static on %s: %v", name, checks(r))
		}
	}
}

func TestCgoOnPresets(t *testing.T) {
	if !testbin.HaveCC("gcc") {
		t.Skip("no gcc")
	}
	_, req := read(t, testbin.Program{Main: testbin.HelloCgo, Env: []string{"CGO_ENABLED=1"}})
	if req.Libc != facts.LibcGlibc {
		t.Skipf("this machine's C library is not glibc (%q)", req.Libc)
	}
	here, err := Target("host", "/", "/")
	if err != nil {
		t.Fatal(err)
	}
	if here.Libc.Flavor != facts.LibcGlibc || here.Libc.Version == "" {
		t.Skipf("host glibc unknown: %+v", here.Libc)
	}
	// On the machine it was built on, it runs.
	if r := Match(req, here); len(r.Findings) > 0 {
		t.Errorf("cgo binary on its build host: %v", r.Findings)
	}
	// A binary linked against glibc >= 2.34 needs GLIBC_2.34.
	if dotted.Compare(here.Libc.Version, "2.34") >= 0 {
		if !slices.Contains(req.GlibcVersions, "2.34") {
			t.Errorf("linked against glibc %s but GLIBC_2.34 not needed: %v", here.Libc.Version, req.GlibcVersions)
		}
		for _, name := range []string{"debian-11", "rhel-8", "ubuntu-20.04", "amazonlinux-2"} {
			r := Match(req, preset(t, name))
			if got := checks(r); !slices.Equal(got, []string{GlibcTooOld.ID}) {
				t.Errorf("cgo on %s: %v, want glibc-too-old", name, got)
			} else if !strings.Contains(r.Findings[0].Message, "version `GLIBC_") {
				t.Errorf("message lacks the loader's words: %s", r.Findings[0].Message)
			} else {
				citesPlatform(t, r.Findings[0], preset(t, name))
			}
		}
	}
	for _, name := range []string{"alpine-3.22", "scratch", "distroless-static"} {
		if got := checks(Match(req, preset(t, name))); !slices.Equal(got, []string{LibcMismatch.ID}) {
			t.Errorf("cgo on %s: %v, want libc-mismatch", name, got)
		}
	}
	if r := Match(req, preset(t, "distroless-base-debian13")); len(r.Findings) > 0 {
		t.Errorf("cgo on glibc 2.41: %v", checks(r))
	}
}

func TestMissingLibraryAndLoaderInRoot(t *testing.T) {
	if !testbin.HaveCC("gcc") {
		t.Skip("no gcc")
	}
	_, req := read(t, testbin.Program{Main: testbin.HelloCgo, Env: []string{"CGO_ENABLED=1"}})
	if req.Libc != facts.LibcGlibc {
		t.Skip("not glibc")
	}
	// A root with the loader and a new glibc, but without libc.so.6.
	root := t.TempDir()
	mk := func(p, content string) {
		os.MkdirAll(filepath.Dir(filepath.Join(root, p)), 0o755)
		os.WriteFile(filepath.Join(root, p), []byte(content), 0o644)
	}
	mk(req.Interpreter, "loader")
	mk("usr/share/doc/x", "")
	p, err := Target("root:"+root, "/", "/")
	if err != nil {
		t.Fatal(err)
	}
	p.Libc.Version = "2.99" // the libc file is absent, so its version is too; assume a new one
	if got := checks(Match(req, p)); !slices.Contains(got, MissingLibrary.ID) {
		t.Errorf("root without libc.so.6: %v, want missing-library", got)
	}
	// Without the loader: the flavour is unknown from files, the loader is missing.
	empty, err := Target("root:"+t.TempDir(), "/", "/")
	if err != nil {
		t.Fatal(err)
	}
	if got := checks(Match(req, empty)); !slices.Equal(got, []string{LibcMismatch.ID}) {
		t.Errorf("empty root: %v, want libc-mismatch (no C library)", got)
	}
}

func TestCPULevel(t *testing.T) {
	_, req := read(t, testbin.Program{Env: []string{"CGO_ENABLED=0", "GOARCH=amd64", "GOAMD64=v3"}})
	if req.CPULevel != "v3" {
		t.Fatalf("CPULevel %q", req.CPULevel)
	}
	v2 := Platform{Name: "old-cpu", Kind: KindHost, Arch: "amd64", Kernel: "6.1", CPULevel: "v2"}
	if got := checks(Match(req, v2)); !slices.Equal(got, []string{CPULevelTooHigh.ID}) {
		t.Errorf("v3 binary on a v2 CPU: %v", got)
	}
	if r := Match(req, preset(t, "rhel-9")); len(r.Findings) > 0 || !slices.Contains(r.Unknown, "cpu level") {
		t.Errorf("v3 on rhel-9 (v2 or better): %v, unknown %v; want only unknown", checks(r), r.Unknown)
	}
	if r := Match(req, preset(t, "rhel-10")); len(r.Findings) > 0 || slices.Contains(r.Unknown, "cpu level") {
		t.Errorf("v3 on rhel-10 (v3 or better): %v %v", checks(r), r.Unknown)
	}
}

func TestKernelAndArch(t *testing.T) {
	_, req := read(t, testbin.Program{Env: []string{"CGO_ENABLED=0", "GOARCH=arm64"}})
	old := Platform{Name: "el6", Kind: KindPreset, Kernel: "2.6.32-754.el6.x86_64", Libc: facts.Libc{Flavor: facts.LibcGlibc, Version: "2.12"},
		Sources: []finding.Source{{Title: "el6 kernel", URL: "https://example.org/el6"}}}
	r := Match(req, old)
	if got := checks(r); !slices.Equal(got, []string{KernelTooOld.ID}) {
		t.Errorf("go1.26 on 2.6.32: %v", got)
	} else {
		citesPlatform(t, r.Findings[0], old)
		if !slices.Contains(r.Findings[0].Sources, req.KernelSources[0]) {
			t.Errorf("the kernel floor's source is missing: %v", r.Findings[0].Sources)
		}
	}
	old.Arch = "amd64"
	if got := checks(Match(req, old)); !slices.Equal(got, []string{ArchMismatch.ID}) {
		t.Errorf("arm64 binary on amd64: %v", got)
	}
	if v := Match(req, old).Verdict(); !strings.HasPrefix(v, "FAILS: arch-mismatch") {
		t.Errorf("verdict %q", v)
	}
}

func TestThirtyTwoBitOnSixtyFour(t *testing.T) {
	_, req := read(t, testbin.Program{Env: []string{"CGO_ENABLED=0", "GOARCH=386"}})
	p := Platform{Name: "x", Kind: KindHost, Arch: "amd64", Kernel: "6.1", Libc: facts.Libc{Flavor: facts.LibcGlibc, Version: "2.36"}}
	if r := Match(req, p); len(r.Findings) != 0 || !slices.Contains(r.Unknown, "32-bit support") {
		t.Errorf("386 on amd64, config unknown: %v %v", checks(r), r.Unknown)
	}
	p.Host = &host.Info{KernelConfig: map[string]string{"CONFIG_IA32_EMULATION": "n"}}
	if got := checks(Match(req, p)); !slices.Equal(got, []string{ArchMismatch.ID}) {
		t.Errorf("386 on amd64 without IA32 emulation: %v", got)
	}
	p.Host.KernelConfig["CONFIG_IA32_EMULATION"] = "y"
	if r := Match(req, p); len(r.Findings) != 0 || len(r.Unknown) != 0 {
		t.Errorf("386 on amd64 with IA32 emulation: %v %v", checks(r), r.Unknown)
	}
}

func TestSupport(t *testing.T) {
	now := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	if fs := Support(&binary.Info{File: "x", GoVersion: "go1.22.5"}, now); len(fs) != 1 || fs[0].Check != GoUnsupported.ID || fs[0].Severity != finding.Warning {
		t.Errorf("go1.22.5 in 2026: %v", fs)
	}
	if fs := Support(&binary.Info{File: "x", GoVersion: "go1.26.8 X:nodwarf5"}, now); len(fs) != 0 {
		t.Errorf("go1.26.8 in 2026: %v", fs)
	}
}

func TestTargetErrors(t *testing.T) {
	for _, spec := range []string{"nosuchdistro", "root:", "root:/definitely/not/here"} {
		if _, err := Target(spec, "/", "/"); err == nil {
			t.Errorf("Target(%q): no error", spec)
		}
	}
}

// TestCgoBuildOnImages matches what a cgo build in a builder image needs
// against runtime images, as a Dockerfile's stages name them.
func TestCgoBuildOnImages(t *testing.T) {
	cases := []struct {
		builder, runtime string
		most             bool
		want             string // check ID, "" for none
		need             string
	}{
		{"golang:1.26-bookworm", "debian:bullseye-slim", false, GlibcTooOld.ID, "2.34"},
		{"golang:1.26-bookworm", "debian:bookworm-slim", false, "", ""},
		{"golang:1.26-bookworm", "alpine:3.21", false, LibcMismatch.ID, "glibc"},
		{"golang:1.26-bookworm", "scratch", false, LibcMismatch.ID, "glibc"},
		{"golang:1.26-bookworm", "gcr.io/distroless/base-debian12", false, "", ""},
		{"golang:1.26-trixie", "debian:bookworm", false, "", ""},
		{"golang:1.26-trixie", "debian:bookworm", true, GlibcTooOld.ID, "2.41"},
		{"golang:1.20-bullseye", "debian:buster", false, "", ""},
		{"golang:1.20-bullseye", "debian:buster", true, GlibcTooOld.ID, "2.31"},
		{"golang:1.26-alpine3.21", "gcr.io/distroless/static-debian12", false, LibcMismatch.ID, "musl"},
		{"golang:1.26-alpine3.21", "alpine:3.21", false, "", ""},
	}
	for _, c := range cases {
		b, ok := FromImage(c.builder)
		if !ok {
			t.Fatalf("FromImage(%q) not found", c.builder)
		}
		rt, ok := FromImage(c.runtime)
		if !ok {
			t.Fatalf("FromImage(%q) not found", c.runtime)
		}
		res := Match(FromCgoBuild("/app", b.Libc, c.most), rt)
		got, need := "", ""
		for _, f := range res.Findings {
			got, need = f.Check, f.Details["need"]
		}
		if got != c.want || need != c.need {
			t.Errorf("%s on %s (most %v) = %q need %q; want %q need %q", c.builder, c.runtime, c.most, got, need, c.want, c.need)
		}
	}
}

// citesPlatform fails unless f cites every source of the platform it
// states a fact of, each once.
func citesPlatform(t *testing.T, f finding.Finding, p Platform) {
	t.Helper()
	if len(p.Sources) == 0 {
		t.Fatalf("%s has no sources to cite", p.Name)
	}
	for _, s := range p.Sources {
		if n := countSource(f.Sources, s); n != 1 {
			t.Errorf("%s on %s cites %q %d times, want once: %v", f.Check, p.Name, s.Title, n, f.Sources)
		}
	}
}

func countSource(ss []finding.Source, s finding.Source) int {
	n := 0
	for _, x := range ss {
		if x == s {
			n++
		}
	}
	return n
}
