package deploy

import (
	"github.com/gocompat/gocompat/internal/dockerfile"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/gosrc"
)

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
		ID: "dockerfile/buildvcs-fails", Title: "go build fails to stamp VCS information: the .git directory is copied in, the builder has no git, and -buildvcs is true",
		Severity: finding.Error, Sources: []src{facts.SrcBuildVCS, facts.SrcBuildVCSAuto, facts.SrcDockerGolang472},
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
	DockerfileDependenciesNotRead = finding.Check{
		ID: "dockerfile/dependencies-not-read", Title: "Packages the program imports from other modules could not be had, so what they need from the image is not judged",
		Severity: finding.Info, Sources: []src{facts.SrcGoListDeps, facts.SrcModReadonly},
	}
	DockerfileHealthcheckNotBuilt = finding.Check{
		ID: "dockerfile/healthcheck-not-built", Title: "HEALTHCHECK runs a program the image does not contain",
		Severity: finding.Error,
		Sources:  []src{{Title: "Dockerfile reference: HEALTHCHECK", URL: "https://docs.docker.com/reference/dockerfile/#healthcheck"}},
	}
)

// DockerfileChecks are the checks of the family, in the order of their doc pages.
var DockerfileChecks = []finding.Check{
	DockerfileParseError, DockerfileBuilderGoTooOld, DockerfileToolchainDownload, DockerfileToolchainIgnored, DockerfileGoUnsupported, DockerfileCgoLibcMismatch, DockerfileCgoNoCompiler, DockerfileMissingCACerts, DockerfileMissingZoneinfo, DockerfileMissingPasswd, DockerfileNoTrimpath, DockerfileBuildVCSFails, DockerfileBuildEnvAtRuntime, DockerfileGodebugUnknown, DockerfileEntrypointNotBuilt, DockerfileHealthcheckNotBuilt, DockerfileDependenciesNotRead,
}

// DockerContext is what the checks know about a Dockerfile's build
// context.
type DockerContext struct {
	// HasGit is true when the context holds a .git directory that
	// .dockerignore does not exclude.
	HasGit bool
	// Dir is the context directory relative to the audit root ("." for
	// the root).
	Dir string
}

// built is what one go command (or make) of a stage produces.
type built struct {
	stage   *dockerfile.Stage
	run     *dockerfile.Run
	cmd     *dockerfile.GoCommand
	path    string // absolute; ends in "/" for a directory
	cgo     string // "1", "0" or "" (unknown)
	dynamic bool   // linked against the C library's loader
	tags    string
	image   facts.GolangImage
	isGo    bool // the builder has a Go toolchain (image or release archive)
	// builder is the image the build runs in, libc its C library.
	builder string
	libc    facts.Libc
	// pkgDir is the repository directory of the main package the command
	// builds ("" when it cannot be told), prog what that program links for
	// the build's target (nil when not loaded), mod the module holding it.
	pkgDir string
	target gosrc.Target
	prog   *gosrc.Program
	mod    *gosrc.RepoModule
}

// builds reports whether the command produces a binary of the image
// (go build, go install) rather than running one (go run) or doing what
// a Makefile says.
func (b *built) builds() bool { return b.cmd.Verb == "build" || b.cmd.Verb == "install" }

// stageChain lists s and the stages it derives from (FROM <stage>), s
// first and the stage that names an image last.
func stageChain(f *dockerfile.File, s *dockerfile.Stage) []*dockerfile.Stage {
	out := []*dockerfile.Stage{s}
	for i := 0; s.BaseStage >= 0 && i < len(f.Stages); i++ {
		s = f.Stages[s.BaseStage]
		out = append(out, s)
	}
	return out
}

// Dockerfile judges a parsed Dockerfile; file is its path relative to the
// audit root.
func Dockerfile(in *Input, f *dockerfile.File, file string, ctx DockerContext) []finding.Finding {
	var out []finding.Finding
	var bins []*built
	for _, s := range f.Stages {
		var cmds []*built
		for _, r := range s.Runs {
			for _, g := range r.Go {
				cmds = append(cmds, &built{stage: s, run: r, cmd: g})
			}
		}
		if len(cmds) == 0 {
			continue
		}
		out = append(out, builderFindings(in, f, s, cmds, file, ctx)...)
		for _, b := range cmds {
			// make in a stage without Go builds something else.
			if b.cmd.Verb != "make" || b.isGo {
				bins = append(bins, b)
			}
		}
	}
	out = append(out, runtimeFindings(in, f, bins, file, ctx.Dir)...)
	return dedupe(out)
}

// dedupe drops repeated findings (stages built on the same image report
// the image once).
func dedupe(fs []finding.Finding) []finding.Finding {
	seen := map[string]bool{}
	out := fs[:0]
	for _, f := range fs {
		k := f.Check + "\x00" + f.Location.String() + "\x00" + f.Message
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}
