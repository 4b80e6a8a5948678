package deploy

import (
	"fmt"
	"go/version"
	"regexp"
	"strings"

	"github.com/gocompat/gocompat/internal/dockerfile"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
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
