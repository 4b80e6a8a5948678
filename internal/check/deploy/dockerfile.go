package deploy

import (
	"fmt"
	"go/version"
	"path"
	"regexp"
	"strings"

	"github.com/gocompat/gocompat/internal/dockerfile"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/platform"
)

// DockerContext is what the checks know about a Dockerfile's build
// context.
type DockerContext struct {
	// HasGit is true when the context holds a .git directory that
	// .dockerignore does not exclude.
	HasGit bool
}

// built is a binary a stage produces.
type built struct {
	stage   *dockerfile.Stage
	run     *dockerfile.Run
	cmd     *dockerfile.GoCommand
	path    string // absolute; ends in "/" for a directory
	cgo     string // "1", "0" or "" (unknown)
	dynamic bool   // linked against the C library's loader
	tags    string
	image   facts.GolangImage
	isGo    bool // image is golang:*
	// builder is the image the build runs in, libc its C library.
	builder string
	libc    facts.Libc
}

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

var (
	reInstallsCC  = regexp.MustCompile(`\b(apk\s+add|apt-get\s+install|apt\s+install|dnf\s+install|yum\s+install|microdnf\s+install)\b[^\n]*\b(gcc|build-base|build-essential|clang)\b`)
	reInstallsGit = regexp.MustCompile(`\b(apk\s+add|apt-get\s+install|apt\s+install|dnf\s+install|yum\s+install|microdnf\s+install)\b[^\n]*\bgit\b`)
)

// installedBefore reports whether a RUN before line in the chain installs
// what re matches.
func installedBefore(chain []*dockerfile.Stage, line int, re *regexp.Regexp) bool {
	for _, s := range chain {
		for _, r := range s.Runs {
			if (s != chain[0] || r.Line < line) && re.MatchString(r.Script) {
				return true
			}
		}
	}
	return false
}

func envOf(g *dockerfile.GoCommand, r *dockerfile.Run, key string) (string, bool) {
	if v, ok := g.Env[key]; ok {
		return v, true
	}
	v, ok := r.Env[key]
	return v, ok
}

func hasFlag(g *dockerfile.GoCommand, r *dockerfile.Run, flag, value string) bool {
	if v, ok := g.Flags[flag]; ok {
		return value == "" || v == value
	}
	goflags, _ := envOf(g, r, "GOFLAGS")
	for _, w := range strings.Fields(goflags) {
		k, v, hasV := strings.Cut(w, "=")
		if k == flag || "-"+strings.TrimLeft(k, "-") == flag {
			if value == "" || (hasV && v == value) || (!hasV && value == "true") {
				return true
			}
		}
	}
	return false
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
		bins = append(bins, cmds...)
	}
	out = append(out, runtimeFindings(in, f, bins, file)...)
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

// builderFindings judges a stage that runs go build or go install.
func builderFindings(in *Input, f *dockerfile.File, s *dockerfile.Stage, cmds []*built, file string, ctx DockerContext) []finding.Finding {
	var out []finding.Finding
	chain := stageChain(f, s)
	root := chain[len(chain)-1] // the stage that names the image
	img, isGo := facts.ParseGolangImage(root.Base)
	modPath := ""
	if in.Module != nil {
		modPath = in.Module.Mod.Module
	}
	builderLibc := img.Libc
	if !isGo {
		if pl, ok := platform.FromImage(root.Base); ok {
			builderLibc = pl.Libc
		}
	}
	for _, b := range cmds {
		b.image, b.isGo = img, isGo
		b.builder, b.libc = root.Base, builderLibc
		if isGo && b.cmd.Workdir == "" {
			// The golang images' WORKDIR is $GOPATH, /go.
			c := *b.cmd
			c.Workdir = "/go"
			b.cmd = &c
		}
		if out, ok := b.cmd.Output(b.run.Env, modPath); ok {
			b.path = out
		}
		b.tags = b.cmd.Flags["-tags"]
		cgo, explicit := envOf(b.cmd, b.run, "CGO_ENABLED")
		_, setOS := envOf(b.cmd, b.run, "GOOS")
		_, setArch := envOf(b.cmd, b.run, "GOARCH")
		switch {
		case explicit:
		case setOS || setArch:
			// Possibly cross-compiling (GOARCH=$TARGETARCH): go build
			// turns cgo off then, unless a C cross compiler is set, so
			// the default cannot be told.
			cgo = ""
		case isGo:
			cgo = "0"
			if img.CCompiler || installedBefore(chain, b.run.Line, reInstallsCC) {
				cgo = "1"
			}
		}
		b.cgo = cgo
		b.dynamic = cgo == "1" && linksLibc(in, b)
		if isGo && !img.CCompiler && !installedBefore(chain, b.run.Line, reInstallsCC) {
			if explicit && cgo == "1" {
				fd := finding.New(DockerfileCgoNoCompiler, loc(file, b.run.Line),
					fmt.Sprintf("CGO_ENABLED=1 is set for `go %s`, but %s has no C compiler, so the build fails with `cgo: C compiler \"gcc\" not found`.", b.cmd.Verb, root.Base),
					"Install one before building (`RUN apk add --no-cache build-base`), use a Debian-based golang image, or build with CGO_ENABLED=0.")
				out = append(out, withDetails(addSources(fd, img.Sources...), "image", root.Base))
			} else if !explicit && in.Module != nil && in.Module.Cgo {
				fd := finding.New(DockerfileCgoNoCompiler, loc(file, b.run.Line),
					fmt.Sprintf("The module has cgo files (import \"C\"), but %s has no C compiler, so cgo is off and `go %s` leaves those files out (build constraints exclude them or the build fails).", root.Base, b.cmd.Verb),
					"Install a C compiler in the builder (`RUN apk add --no-cache build-base`) or use a Debian-based golang image.")
				out = append(out, withDetails(addSources(fd, img.Sources...), "image", root.Base))
			}
		}
		if isGo && usesModule(b.cmd) && !img.Git && ctx.HasGit && !installedBefore(chain, b.run.Line, reInstallsGit) &&
			!hasFlag(b.cmd, b.run, "-buildvcs", "false") && copiesGitDir(chain, b.run.Line) &&
			(img.GoVersion == "" || satisfies(img.GoVersion, facts.BuildVCSSince)) {
			fd := finding.New(DockerfileBuildVCSFails, loc(file, b.run.Line),
				fmt.Sprintf("The build context's .git directory is copied into %s, which has no git, so `go %s` fails with \"error obtaining VCS status\".", root.Base, b.cmd.Verb),
				"Pass -buildvcs=false (or GOFLAGS=-buildvcs=false), add .git to .dockerignore, or install git in the builder to keep the VCS stamp.")
			out = append(out, addSources(fd, img.Sources...))
		}
	}
	if !isGo {
		return out
	}
	var modCmds []*built
	for _, b := range cmds {
		if usesModule(b.cmd) {
			modCmds = append(modCmds, b)
		}
	}
	if len(modCmds) == 0 {
		// Only `go install pkg@version`: the module's go.mod plays no
		// part.
		return append(out, unsupportedBuilder(in, root, img, file)...)
	}
	cmds = modCmds
	// Toolchain selection, once per builder stage.
	gotoolchain, set := cmds[0].run.Env["GOTOOLCHAIN"], false
	if v, ok := cmds[0].run.Env["GOTOOLCHAIN"]; ok {
		gotoolchain, set = v, true
	}
	if v, ok := cmds[0].cmd.Env["GOTOOLCHAIN"]; ok {
		gotoolchain, set = v, true
	}
	if !set {
		gotoolchain = img.GOTOOLCHAIN
	}
	if gotoolchain == "" {
		gotoolchain = "auto"
	}
	where := "the image sets GOTOOLCHAIN=local"
	if set {
		where = "GOTOOLCHAIN=" + gotoolchain + " is set"
	}
	builderGo := img.GoVersion
	need, tc := in.goLine(), in.toolchainLine()
	local := gotoolchain == "local"
	line := root.Line
	if builderGo != "" && need != "" && !satisfies(builderGo, need) {
		switch {
		case !satisfies(builderGo, facts.ToolchainSwitchSince):
			fd := finding.New(DockerfileBuilderGoTooOld, loc(file, line),
				fmt.Sprintf("%s ships %s, but %s needs go %s. Go before %s cannot switch toolchains: it builds anyway and fails on newer language features and standard library APIs (and on a go line with a patch version, which it cannot parse).",
					root.Base, display(builderGo), in.goModRef(), in.Module.Mod.Go, lang(facts.ToolchainSwitchSince)),
				fmt.Sprintf("Use golang:%s or newer as the builder.", lang(version.Lang(need))))
			out = append(out, withDetails(fd, "image", root.Base, "imageGo", builderGo, "goLine", in.Module.Mod.Go))
		case local:
			fd := finding.New(DockerfileBuilderGoTooOld, loc(file, line),
				fmt.Sprintf("%s ships %s, but %s needs go %s and %s, so the build fails with \"go.mod requires go >= %s (running go %s; GOTOOLCHAIN=local)\".",
					root.Base, display(builderGo), in.goModRef(), in.Module.Mod.Go, where, in.Module.Mod.Go, builderGo),
				fmt.Sprintf("Use golang:%s or newer as the builder, or lower the go line if the module does not need %s.", lang(version.Lang(need)), display(need)))
			out = append(out, withDetails(addSources(fd, img.Sources...), "image", root.Base, "imageGo", builderGo, "goLine", in.Module.Mod.Go, "GOTOOLCHAIN", gotoolchain))
		default:
			target := need
			if tc != "" && version.Compare(tc, need) > 0 {
				target = tc
			}
			fd := finding.New(DockerfileToolchainDownload, loc(file, line),
				fmt.Sprintf("%s ships %s, but %s needs go %s; with GOTOOLCHAIN=%s the go command downloads %s during the build (network at build time, a toolchain the image tag does not show).",
					root.Base, display(builderGo), in.goModRef(), in.Module.Mod.Go, gotoolchain, target),
				fmt.Sprintf("Build FROM golang:%s so the image's toolchain is the one used.", lang(version.Lang(target))))
			out = append(out, withDetails(fd, "image", root.Base, "imageGo", builderGo, "goLine", in.Module.Mod.Go, "GOTOOLCHAIN", gotoolchain))
		}
	} else if builderGo != "" && tc != "" && !satisfies(builderGo, tc) {
		if local {
			fd := finding.New(DockerfileToolchainIgnored, loc(file, line),
				fmt.Sprintf("%s asks for toolchain %s, but %s ships %s and %s, so the image builds with %s (the toolchain line only suggests; GOTOOLCHAIN=local ignores it).",
					in.goModRef(), tc, root.Base, display(builderGo), where, display(builderGo)),
				fmt.Sprintf("Build FROM golang:%s, or drop the toolchain line if %s is what you want.", lang(tc), display(builderGo)))
			out = append(out, withDetails(addSources(fd, img.Sources...), "image", root.Base, "imageGo", builderGo, "toolchain", tc))
		} else {
			fd := finding.New(DockerfileToolchainDownload, loc(file, line),
				fmt.Sprintf("%s asks for toolchain %s, newer than the %s in %s; with GOTOOLCHAIN=%s the go command downloads it during the build.",
					in.goModRef(), tc, display(builderGo), root.Base, gotoolchain),
				fmt.Sprintf("Build FROM golang:%s so the image's toolchain is the one used.", lang(tc)))
			out = append(out, withDetails(fd, "image", root.Base, "imageGo", builderGo, "toolchain", tc))
		}
	}
	out = append(out, unsupportedBuilder(in, root, img, file)...)
	return out
}

// usesModule reports whether the go command builds the module's own
// packages: `go install pkg@version` ignores the current module.
func usesModule(g *dockerfile.GoCommand) bool {
	for _, p := range g.Packages {
		if strings.Contains(p, "@") {
			return false
		}
	}
	return true
}

// unsupportedBuilder reports a builder image whose Go is past support.
func unsupportedBuilder(in *Input, root *dockerfile.Stage, img facts.GolangImage, file string) []finding.Finding {
	builderGo := img.GoVersion
	if builderGo == "" {
		return nil
	}
	old, since := unsupported(builderGo, in.Now)
	if !old {
		return nil
	}
	r, _ := facts.LookupGoRelease(builderGo)
	fd := finding.New(DockerfileGoUnsupported, loc(file, root.Line),
		fmt.Sprintf("%s ships %s, which has had no security fixes since %s.", root.Base, display(version.Lang(facts.NormalizeGo(builderGo))), since),
		"Move the builder to a supported Go release (the two newest).")
	fd = addSources(fd, r.Sources...)
	return []finding.Finding{withDetails(fd, "image", root.Base, "imageGo", builderGo)}
}

// copiesGitDir reports whether the chain copies the whole build context
// (COPY . or ADD .) before line.
func copiesGitDir(chain []*dockerfile.Stage, line int) bool {
	for _, s := range chain {
		for _, c := range s.Copies {
			if c.From != "" || (s == chain[0] && c.Line > line) {
				continue
			}
			for _, src := range c.Sources {
				if src == "." || src == "./" || src == ".git" || src == "./.git" {
					return true
				}
			}
		}
	}
	return false
}

// linksLibc reports whether a cgo-enabled build produces a binary that
// needs the C library's dynamic loader: it does when anything linked uses
// cgo (import "C", or net / os/user with their cgo implementations) and
// the build does not link statically.
func linksLibc(in *Input, b *built) bool {
	ld := b.cmd.Flags["-ldflags"]
	if strings.Contains(ld, "-static") {
		return false
	}
	if in.Module == nil {
		return true
	}
	tags := strings.FieldsFunc(b.tags, func(r rune) bool { return r == ',' || r == ' ' })
	has := func(t string) bool {
		for _, x := range tags {
			if x == t {
				return true
			}
		}
		return false
	}
	if in.Module.Cgo {
		return true
	}
	usesNet := in.imports("net") && !has("netgo")
	usesUser := in.imports("os/user") && !has("osusergo")
	return usesNet || usesUser || in.imports("plugin")
}

// placed is a file in the runtime stage and where it came from.
type placed struct {
	path string
	bin  *built
	copy *dockerfile.Copy
}

// runtimeFindings judges the final stage: what it contains and runs.
func runtimeFindings(in *Input, f *dockerfile.File, bins []*built, file string) []finding.Finding {
	var out []finding.Finding
	final := f.Final()
	chain := stageChain(f, final)
	root := chain[len(chain)-1]
	var files []placed
	unknownContent := false // something of unknown content is copied in
	for _, s := range chain {
		for _, b := range bins {
			if b.stage == s && b.path != "" {
				files = append(files, placed{path: b.path, bin: b})
			} else if b.stage == s {
				unknownContent = true
			}
		}
		for _, c := range s.Copies {
			files, unknownContent = placeCopy(f, c, bins, files, unknownContent)
		}
	}
	builds := false
	lastBuild := 0
	for _, b := range bins {
		for _, s := range chain {
			if b.stage == s {
				builds = true
				if s == final && b.run.Line > lastBuild {
					lastBuild = b.run.Line
				}
			}
		}
	}
	preset, hasPreset := facts.LookupPreset(root.Base)
	isMinimal := hasPreset && preset.Contents != nil
	_, runtimeIsGo := facts.ParseGolangImage(root.Base)

	// cgo binaries vs the runtime's C library: the runtime stage is a
	// platform, the build's output has requirements, Match judges.
	if runtime, ok := platform.FromImage(root.Base); ok {
		for _, p := range files {
			if p.bin == nil || !p.bin.dynamic || p.copy == nil {
				continue
			}
			if fd, ok := cgoLibcFinding(in, p, runtime, file); ok {
				out = append(out, fd)
			}
		}
	}

	// Binaries that reach the image without -trimpath.
	seen := map[*dockerfile.GoCommand]bool{}
	for _, p := range files {
		b := p.bin
		if b == nil || seen[b.cmd] || hasFlag(b.cmd, b.run, "-trimpath", "") {
			continue
		}
		seen[b.cmd] = true
		fd := finding.New(DockerfileNoTrimpath, loc(file, b.run.Line),
			fmt.Sprintf("`go %s` builds %s for the final image without -trimpath, so the binary records the builder's file paths and two builds of the same source in different directories differ.", b.cmd.Verb, finding.Clip(p.path)),
			"Add -trimpath to the go command (or GOFLAGS=-trimpath in the builder stage).")
		out = append(out, fd)
	}

	// What a minimal image lacks.
	if isMinimal && in.Module != nil && len(files) > 0 {
		// What the image holds is the preset's fact: cite its sources.
		for _, fd := range minimalFindings(in, final, chain, root, *preset.Contents, files, file) {
			out = append(out, addSources(fd, preset.Sources...))
		}
	}

	// Variables only the go command reads, set where nothing is built.
	for _, v := range final.Env {
		fact, ok := facts.BuildOnlyEnv(v.Name)
		if !ok || v.Stage != final.Index || (builds && v.Line < lastBuild) {
			continue
		}
		what := "this stage runs no go command"
		if builds {
			what = "no go command runs after it in this stage"
		}
		fd := finding.New(DockerfileBuildEnvAtRuntime, loc(file, v.Line),
			fmt.Sprintf("ENV %s=%s is set in the final stage, but %s: %s.", v.Name, finding.Clip(v.Value), what, fact.Truth),
			fmt.Sprintf("Set %s in the builder stage (ENV, or on the go build line) and remove it here.", v.Name))
		fd = addSources(fd, fact.Sources...)
		out = append(out, withDetails(fd, "variable", v.Name))
	}

	// GODEBUG the container runs with.
	if v, ok := final.EnvValue("GODEBUG"); ok {
		goV := ""
		for _, p := range files {
			if p.bin != nil && p.bin.isGo && p.bin.image.GoVersion != "" {
				goV = facts.NormalizeGo(p.bin.image.GoVersion)
			}
		}
		out = append(out, godebugCheck(in, DockerfileGodebugUnknown, v.Value, goV, loc(file, v.Line))...)
	}

	// What the container starts.
	knownOnly := isMinimal
	check := func(e *dockerfile.Exec, c finding.Check, what string) {
		if e == nil || e.None || len(e.Args) == 0 {
			return
		}
		if e.Shell && isMinimal {
			fd := finding.New(c, loc(file, e.Line),
				fmt.Sprintf("%s uses the shell form, which runs /bin/sh -c, but %s has no shell.", what, root.Base),
				fmt.Sprintf("Use the exec form: %s [\"/path/to/binary\", \"arg\"].", strings.ToUpper(strings.Fields(what)[0])))
			out = append(out, fd)
			return
		}
		prog := e.Args[0]
		if e.Shell {
			return
		}
		if !strings.Contains(prog, "/") {
			if final.Entrypoint != nil && e == final.Cmd {
				return // arguments to the ENTRYPOINT
			}
			// Looked up in PATH.
			for _, d := range searchPath(final, runtimeIsGo) {
				if present(files, d+"/"+prog) {
					return
				}
			}
		} else {
			prog = joinWD(e.Workdir, prog)
			if present(files, prog) {
				return
			}
		}
		var builtNames []string
		sameName := false
		for _, p := range files {
			if p.bin != nil {
				builtNames = append(builtNames, p.path)
				if path.Base(p.path) == path.Base(prog) {
					sameName = true
				}
			}
		}
		if unknownContent && !sameName {
			return
		}
		if !(knownOnly && !unknownContent) && !sameName {
			return
		}
		msg := fmt.Sprintf("%s runs %s, but nothing in the build puts a file there", what, finding.Clip(prog))
		if len(builtNames) > 0 {
			msg += fmt.Sprintf(" (the Go build places %s)", strings.Join(builtNames, ", "))
		}
		msg += "; the container fails with \"no such file or directory\"."
		fd := finding.New(c, loc(file, e.Line), msg,
			"Point it at the path the binary is copied to, or copy the binary to the path it names.")
		out = append(out, withDetails(fd, "program", prog))
	}
	ep := final.Entrypoint
	if ep == nil {
		ep = final.Cmd
	}
	check(ep, DockerfileEntrypointNotBuilt, entryWord(final, ep))
	check(final.Healthcheck, DockerfileHealthcheckNotBuilt, "HEALTHCHECK")
	return out
}

// cgoLibcFinding judges a cgo binary p copied into the runtime platform rt
// with platform.Match: what a cgo build in the builder image needs
// against what the runtime image has. A need that holds for every cgo
// build (the loader, GLIBC_2.34) is an error; one that holds only if the
// program's C code uses a newer symbol (the builder's glibc is newer than
// the runtime's) is a warning.
func cgoLibcFinding(in *Input, p placed, rt platform.Platform, file string) (finding.Finding, bool) {
	b := p.bin
	name := path.Base(p.path)
	// On a preset, Match can only find the C library wrong or too old.
	res := platform.Match(platform.FromCgoBuild(p.path, b.libc, false), rt)
	maybe := len(res.Findings) == 0
	if maybe {
		res = platform.Match(platform.FromCgoBuild(p.path, b.libc, true), rt)
	}
	if len(res.Findings) == 0 {
		return finding.Finding{}, false
	}
	m := res.Findings[0]
	var msg string
	switch {
	case m.Check == platform.LibcMismatch.ID && rt.Libc.Flavor == facts.LibcNone:
		msg = fmt.Sprintf("%s is built with cgo in %s (%s) and linked against the C library, but %s has no C library or dynamic loader: the container fails to start with \"exec %s: no such file or directory\".",
			name, b.builder, libcName(b.libc), rt.Name, p.path)
	case m.Check == platform.LibcMismatch.ID:
		msg = fmt.Sprintf("%s is built with cgo against %s in %s, but %s provides %s; the binary's loader and symbols are not there, so it fails to start.",
			name, libcName(b.libc), b.builder, rt.Name, libcName(rt.Libc))
	case !maybe:
		need := m.Details["need"]
		msg = fmt.Sprintf("%s is built with cgo against glibc %s in %s, which makes it need GLIBC_%s, but %s has glibc %s: it fails with \"version `GLIBC_%s' not found\".",
			name, b.libc.Version, b.builder, need, rt.Name, m.Details["have"], need)
	default:
		have := m.Details["have"]
		msg = fmt.Sprintf("%s is built with cgo against glibc %s in %s but runs on glibc %s in %s; any symbol version newer than %s makes it fail with \"GLIBC_x not found\".",
			name, b.libc.Version, b.builder, have, rt.Name, have)
	}
	fd := finding.New(DockerfileCgoLibcMismatch, loc(file, p.copy.Line), msg,
		"Build with CGO_ENABLED=0 (pure Go: add -tags netgo,osusergo if you need cgo off but use net or os/user), or run on an image with the builder's C library (the same Debian release, distroless/base or cc).")
	fd = addSources(fd, m.Sources...)
	fd = addSources(fd, rt.Sources...)
	if maybe {
		// Whether a newer symbol is used depends on the C code.
		fd.Severity = finding.Warning
	}
	if in.Module == nil {
		// Without the module, its imports are unknown: a program
		// that links neither net, os/user nor C code is static.
		fd.Severity = finding.Warning
		fd.Message = "If the program links net, os/user or C code (the module was not found to tell): " + fd.Message
	}
	return withDetails(fd, "builder", b.builder, "runtime", rt.Name, "builderLibc", libcName(b.libc), "runtimeLibc", libcName(rt.Libc),
		"need", m.Details["need"], "have", m.Details["have"], "platformCheck", m.Check), true
}

// searchPath is the PATH a container of the stage starts with: the
// Dockerfile's ENV PATH, else Docker's default, with the golang images'
// /go/bin and /usr/local/go/bin in front.
func searchPath(s *dockerfile.Stage, golang bool) []string {
	if v, ok := s.EnvValue("PATH"); ok {
		return strings.Split(v.Value, ":")
	}
	dirs := []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}
	if golang {
		dirs = append([]string{"/go/bin", "/usr/local/go/bin"}, dirs...)
	}
	return dirs
}

func entryWord(s *dockerfile.Stage, e *dockerfile.Exec) string {
	if e != nil && e == s.Cmd {
		return "CMD"
	}
	return "ENTRYPOINT"
}

func libcName(l facts.Libc) string {
	switch {
	case l.Flavor == facts.LibcNone:
		return "no C library"
	case l.Version != "":
		return l.Flavor + " " + l.Version
	case l.Flavor != "":
		return l.Flavor
	}
	return "an unknown C library"
}

func joinWD(wd, p string) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	if wd == "" {
		wd = "/"
	}
	return path.Join(wd, p)
}

// present reports whether p is one of the files, or lies in a copied
// directory.
func present(files []placed, p string) bool {
	for _, f := range files {
		if f.path == p || strings.HasSuffix(f.path, "/") && strings.HasPrefix(p, f.path) {
			return true
		}
	}
	return false
}

// placeCopy adds what a COPY or ADD puts into the stage.
func placeCopy(f *dockerfile.File, c *dockerfile.Copy, bins []*built, files []placed, unknown bool) ([]placed, bool) {
	dirDest := strings.HasSuffix(c.Dest, "/") || len(c.Sources) > 1
	dest := strings.TrimSuffix(c.Dest, "/")
	if c.FromStage < 0 {
		// From the build context or another image: names are known,
		// contents are not.
		for _, src := range c.Sources {
			name := path.Base(src)
			if src == "." || src == "./" || strings.ContainsAny(src, "*?[") {
				files = append(files, placed{path: dest + "/", copy: c})
				unknown = true
				continue
			}
			files = placeSource(files, c, dest, name, dirDest)
		}
		return files, unknown
	}
	from := f.Stages[c.FromStage]
	for _, src := range c.Sources {
		src = path.Clean(joinWD(from.Workdir, src))
		matched := false
		for _, b := range bins {
			if b.stage != from && !inChain(f, from, b.stage) {
				continue
			}
			if b.path == "" {
				continue
			}
			bp := strings.TrimSuffix(b.path, "/")
			var target string
			switch {
			case bp == src:
				target = dest
				if dirDest {
					target = dest + "/" + path.Base(bp)
				}
			case strings.HasPrefix(bp, src+"/") || src == "/":
				rel := strings.TrimPrefix(bp, src)
				target = dest + "/" + strings.TrimPrefix(rel, "/")
			default:
				if ok, _ := path.Match(src, bp); ok {
					target = dest + "/" + path.Base(bp)
				}
			}
			if target != "" {
				matched = true
				if strings.HasSuffix(b.path, "/") {
					target += "/"
				}
				files = append(files, placed{path: path.Clean(target) + trailing(target), bin: b, copy: c})
			}
		}
		if !matched {
			files = placeSource(files, c, dest, path.Base(src), dirDest)
		}
	}
	return files, unknown
}

// placeSource adds a copied source named name whose content is not a
// known build output: the file it becomes, and dest as a directory, since
// the source may be one.
func placeSource(files []placed, c *dockerfile.Copy, dest, name string, dirDest bool) []placed {
	if dirDest {
		files = append(files, placed{path: dest + "/" + name, copy: c})
	} else {
		files = append(files, placed{path: dest, copy: c})
	}
	return append(files, placed{path: dest + "/", copy: c})
}

func trailing(p string) string {
	if strings.HasSuffix(p, "/") && p != "/" {
		return "/"
	}
	return ""
}

func inChain(f *dockerfile.File, s, ancestor *dockerfile.Stage) bool {
	for _, c := range stageChain(f, s) {
		if c == ancestor {
			return true
		}
	}
	return false
}

// minimalFindings reports what scratch-like images lack.
func minimalFindings(in *Input, final *dockerfile.Stage, chain []*dockerfile.Stage, root *dockerfile.Stage, have facts.ImageContents, files []placed, file string) []finding.Finding {
	var out []finding.Finding
	copied := func(substrs ...string) bool {
		for _, s := range chain {
			for _, c := range s.Copies {
				for _, x := range append([]string{c.Dest}, c.Sources...) {
					for _, sub := range substrs {
						if strings.Contains(x, sub) {
							return true
						}
					}
				}
			}
		}
		return false
	}
	env := func(k string) (string, bool) {
		v, ok := final.EnvValue(k)
		return v.Value, ok
	}
	tags := map[string]bool{}
	for _, p := range files {
		if p.bin != nil {
			for _, t := range strings.FieldsFunc(p.bin.tags, func(r rune) bool { return r == ',' || r == ' ' }) {
				tags[t] = true
			}
		}
	}
	line := root.Line
	if root != final {
		line = final.Line
	}
	if in.imports("crypto/x509") && !have.CACerts && !copied("ca-certificates", "/etc/ssl", "/etc/pki") &&
		!in.imports("golang.org/x/crypto/x509roots/fallback") {
		_, f1 := env("SSL_CERT_FILE")
		_, f2 := env("SSL_CERT_DIR")
		if !f1 && !f2 {
			why := "crypto/x509"
			for _, p := range []string{"net/http", "crypto/tls"} {
				if in.imports(p) {
					why = p + " (through crypto/x509)"
					break
				}
			}
			fd := finding.New(DockerfileMissingCACerts, loc(file, line),
				fmt.Sprintf("The program links %s, which verifies TLS certificates against the system's CA bundle, but %s has none: every HTTPS/TLS connection fails with \"x509: certificate signed by unknown authority\".", why, root.Base),
				"COPY --from=<builder> /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ into the final stage, use gcr.io/distroless/static, or import golang.org/x/crypto/x509roots/fallback.")
			out = append(out, withDetails(fd, "image", root.Base, "needs", why))
		}
	}
	tz, tzSet := env("TZ")
	needTZ := len(in.Module.LoadLocation) > 0 || tzSet && tz != "" && tz != "UTC" && !strings.HasPrefix(tz, ":UTC")
	if needTZ && !have.Zoneinfo && !in.imports("time/tzdata") && !tags["timetzdata"] && !copied("zoneinfo") {
		if _, ok := env("ZONEINFO"); !ok {
			why := ""
			if len(in.Module.LoadLocation) > 0 {
				p := in.Module.LoadLocation[0]
				why = fmt.Sprintf("calls time.LoadLocation (%s)", p)
			} else {
				why = fmt.Sprintf("runs with TZ=%s", tz)
			}
			fd := finding.New(DockerfileMissingZoneinfo, loc(file, line),
				fmt.Sprintf("The program %s, but %s has no /usr/share/zoneinfo and the program does not embed time/tzdata: LoadLocation returns \"unknown time zone\" (and TZ silently falls back to UTC).", why, root.Base),
				"Add `import _ \"time/tzdata\"` to the main package (or build with -tags timetzdata), or COPY /usr/share/zoneinfo from the builder.")
			out = append(out, withDetails(fd, "image", root.Base))
		}
	}
	if in.imports("os/user") && !have.Passwd && !copied("/etc/passwd", "passwd") {
		fd := finding.New(DockerfileMissingPasswd, loc(file, line),
			fmt.Sprintf("The program links os/user, whose pure-Go lookups read /etc/passwd and /etc/group, but %s has neither: user.Lookup and LookupId fail, and user.Current falls back to $USER and $HOME.", root.Base),
			"COPY a minimal /etc/passwd and /etc/group into the final stage (or use gcr.io/distroless/static, which has them).")
		out = append(out, withDetails(fd, "image", root.Base))
	}
	return out
}
