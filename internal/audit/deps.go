package audit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/check/deps"
	"github.com/gocompat/gocompat/internal/dockerfile"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/modhealth"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/vulndb"
	"github.com/gocompat/gocompat/internal/vulnscan"
)

// DepsOptions are the deps step's settings.
type DepsOptions struct {
	// DB is the --db value ("" = $GOVULNDB, else the Go database).
	DB string
	// Outdated asks for available updates.
	Outdated bool
	// Now dates the database's age (zero: time.Now).
	Now time.Time
	// Offline keeps the step off the network, as an audit without
	// --online is: an https:// database is not consulted and the module
	// proxy is not asked (GOPROXY=off), without a finding for either.
	Offline bool
}

// DepsSteps are the steps of `gocompat deps`.
func DepsSteps() []Step { return []Step{moduleStep(), depsStep()} }

// depsStep checks the module in the audited directory with t.Deps:
// vulnerabilities reachable from its code, at the Go release the go
// command selects for it, and the health of its requirements.
func depsStep() Step {
	return Step{
		Family:  "deps",
		Applies: func(t *Target) bool { return fileExists(filepath.Join(t.Dir, "go.mod")) },
		Run: func(ctx context.Context, t *Target) (Result, error) {
			if !t.goModParses() {
				return Result{}, nil // module/go-mod-invalid says why
			}
			return runDeps(ctx, t, t.Deps)
		},
	}
}

func runDeps(ctx context.Context, t *Target, o DepsOptions) (Result, error) {
	var res Result
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	data, err := readBounded(filepath.Join(t.Dir, "go.mod"), 4<<20)
	if err != nil {
		return res, err
	}
	mf, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return res, err
	}
	anchor := finding.Location{File: "go.mod"}
	vin := deps.VulnInput{GoMod: "go.mod", ModDir: ".", Requires: map[string]int{}}
	hin := deps.HealthInput{GoMod: "go.mod", ModDir: t.Dir, Requires: vin.Requires, Outdated: o.Outdated}
	for _, r := range mf.Require {
		vin.Requires[r.Mod.Path] = r.Syntax.Start.Line
	}
	if mf.Go != nil {
		vin.GoLine, hin.GoLine, hin.GoVersion = mf.Go.Syntax.Start.Line, mf.Go.Syntax.Start.Line, mf.Go.Version
	}
	if mf.Toolchain != nil {
		vin.ToolchainLine = mf.Toolchain.Syntax.Start.Line
	}
	for _, r := range mf.Replace {
		if r.New.Version == "" && modfile.IsDirectoryPath(r.New.Path) {
			hin.Replaces = append(hin.Replaces, deps.LocalReplace{Module: r.Old.Path, Dir: r.New.Path, Line: r.Syntax.Start.Line})
		}
	}
	hin.Builds = dockerBuilds(t)

	env := t.Environ
	if o.Offline {
		env = append(env[:len(env):len(env)], "GOPROXY=off")
	}

	// Vulnerabilities.
	dbURL, err := vulndb.URL(o.DB, t.Environ)
	if err != nil {
		return res, err
	}
	var meta vulndb.Meta
	if o.Offline && !strings.HasPrefix(dbURL, "file://") {
		err = errOffline
		res.Subjects = append(res.Subjects, report.Subject{Kind: "vulndb", Name: dbURL + " not consulted: offline (use --online, or --db file://DIR)"})
	} else if meta, err = vulndb.ReadMeta(ctx, dbURL, nil); err != nil {
		res.Findings = append(res.Findings, deps.DBUnavailable(err, anchor))
	}
	if err == nil {
		res.Subjects = append(res.Subjects, DBSubject(meta))
		res.Findings = append(res.Findings, deps.DB(meta, now, anchor)...)
		gover, gerr := vulnscan.GoVersion(ctx, t.Dir, env)
		scan, err := vulnscan.Run(ctx, vulnscan.Options{DB: dbURL, Dir: t.Dir, Env: env, GoVersion: gover})
		if err != nil {
			res.Findings = append(res.Findings, deps.ScanFailed(err, anchor))
		} else {
			attrs := map[string]string{"go": scan.GoVersion, "modules": fmt.Sprint(len(scan.Modules))}
			if gerr != nil {
				attrs["go_note"] = gerr.Error()
			}
			res.Subjects = append(res.Subjects, report.Subject{Kind: "vulnscan", Name: fmt.Sprintf("%s, standard library of %s, %d modules", scan.Scanner, scan.GoVersion, len(scan.Modules)), Attributes: attrs})
			res.Findings = append(res.Findings, deps.Vulns(scan, vin)...)
		}
	}

	// Module health.
	info, err := modhealth.List(ctx, t.Dir, env)
	if err != nil {
		return res, err
	}
	hin.Info, hin.Offline = info, o.Offline
	res.Findings = append(res.Findings, deps.Health(hin)...)
	return res, nil
}

var errOffline = errors.New("offline")

// DBSubject names the vulnerability database and its date in a report.
func DBSubject(m vulndb.Meta) report.Subject {
	when := "modification date unknown"
	if !m.Modified.IsZero() {
		when = "modified " + m.Modified.UTC().Format(time.RFC3339)
	}
	return report.Subject{Kind: "vulndb", Name: m.URL + " (" + when + ")",
		Attributes: map[string]string{"modified": m.Modified.UTC().Format(time.RFC3339)}}
}

// dockerBuilds are the Dockerfile stages under t.Dir that run go build or
// go install, with the Go their golang image ships and what they copy
// from the build context (the Dockerfile's directory).
func dockerBuilds(t *Target) []deps.Build {
	var out []deps.Build
	for _, rel := range DiscoverDeploy(t.Dir).Dockerfiles {
		abs := filepath.Join(t.Dir, filepath.FromSlash(rel))
		data, err := readBounded(abs, 1<<20)
		if err != nil {
			continue
		}
		f, err := dockerfile.Parse(rel, data, nil)
		if err != nil {
			continue // the dockerfile step reports it
		}
		for _, st := range f.Stages {
			builds := false
			for _, r := range st.Runs {
				builds = builds || len(r.Go) > 0
			}
			if !builds {
				continue
			}
			b := deps.Build{
				Where:      finding.Location{File: rel, Line: st.Line},
				What:       fmt.Sprintf("the stage at %s:%d", rel, st.Line),
				ContextDir: filepath.Dir(abs),
				HasContext: true,
			}
			base := st
			for base.BaseStage >= 0 && base.BaseStage < base.Index {
				base = f.Stages[base.BaseStage] // FROM an earlier stage: its image
			}
			if img, ok := facts.ParseGolangImage(base.Base); ok {
				b.Go, b.Local = img.GoVersion, img.GOTOOLCHAIN == "local"
			}
			for _, kv := range st.Env {
				if kv.Name == "GOTOOLCHAIN" {
					b.Local = kv.Value == "local"
				}
			}
			for i := st.Index; i >= 0; {
				s := f.Stages[i]
				for _, c := range s.Copies {
					if c.From == "" {
						b.Copied = append(b.Copied, c.Sources...)
					}
				}
				i = s.BaseStage
			}
			out = append(out, b)
		}
	}
	return out
}

func readBounded(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() || st.Size() > limit {
		return nil, fmt.Errorf("%s: not a regular file of at most %d bytes", p, limit)
	}
	b := make([]byte, st.Size())
	_, err = f.ReadAt(b, 0)
	if err != nil && !strings.Contains(err.Error(), "EOF") {
		return nil, err
	}
	return b, nil
}

// BinaryVulns checks the Go binaries of a binary scan for
// vulnerabilities in binary mode (the symbols linked in, at the module
// versions and Go release recorded in the binary). Names are made
// relative to base as CheckBinaries makes them.
func BinaryVulns(ctx context.Context, scan []binary.Result, base string, environ []string, o DepsOptions) Result {
	var res Result
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	dbURL, err := vulndb.URL(o.DB, environ)
	var meta vulndb.Meta
	if err == nil {
		meta, err = vulndb.ReadMeta(ctx, dbURL, nil)
	}
	for _, r := range scan {
		if r.Err != nil || r.Info == nil {
			continue
		}
		name := binaryName(base, r.Path)
		anchor := finding.Location{File: name}
		if err != nil {
			res.Findings = append(res.Findings, deps.DBUnavailable(err, anchor))
			return res
		}
		if len(res.Subjects) == 0 {
			res.Subjects = append(res.Subjects, DBSubject(meta))
			res.Findings = append(res.Findings, deps.DB(meta, now, anchor)...)
		}
		s, serr := vulnscan.Run(ctx, vulnscan.Options{DB: dbURL, Binary: r.Path, Env: environ})
		if serr != nil {
			res.Findings = append(res.Findings, deps.ScanFailed(serr, anchor))
			continue
		}
		res.Findings = append(res.Findings, deps.Vulns(s, deps.VulnInput{Binary: name})...)
	}
	return res
}

func binaryName(base, p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	if r, err := filepath.Rel(base, abs); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(abs)
}
