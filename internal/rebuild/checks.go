package rebuild

import (
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
)

type src = finding.Source

var (
	srcBuildInfo = src{Title: "runtime/debug.BuildInfo: the build settings a Go binary records", URL: "https://pkg.go.dev/runtime/debug#BuildSetting"}
	srcTrimpath  = src{Title: "go build -trimpath: remove all file system paths from the resulting executable", URL: "https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies"}
	srcToolchain = facts.SrcToolchains
	srcRepro     = src{Title: "Perfectly Reproducible, Verified Go Toolchains (Go blog, 2023)", URL: "https://go.dev/blog/rebuild"}
)

// The rebuild checks. A rebuild either reproduces the binary
// (rebuild/reproduced), or each cause found for a difference is a finding
// of its own, or a reason it could not be tried.
var (
	Reproduced = finding.Check{ID: "rebuild/reproduced", Title: "The binary was rebuilt byte for byte from its recorded revision, toolchain and flags",
		Severity: finding.Info, Sources: []src{srcBuildInfo, srcRepro}}
	BuildIDOnly = finding.Check{ID: "rebuild/build-id-only", Title: "The rebuild differs from the binary only in the Go build ID",
		Severity: finding.Warning, Sources: []src{srcRepro}}
	EmbeddedPath = finding.Check{ID: "rebuild/embedded-path", Title: "The binary was built without -trimpath, so it holds the directory it was built in",
		Severity: finding.Warning, Sources: []src{srcTrimpath}}
	LdflagsNotRecorded = finding.Check{ID: "rebuild/ldflags-not-recorded", Title: "The binary was built with -trimpath, so any -ldflags it was linked with are not recorded",
		Severity: finding.Warning, Sources: []src{facts.SrcLdflagsTrimpath}}
	CgoToolchain = finding.Check{ID: "rebuild/cgo-toolchain", Title: "The binary links C code; the C compiler and C library that built it are not recorded",
		Severity: finding.Warning, Sources: []src{facts.SrcCgo, srcBuildInfo}}
	LocalReplace = finding.Check{ID: "rebuild/local-replace", Title: "A dependency was replaced by a local directory, whose contents the binary does not record",
		Severity: finding.Warning, Sources: []src{srcBuildInfo}}
	SourceModified = finding.Check{ID: "rebuild/source-modified", Title: "The binary was built from uncommitted changes (vcs.modified=true)",
		Severity: finding.Error, Sources: []src{srcBuildInfo}}
	Stripped = finding.Check{ID: "rebuild/stripped", Title: "The binary's symbol table was removed after the build",
		Severity: finding.Warning, Sources: []src{srcBuildInfo}}
	SettingsDiffer = finding.Check{ID: "rebuild/settings-differ", Title: "The rebuild records other build settings than the binary",
		Severity: finding.Warning, Sources: []src{srcBuildInfo}}
	DepsDiffer = finding.Check{ID: "rebuild/deps-differ", Title: "The rebuild compiled other module versions than the binary",
		Severity: finding.Warning, Sources: []src{srcBuildInfo}}
	Unexplained = finding.Check{ID: "rebuild/unexplained", Title: "The rebuild differs from the binary and no recorded cause explains it",
		Severity: finding.Error, Sources: []src{srcRepro}}
	NoVCS = finding.Check{ID: "rebuild/no-vcs", Title: "The binary records no VCS revision, so its source cannot be checked out",
		Severity: finding.Warning, Sources: []src{srcBuildInfo}}
	VCSNotGit = finding.Check{ID: "rebuild/vcs-not-git", Title: "The binary was built from a version control system other than git",
		Severity: finding.Warning, Sources: []src{srcBuildInfo}}
	RevisionMissing = finding.Check{ID: "rebuild/revision-missing", Title: "The repository does not have the revision the binary was built from",
		Severity: finding.Error, Sources: []src{srcBuildInfo}}
	NotModule = finding.Check{ID: "rebuild/not-module", Title: "The binary records no main module or main package to build",
		Severity: finding.Warning, Sources: []src{srcBuildInfo}}
	ToolchainUnavailable = finding.Check{ID: "rebuild/toolchain-unavailable", Title: "The Go release that built the binary cannot be had through GOTOOLCHAIN",
		Severity: finding.Error, Sources: []src{srcToolchain}}
	BuildFailed = finding.Check{ID: "rebuild/build-failed", Title: "Building the recorded revision with the recorded flags failed",
		Severity: finding.Error, Sources: []src{srcBuildInfo}}
)

// Checks are the rebuild family's checks, for the registry.
var Checks = []finding.Check{Reproduced, BuildIDOnly, EmbeddedPath, LdflagsNotRecorded, CgoToolchain, LocalReplace,
	SourceModified, Stripped, SettingsDiffer, DepsDiffer, Unexplained, NoVCS, VCSNotGit, RevisionMissing, NotModule,
	ToolchainUnavailable, BuildFailed}
