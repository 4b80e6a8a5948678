package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/sbom"
	"github.com/gocompat/gocompat/internal/vulndb"
	"github.com/gocompat/gocompat/internal/vulnscan"
)

func init() {
	registerCommand(func() *command {
		var format, goos, goarch, tags, out, db string
		var pkgs stringList
		return &command{
			name:    "sbom",
			args:    "[dir|binary]...",
			summary: "write a software bill of materials (CycloneDX 1.6 or SPDX 2.3 JSON) of a module, from the packages compiled for the platform, or of a binary, from its build information",
			flags: func(fs *flag.FlagSet) {
				fs.StringVar(&format, "format", "cyclonedx", "document format: cyclonedx (CycloneDX 1.6 JSON) or spdx (SPDX 2.3 JSON)")
				fs.StringVar(&goos, "goos", "", "for a module: the GOOS to list compiled packages for (default: the go command's)")
				fs.StringVar(&goarch, "goarch", "", "for a module: the GOARCH to list compiled packages for (default: the go command's)")
				fs.StringVar(&tags, "tags", "", "for a module: comma-separated build tags")
				fs.Var(&pkgs, "pkg", "for a module: the package pattern the program is built from (repeatable; default ./...)")
				fs.StringVar(&db, "db", "", "add a VEX section (CycloneDX) from a vulnerability scan with reachability (govulncheck's source mode for a module, binary mode for a binary) in this database: an https:// URL or a file:// folder (default: $GOVULNDB if set, else no scan)")
				fs.StringVar(&out, "o", "", "write to this file (one argument) or into this directory as NAME.cdx.json or NAME.spdx.json (several); default standard output")
			},
			run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
				render := map[string]func(*bytes.Buffer, *sbom.Inventory, sbom.Tool) error{
					"cyclonedx": func(b *bytes.Buffer, inv *sbom.Inventory, t sbom.Tool) error { return sbom.CycloneDX(b, inv, t) },
					"spdx":      func(b *bytes.Buffer, inv *sbom.Inventory, t sbom.Tool) error { return sbom.SPDX(b, inv, t) },
				}[format]
				if render == nil {
					return nil, usageErrorf("sbom --format %q: want cyclonedx or spdx", format)
				}
				if len(args) == 0 {
					args = []string{"."}
				}
				if len(args) > 1 && out == "" {
					return nil, usageErrorf("sbom of %d arguments needs -o DIR, one document per file", len(args))
				}
				epoch, haveEpoch, err := sbom.SourceDateEpoch(e.environ)
				if err != nil {
					return nil, usageErrorf("%v", err)
				}
				dbURL := ""
				if db != "" || e.Getenv("GOVULNDB") != "" {
					if format != "cyclonedx" {
						return nil, usageErrorf("sbom --db: the VEX section is CycloneDX's; SPDX 2.3 has none")
					}
					u, err := vulndb.URL(db, e.environ)
					if err != nil {
						return nil, usageErrorf("%v", err)
					}
					dbURL = u
				}
				tool := sbom.Tool{Name: "gocompat", Version: Version()}
				for _, a := range args {
					var tagList []string
					if tags != "" {
						tagList = strings.Split(tags, ",")
					}
					inv, err := sbom.FromPath(ctx, e.abs(a), sbom.ModuleOptions{Patterns: pkgs, GOOS: goos, GOARCH: goarch, Tags: tagList, Environ: e.environ})
					if err != nil {
						return nil, fmt.Errorf("sbom: %w", err)
					}
					if dbURL != "" {
						if err := sbomVulns(ctx, e, inv, e.abs(a), dbURL, pkgs, goos, goarch, tags); err != nil {
							return nil, fmt.Errorf("sbom %s --db: %w", a, err)
						}
					}
					if haveEpoch {
						inv.Created = epoch
					}
					var buf bytes.Buffer
					if err := render(&buf, inv, tool); err != nil {
						return nil, fmt.Errorf("sbom %s: %w", a, err)
					}
					dest := out
					if len(args) > 1 {
						ext := map[string]string{"cyclonedx": ".cdx.json", "spdx": ".spdx.json"}[format]
						dest = filepath.Join(out, strings.ReplaceAll(inv.Name, "/", "_")+ext)
					}
					if dest == "" {
						if _, err := e.inv.Stdout.Write(buf.Bytes()); err != nil {
							return nil, err
						}
						continue
					}
					if err := writeAtomic(e.abs(dest), buf.Bytes()); err != nil {
						return nil, fmt.Errorf("sbom: %w", err)
					}
				}
				return nil, nil
			},
		}
	})
}

// sbomVulns scans the module or binary at path for vulnerabilities in
// the database at dbURL, as gocompat deps and binary --db do, and records
// them in inv for the VEX section. A module is scanned for the platform
// and tags its inventory lists packages for.
func sbomVulns(ctx context.Context, e *env, inv *sbom.Inventory, path, dbURL string, pkgs []string, goos, goarch, tags string) error {
	o := vulnscan.Options{DB: dbURL, Env: e.environ}
	if inv.Kind == "binary" {
		o.Binary = path
	} else {
		env := append([]string(nil), e.environ...)
		if goos != "" {
			env = append(env, "GOOS="+goos)
		}
		if goarch != "" {
			env = append(env, "GOARCH="+goarch)
		}
		if tags != "" {
			env = append(env, "GOFLAGS="+strings.TrimSpace(e.Getenv("GOFLAGS")+" -tags="+tags))
		}
		o.Dir, o.Patterns, o.Env = path, pkgs, env
		gover, err := vulnscan.GoVersion(ctx, path, env)
		if err == nil {
			o.GoVersion = gover
		}
	}
	res, err := vulnscan.Run(ctx, o)
	if err != nil {
		return err
	}
	sbom.AddVulns(inv, res)
	return nil
}
