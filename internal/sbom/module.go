package sbom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/semver"

	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/fsread"
	"github.com/gocompat/gocompat/internal/module"
)

// ModuleOptions say what to compile a module's inventory for.
type ModuleOptions struct {
	// Dir is the module's directory (it holds go.mod).
	Dir string
	// Patterns are the packages the program is built from; "./..." when
	// empty.
	Patterns []string
	// GOOS, GOARCH and Tags select the files compiled, as for go build;
	// empty means the go command's defaults.
	GOOS, GOARCH string
	Tags         []string
	// Environ is the environment go list runs with (the process's when
	// nil); module.GoEnv pins GOTOOLCHAIN=local, GOWORK=off and clears
	// GOFLAGS on top of it.
	Environ []string
}

// maxGoSum bounds the go.sum read: the largest real ones are a few MiB.
const maxGoSum = 64 << 20

type listModule struct {
	Path    string
	Version string
	Main    bool
	Dir     string
	Replace *listModule
}

type listPackage struct {
	ImportPath string
	Standard   bool
	Module     *listModule
	Imports    []string
	Error      *struct{ Err string }
}

// FromModule lists the packages compiled for opt's platform with
// `go list -deps` and returns their modules, the standard library and the
// module graph. It runs the go command on PATH and, when the module is in
// a git repository, git for the revision and its time.
func FromModule(ctx context.Context, opt ModuleOptions) (*Inventory, error) {
	env := opt.Environ
	if env == nil {
		env = os.Environ()
	}
	var set []string
	if opt.GOOS != "" {
		set = append(set, "GOOS="+opt.GOOS)
	}
	if opt.GOARCH != "" {
		set = append(set, "GOARCH="+opt.GOARCH)
	}
	env = module.GoEnv(env, set...)

	var goenv struct{ GOVERSION, GOOS, GOARCH, CGO_ENABLED, GOAMD64, GOARM64, GOARM string }
	out, err := runGo(ctx, opt.Dir, env, "env", "-json", "GOVERSION", "GOOS", "GOARCH", "CGO_ENABLED", "GOAMD64", "GOARM64", "GOARM")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(out, &goenv); err != nil {
		return nil, fmt.Errorf("go env -json: %v", err)
	}

	args := []string{"list", "-deps", "-e", "-json=ImportPath,Standard,Module,Imports,Error"}
	if len(opt.Tags) > 0 {
		args = append(args, "-tags="+strings.Join(opt.Tags, ","))
	}
	patterns := opt.Patterns
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	args = append(args, patterns...)
	out, err = runGo(ctx, opt.Dir, env, args...)
	if err != nil {
		return nil, err
	}
	var pkgs []listPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list -deps in %s: %v", opt.Dir, err)
		}
		if p.Error != nil {
			return nil, fmt.Errorf("go list -deps in %s: %s: %s", opt.Dir, p.ImportPath, p.Error.Err)
		}
		pkgs = append(pkgs, p)
	}

	sums := map[string]string{}
	if data, err := fsread.ReadFile(filepath.Join(opt.Dir, "go.sum"), maxGoSum); err == nil {
		if sums, err = ParseGoSum(filepath.Join(opt.Dir, "go.sum"), data); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}

	inv := &Inventory{Kind: "module", Deps: map[string][]string{}}
	std := Component{Path: StdPath, Version: StdVersion(goenv.GOVERSION), Std: true}
	comps := map[string]Component{}
	refOf := map[string]string{} // import path → component ref
	for _, p := range pkgs {
		switch {
		case p.Standard:
			refOf[p.ImportPath] = std.Ref()
			comps[std.Ref()] = std
		case p.Module != nil && p.Module.Main:
			if inv.Main.Path == "" {
				inv.Main = Component{Path: p.Module.Path}
			}
			refOf[p.ImportPath] = inv.Main.Ref()
		case p.Module != nil:
			c := Component{Path: p.Module.Path, Version: p.Module.Version}
			c.Sum = sums[c.Path+"@"+c.Version]
			if r := p.Module.Replace; r != nil {
				rc := Component{Path: r.Path, Version: r.Version}
				if r.Version != "" {
					rc.Sum = sums[r.Path+"@"+r.Version]
				}
				c.Replace = &rc
				c.Sum = rc.Sum
			}
			refOf[p.ImportPath] = c.Ref()
			comps[c.Ref()] = c
		}
	}
	if inv.Main.Path == "" {
		return nil, fmt.Errorf("go list -deps in %s: no package of the main module matched %s", opt.Dir, strings.Join(patterns, " "))
	}
	// The main module's ref is fixed before its version is known; the
	// version from git is added afterwards, so rename in the graph then.
	mainRef := inv.Main.Ref()
	for _, p := range pkgs {
		from, ok := refOf[p.ImportPath]
		if !ok || from == std.Ref() {
			continue // the standard library's inner graph is not modules'
		}
		for _, imp := range p.Imports {
			if to, ok := refOf[imp]; ok && to != from {
				inv.Deps[from] = append(inv.Deps[from], to)
			}
		}
		if _, ok := inv.Deps[from]; !ok {
			inv.Deps[from] = nil
		}
	}
	for _, c := range comps {
		inv.Components = append(inv.Components, c)
	}
	inv.Name = inv.Main.Path

	inv.Settings = append(inv.Settings, Setting{"GOOS", goenv.GOOS}, Setting{"GOARCH", goenv.GOARCH}, Setting{"CGO_ENABLED", goenv.CGO_ENABLED})
	switch goenv.GOARCH {
	case "amd64":
		inv.Settings = append(inv.Settings, Setting{"GOAMD64", goenv.GOAMD64})
	case "arm64":
		inv.Settings = append(inv.Settings, Setting{"GOARM64", goenv.GOARM64})
	case "arm":
		inv.Settings = append(inv.Settings, Setting{"GOARM", goenv.GOARM})
	}
	if len(opt.Tags) > 0 {
		inv.Settings = append(inv.Settings, Setting{"-tags", strings.Join(opt.Tags, ",")})
	}
	if vcs := gitState(ctx, opt.Dir); vcs != nil {
		inv.Settings = append(inv.Settings, Setting{"vcs", "git"}, Setting{"vcs.revision", vcs.revision},
			Setting{"vcs.time", vcs.time.Format(time.RFC3339)}, Setting{"vcs.modified", fmt.Sprint(vcs.modified)})
		inv.Created = vcs.time
		if !vcs.modified {
			inv.Main.Version = vcs.tag(inv.Main.Path, opt.Dir)
		}
	}
	if newRef := inv.Main.Ref(); newRef != mainRef {
		inv.Deps[newRef] = inv.Deps[mainRef]
		delete(inv.Deps, mainRef)
	}
	inv.finish()
	return inv, nil
}

func runGo(ctx context.Context, dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir, cmd.Env = dir, env
	out, stderr, err := childproc.Output(ctx, cmd)
	if err != nil {
		msg := string(bytes.TrimSpace(stderr))
		if len(msg) > 2000 {
			msg = msg[:2000] + "…"
		}
		return nil, fmt.Errorf("go %s in %s: %v: %s", args[0], dir, err, msg)
	}
	return out, nil
}

type gitInfo struct {
	revision string
	time     time.Time
	modified bool
	tags     []string
}

// gitState is the HEAD commit of the repository dir is in, as go build
// would stamp it; nil when dir is not in a git work tree or git is absent.
func gitState(ctx context.Context, dir string) *gitInfo {
	// GIT_OPTIONAL_LOCKS=0: git status must not refresh the user's index.
	git := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
		childproc.OwnGroup(cmd)
		cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0")
		return cmd.Output()
	}
	out, err := git("log", "-1", "--format=%H %ct")
	if err != nil {
		return nil
	}
	f := strings.Fields(string(out))
	if len(f) != 2 {
		return nil
	}
	var sec int64
	if _, err := fmt.Sscan(f[1], &sec); err != nil {
		return nil
	}
	g := &gitInfo{revision: f[0], time: time.Unix(sec, 0).UTC()}
	if st, err := git("status", "--porcelain", "--", "."); err == nil {
		g.modified = len(bytes.TrimSpace(st)) > 0
	}
	if tags, err := git("tag", "--points-at", "HEAD"); err == nil {
		g.tags = strings.Fields(string(tags))
	}
	return g
}

// tag is the highest semantic-version tag at HEAD for the module, as the
// go command picks a main module's version from VCS tags (Go 1.24):
// "v1.2.3" for a module at the repository root, "sub/v1.2.3" for one in
// directory sub; "" when there is none. Major-version suffixes (/v2) must
// agree with the tag's major version.
func (g *gitInfo) tag(modPath, dir string) string {
	prefix := ""
	cmd := exec.Command("git", "-C", dir, "rev-parse", "--show-prefix")
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0")
	if top, err := cmd.Output(); err == nil {
		prefix = strings.TrimSpace(string(top))
	}
	var best string
	for _, t := range g.tags {
		v, ok := strings.CutPrefix(t, prefix)
		if !ok || !semver.IsValid(v) || semver.Build(v) != "" {
			continue
		}
		if !majorMatches(modPath, v) {
			continue
		}
		if best == "" || semver.Compare(v, best) > 0 {
			best = v
		}
	}
	return best
}

func majorMatches(modPath, v string) bool {
	major := semver.Major(v)
	i := strings.LastIndex(modPath, "/")
	suffix := modPath[i+1:]
	if strings.HasPrefix(suffix, "v") && len(suffix) > 1 && strings.Trim(suffix[1:], "0123456789") == "" && suffix != "v0" && suffix != "v1" {
		return major == suffix
	}
	return major == "v0" || major == "v1" || strings.HasSuffix(v, "+incompatible")
}
