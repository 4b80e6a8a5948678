package audit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/check/deps"
	"github.com/gocompat/gocompat/internal/discover"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/fsread"
	"github.com/gocompat/gocompat/internal/modhealth"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/vulndb"
	"github.com/gocompat/gocompat/internal/vulnscan"
)

func init() { Register(depsStep()) }

// DepsOptions are the deps step's options (gocompat deps, audit, binary).
type DepsOptions struct {
	// DB is the --db value ("" = $GOVULNDB, else the Go database).
	DB string
	// Outdated asks for available updates.
	Outdated bool
	// Online lets the step use the network (the database over https,
	// the module proxy) even when the run as a whole is offline: gocompat
	// deps sets it, as govulncheck uses the network by default. Without
	// it, and without Target.Online (audit --online), an https database
	// is not consulted and the proxy is not asked (GOPROXY=off), with a
	// subject line saying so and no finding.
	Online bool
	// Binaries asks for binary mode on the binaries the binary step
	// reads (gocompat binary --db), instead of the module in Dir.
	Binaries bool
	// Processes asks for binary mode on the executable of each running
	// Go program the proc step reads (gocompat ps --db, audit
	// --processes --db), through <root>/proc/PID/exe: the file the
	// process runs, even when the path now holds another one. With
	// Binaries set too, the module in Dir is not scanned.
	Processes bool
}

// depsStep checks the module in the audited directory: vulnerabilities
// reachable from its code, at the Go release the go command selects for
// it, and the health of its requirements; or, for gocompat binary with a
// database, the vulnerabilities of each Go binary's symbols.
func depsStep() Step {
	return Step{
		Family: "deps",
		Order:  85,
		Needs:  []string{NeedModule},
		Checks: deps.Checks,
		Applies: func(t *Target) bool {
			o := OptionsOf[DepsOptions](t, "deps")
			if o.Processes && OptionsOf[*ProcOptions](t, "proc") != nil {
				return true
			}
			if o.Binaries {
				// gocompat binary --db: only its binaries; gocompat ps
				// without a database: nothing.
				return len(OptionsOf[BinaryOptions](t, "binary").Paths) > 0
			}
			if len(OptionsOf[BinaryOptions](t, "binary").Paths) > 0 {
				return false // gocompat binary without a database
			}
			return fileExists(filepath.Join(t.Dir, "go.mod"))
		},
		Run: func(ctx context.Context, t *Target) (Result, error) {
			o := OptionsOf[DepsOptions](t, "deps")
			procs := o.Processes && OptionsOf[*ProcOptions](t, "proc") != nil
			var res Result
			var err error
			switch {
			case o.Binaries:
				if opt := OptionsOf[BinaryOptions](t, "binary"); len(opt.Paths) > 0 {
					scan := binary.Scan(opt.Paths, binary.ScanOptions{MaxFiles: opt.MaxFiles})
					res = binaryVulns(ctx, scan, t, o)
				}
			case !fileExists(filepath.Join(t.Dir, "go.mod")):
			case !t.goModParses():
				// module/go-mod-invalid says why
			default:
				res, err = runDeps(ctx, t, o)
			}
			if procs {
				processVulns(ctx, t, o, &res)
			}
			return res, err
		},
	}
}

func runDeps(ctx context.Context, t *Target, o DepsOptions) (Result, error) {
	var res Result
	now := t.now()
	offline := !t.Online && !o.Online
	data, err := fsread.ReadFile(filepath.Join(t.Dir, "go.mod"), fsread.SourceLimit)
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
	hin.Builds = append(dockerBuilds(ctx, t), workflowBuilds(t)...)

	env := t.Environ
	if offline {
		env = append(env[:len(env):len(env)], "GOPROXY=off")
	}

	// Vulnerabilities.
	dbURL, err := vulndb.URL(o.DB, t.Environ)
	if err != nil {
		return res, err
	}
	var meta vulndb.Meta
	if offline && !strings.HasPrefix(dbURL, "file://") {
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
	hin.Info, hin.Offline = info, offline
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
// from the build context (the one the dockerfile step takes,
// discover.DockerContext).
func dockerBuilds(ctx context.Context, t *Target) []deps.Build {
	var out []deps.Build
	mods := t.Modules()
	for _, rel := range t.Tree().Files(discover.Dockerfile) {
		f, perr, err := discover.ReadDockerfile(t.Dir, rel)
		if err != nil || perr != nil || f == nil {
			continue // the dockerfile step reports it
		}
		dc, _ := discover.DockerContext(t.Dir, rel, mods.Input(ctx, rel).ModFile, f) // the dockerfile step reports refusals
		ctxDir := filepath.Join(t.Dir, filepath.FromSlash(dc.Dir))
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
				ContextDir: ctxDir,
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

// workflowBuilds are the CI jobs under t.Dir that choose a Go release:
// setup-go's go-version ("1.22", "1.22.x"), whose go may download a newer
// toolchain, and golang:* job images, which set GOTOOLCHAIN=local.
func workflowBuilds(t *Target) []deps.Build {
	var out []deps.Build
	for _, w := range t.Tree().Workflows() {
		f, perr, err := discover.ReadWorkflow(t.Dir, w)
		if err != nil || perr != nil || f == nil {
			continue // the workflow step reports it
		}
		for _, g := range f.GoVersions {
			b := deps.Build{
				Where: finding.Location{File: w.Rel, Line: g.Line, Column: g.Column},
				What:  fmt.Sprintf("CI job %q (%s:%d)", g.Job, w.Rel, g.Line),
			}
			switch g.Source {
			case "setup-go":
				v := strings.TrimSuffix(g.Value, ".x")
				if facts.NormalizeGo(v) == "" || g.Float {
					continue // stable, a file, or a number YAML mangles (the workflow step says so)
				}
				b.Go = v
			case "image":
				img, ok := facts.ParseGolangImage(g.Value)
				if !ok || img.GoVersion == "" {
					continue
				}
				b.Go, b.Local = img.GoVersion, img.GOTOOLCHAIN == "local"
			default:
				continue
			}
			out = append(out, b)
		}
	}
	return out
}

// binaryVulns checks the Go binaries of a binary scan for
// vulnerabilities in binary mode (the symbols linked in, at the module
// versions and Go release recorded in the binary). Names are made
// relative to t.Dir as the binary step makes them.
func binaryVulns(ctx context.Context, scan []binary.Result, t *Target, o DepsOptions) Result {
	var res Result
	base, environ, now := t.Dir, t.Environ, t.now()
	dbURL, err := vulndb.URL(o.DB, environ)
	var meta vulndb.Meta
	if err == nil {
		meta, err = vulndb.ReadMeta(ctx, dbURL, nil)
	}
	for _, r := range scan {
		if r.Err != nil || r.Info == nil {
			continue
		}
		name := relTo(base, r.Path)
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

// processVulns checks the executable of each running Go program for
// vulnerabilities in binary mode, as binaryVulns does a file, through
// /proc/PID/exe under the host root. Processes that run one file are
// scanned once. Findings are
// anchored to each process.
func processVulns(ctx context.Context, t *Target, o DepsOptions, res *Result) {
	pr, err := t.Processes()
	if err != nil || pr == nil || len(pr.Processes) == 0 {
		return // the proc step reports why
	}
	anchor := finding.Location{Object: "processes"}
	dbURL, err := vulndb.URL(o.DB, t.Environ)
	if err != nil {
		res.Findings = append(res.Findings, deps.DBUnavailable(err, anchor))
		return
	}
	haveDB := false
	for _, s := range res.Subjects {
		haveDB = haveDB || s.Kind == "vulndb"
	}
	if !t.Online && !o.Online && !strings.HasPrefix(dbURL, "file://") {
		if !haveDB {
			res.Subjects = append(res.Subjects, report.Subject{Kind: "vulndb", Name: dbURL + " not consulted: offline (use --online, or --db file://DIR)"})
		}
		return
	}
	if !haveDB {
		meta, err := vulndb.ReadMeta(ctx, dbURL, nil)
		if err != nil {
			res.Findings = append(res.Findings, deps.DBUnavailable(err, anchor))
			return
		}
		res.Subjects = append(res.Subjects, DBSubject(meta))
		res.Findings = append(res.Findings, deps.DB(meta, t.now(), anchor)...)
	}
	root := filepath.Clean(t.HostRoot)
	type scannedFile struct {
		fi  os.FileInfo
		res *vulnscan.Result
	}
	var scanned []scannedFile
	for _, p := range pr.Processes {
		if p.Binary == nil {
			continue
		}
		in := deps.VulnInput{Binary: p.Exe, PID: p.PID}
		exe := filepath.Join(root, "proc", strconv.Itoa(p.PID), "exe")
		fi, err := os.Stat(exe)
		if err != nil {
			continue // the process ended since the proc step read it
		}
		var s *vulnscan.Result
		for _, sf := range scanned {
			if os.SameFile(sf.fi, fi) {
				s = sf.res
			}
		}
		if s == nil {
			s, err = vulnscan.Run(ctx, vulnscan.Options{DB: dbURL, Binary: exe, Env: t.Environ})
			if err != nil {
				res.Findings = append(res.Findings, deps.ScanFailed(err, in.Where()))
				continue
			}
			scanned = append(scanned, scannedFile{fi, s})
		}
		res.Findings = append(res.Findings, deps.Vulns(s, in)...)
	}
}
