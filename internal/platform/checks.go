package platform

import (
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
)

var (
	srcExecENOENT = finding.Source{Title: "execve(2): ENOENT when the ELF interpreter does not exist", URL: "https://man7.org/linux/man-pages/man2/execve.2.html"}
	srcLdSo       = finding.Source{Title: "ld.so(8): how the dynamic loader finds NEEDED libraries", URL: "https://man7.org/linux/man-pages/man8/ld.so.8.html"}
	srcExecFormat = finding.Source{Title: "execve(2): ENOEXEC for a binary of another architecture", URL: "https://man7.org/linux/man-pages/man2/execve.2.html"}
)

// Checks of the binary family.
var (
	KernelTooOld = finding.Check{
		ID: "binary/kernel-too-old", Title: "The platform's kernel is older than the minimum of the Go release the binary was built with",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcMinRequirements},
	}
	GlibcTooOld = finding.Check{
		ID: "binary/glibc-too-old", Title: "The binary needs glibc symbol versions newer than the platform's glibc",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcGlibc234},
	}
	LibcMismatch = finding.Check{
		ID: "binary/libc-mismatch", Title: "The binary is linked for another C library than the platform has (glibc on musl or on none, or the reverse)",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcLoaders, srcExecENOENT},
	}
	LoaderMissing = finding.Check{
		ID: "binary/loader-missing", Title: "The binary's ELF interpreter (dynamic loader) is not on the platform",
		Severity: finding.Error, Sources: []finding.Source{srcExecENOENT},
	}
	MissingLibrary = finding.Check{
		ID: "binary/missing-library", Title: "A shared library the binary needs (DT_NEEDED) is not on the platform",
		Severity: finding.Error, Sources: []finding.Source{srcLdSo},
	}
	ArchMismatch = finding.Check{
		ID: "binary/arch-mismatch", Title: "The binary is built for another CPU architecture than the platform's",
		Severity: finding.Error, Sources: []finding.Source{srcExecFormat},
	}
	CPULevelTooHigh = finding.Check{
		ID: "binary/cpu-level-too-high", Title: "The binary needs a newer x86-64 level (GOAMD64) than the platform's CPU has",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcGOAMD64},
	}
	GoUnsupported = finding.Check{
		ID: "binary/go-unsupported", Title: "The binary was built with a Go release that no longer gets security fixes",
		Severity: finding.Warning, Sources: []finding.Source{facts.SrcReleasePolicy},
	}
	NotReadable = finding.Check{
		ID: "binary/not-readable", Title: "A file could not be read as an executable: damaged, truncated or unreadable",
		Severity: finding.Error,
	}
	NotGoBinary = finding.Check{
		ID: "binary/not-go-binary", Title: "A file named on the command line is not a Go binary",
		Severity: finding.Warning,
	}
)

// Checks lists the binary family.
var Checks = []finding.Check{
	KernelTooOld, GlibcTooOld, LibcMismatch, LoaderMissing, MissingLibrary,
	ArchMismatch, CPULevelTooHigh, GoUnsupported, NotReadable, NotGoBinary,
}
