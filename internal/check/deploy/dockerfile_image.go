package deploy

import (
	"fmt"
	"strings"

	"github.com/gocompat/gocompat/internal/dockerfile"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
)

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
