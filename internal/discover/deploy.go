package discover

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gocompat/gocompat/internal/check/deploy"
	"github.com/gocompat/gocompat/internal/dockerfile"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/gosrc"
	"github.com/gocompat/gocompat/internal/unit"
	"github.com/gocompat/gocompat/internal/workflow"
)

// MaxConfigFile bounds the size of a deployment file (Dockerfile,
// workflow, .dockerignore) read from the user's tree.
const MaxConfigFile = 4 << 20

// ReadFile reads a regular file of at most limit bytes; anything else is
// an error naming the file.
func ReadFile(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", p)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", p, limit)
	}
	return data, nil
}

// Modules loads, once per module directory and run, the Go module a
// deployment file belongs to (go list is not cheap), and the installed
// toolchain's GODEBUG names once per run. It is safe for use by one
// goroutine at a time per call; the steps of a run share one.
type Modules struct {
	Root    string
	Environ []string
	Now     time.Time

	mu       sync.Mutex
	modules  map[string]*gosrc.Module // module dir (rel) -> module, nil if unreadable
	errs     map[string]error
	reported map[string]bool

	godebugsOnce sync.Once
	godebugs     []string
	removed      map[string]string
}

// NewModules returns the per-run module cache for the tree at root.
func NewModules(root string, environ []string, now time.Time) *Modules {
	return &Modules{Root: root, Environ: environ, Now: now, modules: map[string]*gosrc.Module{}, errs: map[string]error{}, reported: map[string]bool{}}
}

func (m *Modules) loadGodebugs(ctx context.Context) ([]string, map[string]string) {
	m.godebugsOnce.Do(func() {
		goroot := GoEnvGOROOT(ctx, m.Environ)
		tbl, _ := facts.Godebugs(goroot)
		m.godebugs, _ = facts.GodebugNames(tbl, goroot)
		m.removed = tbl.RemovedIn()
	})
	return m.godebugs, m.removed
}

// moduleFor finds the nearest go.mod at or above the file's directory,
// within the root.
func (m *Modules) moduleFor(ctx context.Context, rel string) (*gosrc.Module, string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d := path.Dir(rel)
	for {
		gm := path.Join(d, "go.mod")
		if st, err := os.Stat(filepath.Join(m.Root, filepath.FromSlash(gm))); err == nil && st.Mode().IsRegular() {
			if mod, ok := m.modules[d]; ok {
				return mod, gm
			}
			mod, err := gosrc.Load(ctx, filepath.Join(m.Root, filepath.FromSlash(d)), gosrc.Options{Environ: m.Environ, Marker: facts.SdNotifyMarker})
			if err != nil {
				m.errs[d] = err
				mod = nil
			}
			m.modules[d] = mod
			return mod, gm
		}
		if d == "." || d == "/" || d == "" {
			return nil, ""
		}
		d = path.Dir(d)
	}
}

// Input is what the deployment checks know about the file at rel besides
// the file itself: its module, the toolchain's GODEBUG names, the date.
func (m *Modules) Input(ctx context.Context, rel string) *deploy.Input {
	mod, gm := m.moduleFor(ctx, rel)
	godebugs, removed := m.loadGodebugs(ctx)
	root := m.Root
	return &deploy.Input{
		Godebugs:        godebugs,
		GodebugsRemoved: removed,
		Module:          mod,
		ModFile:         gm,
		Now:             m.Now,
		Exists: func(p string) bool {
			_, err := os.Stat(filepath.Join(root, filepath.FromSlash(p)))
			return err == nil
		},
	}
}

// ModuleError is a module that could not be read.
type ModuleError struct {
	Dir string // relative to the root
	Err error
}

// NewErrors returns the modules that could not be read and were not
// returned by an earlier call: the deployment steps share a Modules, and
// each error is said once.
func (m *Modules) NewErrors() []ModuleError {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []ModuleError
	for _, d := range sortedKeys(m.errs) {
		if m.reported[d] {
			continue
		}
		m.reported[d] = true
		out = append(out, ModuleError{Dir: d, Err: m.errs[d]})
	}
	return out
}

// GoEnvGOROOT asks the go command on PATH for its GOROOT, never switching
// toolchains; "" if it cannot say.
func GoEnvGOROOT(ctx context.Context, environ []string) string {
	cmd := exec.CommandContext(ctx, "go", "env", "GOROOT")
	cmd.Env = append(append([]string(nil), environ...), "GOTOOLCHAIN=local")
	cmd.Dir = os.TempDir()
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// ReadDockerfile reads and parses the Dockerfile at rel under root. A
// read error is returned as err; a syntax error as parseErr.
func ReadDockerfile(root, rel string) (f *dockerfile.File, parseErr, err error) {
	data, err := ReadFile(filepath.Join(root, filepath.FromSlash(rel)), MaxConfigFile)
	if err != nil {
		return nil, nil, err
	}
	f, parseErr = dockerfile.Parse(rel, data, nil)
	return f, parseErr, nil
}

// DockerContext guesses the build context of the Dockerfile at rel: the
// module's root if the Dockerfile lies in the module (modFile is its
// go.mod), else the Dockerfile's directory; and whether .git is in it
// (present and not excluded by a .dockerignore).
func DockerContext(root, rel, modFile string) deploy.DockerContext {
	ctxDir := path.Dir(rel)
	if modFile != "" {
		ctxDir = path.Dir(modFile)
	}
	abs := filepath.Join(root, filepath.FromSlash(ctxDir))
	st, err := os.Stat(filepath.Join(abs, ".git"))
	if err != nil || !st.IsDir() {
		return deploy.DockerContext{}
	}
	for _, ig := range []string{filepath.Join(abs, ".dockerignore"), filepath.Join(root, filepath.FromSlash(rel)) + ".dockerignore"} {
		data, err := ReadFile(ig, MaxConfigFile)
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(data), "\n") {
			switch strings.TrimSpace(l) {
			case ".git", ".git/", "/.git", "**/.git", ".git/**", "*", "**", ".*":
				return deploy.DockerContext{}
			}
		}
	}
	return deploy.DockerContext{HasGit: true}
}

// LoadUnit loads the systemd unit at rel under root with its drop-ins.
func LoadUnit(root, rel string) (*unit.Unit, error) {
	fsys := os.DirFS(root)
	return unit.Load(fsys, rel, unit.LoadOptions{EnvRoot: fsys, Sibling: true})
}

// UnitContext is what the systemd checks know about a unit besides its
// text: the ExecStart binary read under hostRoot, and the messages of
// systemd-analyze verify when analyze (its path) is set.
func UnitContext(ctx context.Context, root, rel, hostRoot, analyze string, u *unit.Unit) deploy.UnitContext {
	uc := deploy.UnitContext{File: rel}
	if bin, notGo := ExecBinary(hostRoot, u); bin != nil {
		uc.Binary = bin
	} else {
		uc.NotGo = notGo
	}
	if analyze != "" {
		abs := filepath.Join(root, filepath.FromSlash(rel))
		if msgs, err := unit.Verify(ctx, analyze, abs); err == nil {
			for i := range msgs {
				msgs[i].File = relTo(root, msgs[i].File, u.Name)
			}
			uc.Verify = msgs
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
	data, err := ReadFile(filepath.Join(root, filepath.FromSlash(w.Rel)), MaxConfigFile)
	if err != nil {
		return nil, nil, err
	}
	f, parseErr = workflow.Parse(w.Rel, w.Kind, data)
	return f, parseErr, nil
}
