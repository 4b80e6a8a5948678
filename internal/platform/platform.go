// Package platform answers "will this binary run there?". A binary yields
// Requirements (minimum kernel for its Go version, static or which libc
// loader, glibc symbol versions, NEEDED libraries, architecture, x86-64
// level); a host, a root filesystem or a named preset is a Platform
// (kernel, libc flavour and version, loaders and libraries present, CPU
// level). Match compares the two and returns findings of the binary/*
// family, plus what it could not tell.
//
// Nothing here reads a file: binaries come from package binary, hosts and
// roots from package host, presets from package facts.
package platform

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/host"
)

// Kinds of platform.
const (
	KindHost   = "host"
	KindRoot   = "root"
	KindPreset = "preset"
)

// Platform is a place a binary may run. Empty fields are unknown.
type Platform struct {
	// Name is the target as the user wrote it ("host", "debian-11",
	// "root:/srv/rootfs").
	Name string
	Kind string
	// Description is a human name ("Debian GNU/Linux 11 (bullseye)").
	Description string
	// Kernel is the kernel release; KernelUnknown says why it is empty.
	Kernel        string
	KernelUnknown string
	Libc          facts.Libc
	// Arch is the GOARCH of the platform's programs; empty for presets,
	// which exist for several architectures.
	Arch string
	// CPULevel is the x86-64 level: the CPU's own for a host, the minimum
	// the release requires for a preset (CPULevelIsMinimum).
	CPULevel          string
	CPULevelIsMinimum bool
	// Rooted platforms have files: loaders and libraries are looked up.
	Rooted bool
	// HasFile reports whether the platform has a file at an absolute path.
	HasFile func(path string) bool
	// FindLibrary finds a shared library as the platform's loader would.
	FindLibrary func(name string, runpath []string) (string, bool)
	// EndOfSupport is the end of standard support of a preset.
	EndOfSupport time.Time
	Sources      []finding.Source
	// Host holds everything probed, for host and root platforms.
	Host *host.Info
}

// FromPreset turns a named preset into a platform.
func FromPreset(name string, p facts.Preset) Platform {
	pl := Platform{
		Name: name, Kind: KindPreset, Description: p.Name,
		Kernel: p.Kernel, Libc: p.Libc, CPULevel: p.CPULevel, CPULevelIsMinimum: true,
		EndOfSupport: p.EndOfSupport, Sources: p.Sources,
	}
	if p.Kernel == "" {
		pl.KernelUnknown = "not fixed by the preset"
		if p.Kind == "image" || p.Libc.Flavor == facts.LibcMusl {
			pl.KernelUnknown = "an image runs on its host's kernel"
		}
	}
	return pl
}

// FromImage is the platform of a container image reference, as a
// Dockerfile's FROM names it: a preset, or for golang:* tags no preset
// names, the C library of the release the tag's variant names.
func FromImage(ref string) (Platform, bool) {
	if p, ok := facts.LookupPreset(ref); ok {
		return FromPreset(ref, p), true
	}
	if img, ok := facts.ParseGolangImage(ref); ok {
		return FromPreset(ref, facts.Preset{Name: ref, Kind: "image", Libc: img.Libc, Sources: img.Sources}), true
	}
	return Platform{}, false
}

// FromHost turns probed host information into a platform; fs is the root
// it was read from.
func FromHost(name string, fs host.FS, in *host.Info) Platform {
	kind := KindRoot
	if name == "host" {
		kind = KindHost
	}
	pl := Platform{
		Name: name, Kind: kind, Rooted: true, Host: in,
		Kernel: in.Kernel.Value, KernelUnknown: in.Kernel.Unknown,
		Libc:     facts.Libc{Flavor: in.Libc.Flavor, Version: in.Libc.Version.Value},
		Arch:     in.Arch.Value,
		CPULevel: in.CPULevel.Value,
		HasFile:  fs.Exists,
	}
	dirs := in.LibDirs
	pl.FindLibrary = func(lib string, runpath []string) (string, bool) { return fs.FindLibrary(lib, runpath, dirs) }
	pl.Description = in.OSRelease["PRETTY_NAME"]
	if pl.Description == "" {
		pl.Description = in.OSRelease["ID"] + " " + in.OSRelease["VERSION_ID"]
	}
	pl.Description = strings.TrimSpace(pl.Description)
	return pl
}

// Target parses a --target value: "host" (this machine, read under
// hostRoot), "root:DIR" or a preset name or alias. A host or root is
// probed here.
func Target(spec, hostRoot, cwd string) (Platform, error) {
	switch {
	case spec == "host":
		fs := host.NewFS(hostRoot)
		in, err := fs.Probe()
		if err != nil {
			return Platform{}, fmt.Errorf("target host: %v", err)
		}
		return FromHost("host", fs, in), nil
	case strings.HasPrefix(spec, "root:"):
		dir := strings.TrimPrefix(spec, "root:")
		if dir == "" {
			return Platform{}, fmt.Errorf("target %q: want root:DIR", spec)
		}
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(cwd, dir)
		}
		fs := host.NewFS(dir)
		in, err := fs.Probe()
		if err != nil {
			return Platform{}, fmt.Errorf("target %s: %v", spec, err)
		}
		return FromHost(spec, fs, in), nil
	}
	p, ok := facts.LookupPreset(spec)
	if !ok {
		return Platform{}, fmt.Errorf("unknown target %q (want host, root:DIR or one of: %s)", spec, strings.Join(facts.PresetNames(), ", "))
	}
	return FromPreset(spec, p), nil
}

// Summary is a one-line description of the platform for reports.
func (p Platform) Summary() string {
	var parts []string
	if p.Description != "" && p.Description != p.Name {
		parts = append(parts, p.Description)
	}
	if p.Kernel != "" {
		parts = append(parts, "kernel "+p.Kernel)
	} else {
		parts = append(parts, "kernel unknown")
	}
	switch p.Libc.Flavor {
	case "":
		parts = append(parts, "libc unknown")
	case facts.LibcNone:
		parts = append(parts, "no libc")
	default:
		v := p.Libc.Version
		if v == "" {
			v = "version unknown"
		}
		parts = append(parts, p.Libc.Flavor+" "+v)
	}
	if p.Arch != "" {
		parts = append(parts, p.Arch)
	}
	if p.CPULevel != "" {
		if p.CPULevelIsMinimum {
			parts = append(parts, "x86-64-"+p.CPULevel+" or better")
		} else {
			parts = append(parts, "x86-64-"+p.CPULevel)
		}
	}
	return strings.Join(parts, ", ")
}

// Attributes are the platform's facts as report attributes.
func (p Platform) Attributes() map[string]string {
	a := map[string]string{"kind": p.Kind}
	set := func(k, v string) {
		if v != "" {
			a[k] = v
		}
	}
	set("description", p.Description)
	set("kernel", p.Kernel)
	if p.Kernel == "" {
		set("kernel.unknown", p.KernelUnknown)
	}
	set("libc", p.Libc.Flavor)
	set("libc.version", p.Libc.Version)
	set("arch", p.Arch)
	set("cpu.level", p.CPULevel)
	if !p.EndOfSupport.IsZero() {
		set("end-of-support", p.EndOfSupport.Format("2006-01-02"))
	}
	if p.Host != nil {
		set("loaders", strings.Join(p.Host.Libc.Loaders, " "))
		set("libc.from", p.Host.Libc.Version.From)
		set("kernel.from", p.Host.Kernel.From)
	}
	return a
}
