package deploy

import (
	"fmt"
	"go/version"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/gocompat/gocompat/internal/dockerfile"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/gosrc"
	"github.com/gocompat/gocompat/internal/platform"
)

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

// flagValue returns the value of a go command flag given on the command
// line or in GOFLAGS ("true" for a boolean flag given bare).
func flagValue(g *dockerfile.GoCommand, r *dockerfile.Run, flag string) (string, bool) {
	if v, ok := g.Flags[flag]; ok {
		return v, true
	}
	goflags, _ := envOf(g, r, "GOFLAGS")
	val, found := "", false
	for _, w := range strings.Fields(goflags) {
		k, v, hasV := strings.Cut(w, "=")
		if "-"+strings.TrimLeft(k, "-") == flag {
			val, found = v, true
			if !hasV {
				val = "true"
			}
		}
	}
	return val, found
}

func hasFlag(g *dockerfile.GoCommand, r *dockerfile.Run, flag, value string) bool {
	v, ok := flagValue(g, r, flag)
	return ok && (value == "" || v == value)
}

// toolchain is the Go a builder stage has: from a Go builder image
// (facts.LookupGoBuilderImage) or a release archive unpacked by a RUN.
type toolchain struct {
	img  facts.GolangImage
	ok   bool
	from string // "image" or "archive"
	// cc and git say whether a C compiler and git are there (when not
	// known, true: no check claims they are missing); ccKnown whether the
	// facts (or a RUN installing one) tell about the compiler.
	cc, git, ccKnown bool
}

// stageToolchain finds the Go of the stage whose chain is given, for a
// command at line.
func stageToolchain(chain []*dockerfile.Stage, line int) toolchain {
	root := chain[len(chain)-1]
	if img, ok := facts.LookupGoBuilderImage(root.Base); ok {
		installsCC := installedBefore(chain, line, reInstallsCC)
		return toolchain{img: img, ok: true, from: "image",
			cc:      img.CCompiler || installsCC,
			git:     img.Git || installedBefore(chain, line, reInstallsGit),
			ccKnown: len(img.Sources) > 0 || installsCC}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for _, r := range chain[i].Runs {
			if i == 0 && r.Line > line {
				continue
			}
			if img, ok := facts.GoFromTarball(r.GoTarball); ok {
				t := toolchain{img: img, ok: true, from: "archive", cc: true, git: true}
				if installedBefore(chain, line, reInstallsCC) {
					t.ccKnown = true
				}
				if p, ok := facts.LookupPreset(root.Base); ok {
					t.img.Libc = p.Libc
					if p.CCompiler != nil {
						t.cc = *p.CCompiler || installedBefore(chain, line, reInstallsCC)
						t.ccKnown = true
					}
					if p.Git != nil {
						t.git = *p.Git || installedBefore(chain, line, reInstallsGit)
					}
				}
				return t
			}
		}
	}
	return toolchain{}
}

// builderFindings judges a stage that runs the go command (or make in a
// stage that has Go).
func builderFindings(in *Input, f *dockerfile.File, s *dockerfile.Stage, cmds []*built, file string, ctx DockerContext) []finding.Finding {
	var out []finding.Finding
	chain := stageChain(f, s)
	root := chain[len(chain)-1] // the stage that names the image
	tc := stageToolchain(chain, cmds[len(cmds)-1].run.Line)
	img := tc.img
	builderLibc := img.Libc
	if !tc.ok || tc.from == "archive" {
		if pl, ok := platform.FromImage(root.Base); ok {
			builderLibc = pl.Libc
		}
	}
	for _, b := range cmds {
		b.image, b.isGo = img, tc.ok
		b.builder, b.libc = root.Base, builderLibc
		if _, golang := facts.ParseGolangImage(root.Base); golang && b.cmd.Workdir == "" {
			// The golang images' WORKDIR is $GOPATH, /go.
			c := *b.cmd
			c.Workdir = "/go"
			b.cmd = &c
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
		case tc.ok && tc.ccKnown:
			cgo = "0"
			if tc.cc {
				cgo = "1"
			}
		}
		b.cgo = cgo
		b.target = buildTarget(b)
		b.pkgDir = packageDir(in, chain, b, ctx.Dir)
		if b.pkgDir != "" {
			b.prog = in.program(b.pkgDir, b.target)
			if b.prog != nil {
				b.mod = b.prog.Module
				out = append(out, dependenciesNotRead(DockerfileDependenciesNotRead, b.prog, loc(file, b.run.Line),
					"so what they need from the image (CA certificates, /etc/passwd, zoneinfo) and whether they use cgo is judged from the repository's code alone")...)
			}
		}
		modPath := ""
		if b.prog != nil {
			modPath = b.prog.Path // the package's own import path names its binary
		} else if in.Module != nil && in.Module.Mod != nil {
			modPath = in.Module.Mod.Module
		}
		if out, ok := b.cmd.Output(b.run.Env, modPath); ok {
			b.path = out
		}
		b.dynamic = cgo == "1" && linksLibc(b)
		out = append(out, checkCgoNoCompiler(in, root, tc, b, explicit, file)...)
		out = append(out, checkBuildVCS(chain, root, tc, b, ctx, file)...)
	}
	if !tc.ok {
		return out
	}
	var modCmds []*built
	onlyMake := true
	for _, b := range cmds {
		if usesModule(b.cmd) {
			modCmds = append(modCmds, b)
			onlyMake = onlyMake && b.cmd.Verb == "make"
		}
	}
	if len(modCmds) == 0 {
		// Only `go install pkg@version`: the module's go.mod plays no
		// part.
		return append(out, unsupportedBuilder(in, root, img, file)...)
	}
	stageIn := in
	for _, b := range modCmds {
		if b.mod != nil {
			stageIn = in.withModule(b.mod)
			break
		}
	}
	tcFindings := checkToolchain(stageIn, root, img, modCmds[0], file)
	if onlyMake {
		for i := range tcFindings {
			tcFindings[i] = may(tcFindings[i], "the stage runs make, which is taken to build this module with the image's go command")
		}
	}
	out = append(out, tcFindings...)
	out = append(out, unsupportedBuilder(in, root, img, file)...)
	return out
}

// buildTarget is what the command builds for: GOOS and GOARCH as set
// (linux/amd64 when not set or not known), cgo, -tags, and the image's
// Go release for the go1.N build tags.
func buildTarget(b *built) gosrc.Target {
	t := gosrc.DefaultTarget
	if v, ok := envOf(b.cmd, b.run, "GOOS"); ok && v != "" && !strings.Contains(v, "$") {
		t.GOOS = v
	}
	if v, ok := envOf(b.cmd, b.run, "GOARCH"); ok && v != "" && !strings.Contains(v, "$") {
		t.GOARCH = v
	}
	t.Cgo = b.cgo == "1"
	t.Tags = splitTags(b.tags)
	if n := facts.NormalizeGo(b.image.GoVersion); n != "" {
		t.Go = version.Lang(n)
	}
	return t
}

func splitTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// packageDir returns the repository directory of the main package the
// command builds, or "" when it cannot be told: make, several packages,
// `pkg@version` (not the repository's), or a directory no COPY of the
// build context explains.
func packageDir(in *Input, chain []*dockerfile.Stage, b *built, ctxDir string) string {
	g := b.cmd
	if in.Repo == nil || g.Verb == "make" {
		return ""
	}
	wd := g.Workdir
	if c, ok := g.Flags["-C"]; ok {
		wd = joinWD(wd, c)
	}
	arg := "."
	if len(g.Packages) > 0 {
		arg = g.Packages[0]
	}
	if len(g.Packages) > 1 && !strings.HasSuffix(arg, ".go") || strings.Contains(arg, "...") || strings.Contains(arg, "@") {
		return ""
	}
	if strings.HasSuffix(arg, ".go") {
		arg = path.Dir(arg)
	}
	if first, _, _ := strings.Cut(arg, "/"); strings.Contains(first, ".") && first != "." && first != ".." {
		// An import path.
		dir, _ := in.Repo.DirOf(arg)
		return dir
	}
	return contextDir(in.Repo, chain, b.run.Line, joinWD(wd, arg), ctxDir)
}

// contextDir maps a directory of the build stage to the directory of the
// repository that a COPY (or ADD) of the build context put there; the
// last such COPY before line wins.
func contextDir(repo *gosrc.Repo, chain []*dockerfile.Stage, line int, dir, ctxDir string) string {
	found := ""
	for i := len(chain) - 1; i >= 0; i-- {
		s := chain[i]
		for _, c := range s.Copies {
			if c.From != "" || c.FromStage >= 0 || (i == 0 && c.Line > line) {
				continue
			}
			dest := strings.TrimSuffix(c.Dest, "/")
			if dest == "" {
				dest = "/"
			}
			for _, src := range c.Sources {
				if strings.ContainsAny(src, "*?[") || strings.Contains(src, "://") {
					continue
				}
				from := path.Join(ctxDir, src)
				if !repo.HasDir(from) {
					continue
				}
				var rest string
				switch {
				case dir == dest:
				case dest == "/" && strings.HasPrefix(dir, "/"):
					rest = strings.TrimPrefix(dir, "/")
				case strings.HasPrefix(dir, dest+"/"):
					rest = strings.TrimPrefix(dir, dest+"/")
				default:
					continue
				}
				if cand := path.Join(from, rest); repo.HasDir(cand) {
					found = cand
				}
			}
		}
	}
	return found
}

// checkCgoNoCompiler: cgo is forced on, or the program has cgo files for
// the target, in a builder without a C compiler.
func checkCgoNoCompiler(in *Input, root *dockerfile.Stage, tc toolchain, b *built, explicit bool, file string) []finding.Finding {
	if !tc.ok || !tc.ccKnown || tc.cc || b.cmd.Verb == "make" {
		return nil
	}
	img := tc.img
	if explicit && b.cgo == "1" {
		fd := finding.New(DockerfileCgoNoCompiler, loc(file, b.run.Line),
			fmt.Sprintf("CGO_ENABLED=1 is set for `go %s`, but %s has no C compiler, so the build fails with `cgo: C compiler \"gcc\" not found`.", b.cmd.Verb, root.Base),
			"Install one before building (`RUN apk add --no-cache build-base`), use a Debian-based golang image, or build with CGO_ENABLED=0.")
		return []finding.Finding{withDetails(addSources(fd, img.Sources...), "image", root.Base)}
	}
	if explicit || b.pkgDir == "" {
		// `go install pkg@version` builds code that is not in the
		// repository: whether it has cgo files is not known here.
		return nil
	}
	on := b.target
	on.Cgo = true
	p := in.program(b.pkgDir, on)
	if p == nil || len(p.Cgo) == 0 {
		// No cgo files for this GOOS/GOARCH (those for other systems are
		// excluded by their build constraints either way).
		return nil
	}
	off := b.target
	off.Cgo = false
	fails := ""
	if q := in.program(b.pkgDir, off); q == nil {
		fails = p.Cgo[0]
	} else {
		for _, c := range p.Cgo {
			if slices.Contains(q.Missing, c) {
				fails = c
				break
			}
		}
	}
	goV := facts.NormalizeGo(img.GoVersion)
	pkgs := strings.Join(p.Cgo, ", ")
	var msg string
	sev := finding.Error
	switch {
	case goV != "" && version.Compare(version.Lang(goV), facts.CgoOffWithoutCCSince) < 0:
		msg = fmt.Sprintf("%s has cgo files (import \"C\") for %s/%s, but %s has no C compiler and %s keeps cgo on: `go %s` fails with `exec: \"gcc\": executable file not found in $PATH`.",
			pkgs, on.GOOS, on.GOARCH, root.Base, display(version.Lang(goV)), b.cmd.Verb)
	case fails != "":
		msg = fmt.Sprintf("%s has cgo files (import \"C\") for %s/%s, but %s has no C compiler, so cgo is off and `go %s` leaves them out: %s then has no Go files for the build and it fails (\"build constraints exclude all Go files\").",
			pkgs, on.GOOS, on.GOARCH, root.Base, b.cmd.Verb, fails)
	default:
		sev = finding.Warning
		msg = fmt.Sprintf("%s has cgo files (import \"C\") for %s/%s, but %s has no C compiler, so cgo is off and `go %s` builds their non-cgo files instead: the program may behave differently from a cgo build.",
			pkgs, on.GOOS, on.GOARCH, root.Base, b.cmd.Verb)
	}
	fd := finding.New(DockerfileCgoNoCompiler, loc(file, b.run.Line), msg,
		"Install a C compiler in the builder (`RUN apk add --no-cache build-base`), use a Debian-based golang image, or set CGO_ENABLED=0 if the non-cgo build is what you want.")
	fd.Severity = sev
	fd = addSources(fd, img.Sources...)
	fd = addSources(fd, facts.SrcGo120Cgo)
	return []finding.Finding{withDetails(fd, "image", root.Base, "cgoPackages", pkgs, "target", on.GOOS+"/"+on.GOARCH)}
}

// checkBuildVCS: go build stamps VCS information from the .git directory
// copied in, and fails because the builder has no git. That happens with
// an explicit -buildvcs=true, or on Go 1.18.0, whose default was true;
// later releases default to auto and build without the stamp
// (facts.BuildVCSFailsWithoutGit).
func checkBuildVCS(chain []*dockerfile.Stage, root *dockerfile.Stage, tc toolchain, b *built, ctx DockerContext, file string) []finding.Finding {
	if !tc.ok || tc.git || !b.builds() || !usesModule(b.cmd) || !ctx.HasGit || !copiesGitDir(chain, b.run.Line) {
		return nil
	}
	flag, _ := flagValue(b.cmd, b.run, "-buildvcs")
	if !facts.BuildVCSFailsWithoutGit(tc.img.GoVersion, flag) {
		return nil
	}
	why := "-buildvcs=true is set"
	if flag == "" {
		why = fmt.Sprintf("Go %s defaults to -buildvcs=true (the default is auto, which skips the stamp when git is missing, from Go %s on)", strings.TrimPrefix(facts.NormalizeGo(tc.img.GoVersion), "go"), lang(facts.BuildVCSAutoSince))
	}
	fd := finding.New(DockerfileBuildVCSFails, loc(file, b.run.Line),
		fmt.Sprintf("The build context's .git directory is copied into %s, which has no git, and %s, so `go %s` fails with \"error obtaining VCS status: exec: \\\"git\\\": executable file not found in $PATH\".", root.Base, why, b.cmd.Verb),
		"Pass -buildvcs=false (or GOFLAGS=-buildvcs=false), add .git to .dockerignore, install git in the builder to keep the VCS stamp, or use a newer Go.")
	fd = addSources(fd, tc.img.Sources...)
	fd = addSources(fd, facts.SrcBuildVCSAuto)
	return []finding.Finding{withDetails(fd, "image", root.Base, "buildvcs", flag)}
}

// checkToolchain judges the builder's Go against the go and toolchain
// lines of the module the stage builds: builder-go-too-old,
// toolchain-download, toolchain-line-ignored.
func checkToolchain(in *Input, root *dockerfile.Stage, img facts.GolangImage, first *built, file string) []finding.Finding {
	var out []finding.Finding
	gotoolchain, set := "", false
	if v, ok := first.run.Env["GOTOOLCHAIN"]; ok {
		gotoolchain, set = v, true
	}
	if v, ok := first.cmd.Env["GOTOOLCHAIN"]; ok {
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
	name := root.Base
	if img.Ref != "" && img.Ref != root.Base {
		name = root.Base + " with " + img.Ref
	}
	if builderGo != "" && need != "" && !satisfies(builderGo, need) {
		switch {
		case !satisfies(builderGo, facts.ToolchainSwitchSince):
			fd := finding.New(DockerfileBuilderGoTooOld, loc(file, line),
				fmt.Sprintf("%s ships %s, but %s needs go %s. Go before %s cannot switch toolchains: it builds anyway and fails on newer language features and standard library APIs (and on a go line with a patch version, which it cannot parse).",
					name, display(builderGo), in.goModRef(), in.Module.Mod.Go, lang(facts.ToolchainSwitchSince)),
				fmt.Sprintf("Use golang:%s or newer as the builder.", lang(version.Lang(need))))
			out = append(out, withDetails(addSources(fd, img.Sources...), "image", root.Base, "imageGo", builderGo, "goLine", in.Module.Mod.Go))
		case local:
			fd := finding.New(DockerfileBuilderGoTooOld, loc(file, line),
				fmt.Sprintf("%s ships %s, but %s needs go %s and %s, so the build fails with \"go.mod requires go >= %s (running go %s; GOTOOLCHAIN=local)\".",
					name, display(builderGo), in.goModRef(), in.Module.Mod.Go, where, in.Module.Mod.Go, builderGo),
				fmt.Sprintf("Use golang:%s or newer as the builder, or lower the go line if the module does not need %s.", lang(version.Lang(need)), display(need)))
			out = append(out, withDetails(addSources(fd, img.Sources...), "image", root.Base, "imageGo", builderGo, "goLine", in.Module.Mod.Go, "GOTOOLCHAIN", gotoolchain))
		default:
			target := need
			if tc != "" && version.Compare(tc, need) > 0 {
				target = tc
			}
			fd := finding.New(DockerfileToolchainDownload, loc(file, line),
				fmt.Sprintf("%s ships %s, but %s needs go %s; with GOTOOLCHAIN=%s the go command downloads %s during the build (network at build time, a toolchain the image tag does not show).",
					name, display(builderGo), in.goModRef(), in.Module.Mod.Go, gotoolchain, target),
				fmt.Sprintf("Build FROM golang:%s so the image's toolchain is the one used.", lang(version.Lang(target))))
			out = append(out, withDetails(addSources(fd, img.Sources...), "image", root.Base, "imageGo", builderGo, "goLine", in.Module.Mod.Go, "GOTOOLCHAIN", gotoolchain))
		}
	} else if builderGo != "" && tc != "" && !satisfies(builderGo, tc) {
		if local {
			fd := finding.New(DockerfileToolchainIgnored, loc(file, line),
				fmt.Sprintf("%s asks for toolchain %s, but %s ships %s and %s, so the image builds with %s (the toolchain line only suggests; GOTOOLCHAIN=local ignores it).",
					in.goModRef(), tc, name, display(builderGo), where, display(builderGo)),
				fmt.Sprintf("Build FROM golang:%s, or drop the toolchain line if %s is what you want.", lang(tc), display(builderGo)))
			out = append(out, withDetails(addSources(fd, img.Sources...), "image", root.Base, "imageGo", builderGo, "toolchain", tc))
		} else {
			fd := finding.New(DockerfileToolchainDownload, loc(file, line),
				fmt.Sprintf("%s asks for toolchain %s, newer than the %s in %s; with GOTOOLCHAIN=%s the go command downloads it during the build.",
					in.goModRef(), tc, display(builderGo), name, gotoolchain),
				fmt.Sprintf("Build FROM golang:%s so the image's toolchain is the one used.", lang(tc)))
			out = append(out, withDetails(addSources(fd, img.Sources...), "image", root.Base, "imageGo", builderGo, "toolchain", tc))
		}
	}
	return out
}

// usesModule reports whether the go command builds the module's own
// packages: `go install pkg@version` and `go run pkg@version` ignore the
// current module.
func usesModule(g *dockerfile.GoCommand) bool {
	for _, p := range g.Packages {
		if strings.Contains(p, "@") {
			return false
		}
	}
	return true
}

// unsupportedBuilder reports a builder whose Go is past support.
func unsupportedBuilder(in *Input, root *dockerfile.Stage, img facts.GolangImage, file string) []finding.Finding {
	builderGo := img.GoVersion
	if builderGo == "" {
		return nil
	}
	old, since := unsupported(builderGo, in.Now)
	if !old {
		return nil
	}
	name := root.Base
	if img.Ref != "" && img.Ref != root.Base {
		name = root.Base + " with " + img.Ref
	}
	r, _ := facts.LookupGoRelease(builderGo)
	fd := finding.New(DockerfileGoUnsupported, loc(file, root.Line),
		fmt.Sprintf("%s ships %s, which has had no security fixes since %s.", name, display(version.Lang(facts.NormalizeGo(builderGo))), since),
		"Move the builder to a supported Go release (the two newest).")
	fd = addSources(fd, r.Sources...)
	fd = addSources(fd, img.Sources...)
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
// the build does not link statically. Without the program, it may.
func linksLibc(b *built) bool {
	ld := b.cmd.Flags["-ldflags"]
	if strings.Contains(ld, "-static") {
		return false
	}
	p := b.prog
	if p == nil {
		return true
	}
	tags := splitTags(b.tags)
	if len(p.Cgo) > 0 {
		return true
	}
	usesNet := p.Imports("net") && !slices.Contains(tags, "netgo")
	usesUser := p.Imports("os/user") && !slices.Contains(tags, "osusergo")
	return usesNet || usesUser || p.Imports("plugin")
}

// may turns a finding into one the analysis cannot prove: one severity
// lower, with the assumption said.
func may(f finding.Finding, assumption string) finding.Finding {
	switch f.Severity {
	case finding.Error:
		f.Severity = finding.Warning
	case finding.Warning:
		f.Severity = finding.Info
	}
	f.Message = fmt.Sprintf("This may not apply (%s): %s", assumption, f.Message)
	return f
}
