package deploy

import (
	"fmt"
	"path"
	"strings"

	"github.com/gocompat/gocompat/internal/dockerfile"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/gosrc"
)

// programs are the Go programs a runtime image holds, as far as the
// Dockerfile shows them.
type programs struct {
	list []*gosrc.Program
	tags map[string]bool
	// guess, when set, says how the programs were matched to a file of
	// the image without seeing its build; findings then say "may".
	guess string
}

func (ps *programs) imports(p string) bool {
	for _, x := range ps.list {
		if x.Imports(p) {
			return true
		}
	}
	return false
}

func (ps *programs) loadLocation() []gosrc.Pos {
	var out []gosrc.Pos
	for _, x := range ps.list {
		out = append(out, x.LoadLocation...)
	}
	return out
}

// imagePrograms finds the Go programs in the final image: those its
// stages build and copy in, else a file copied in whose name is the
// binary name of a main package of the repository, from a stage whose
// build is not seen (make) or from the build context (a binary built
// outside the Dockerfile). An image that holds no Go program gives none,
// and the checks of what a Go program needs from its image stay quiet.
func imagePrograms(in *Input, f *dockerfile.File, files []placed, ctxDir string) *programs {
	ps := &programs{tags: map[string]bool{}}
	seen := map[*gosrc.Program]bool{}
	for _, p := range files {
		if p.bin == nil || !p.bin.builds() || p.bin.prog == nil || seen[p.bin.prog] {
			continue
		}
		seen[p.bin.prog] = true
		ps.list = append(ps.list, p.bin.prog)
		for _, t := range splitTags(p.bin.tags) {
			ps.tags[t] = true
		}
	}
	if len(ps.list) > 0 || in.Repo == nil {
		return ps
	}
	for _, p := range files {
		if p.bin != nil || p.copy == nil || strings.HasSuffix(p.path, "/") {
			continue
		}
		name := path.Base(p.path)
		for _, src := range p.copy.Sources {
			if path.Base(src) != name && len(p.copy.Sources) > 1 {
				continue
			}
			var dir string
			if p.copy.FromStage >= 0 {
				// From a stage whose build is not seen: the directory the
				// file was in, if the context put a main package there.
				from := f.Stages[p.copy.FromStage]
				abs := joinWD(from.Workdir, src)
				dir = contextDir(in.Repo, stageChain(f, from), 1<<30, path.Dir(abs), ctxDir)
				if dir == "" || gosrc.BinaryName(in.Repo.ImportPath(dir)) != path.Base(abs) {
					continue
				}
				ps.guess = fmt.Sprintf("%s is taken to be the program built from %s", finding.Clip(p.path), dir)
			} else if p.copy.From == "" {
				mains := in.Repo.MainPackages(name, gosrc.DefaultTarget)
				if len(mains) != 1 {
					continue
				}
				dir = mains[0]
				ps.guess = fmt.Sprintf("%s, copied from the build context, is taken to be the program built from %s", finding.Clip(p.path), dir)
			} else {
				continue
			}
			if prog := in.program(dir, gosrc.DefaultTarget); prog != nil {
				ps.list = append(ps.list, prog)
				return ps
			}
		}
	}
	ps.guess = ""
	return ps
}

// image is what the image-content checks look at.
type image struct {
	final, root *dockerfile.Stage
	chain       []*dockerfile.Stage
	have        facts.ImageContents
	line        int
}

// copied reports whether a COPY or ADD of the chain names any of substrs.
func (im *image) copied(substrs ...string) bool {
	for _, s := range im.chain {
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

func (im *image) env(k string) (string, bool) {
	v, ok := im.final.EnvValue(k)
	return v.Value, ok
}

// minimalFindings reports what scratch-like images lack for the programs
// they hold.
func minimalFindings(final *dockerfile.Stage, chain []*dockerfile.Stage, root *dockerfile.Stage, have facts.ImageContents, ps *programs, file string) []finding.Finding {
	im := &image{final: final, root: root, chain: chain, have: have, line: root.Line}
	if root != final {
		im.line = final.Line
	}
	var out []finding.Finding
	out = append(out, checkMissingCACerts(im, ps, file)...)
	out = append(out, checkMissingZoneinfo(im, ps, file)...)
	out = append(out, checkMissingPasswd(im, ps, file)...)
	if ps.guess != "" {
		for i := range out {
			out[i] = may(out[i], ps.guess)
		}
	}
	return out
}

func checkMissingCACerts(im *image, ps *programs, file string) []finding.Finding {
	if !ps.imports("crypto/x509") || im.have.CACerts || im.copied("ca-certificates", "/etc/ssl", "/etc/pki") ||
		ps.imports("golang.org/x/crypto/x509roots/fallback") {
		return nil
	}
	_, f1 := im.env("SSL_CERT_FILE")
	_, f2 := im.env("SSL_CERT_DIR")
	if f1 || f2 {
		return nil
	}
	why := "crypto/x509"
	for _, p := range []string{"net/http", "crypto/tls"} {
		if ps.imports(p) {
			why = p + " (through crypto/x509)"
			break
		}
	}
	fd := finding.New(DockerfileMissingCACerts, loc(file, im.line),
		fmt.Sprintf("The program links %s, which verifies TLS certificates against the system's CA bundle, but %s has none: every HTTPS/TLS connection fails with \"x509: certificate signed by unknown authority\".", why, im.root.Base),
		"COPY --from=<builder> /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ into the final stage, use gcr.io/distroless/static, or import golang.org/x/crypto/x509roots/fallback.")
	return []finding.Finding{withDetails(fd, "image", im.root.Base, "needs", why)}
}

func checkMissingZoneinfo(im *image, ps *programs, file string) []finding.Finding {
	tz, tzSet := im.env("TZ")
	ll := ps.loadLocation()
	needTZ := len(ll) > 0 || tzSet && tz != "" && tz != "UTC" && !strings.HasPrefix(tz, ":UTC")
	if !needTZ || im.have.Zoneinfo || ps.imports("time/tzdata") || ps.tags["timetzdata"] || im.copied("zoneinfo") {
		return nil
	}
	if _, ok := im.env("ZONEINFO"); ok {
		return nil
	}
	why := fmt.Sprintf("runs with TZ=%s", tz)
	if len(ll) > 0 {
		why = fmt.Sprintf("calls time.LoadLocation (%s)", ll[0])
	}
	fd := finding.New(DockerfileMissingZoneinfo, loc(file, im.line),
		fmt.Sprintf("The program %s, but %s has no /usr/share/zoneinfo and the program does not embed time/tzdata: LoadLocation returns \"unknown time zone\" (and TZ silently falls back to UTC).", why, im.root.Base),
		"Add `import _ \"time/tzdata\"` to the main package (or build with -tags timetzdata), or COPY /usr/share/zoneinfo from the builder.")
	return []finding.Finding{withDetails(fd, "image", im.root.Base)}
}

func checkMissingPasswd(im *image, ps *programs, file string) []finding.Finding {
	if !ps.imports("os/user") || im.have.Passwd || im.copied("/etc/passwd", "passwd") {
		return nil
	}
	fd := finding.New(DockerfileMissingPasswd, loc(file, im.line),
		fmt.Sprintf("The program links os/user, whose pure-Go lookups read /etc/passwd and /etc/group, but %s has neither: user.Lookup and LookupId fail, and user.Current falls back to $USER and $HOME.", im.root.Base),
		"COPY a minimal /etc/passwd and /etc/group into the final stage (or use gcr.io/distroless/static, which has them).")
	return []finding.Finding{withDetails(fd, "image", im.root.Base)}
}
