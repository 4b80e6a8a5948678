package discover

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gocompat/gocompat/internal/check/deploy"
	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/dockerfile"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/fsread"
	"github.com/gocompat/gocompat/internal/gosrc"
	"github.com/gocompat/gocompat/internal/unit"
	"github.com/gocompat/gocompat/internal/workflow"
)

// Modules reads, once per run, the tree's Go source for the deployment
// checks: its modules and, on demand, the programs that Dockerfiles build
// and units run (gosrc.Repo: the tree and the standard library read with
// go/build, the packages of other modules where `go list -deps` says they
// are, fetched through GOPROXY when the module cache lacks them, so that
// a cold and a warm cache give the same report), and the installed
// toolchain's GODEBUG names. The steps of a run share one; it is safe for
// concurrent use.
type Modules struct {
	Root    string
	Environ []string
	Now     time.Time
	// Loader finds the packages of other modules for the programs
	// (NewModules makes one over Environ; a run sets its Shared listing
	// before the first Input); nil leaves them unread.
	Loader *gosrc.Loader

	mu       sync.Mutex
	reported map[string]bool

	repoOnce sync.Once
	repo     *gosrc.Repo

	godebugsOnce sync.Once
	goroot       string
	godebugs     []string
	removed      map[string]string
}

// NewModules returns the per-run module reader for the tree at root.
func NewModules(root string, environ []string, now time.Time) *Modules {
	return &Modules{Root: root, Environ: environ, Now: now, reported: map[string]bool{}, Loader: &gosrc.Loader{Environ: environ}}
}

func (m *Modules) loadGodebugs(ctx context.Context) ([]string, map[string]string) {
	m.godebugsOnce.Do(func() {
		m.goroot = GoEnvGOROOT(ctx, m.Environ)
		tbl, _ := facts.Godebugs(m.goroot)
		m.godebugs, _ = facts.GodebugNames(tbl, m.goroot)
		m.removed = tbl.RemovedIn()
	})
	return m.godebugs, m.removed
}

// Repo opens the tree's Go modules once (nil if the tree cannot be read).
func (m *Modules) Repo(ctx context.Context) *gosrc.Repo {
	m.loadGodebugs(ctx)
	m.repoOnce.Do(func() {
		m.repo, _ = gosrc.OpenRepo(m.Root, m.goroot)
		if m.repo != nil {
			m.repo.Loader = m.Loader
		}
	})
	return m.repo
}

// Input is what the deployment checks know about the file at rel besides
// the file itself: the repository's Go source, the module the file
// belongs to (the nearest go.mod at or above it), the toolchain's GODEBUG
// names, the date.
func (m *Modules) Input(ctx context.Context, rel string) *deploy.Input {
	godebugs, removed := m.loadGodebugs(ctx)
	root := m.Root
	in := &deploy.Input{
		Godebugs:        godebugs,
		GodebugsRemoved: removed,
		Now:             m.Now,
		Context:         ctx,
		Exists: func(p string) bool {
			_, err := os.Stat(filepath.Join(root, filepath.FromSlash(p)))
			return err == nil
		},
	}
	if r := m.Repo(ctx); r != nil {
		in.Repo = r
		if mod := r.ModuleAt(path.Dir(rel)); mod != nil && mod.Mod != nil {
			in.Module, in.ModFile = mod, mod.GoMod()
		}
	}
	return in
}

// ModuleError is a module that could not be read.
type ModuleError struct {
	Dir string // relative to the root
	Err error
}

// NewErrors returns the go.mod files that could not be read and were not
// returned by an earlier call: the deployment steps share a Modules, and
// each error is said once.
func (m *Modules) NewErrors() []ModuleError {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.repo == nil {
		return nil
	}
	var out []ModuleError
	for _, mod := range m.repo.Modules {
		if mod.Err == nil || m.reported[mod.Dir] {
			continue
		}
		m.reported[mod.Dir] = true
		out = append(out, ModuleError{Dir: mod.Dir, Err: mod.Err})
	}
	return out
}

// GoEnvGOROOT asks the go command on PATH for its GOROOT, never switching
// toolchains; "" if it cannot say.
func GoEnvGOROOT(ctx context.Context, environ []string) string {
	cmd := exec.CommandContext(ctx, "go", "env", "GOROOT")
	childproc.OwnGroup(cmd)
	cmd.Env = append(append([]string(nil), environ...), "GOTOOLCHAIN=local")
	cmd.Dir = os.TempDir()
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// ReadDockerfile reads and parses the Dockerfile at rel under root. A
// read error is returned as err (an fsread refusal for a file that is not
// regular, too large or linked from outside root); a syntax error as
// parseErr.
func ReadDockerfile(root, rel string) (f *dockerfile.File, parseErr, err error) {
	data, err := fsread.ReadFileIn(root, rel, fsread.ConfigLimit)
	if err != nil {
		return nil, nil, err
	}
	f, parseErr = dockerfile.Parse(rel, data, nil)
	return f, parseErr, nil
}

// DockerContext guesses the build context of the Dockerfile at rel (f,
// parsed; nil when it did not parse): the first of the module's root (if
// the Dockerfile lies in a module; modFile is its go.mod), the
// Dockerfile's directory and the tree's root that holds every file the
// Dockerfile copies from its context by a literal path — etcd v3.5.9's
// tests/functional/Dockerfile, in the tests module, ADDs
// ./tests/functional/functional.yaml, which only the repository's root
// holds (its Makefile builds it with -f from there); when none holds
// them all, the one that holds the most, the first on a tie. It also
// says whether .git is in that context (present and not excluded by a
// .dockerignore). A .dockerignore it refused to read (see fsread) is
// returned in refused.
func DockerContext(root, rel, modFile string, f *dockerfile.File) (dc deploy.DockerContext, refused []error) {
	ctxDir := contextOf(root, rel, modFile, f)
	abs := filepath.Join(root, filepath.FromSlash(ctxDir))
	st, err := os.Stat(filepath.Join(abs, ".git"))
	if err != nil || !st.IsDir() {
		return deploy.DockerContext{Dir: ctxDir}, nil
	}
	for _, ig := range []string{path.Join(ctxDir, ".dockerignore"), rel + ".dockerignore"} {
		data, err := fsread.ReadFileIn(root, ig, fsread.ConfigLimit)
		if errors.Is(err, fsread.ErrRefused) {
			refused = append(refused, err)
		}
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(data), "\n") {
			switch strings.TrimSpace(l) {
			case ".git", ".git/", "/.git", "**/.git", ".git/**", "*", "**", ".*":
				return deploy.DockerContext{Dir: ctxDir}, refused
			}
		}
	}
	return deploy.DockerContext{HasGit: true, Dir: ctxDir}, refused
}

// contextOf is DockerContext's choice of directory.
func contextOf(root, rel, modFile string, f *dockerfile.File) string {
	var cands []string
	if modFile != "" {
		cands = append(cands, path.Dir(modFile))
	}
	for _, c := range []string{path.Dir(rel), "."} {
		if !slices.Contains(cands, c) {
			cands = append(cands, c)
		}
	}
	var sources []string
	if f != nil {
		for _, st := range f.Stages {
			for _, c := range st.Copies {
				if c.From != "" || c.FromStage >= 0 {
					continue
				}
				for _, src := range c.Sources {
					if src == "" || strings.ContainsAny(src, "*?[$") || strings.Contains(src, "://") || path.IsAbs(src) {
						continue
					}
					if src = path.Clean(src); src != "." && !strings.HasPrefix(src, "..") {
						sources = append(sources, src)
					}
				}
			}
		}
	}
	best, bestN := cands[0], -1
	for _, c := range cands {
		n := 0
		for _, src := range sources {
			if _, err := os.Lstat(filepath.Join(root, filepath.FromSlash(path.Join(c, src)))); err == nil {
				n++
			}
		}
		if n == len(sources) {
			return c
		}
		if n > bestN {
			best, bestN = c, n
		}
	}
	return best
}

// LoadUnit loads the systemd unit at rel under root with its drop-ins
// and environment files, each read as fsread reads a file of the tree:
// the unit's own refusal is err, those of the files it draws in are in
// the unit's Refused.
func LoadUnit(root, rel string) (*unit.Unit, error) {
	fsys := fsread.DirFS{Root: root, Limit: fsread.ConfigLimit}
	return unit.Load(fsys, rel, unit.LoadOptions{EnvRoot: fsys, Sibling: true})
}

// UnitContext is what the systemd checks know about a unit besides its
// text: the ExecStart binary read under hostRoot, and the messages of
// systemd-analyze verify when analyze (its path) is set, each run bounded
// by timeout (unit.VerifyTimeout if zero).
func UnitContext(ctx context.Context, root, rel, hostRoot, analyze string, timeout time.Duration, u *unit.Unit) deploy.UnitContext {
	uc := deploy.UnitContext{File: rel}
	if bin, notGo := ExecBinary(hostRoot, u); bin != nil {
		uc.Binary = bin
	} else {
		uc.NotGo = notGo
	}
	if analyze != "" {
		abs := filepath.Join(root, filepath.FromSlash(rel))
		if timeout <= 0 {
			timeout = unit.VerifyTimeout
		}
		msgs, err := unit.Verify(ctx, analyze, abs, timeout)
		switch {
		case err == nil:
			for i := range msgs {
				msgs[i].File = relTo(root, msgs[i].File, u.Name)
			}
			uc.Verify = msgs
		case errors.Is(err, unit.ErrVerifyTimeout):
			uc.VerifyTimedOut = timeout
		}
	}
	return uc
}

// relTo maps a file named in systemd-analyze output to the root.
func relTo(root, file, unitName string) string {
	if file == "" || file == unitName {
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

// ExecBinary reads the unit's ExecStart program under hostRoot, if it is
// there: a Go binary gives its build info; anything else sets notGo.
func ExecBinary(hostRoot string, u *unit.Unit) (bin *gosrc.Binary, notGo bool) {
	o, ok := u.Value("Service", "ExecStart")
	if !ok || hostRoot == "" {
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
	p := filepath.Join(hostRoot, prog)
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

// WorkflowFile is a CI file found by the walk, with its kind
// (workflow.GitHub or workflow.GitLab).
type WorkflowFile struct{ Rel, Kind string }

// Workflows lists the tree's CI files: GitHub Actions, then GitLab.
func (t *Tree) Workflows() []WorkflowFile {
	var out []WorkflowFile
	for _, r := range t.Files(Workflow) {
		out = append(out, WorkflowFile{r, workflow.GitHub})
	}
	for _, r := range t.Files(GitLab) {
		out = append(out, WorkflowFile{r, workflow.GitLab})
	}
	return out
}

// ReadWorkflow reads and parses a CI file. A read error is err; a syntax
// error is parseErr.
func ReadWorkflow(root string, w WorkflowFile) (f *workflow.File, parseErr, err error) {
	data, err := fsread.ReadFileIn(root, w.Rel, fsread.ConfigLimit)
	if err != nil {
		return nil, nil, err
	}
	f, parseErr = workflow.Parse(w.Rel, w.Kind, data)
	return f, parseErr, nil
}
