// Package deploy judges how a Go program is built and run by its
// deployment files: Dockerfiles (family dockerfile/), systemd units
// (systemd/) and CI workflows (workflow/). It takes what the extraction
// packages (dockerfile, unit, workflow, gosrc) read and the facts package
// knows, and returns findings anchored to the file and line they concern.
// It parses nothing itself.
//
// Every check here needs to know Go: which variables only the go command
// reads, which Go a golang:* image ships and whether it may switch
// toolchains, when a binary is linked against the C library, what a
// scratch image lacks that the program's imports need, which GODEBUG
// settings exist, what the runtime does with cgroup limits, and which
// system calls the runtime cannot live without.
package deploy

import (
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
)

type src = finding.Source

// Dockerfile checks.
var (
	DockerfileParseError = finding.Check{
		ID: "dockerfile/parse-error", Title: "The Dockerfile cannot be parsed",
		Severity: finding.Error,
		Sources:  []src{{Title: "Dockerfile reference", URL: "https://docs.docker.com/reference/dockerfile/"}},
	}
	DockerfileBuilderGoTooOld = finding.Check{
		ID: "dockerfile/builder-go-too-old", Title: "The builder image's Go is older than go.mod's go line, and the image forbids switching toolchains",
		Severity: finding.Error, Sources: []src{facts.SrcToolchains, facts.SrcDockerGolang472},
	}
	DockerfileToolchainDownload = finding.Check{
		ID: "dockerfile/toolchain-download", Title: "The build downloads another Go toolchain because the builder image's Go is older than go.mod asks",
		Severity: finding.Warning, Sources: []src{facts.SrcToolchains},
	}
	DockerfileToolchainIgnored = finding.Check{
		ID: "dockerfile/toolchain-line-ignored", Title: "go.mod's toolchain line is ignored: the image builds with an older Go (GOTOOLCHAIN=local)",
		Severity: finding.Warning, Sources: []src{facts.SrcToolchains, facts.SrcDockerGolang472},
	}
	DockerfileGoUnsupported = finding.Check{
		ID: "dockerfile/builder-go-unsupported", Title: "The builder image's Go release no longer gets security fixes",
		Severity: finding.Warning, Sources: []src{facts.SrcReleasePolicy},
	}
	DockerfileCgoLibcMismatch = finding.Check{
		ID: "dockerfile/cgo-libc-mismatch", Title: "A cgo binary is copied into a runtime image whose C library cannot run it",
		Severity: finding.Error, Sources: []src{facts.SrcCgo, facts.SrcGlibc234, facts.SrcLoaders},
	}
	DockerfileCgoNoCompiler = finding.Check{
		ID: "dockerfile/cgo-no-c-compiler", Title: "cgo is needed or forced on, but the builder image has no C compiler",
		Severity: finding.Error, Sources: []src{facts.SrcCgo, facts.SrcDockerGolang472},
	}
	DockerfileMissingCACerts = finding.Check{
		ID: "dockerfile/missing-ca-certificates", Title: "The program makes TLS connections but its runtime image has no CA certificates",
		Severity: finding.Error, Sources: []src{facts.SrcX509Roots},
	}
	DockerfileMissingZoneinfo = finding.Check{
		ID: "dockerfile/missing-zoneinfo", Title: "The program loads time zones but its runtime image has no zoneinfo and it does not embed time/tzdata",
		Severity: finding.Error, Sources: []src{facts.SrcTzdata},
	}
	DockerfileMissingPasswd = finding.Check{
		ID: "dockerfile/missing-passwd", Title: "The program looks up users but its runtime image has no /etc/passwd",
		Severity: finding.Warning, Sources: []src{facts.SrcOsUser},
	}
	DockerfileNoTrimpath = finding.Check{
		ID: "dockerfile/no-trimpath", Title: "go build runs without -trimpath, so the binary embeds build paths and is not reproducible",
		Severity: finding.Info, Sources: []src{facts.SrcTrimpath},
	}
	DockerfileBuildVCSFails = finding.Check{
		ID: "dockerfile/buildvcs-fails", Title: "go build stamps VCS information, but the builder image has no git while the .git directory is copied in",
		Severity: finding.Error, Sources: []src{facts.SrcBuildVCS, facts.SrcDockerGolang472},
	}
	DockerfileBuildEnvAtRuntime = finding.Check{
		ID: "dockerfile/build-env-at-runtime", Title: "A variable only the go command reads is set in a stage that builds nothing",
		Severity: finding.Warning, Sources: []src{facts.SrcGoEnvBuild, facts.SrcGOEXPERIMENT},
	}
	DockerfileGodebugUnknown = finding.Check{
		ID: "dockerfile/godebug-unknown", Title: "GODEBUG in the image names a setting the program's Go does not have",
		Severity: finding.Warning, Sources: []src{facts.SrcGodebugDoc},
	}
	DockerfileEntrypointNotBuilt = finding.Check{
		ID: "dockerfile/entrypoint-not-built", Title: "ENTRYPOINT or CMD runs a program the image does not contain",
		Severity: finding.Error,
		Sources:  []src{{Title: "Dockerfile reference: ENTRYPOINT, CMD (the shell form runs /bin/sh -c)", URL: "https://docs.docker.com/reference/dockerfile/#entrypoint"}},
	}
	DockerfileHealthcheckNotBuilt = finding.Check{
		ID: "dockerfile/healthcheck-not-built", Title: "HEALTHCHECK runs a program the image does not contain",
		Severity: finding.Error,
		Sources:  []src{{Title: "Dockerfile reference: HEALTHCHECK", URL: "https://docs.docker.com/reference/dockerfile/#healthcheck"}},
	}
)

// systemd checks.
var (
	SystemdParseError = finding.Check{
		ID: "systemd/parse-error", Title: "The unit file cannot be parsed",
		Severity: finding.Error, Sources: []src{facts.SrcSystemdExec},
	}
	SystemdBuildEnvAtRuntime = finding.Check{
		ID: "systemd/build-env-at-runtime", Title: "The unit sets a variable only the go command reads; the running program ignores it",
		Severity: finding.Error, Sources: []src{facts.SrcGoEnvBuild, facts.SrcGOEXPERIMENT},
	}
	SystemdGodebugUnknown = finding.Check{
		ID: "systemd/godebug-unknown", Title: "GODEBUG names a setting the program's Go does not have",
		Severity: finding.Warning, Sources: []src{facts.SrcGodebugDoc},
	}
	SystemdMemoryNoGomemlimit = finding.Check{
		ID: "systemd/memory-limit-without-gomemlimit", Title: "MemoryMax=/MemoryHigh= is set but GOMEMLIMIT is not, so the Go GC does not know the limit",
		Severity: finding.Warning, Sources: []src{facts.SrcGOMEMLIMIT, facts.SrcGCGuide, facts.SrcSystemdResource},
	}
	SystemdGomemlimitNotBelow = finding.Check{
		ID: "systemd/gomemlimit-not-below-limit", Title: "GOMEMLIMIT is not below the unit's memory limit",
		Severity: finding.Error, Sources: []src{facts.SrcGOMEMLIMIT, facts.SrcGCGuide, facts.SrcSystemdResource},
	}
	SystemdCPUQuotaIgnored = finding.Check{
		ID: "systemd/cpu-quota-ignored", Title: "CPUQuota= is set but the program's GOMAXPROCS does not follow it",
		Severity: finding.Warning, Sources: []src{facts.SrcGo125Procs, facts.SrcSystemdResource},
	}
	SystemdNotifyWithoutSdNotify = finding.Check{
		ID: "systemd/notify-without-sd-notify", Title: "Type=notify, but the program never sends READY=1 to systemd",
		Severity: finding.Error, Sources: []src{facts.SrcSystemdService, facts.SrcSdNotify},
	}
	SystemdWatchdogWithoutSdNotify = finding.Check{
		ID: "systemd/watchdog-without-sd-notify", Title: "WatchdogSec= is set, but the program never sends WATCHDOG=1 to systemd",
		Severity: finding.Error, Sources: []src{facts.SrcSystemdService, facts.SrcSdNotify},
	}
	SystemdSyscallFilterBlocksGo = finding.Check{
		ID: "systemd/syscall-filter-blocks-go", Title: "SystemCallFilter= blocks system calls the Go runtime needs",
		Severity: finding.Error, Sources: []src{facts.SrcSystemdExec, facts.SrcSystemdSeccomp, facts.SrcGoRuntimeLinux},
	}
	SystemdAnalyzeVerify = finding.Check{
		ID: "systemd/analyze-verify", Title: "systemd-analyze verify reports a problem with the unit",
		Severity: finding.Warning,
		Sources:  []src{{Title: "systemd-analyze(1): verify", URL: "https://www.freedesktop.org/software/systemd/man/latest/systemd-analyze.html"}},
	}
	SystemdAnalyzeTimeout = finding.Check{
		ID: "systemd/analyze-timeout", Title: "systemd-analyze verify did not finish in time, so its messages are missing",
		Severity: finding.Warning,
		Sources:  []src{{Title: "systemd-analyze(1): verify", URL: "https://www.freedesktop.org/software/systemd/man/latest/systemd-analyze.html"}},
	}
)

// Workflow checks.
var (
	WorkflowParseError = finding.Check{
		ID: "workflow/parse-error", Title: "The CI workflow file cannot be parsed",
		Severity: finding.Error,
		Sources:  []src{{Title: "YAML 1.2 specification", URL: "https://yaml.org/spec/1.2.2/"}},
	}
	WorkflowGoOlderThanGoMod = finding.Check{
		ID: "workflow/go-older-than-go-mod", Title: "The workflow selects a Go older than go.mod's go line, so that job does not test the Go it names",
		Severity: finding.Error, Sources: []src{facts.SrcToolchains, facts.SrcSetupGo},
	}
	WorkflowGoUnsupported = finding.Check{
		ID: "workflow/go-unsupported", Title: "The workflow uses a Go release that no longer gets security fixes",
		Severity: finding.Warning, Sources: []src{facts.SrcReleasePolicy},
	}
	WorkflowGoVersionFloat = finding.Check{
		ID: "workflow/go-version-float", Title: "An unquoted Go version is read as a number (1.20 becomes 1.2)",
		Severity: finding.Error, Sources: []src{facts.SrcSetupGo},
	}
	WorkflowGoVersionFileMissing = finding.Check{
		ID: "workflow/go-version-file-missing", Title: "setup-go's go-version-file names a file that does not exist",
		Severity: finding.Error, Sources: []src{facts.SrcSetupGo},
	}
	WorkflowGotoolchainOverride = finding.Check{
		ID: "workflow/gotoolchain-override", Title: "GOTOOLCHAIN pins one Go for every job, overriding the versions the workflow selects",
		Severity: finding.Warning, Sources: []src{facts.SrcToolchains},
	}
	WorkflowGoflagsSurprise = finding.Check{
		ID: "workflow/goflags-surprise", Title: "GOFLAGS in the workflow changes or breaks every go command",
		Severity: finding.Warning, Sources: []src{facts.SrcGoEnvBuild},
	}
	WorkflowMergeLimit = finding.Check{
		ID: "workflow/merge-limit", Title: "YAML merge keys expand past gocompat's limit, so part of the file is not checked",
		Severity: finding.Warning,
		Sources:  []src{{Title: "YAML merge key type", URL: "https://yaml.org/type/merge.html"}},
	}
)

// Checks lists every check of the three families.
var Checks = []finding.Check{
	DockerfileParseError, DockerfileBuilderGoTooOld, DockerfileToolchainDownload,
	DockerfileToolchainIgnored, DockerfileGoUnsupported, DockerfileCgoLibcMismatch,
	DockerfileCgoNoCompiler, DockerfileMissingCACerts, DockerfileMissingZoneinfo,
	DockerfileMissingPasswd, DockerfileNoTrimpath, DockerfileBuildVCSFails,
	DockerfileBuildEnvAtRuntime, DockerfileGodebugUnknown, DockerfileEntrypointNotBuilt, DockerfileHealthcheckNotBuilt,
	SystemdParseError, SystemdBuildEnvAtRuntime, SystemdGodebugUnknown,
	SystemdMemoryNoGomemlimit, SystemdGomemlimitNotBelow, SystemdCPUQuotaIgnored,
	SystemdNotifyWithoutSdNotify, SystemdWatchdogWithoutSdNotify,
	SystemdSyscallFilterBlocksGo, SystemdAnalyzeVerify, SystemdAnalyzeTimeout,
	WorkflowParseError, WorkflowGoOlderThanGoMod, WorkflowGoUnsupported,
	WorkflowGoVersionFloat, WorkflowGoVersionFileMissing, WorkflowGotoolchainOverride,
	WorkflowGoflagsSurprise, WorkflowMergeLimit,
}
