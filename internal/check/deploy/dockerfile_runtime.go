package deploy

import (
	"fmt"
	"path"
	"strings"

	"github.com/gocompat/gocompat/internal/dockerfile"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/platform"
)

// placed is a file in the runtime stage and where it came from.
type placed struct {
	path string
	bin  *built
	copy *dockerfile.Copy
}

// runtimeFindings judges the final stage: what it contains and runs.
func runtimeFindings(in *Input, f *dockerfile.File, bins []*built, file, ctxDir string) []finding.Finding {
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

	out = append(out, checkNoTrimpath(files, file)...)

	// What a minimal image lacks, for the Go programs it holds; an image
	// that holds none (manifests, a bundle) needs nothing for them.
	if isMinimal {
		if ps := imagePrograms(in, f, files, ctxDir); len(ps.list) > 0 {
			// What the image holds is the preset's fact: cite its sources.
			for _, fd := range minimalFindings(final, chain, root, *preset.Contents, ps, file) {
				out = append(out, addSources(fd, preset.Sources...))
			}
			if ps.guess != "" {
				// A program whose build is not seen: no build line said it.
				for _, p := range ps.list {
					out = append(out, dependenciesNotRead(DockerfileDependenciesNotRead, p, loc(file, final.Line),
						"so what they need from the image (CA certificates, /etc/passwd, zoneinfo) is judged from the repository's code alone")...)
				}
			}
		}
	}

	out = append(out, checkBuildEnvAtRuntime(final, builds, lastBuild, file)...)

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
	rt := &runtimeImage{final: final, root: root, files: files, unknownContent: unknownContent, minimal: isMinimal, golang: runtimeIsGo}
	ep := final.Entrypoint
	if ep == nil {
		ep = final.Cmd
	}
	out = append(out, checkExecNotBuilt(rt, ep, DockerfileEntrypointNotBuilt, entryWord(final, ep), file)...)
	out = append(out, checkExecNotBuilt(rt, final.Healthcheck, DockerfileHealthcheckNotBuilt, "HEALTHCHECK", file)...)
	return out
}

// runtimeImage is what the checks of the final stage's commands look at.
type runtimeImage struct {
	final, root    *dockerfile.Stage
	files          []placed
	unknownContent bool // something of unknown content is copied in
	minimal        bool // the image is scratch-like: its contents are known
	golang         bool // the image is golang:*
}

// checkExecNotBuilt: ENTRYPOINT, CMD or HEALTHCHECK (c, named what) runs a
// program the image does not contain, or uses the shell form in an image
// without a shell.
func checkExecNotBuilt(rt *runtimeImage, e *dockerfile.Exec, c finding.Check, what, file string) []finding.Finding {
	final, root, files := rt.final, rt.root, rt.files
	if e == nil || e.None || len(e.Args) == 0 {
		return nil
	}
	if e.Shell && rt.minimal {
		fd := finding.New(c, loc(file, e.Line),
			fmt.Sprintf("%s uses the shell form, which runs /bin/sh -c, but %s has no shell.", what, root.Base),
			fmt.Sprintf("Use the exec form: %s [\"/path/to/binary\", \"arg\"].", strings.ToUpper(strings.Fields(what)[0])))
		return []finding.Finding{fd}
	}
	prog := e.Args[0]
	if e.Shell {
		return nil
	}
	if !strings.Contains(prog, "/") {
		if final.Entrypoint != nil && e == final.Cmd {
			return nil // arguments to the ENTRYPOINT
		}
		// Looked up in PATH.
		for _, d := range searchPath(final, rt.golang) {
			if present(files, d+"/"+prog) {
				return nil
			}
		}
	} else {
		prog = joinWD(e.Workdir, prog)
		if present(files, prog) {
			return nil
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
	if rt.unknownContent && !sameName {
		return nil
	}
	if !(rt.minimal && !rt.unknownContent) && !sameName {
		return nil
	}
	msg := fmt.Sprintf("%s runs %s, but nothing in the build puts a file there", what, finding.Clip(prog))
	if len(builtNames) > 0 {
		msg += fmt.Sprintf(" (the Go build places %s)", strings.Join(builtNames, ", "))
	}
	msg += "; the container fails with \"no such file or directory\"."
	fd := finding.New(c, loc(file, e.Line), msg,
		"Point it at the path the binary is copied to, or copy the binary to the path it names.")
	return []finding.Finding{withDetails(fd, "program", prog)}
}

// checkNoTrimpath reports binaries that reach the image built without
// -trimpath.
func checkNoTrimpath(files []placed, file string) []finding.Finding {
	var out []finding.Finding
	seen := map[*dockerfile.GoCommand]bool{}
	for _, p := range files {
		b := p.bin
		if b == nil || !b.builds() || seen[b.cmd] || hasFlag(b.cmd, b.run, "-trimpath", "") {
			continue
		}
		seen[b.cmd] = true
		fd := finding.New(DockerfileNoTrimpath, loc(file, b.run.Line),
			fmt.Sprintf("`go %s` builds %s for the final image without -trimpath, so the binary records the builder's file paths and two builds of the same source in different directories differ.", b.cmd.Verb, finding.Clip(p.path)),
			"Add -trimpath to the go command (or GOFLAGS=-trimpath in the builder stage).")
		out = append(out, fd)
	}
	return out
}

// checkBuildEnvAtRuntime reports variables only the go command reads,
// set in the final stage where no go command runs after them.
func checkBuildEnvAtRuntime(final *dockerfile.Stage, builds bool, lastBuild int, file string) []finding.Finding {
	var out []finding.Finding
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
	if b.prog == nil {
		// Without the program, its imports are unknown: a program
		// that links neither net, os/user nor C code is static.
		fd.Severity = finding.Warning
		fd.Message = "If the program links net, os/user or C code (its package could not be read to tell): " + fd.Message
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
