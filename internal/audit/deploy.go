package audit

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/gocompat/gocompat/internal/check/deploy"
	"github.com/gocompat/gocompat/internal/dockerfile"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/fsread"
	"github.com/gocompat/gocompat/internal/gosrc"
	"github.com/gocompat/gocompat/internal/parseerr"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/unit"
	"github.com/gocompat/gocompat/internal/workflow"
)

// DeployFiles are the deployment files found under a directory, as
// slash-separated paths relative to it.
type DeployFiles struct {
	Dockerfiles []string
	Units       []string
	Workflows   []string // GitHub Actions
	GitLab      []string // .gitlab-ci.yml
}

// Discovery bounds: a walk stops after this many entries or this depth.
const (
	discoverMaxEntries = 50000
	discoverMaxDepth   = 12
)

// skipDir says which directories discovery does not enter: those the
// binary walk skips, and hidden ones other than .github.
func skipDir(name string) bool {
	return skipDirs[name] || strings.HasPrefix(name, ".") && name != ".github"
}

// isDockerfile recognises Dockerfile, Containerfile, *.Dockerfile,
// *.containerfile and Dockerfile.<variant> (Dockerfile.prod), but not a
// source or document named after them (dockerfile.go, Dockerfile.md).
func isDockerfile(name string) bool {
	l := strings.ToLower(name)
	if l == "dockerfile" || l == "containerfile" || strings.HasSuffix(l, ".dockerfile") || strings.HasSuffix(l, ".containerfile") {
		return true
	}
	for _, p := range []string{"Dockerfile.", "Containerfile."} {
		if strings.HasPrefix(name, p) {
			switch path.Ext(l) {
			case ".go", ".md", ".txt", ".json", ".yml", ".yaml", ".sh", ".py", ".dockerignore", ".golden", ".txtar", ".orig", ".bak", ".swp", ".tmpl", ".tpl", ".j2":
				return false
			}
			return true
		}
	}
	return false
}

// DiscoverDeploy walks dir (bounded; skipping vendor, node_modules,
// testdata and hidden directories other than .github) for Dockerfiles,
// systemd service units and CI workflow files.
func DiscoverDeploy(dir string) DeployFiles {
	var df DeployFiles
	n := 0
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		n++
		if n > discoverMaxEntries {
			return filepath.SkipAll
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if p != dir && (skipDir(d.Name()) || strings.Count(rel, "/") >= discoverMaxDepth) {
				return filepath.SkipDir
			}
			return nil
		}
		// Links, pipes and devices with a matching name are listed too:
		// reading them through fsread refuses, with a finding, what is
		// not a regular file inside the tree, so none is skipped unsaid.
		name := d.Name()
		switch {
		case isDockerfile(name):
			df.Dockerfiles = append(df.Dockerfiles, rel)
		case strings.HasSuffix(name, ".service") && !strings.Contains(path.Dir(rel), ".service.d"):
			df.Units = append(df.Units, rel)
		case path.Dir(rel) == ".github/workflows" && (strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml")):
			df.Workflows = append(df.Workflows, rel)
		case rel == ".gitlab-ci.yml":
			df.GitLab = append(df.GitLab, rel)
		}
		return nil
	})
	return df
}

// deployEnv loads, once per directory and run, the module a deployment
// file belongs to (go list is not cheap), and the toolchain's GODEBUG
// names once per run.
type deployEnv struct {
	t       *Target
	now     func() time.Time
	modules map[string]*gosrc.Module // module dir (rel) -> module, nil if unreadable
	errs    map[string]error
	// reported are the module dirs whose error a step has reported.
	reported map[string]bool

	godebugsLoaded bool
	godebugs       []string
	removed        map[string]string
}

// loadGodebugs reads the GODEBUG names of the toolchain on PATH, once.
func (e *deployEnv) loadGodebugs(ctx context.Context) ([]string, map[string]string) {
	if !e.godebugsLoaded {
		goroot := goEnvGOROOT(ctx, e.t)
		tbl, _ := facts.Godebugs(goroot)
		e.godebugs, _ = facts.GodebugNames(tbl, goroot)
		e.removed = tbl.RemovedIn()
		e.godebugsLoaded = true
	}
	return e.godebugs, e.removed
}

func newDeployEnv(t *Target, now func() time.Time) *deployEnv {
	if now == nil {
		now = time.Now
	}
	return &deployEnv{t: t, now: now, modules: map[string]*gosrc.Module{}, errs: map[string]error{}, reported: map[string]bool{}}
}

// moduleFor finds the nearest go.mod at or above the file's directory,
// within the audited directory.
func (e *deployEnv) moduleFor(ctx context.Context, rel string) (*gosrc.Module, string) {
	d := path.Dir(rel)
	for {
		gm := path.Join(d, "go.mod")
		if st, err := os.Stat(filepath.Join(e.t.Dir, filepath.FromSlash(gm))); err == nil && st.Mode().IsRegular() {
			if m, ok := e.modules[d]; ok {
				return m, gm
			}
			m, err := gosrc.Load(ctx, filepath.Join(e.t.Dir, filepath.FromSlash(d)), gosrc.Options{Environ: e.t.Environ, Marker: facts.SdNotifyMarker})
			if err != nil {
				e.errs[d] = err
				m = nil
			}
			e.modules[d] = m
			return m, gm
		}
		if d == "." || d == "/" || d == "" {
			return nil, ""
		}
		d = path.Dir(d)
	}
}

func (e *deployEnv) input(ctx context.Context, rel string) *deploy.Input {
	m, gm := e.moduleFor(ctx, rel)
	dir := e.t.Dir
	godebugs, removed := e.loadGodebugs(ctx)
	return &deploy.Input{
		Godebugs:        godebugs,
		GodebugsRemoved: removed,
		Module:          m,
		ModFile:         gm,
		Now:             e.now(),
		Exists: func(p string) bool {
			_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p)))
			return err == nil
		},
	}
}

// moduleErrors reports the modules that could not be read and are not
// reported yet: the steps share the env, and each error is said once.
func (e *deployEnv) moduleErrors() []finding.Finding {
	var out []finding.Finding
	for _, d := range sortedErrKeys(e.errs) {
		if e.reported[d] {
			continue
		}
		e.reported[d] = true
		fd := finding.New(StepFailed, finding.Location{File: path.Join(d, "go.mod")},
			fmt.Sprintf("The module could not be read, so deployment checks ran without it: %v", e.errs[d]),
			"Fix go.mod; the checks that need the module's go line and imports then run too.")
		fd.Severity = finding.Warning
		out = append(out, fd)
	}
	return out
}

func sortedErrKeys(m map[string]error) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func subject(kind, rel string, attrs map[string]string) report.Subject {
	return report.Subject{Kind: kind, Name: rel, Path: rel, Attributes: attrs}
}

// deployRun is what the deployment steps of one run share: the files
// found under the target (one walk, not two per step) and the deployEnv
// (each module loaded once, not once per step).
type deployRun struct {
	opt   DeployOptions
	t     *Target
	files DeployFiles
	env   *deployEnv
}

// of returns the shared state for t, discovering on first use.
func (r *deployRun) of(t *Target) *deployRun {
	if r.t != t {
		r.t, r.files, r.env = t, DiscoverDeploy(t.Dir), newDeployEnv(t, r.opt.Now)
	}
	return r
}

// dockerfileStep checks Dockerfiles and Containerfiles.
func dockerfileStep(r *deployRun) Step {
	return Step{
		Family:  "dockerfile",
		Applies: func(t *Target) bool { return len(r.of(t).files.Dockerfiles) > 0 },
		Run: func(ctx context.Context, t *Target) (Result, error) {
			var res Result
			env := r.of(t).env
			for _, rel := range r.files.Dockerfiles {
				data, err := fsread.ReadFileIn(t.Dir, rel, fsread.ConfigLimit)
				if errors.Is(err, fsread.ErrRefused) {
					res.Findings = append(res.Findings, refused(rel, err))
					continue
				}
				if err != nil {
					return res, err
				}
				f, err := dockerfile.Parse(rel, data, nil)
				if err != nil {
					res.Findings = append(res.Findings, parseFinding(deploy.DockerfileParseError, rel, err,
						"Fix the syntax; `docker build` rejects the file too."))
					continue
				}
				in := env.input(ctx, rel)
				dc, refusals := dockerContext(t.Dir, rel, in.ModFile)
				res.Findings = append(res.Findings, refusals...)
				res.Findings = append(res.Findings, deploy.Dockerfile(in, f, rel, dc)...)
				fin := f.Final()
				res.Subjects = append(res.Subjects, subject("dockerfile", rel, map[string]string{
					"stages": fmt.Sprint(len(f.Stages)), "final": fin.Base,
				}))
			}
			res.Findings = append(res.Findings, env.moduleErrors()...)
			return res, nil
		},
	}
}

// parseFinding reports a deployment file that does not parse, on the
// line the parser blames (see parseerr).
func parseFinding(c finding.Check, rel string, err error, fix string) finding.Finding {
	return finding.New(c, finding.Location{File: rel, Line: parseerr.Line(err)}, err.Error(), fix)
}

// dockerContext guesses the build context: the module's root if the
// Dockerfile lies in the module, else the Dockerfile's directory. A
// .dockerignore it refuses to read is a finding.
func dockerContext(root, rel, modFile string) (dc deploy.DockerContext, refusals []finding.Finding) {
	ctxDir := path.Dir(rel)
	if modFile != "" {
		ctxDir = path.Dir(modFile)
	}
	abs := filepath.Join(root, filepath.FromSlash(ctxDir))
	st, err := os.Stat(filepath.Join(abs, ".git"))
	if err != nil || !st.IsDir() {
		return deploy.DockerContext{}, nil
	}
	for _, ig := range []string{path.Join(ctxDir, ".dockerignore"), rel + ".dockerignore"} {
		data, err := fsread.ReadFileIn(root, ig, fsread.ConfigLimit)
		if errors.Is(err, fsread.ErrRefused) {
			refusals = append(refusals, refused(ig, err))
		}
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(data), "\n") {
			switch strings.TrimSpace(l) {
			case ".git", ".git/", "/.git", "**/.git", ".git/**", "*", "**", ".*":
				return deploy.DockerContext{}, refusals
			}
		}
	}
	return deploy.DockerContext{HasGit: true}, refusals
}

// systemdStep checks systemd service units (with their drop-ins).
func systemdStep(r *deployRun) Step {
	return Step{
		Family:  "systemd",
		Applies: func(t *Target) bool { return len(r.of(t).files.Units) > 0 },
		Run: func(ctx context.Context, t *Target) (Result, error) {
			var res Result
			env := r.of(t).env
			fsys := fsread.DirFS{Root: t.Dir, Limit: fsread.ConfigLimit}
			analyze := ""
			if r.opt.LookPath != nil {
				analyze, _ = r.opt.LookPath("systemd-analyze")
			}
			for _, rel := range r.files.Units {
				u, err := unit.Load(fsys, rel, unit.LoadOptions{EnvRoot: fsys, Sibling: true})
				if errors.Is(err, fsread.ErrRefused) {
					res.Findings = append(res.Findings, refused(rel, err))
					continue
				}
				if err != nil {
					res.Findings = append(res.Findings, parseFinding(deploy.SystemdParseError, rel, err,
						"Fix the syntax; systemd ignores what it cannot parse."))
					continue
				}
				for _, err := range u.Refused {
					res.Findings = append(res.Findings, refused(refusedPath(err, rel), err))
				}
				in := env.input(ctx, rel)
				uc := deploy.UnitContext{File: rel}
				if bin, notGo := execBinary(t, u); bin != nil {
					uc.Binary = bin
				} else {
					uc.NotGo = notGo
				}
				if analyze != "" {
					abs := filepath.Join(t.Dir, filepath.FromSlash(rel))
					if msgs, err := unit.Verify(ctx, analyze, abs, r.opt.verifyTimeout()); err == nil {
						for i := range msgs {
							msgs[i].File = relTo(t.Dir, msgs[i].File, u.Name)
						}
						uc.Verify = msgs
					} else if errors.Is(err, unit.ErrVerifyTimeout) {
						res.Findings = append(res.Findings, finding.New(deploy.SystemdAnalyzeTimeout, finding.Location{File: rel},
							fmt.Sprintf("systemd-analyze verify ran longer than %s on this unit and was stopped, so its messages are missing.", r.opt.verifyTimeout()),
							"Run `systemd-analyze verify` on the unit yourself to see why it is slow; a unit that large is usually generated by mistake."))
					}
				}
				res.Findings = append(res.Findings, deploy.Unit(in, u, uc)...)
				attrs := map[string]string{"dropIns": fmt.Sprint(len(u.DropIns))}
				if uc.Binary != nil {
					attrs["binary"] = uc.Binary.File
					attrs["binaryGo"] = uc.Binary.GoVersion
				}
				res.Subjects = append(res.Subjects, subject("systemd-unit", rel, attrs))
			}
			res.Findings = append(res.Findings, env.moduleErrors()...)
			return res, nil
		},
	}
}

// relTo maps a file named in systemd-analyze output to the audit root.
func relTo(root, file, unitName string) string {
	if file == "" {
		return ""
	}
	if file == unitName {
		return ""
	}
	if filepath.IsAbs(file) {
		if r, err := filepath.Rel(root, file); err == nil && !strings.HasPrefix(r, "..") {
			return filepath.ToSlash(r)
		}
		return ""
	}
	return file
}

// execBinary reads the ExecStart program from the host root, if it is
// there: a Go binary gives its build info; anything else sets notGo.
func execBinary(t *Target, u *unit.Unit) (bin *gosrc.Binary, notGo bool) {
	o, ok := u.Value("Service", "ExecStart")
	if !ok || t.HostRoot == "" {
		return nil, false
	}
	words := unit.SplitQuoted(o.Value)
	if len(words) == 0 {
		return nil, false
	}
	prog := strings.TrimLeft(words[0], "@-:+!")
	if !filepath.IsAbs(prog) {
		return nil, false
	}
	p := filepath.Join(t.HostRoot, prog)
	st, err := os.Stat(p)
	if err != nil || !st.Mode().IsRegular() {
		return nil, false
	}
	b, err := gosrc.ReadBinary(p, facts.SdNotifyMarker)
	if err != nil {
		return nil, true
	}
	return b, false
}

func goEnvGOROOT(ctx context.Context, t *Target) string {
	cmd := exec.CommandContext(ctx, "go", "env", "GOROOT")
	cmd.Env = append(append([]string(nil), t.Environ...), "GOTOOLCHAIN=local")
	cmd.Dir = os.TempDir()
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// workflowStep checks GitHub Actions and GitLab CI files.
func workflowStep(r *deployRun) Step {
	return Step{
		Family: "workflow",
		Applies: func(t *Target) bool {
			df := r.of(t).files
			return len(df.Workflows)+len(df.GitLab) > 0
		},
		Run: func(ctx context.Context, t *Target) (Result, error) {
			var res Result
			env := r.of(t).env
			df := r.files
			type wf struct{ rel, kind string }
			var files []wf
			for _, r := range df.Workflows {
				files = append(files, wf{r, workflow.GitHub})
			}
			for _, r := range df.GitLab {
				files = append(files, wf{r, workflow.GitLab})
			}
			for _, w := range files {
				data, err := fsread.ReadFileIn(t.Dir, w.rel, fsread.ConfigLimit)
				if errors.Is(err, fsread.ErrRefused) {
					res.Findings = append(res.Findings, refused(w.rel, err))
					continue
				}
				if err != nil {
					return res, err
				}
				f, err := workflow.Parse(w.rel, w.kind, data)
				if err != nil {
					res.Findings = append(res.Findings, parseFinding(deploy.WorkflowParseError, w.rel, err,
						"Fix the YAML; the CI service rejects the file too."))
					continue
				}
				// Workflows live outside the module's tree; the module is
				// the one at the audited directory's root.
				in := env.input(ctx, "go.mod")
				res.Findings = append(res.Findings, deploy.Workflow(in, f, w.rel)...)
				res.Subjects = append(res.Subjects, subject("workflow", w.rel, map[string]string{
					"kind": w.kind, "goVersions": fmt.Sprint(len(f.GoVersions)),
				}))
			}
			res.Findings = append(res.Findings, env.moduleErrors()...)
			return res, nil
		},
	}
}

// DeployOptions are the seams of the deployment steps.
type DeployOptions struct {
	// Now is the clock for end-of-support decisions (time.Now if nil).
	Now func() time.Time
	// LookPath finds systemd-analyze; nil skips `systemd-analyze verify`.
	LookPath func(string) (string, error)
	// VerifyTimeout bounds each `systemd-analyze verify` run
	// (unit.VerifyTimeout if zero).
	VerifyTimeout time.Duration
}

func (o DeployOptions) verifyTimeout() time.Duration {
	if o.VerifyTimeout > 0 {
		return o.VerifyTimeout
	}
	return unit.VerifyTimeout
}

// DeploySteps are the deployment families (dockerfile, systemd,
// workflow), as `gocompat deploy` and `gocompat audit` run them.
func DeploySteps() []Step { return DeployStepsWith(DeployOptions{LookPath: exec.LookPath}) }

// DeployStepsWith returns the deployment steps with the given seams. The
// steps share what they discover and load, so use them for one run.
func DeployStepsWith(opt DeployOptions) []Step {
	r := &deployRun{opt: opt}
	return []Step{dockerfileStep(r), systemdStep(r), workflowStep(r)}
}
