package platform

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/dotted"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
)

// Result is the outcome of matching one binary against one platform.
type Result struct {
	Findings []finding.Finding
	// Unknown names what could not be checked for lack of a fact
	// ("kernel", "glibc version", "cpu level").
	Unknown []string
}

// Verdict is a short cell for a binaries × targets matrix: "runs",
// "runs (kernel?)", "FAILS: glibc-too-old, …", or "warn: …".
func (r Result) Verdict() string {
	var errs, warns []string
	for _, f := range r.Findings {
		_, name, _ := strings.Cut(f.Check, "/")
		switch f.Severity {
		case finding.Error:
			errs = appendUnique(errs, name)
		case finding.Warning:
			warns = appendUnique(warns, name)
		}
	}
	switch {
	case len(errs) > 0:
		return "FAILS: " + strings.Join(errs, ", ")
	case len(warns) > 0:
		return "runs, warn: " + strings.Join(warns, ", ")
	case len(r.Unknown) > 0:
		return "runs (" + strings.Join(r.Unknown, "?, ") + "?)"
	}
	return "runs"
}

func appendUnique(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// compat32 lists 32-bit architectures a 64-bit kernel can run, with the
// kernel option that allows it.
var compat32 = map[[2]string]string{
	{"386", "amd64"}: "CONFIG_IA32_EMULATION",
	{"arm", "arm64"}: "CONFIG_COMPAT",
}

// Match checks whether a binary with requirements req can start on p.
func Match(req Requirements, p Platform) Result {
	var res Result
	loc := finding.Location{File: req.Binary, Object: p.Name}
	// Every finding states a fact of the platform (its kernel, libc,
	// files or CPU); a preset's come from its sources.
	withPlatformSources := func(f *finding.Finding) {
		for _, s := range p.Sources {
			if !slices.Contains(f.Sources, s) {
				f.Sources = append(f.Sources, s)
			}
		}
	}
	add := func(c finding.Check, msg, fix string, details ...string) {
		f := finding.New(c, loc, msg, fix)
		f.Details = map[string]string{"binary": req.Binary, "target": p.Name}
		for i := 0; i+1 < len(details); i += 2 {
			f.Details[details[i]] = details[i+1]
		}
		withPlatformSources(&f)
		res.Findings = append(res.Findings, f)
	}
	unknown := func(what string) { res.Unknown = append(res.Unknown, what) }

	// Architecture first: on the wrong one nothing else matters.
	if opt, ok := compat32[[2]string{req.GOARCH, p.Arch}]; ok {
		// A 32-bit binary on its 64-bit sibling runs if the kernel has
		// 32-bit support, which most distribution kernels do.
		var cfg string
		if p.Host != nil {
			cfg = p.Host.KernelConfig[opt]
		}
		switch cfg {
		case "y":
		case "n":
			add(ArchMismatch,
				fmt.Sprintf("Built for %s; %s is %s with a kernel built without %s, so it cannot run 32-bit programs: exec fails with \"exec format error\".", req.GOARCH, p.Name, p.Arch, opt),
				fmt.Sprintf("Build for the target: GOOS=linux GOARCH=%s go build.", p.Arch),
				"need", req.GOARCH, "have", p.Arch)
			return res
		default:
			unknown("32-bit support")
		}
	} else if p.Arch != "" && req.GOARCH != "" && p.Arch != req.GOARCH {
		add(ArchMismatch,
			fmt.Sprintf("Built for %s, but %s is %s: exec fails with \"exec format error\".", req.GOARCH, p.Name, p.Arch),
			fmt.Sprintf("Build for the target: GOOS=linux GOARCH=%s go build.", p.Arch),
			"need", req.GOARCH, "have", p.Arch)
		return res
	}

	// Kernel floor of the Go release.
	switch {
	case req.MinKernel == "":
		unknown("go version")
	case p.Kernel == "":
		unknown("kernel")
	case dotted.Compare(p.Kernel, req.MinKernel) < 0:
		f := finding.New(KernelTooOld, loc,
			fmt.Sprintf("Built with %s, which needs Linux %s or later; %s runs kernel %s. The Go runtime may fail at start or on its first system call the kernel lacks.", req.GoVersion, req.MinKernel, p.Name, p.Kernel),
			"Upgrade the kernel, or build with a Go release whose minimum the kernel meets (Go 1.23 was the last for kernels from 2.6.32).")
		f.Sources = append(f.Sources, req.KernelSources...)
		f.Details = map[string]string{"binary": req.Binary, "target": p.Name, "need": req.MinKernel, "have": p.Kernel}
		withPlatformSources(&f)
		res.Findings = append(res.Findings, f)
	}

	// C library: loader, flavour, symbol versions, libraries.
	if !req.Static {
		loaderOK := true
		switch {
		case p.Libc.Flavor == "":
			unknown("libc")
		case p.Rooted && p.HasFile != nil && req.Interpreter != "" && p.HasFile(req.Interpreter):
			// The loader is there (even if the platform mainly uses
			// another libc, e.g. Debian with musl installed).
		case p.Libc.Flavor == facts.LibcNone && (req.Interpreter != "" || req.Libc != ""):
			loaderOK = false
			add(LibcMismatch,
				fmt.Sprintf("Linked dynamically%s, but %s has no C library: exec fails with \"no such file or directory\" although the binary is there.", interpreter(req), p.Name),
				"Build a static binary (CGO_ENABLED=0), or use a base image with the C library the binary was built against.",
				"interpreter", req.Interpreter, "need", req.Libc, "have", p.Libc.Flavor)
		case req.Libc != LibcUnknown && req.Libc != "" && req.Libc != p.Libc.Flavor:
			loaderOK = false
			add(LibcMismatch,
				fmt.Sprintf("Linked for %s%s, but %s has %s: the loader is missing, so exec fails with \"no such file or directory\" although the binary is there.", req.Libc, interpreter(req), p.Name, p.Libc.Flavor),
				fmt.Sprintf("Build with CGO_ENABLED=0 for a static binary, or build against %s (in an image of the target, e.g. golang:alpine for musl, a Debian or Ubuntu image for glibc).", p.Libc.Flavor),
				"interpreter", req.Interpreter, "need", req.Libc, "have", p.Libc.Flavor)
		case p.Rooted && p.HasFile != nil && req.Interpreter != "":
			loaderOK = false
			add(LoaderMissing,
				fmt.Sprintf("The ELF interpreter %s is not in %s: exec fails with \"no such file or directory\" although the binary is there.", req.Interpreter, p.Name),
				"Install the C library the binary was built against on the target, or build a static binary (CGO_ENABLED=0).",
				"interpreter", req.Interpreter)
		case req.Libc == LibcUnknown:
			unknown("loader")
		}

		if loaderOK && req.Libc == facts.LibcGlibc && p.Libc.Flavor == facts.LibcGlibc && len(req.GlibcVersions) > 0 {
			if p.Libc.Version == "" {
				unknown("glibc version")
			} else {
				var newer []string
				for _, v := range req.GlibcVersions {
					if dotted.Compare(v, p.Libc.Version) > 0 {
						newer = append(newer, "GLIBC_"+v)
					}
				}
				if len(newer) > 0 {
					max := newer[len(newer)-1]
					libs := strings.Join(req.GlibcLibraries[strings.TrimPrefix(max, "GLIBC_")], ", ")
					add(GlibcTooOld,
						fmt.Sprintf("Needs %s (from %s), but %s has glibc %s: the loader stops with \"version `%s' not found (required by %s)\".", strings.Join(newer, ", "), libs, p.Name, p.Libc.Version, max, req.Binary),
						fmt.Sprintf("Build with CGO_ENABLED=0 if the program needs no C code; otherwise build against glibc %s or older (in an image of the oldest target), since a binary runs only on the glibc it was linked against or newer.", p.Libc.Version),
						"need", strings.TrimPrefix(max, "GLIBC_"), "have", p.Libc.Version)
				}
			}
		}

		if loaderOK && p.FindLibrary != nil {
			var missing []string
			for _, lib := range req.Needed {
				if providedByLoader(req, lib) {
					continue
				}
				if _, ok := p.FindLibrary(lib, req.RunPath); !ok {
					missing = append(missing, lib)
				}
			}
			if len(missing) > 0 {
				add(MissingLibrary,
					fmt.Sprintf("Needs %s, not found in %s (searched RUNPATH, ld.so.conf and the default directories): the loader stops with \"cannot open shared object file\".", strings.Join(missing, ", "), p.Name),
					"Install the packages that provide these libraries on the target, or link them statically.",
					"missing", strings.Join(missing, " "))
			}
		}
	}

	// x86-64 level.
	if req.GOARCH == "amd64" && facts.CompareAMD64Level(req.CPULevel, "v1") > 0 {
		switch {
		case p.CPULevel == "":
			unknown("cpu level")
		case p.CPULevelIsMinimum:
			if facts.CompareAMD64Level(req.CPULevel, p.CPULevel) > 0 {
				unknown("cpu level")
			}
		case facts.CompareAMD64Level(req.CPULevel, p.CPULevel) > 0:
			var missing []string
			if p.Host != nil {
				_, missing = facts.AMD64LevelOf(p.Host.CPUFlags)
			}
			msg := fmt.Sprintf("Built with GOAMD64=%s, but the CPU of %s supports x86-64-%s", req.CPULevel, p.Name, p.CPULevel)
			if len(missing) > 0 {
				msg += " (no " + strings.Join(missing, ", ") + ")"
			}
			msg += fmt.Sprintf(": the program prints \"This program can only be run on AMD64 processors with %s microarchitecture support.\" and exits 1.", req.CPULevel)
			add(CPULevelTooHigh, msg,
				fmt.Sprintf("Build with GOAMD64=%s (or lower) for this CPU.", p.CPULevel),
				"need", req.CPULevel, "have", p.CPULevel)
		}
	}
	return res
}

// Support reports a binary built with a Go release past its end of
// support at time now. It does not depend on a platform.
func Support(info *binary.Info, now time.Time) []finding.Finding {
	goVer, _, _ := strings.Cut(info.GoVersion, " ")
	supported, known, rel := facts.SupportStatus(goVer, now)
	if !known || supported {
		return nil
	}
	f := finding.New(GoUnsupported, finding.Location{File: info.File},
		fmt.Sprintf("Built with %s; Go %s has had no security fixes since %s, and the standard library compiled into the binary has known unfixed vulnerabilities there.", info.GoVersion, strings.TrimPrefix(rel.Version, "go"), rel.Unsupported.Format("2006-01-02")),
		"Rebuild with a supported Go release.")
	f.Details = map[string]string{"binary": info.File, "go": info.GoVersion, "unsupported-since": rel.Unsupported.Format("2006-01-02")}
	return []finding.Finding{f}
}

// ReadFailure turns an error from binary.Read on an explicitly named or
// damaged file into a finding.
func ReadFailure(path string, err error) finding.Finding {
	c := NotReadable
	fix := "Check that the file is complete (a download or copy may have been cut short) and readable."
	if errors.Is(err, binary.ErrNotELF) || errors.Is(err, binary.ErrNotGo) {
		c = NotGoBinary
		fix = "Name Go binaries or directories that contain them; gocompat binary reads Linux ELF executables built by Go."
	}
	f := finding.New(c, finding.Location{File: path}, err.Error()+".", fix)
	f.Details = map[string]string{"binary": path, "error": err.Error()}
	return f
}

// interpreter names the binary's loader for a message, if known.
func interpreter(req Requirements) string {
	if req.Interpreter == "" {
		return ""
	}
	return " (interpreter " + req.Interpreter + ")"
}

// providedByLoader reports whether a NEEDED entry is the loader itself:
// musl's loader is its libc ("libc.so"), and glibc's loader may be
// listed by its soname.
func providedByLoader(req Requirements, lib string) bool {
	if req.Interpreter != "" && path.Base(req.Interpreter) == lib {
		return true
	}
	return req.Libc == facts.LibcMusl && (lib == "libc.so" || strings.HasPrefix(lib, "libc.musl-"))
}
