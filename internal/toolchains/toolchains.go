// Package toolchains gives gocompat any released Go toolchain, taken the
// way the go command takes one: the installed go command is run with
// GOTOOLCHAIN=go1.X.Y, which downloads the golang.org/toolchain module
// through the configured GOPROXY into the module cache and verifies it
// against the checksum database (go.dev/doc/toolchain, "Downloading
// toolchains"). gocompat never fetches a toolchain from anywhere else and
// never unpacks one itself: what it runs is what the go command would run.
//
// Everything a check takes from "the toolchain" (its GODEBUG table, its
// vet, its compiler) is then read from the GOROOT this package returns,
// and the go command of that GOROOT is run with GOTOOLCHAIN=local so that
// it cannot switch again.
//
// Choosing a patch release: "1.N" means the installed toolchain when it is
// a 1.N release (no download), else the newest 1.N.P the proxy lists for
// this GOOS-GOARCH (go list -m -versions golang.org/toolchain). Offline,
// the newest 1.N.P already in the module cache is used, and the caller is
// told so (Resolution.How).
package toolchains

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/version"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/module"
)

// Module is the module path the go command downloads toolchains as.
const Module = "golang.org/toolchain"

// Toolchain is one Go release on this machine.
type Toolchain struct {
	// Version is the release, "go1.27.4".
	Version string
	// GOROOT is its root directory.
	GOROOT string
	// Go is the path of its go command.
	Go string
	// Installed is true for the toolchain on PATH.
	Installed bool
}

// Lang is the language version of the release, "1.27".
func (t Toolchain) Lang() string { return strings.TrimPrefix(version.Lang(t.Version), "go") }

// Env is the environment to run t.Go with: environ with GOTOOLCHAIN=local
// (never switch again), GOROOT pointing at t, GOWORK=off and the user's
// GOFLAGS cleared (module.GoEnv), then set on top.
func (t Toolchain) Env(environ []string, set ...string) []string {
	return module.GoEnv(environ, append([]string{"GOROOT=" + t.GOROOT}, set...)...)
}

// Source finds and fetches toolchains. Its methods are safe for
// concurrent use; each release is fetched at most once per Source.
type Source struct {
	// Environ is the user's environment: GOPROXY, GOSUMDB, GOMODCACHE,
	// GONOSUMDB … are honoured as the go command honours them.
	Environ []string
	// Progress receives progress lines (downloads); nil for none. The
	// caller passes stderr only when it is a terminal.
	Progress io.Writer
	// GoCmd is the installed go command; empty means "go" on PATH.
	GoCmd string

	mu        sync.Mutex
	inst      *installed
	instErr   error
	listed    []string
	listErr   error
	listDone  bool
	fetches   map[string]*fetch
	progressM sync.Mutex
}

type installed struct {
	tc           Toolchain
	goos, goarch string
	modcache     string
	goproxy      string
}

type fetch struct {
	done chan struct{}
	tc   Toolchain
	err  error
}

func (s *Source) goCmd() string {
	if s.GoCmd != "" {
		return s.GoCmd
	}
	return "go"
}

func (s *Source) progressf(format string, args ...any) {
	if s.Progress == nil {
		return
	}
	s.progressM.Lock()
	defer s.progressM.Unlock()
	fmt.Fprintf(s.Progress, "gocompat: "+format+"\n", args...)
}

// run runs the installed go command in a scratch directory.
func (s *Source) run(ctx context.Context, env []string, args ...string) ([]byte, []byte, error) {
	dir, err := os.MkdirTemp("", "gocompat-toolchain-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	cmd := exec.CommandContext(ctx, s.goCmd(), args...)
	cmd.Dir, cmd.Env = dir, env
	return childproc.Output(ctx, cmd) // a download that is cancelled stops whole
}

func (s *Source) installed(ctx context.Context) (*installed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inst != nil || s.instErr != nil {
		return s.inst, s.instErr
	}
	out, stderr, err := s.run(ctx, module.GoEnv(s.Environ), "env", "-json", "GOVERSION", "GOROOT", "GOHOSTOS", "GOHOSTARCH", "GOMODCACHE", "GOPROXY")
	if err != nil {
		s.instErr = fmt.Errorf("go env: %v: %s", err, firstLine(stderr))
		return nil, s.instErr
	}
	var env map[string]string
	if err := json.Unmarshal(out, &env); err != nil {
		s.instErr = fmt.Errorf("go env -json: %v", err)
		return nil, s.instErr
	}
	root := env["GOROOT"]
	s.inst = &installed{
		tc:   Toolchain{Version: releaseOf(env["GOVERSION"]), GOROOT: root, Go: filepath.Join(root, "bin", "go"), Installed: true},
		goos: env["GOHOSTOS"], goarch: env["GOHOSTARCH"], modcache: env["GOMODCACHE"], goproxy: env["GOPROXY"],
	}
	return s.inst, nil
}

// releaseOf cuts a GOVERSION such as "go1.26.8 X:nodwarf5" to the release.
func releaseOf(v string) string {
	f, _, _ := strings.Cut(strings.TrimSpace(v), " ")
	return f
}

// Installed is the toolchain on PATH, as the go command reports it with
// GOTOOLCHAIN=local.
func (s *Source) Installed(ctx context.Context) (Toolchain, error) {
	in, err := s.installed(ctx)
	if err != nil {
		return Toolchain{}, err
	}
	return in.tc, nil
}

// Listed returns the releases (no betas or release candidates) the proxy
// lists for this machine's GOOS-GOARCH, oldest first.
func (s *Source) Listed(ctx context.Context) ([]string, error) {
	in, err := s.installed(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listDone {
		return s.listed, s.listErr
	}
	s.listDone = true
	out, stderr, err := s.run(ctx, module.GoEnv(s.Environ), "list", "-m", "-versions", "-json", Module)
	if err != nil {
		s.listErr = fmt.Errorf("go list -m -versions %s (GOPROXY=%s): %s", Module, in.goproxy, firstLine(stderr))
		return nil, s.listErr
	}
	var m struct{ Versions []string }
	if err := json.Unmarshal(out, &m); err != nil {
		s.listErr = fmt.Errorf("go list -m -versions %s: %v", Module, err)
		return nil, s.listErr
	}
	s.listed = ParseVersions(m.Versions, in.goos, in.goarch)
	return s.listed, nil
}

// ParseVersions turns golang.org/toolchain module versions
// ("v0.0.1-go1.27.4.linux-amd64") into the releases for goos-goarch
// ("go1.27.4"), releases only, oldest first, each once.
func ParseVersions(mods []string, goos, goarch string) []string {
	suffix := "." + goos + "-" + goarch
	seen := map[string]bool{}
	var out []string
	for _, v := range mods {
		rest, ok := strings.CutPrefix(v, "v0.0.1-")
		if !ok {
			continue
		}
		rel, ok := strings.CutSuffix(rest, suffix)
		if !ok || !isRelease(rel) || seen[rel] {
			continue
		}
		seen[rel] = true
		out = append(out, rel)
	}
	sort.Slice(out, func(i, j int) bool { return version.Compare(out[i], out[j]) < 0 })
	return out
}

// isRelease reports whether v is go1.N.P (or go1.N for releases before
// Go 1.21, which had no .0), not a beta or release candidate.
func isRelease(v string) bool {
	if !version.IsValid(v) {
		return false
	}
	rest := strings.TrimPrefix(v, "go")
	return strings.Trim(rest, "0123456789.") == ""
}

// cached lists the releases for this GOOS-GOARCH whose module is already
// unpacked in the module cache, oldest first.
func (s *Source) cached(in *installed) []string {
	if in.modcache == "" {
		return nil
	}
	ents, err := os.ReadDir(filepath.Join(in.modcache, "golang.org"))
	if err != nil {
		return nil
	}
	var mods []string
	for _, e := range ents {
		if v, ok := strings.CutPrefix(e.Name(), "toolchain@"); ok {
			mods = append(mods, v)
		}
	}
	return ParseVersions(mods, in.goos, in.goarch)
}

// Resolution is how a requested version was turned into a release.
type Resolution struct {
	// Release is the chosen release, "go1.27.4".
	Release string
	// How says where the choice came from: "installed", "proxy list",
	// "module cache (the proxy could not be asked: …)" or "as given".
	How string
}

// Resolve turns "1.N", "go1.N" or "1.N.P" into a release: 1.N.P as
// given; 1.N as the installed toolchain when it is a 1.N release, else the
// newest 1.N.P the proxy lists, else (offline) the newest one in the
// module cache.
func (s *Source) Resolve(ctx context.Context, spec string) (Resolution, error) {
	v := strings.TrimSpace(spec)
	if !strings.HasPrefix(v, "go") {
		v = "go" + v
	}
	if !version.IsValid(v) || !strings.HasPrefix(v, "go1.") {
		return Resolution{}, fmt.Errorf("%q is not a Go version (want 1.N or 1.N.P)", spec)
	}
	lang := version.Lang(v)
	if v != lang {
		if !isRelease(v) {
			return Resolution{}, fmt.Errorf("%q is not a release (betas and release candidates are not taken)", spec)
		}
		return Resolution{Release: v, How: "as given"}, nil
	}
	in, err := s.installed(ctx)
	if err != nil {
		return Resolution{}, err
	}
	if version.Lang(in.tc.Version) == lang {
		return Resolution{Release: in.tc.Version, How: "installed"}, nil
	}
	listed, listErr := s.Listed(ctx)
	if listErr == nil {
		if r := newestOf(listed, lang); r != "" {
			return Resolution{Release: r, How: "proxy list"}, nil
		}
		newest := ""
		if len(listed) > 0 {
			newest = "; the newest it lists is " + listed[len(listed)-1]
		}
		return Resolution{}, fmt.Errorf("%w: the module proxy lists no %s release of Go for %s-%s%s", ErrNoSuchRelease, lang, in.goos, in.goarch, newest)
	}
	if r := newestOf(s.cached(in), lang); r != "" {
		return Resolution{Release: r, How: "module cache (the proxy could not be asked: " + listErr.Error() + ")"}, nil
	}
	return Resolution{}, fmt.Errorf("cannot tell the newest %s release: %v; and no %s release is in the module cache", lang, listErr, lang)
}

// newestOf is the newest release of language version lang in rels.
func newestOf(rels []string, lang string) string {
	best := ""
	for _, r := range rels {
		if version.Lang(r) == lang && (best == "" || version.Compare(r, best) > 0) {
			best = r
		}
	}
	return best
}

// ErrNoSuchRelease is returned when the proxy answers and lists no
// release of the requested version: not a network problem, a wrong
// version.
var ErrNoSuchRelease = errors.New("no such Go release")

// ErrUnavailable wraps the reason a toolchain could not be had.
var ErrUnavailable = errors.New("toolchain unavailable")

// Get returns the toolchain of release rel ("go1.27.4"): the installed
// one, one already in the module cache, or one the go command downloads
// now (GOTOOLCHAIN=rel go env GOROOT). A failure wraps ErrUnavailable and
// says what could not be fetched and through which GOPROXY.
func (s *Source) Get(ctx context.Context, rel string) (Toolchain, error) {
	in, err := s.installed(ctx)
	if err != nil {
		return Toolchain{}, err
	}
	if rel == in.tc.Version {
		return in.tc, nil
	}
	if !isRelease(rel) {
		return Toolchain{}, fmt.Errorf("%q is not a Go release (want go1.N.P)", rel)
	}
	s.mu.Lock()
	if s.fetches == nil {
		s.fetches = map[string]*fetch{}
	}
	f, ok := s.fetches[rel]
	if !ok {
		f = &fetch{done: make(chan struct{})}
		s.fetches[rel] = f
	}
	s.mu.Unlock()
	if ok {
		select {
		case <-f.done:
			return f.tc, f.err
		case <-ctx.Done():
			return Toolchain{}, ctx.Err()
		}
	}
	f.tc, f.err = s.get(ctx, in, rel)
	close(f.done)
	return f.tc, f.err
}

func (s *Source) get(ctx context.Context, in *installed, rel string) (Toolchain, error) {
	modVer := "v0.0.1-" + rel + "." + in.goos + "-" + in.goarch
	if in.modcache != "" {
		root := filepath.Join(in.modcache, "golang.org", "toolchain@"+modVer)
		if tc, ok := check(root, rel); ok {
			return tc, nil
		}
	}
	s.progressf("downloading %s (%s-%s) through GOPROXY=%s as module %s@%s", rel, in.goos, in.goarch, in.goproxy, Module, modVer)
	stop := s.watch(in, modVer, rel)
	start := time.Now()
	env := module.GoEnv(s.Environ, "GOTOOLCHAIN="+rel)
	out, stderr, err := s.run(ctx, env, "env", "GOROOT")
	stop()
	if err != nil {
		if ctx.Err() != nil {
			return Toolchain{}, ctx.Err()
		}
		return Toolchain{}, fmt.Errorf("%w: cannot fetch %s through GOPROXY=%s (GOTOOLCHAIN=%s go env GOROOT: %s)", ErrUnavailable, rel, in.goproxy, rel, firstLine(stderr))
	}
	root := strings.TrimSpace(string(out))
	tc, ok := check(root, rel)
	if !ok {
		return Toolchain{}, fmt.Errorf("%w: GOTOOLCHAIN=%s go env GOROOT gave %q, which holds no %s go command", ErrUnavailable, rel, root, rel)
	}
	s.progressf("%s ready in %s (%s)", rel, time.Since(start).Round(100*time.Millisecond), root)
	return tc, nil
}

// check returns the toolchain at root if its VERSION file names rel and
// it has a go command.
func check(root, rel string) (Toolchain, bool) {
	b, err := os.ReadFile(filepath.Join(root, "VERSION"))
	if err != nil {
		return Toolchain{}, false
	}
	first, _, _ := strings.Cut(string(b), "\n")
	if strings.TrimSpace(first) != rel {
		return Toolchain{}, false
	}
	goBin := filepath.Join(root, "bin", "go")
	if st, err := os.Stat(goBin); err != nil || !st.Mode().IsRegular() {
		return Toolchain{}, false
	}
	return Toolchain{Version: rel, GOROOT: root, Go: goBin}, true
}

// watch prints the size of the partial download once a second until
// stop is called. The go command writes the zip beside its final name in
// the module cache's download directory, so its size is the progress.
func (s *Source) watch(in *installed, modVer, rel string) (stop func()) {
	if s.Progress == nil || in.modcache == "" {
		return func() {}
	}
	dir := filepath.Join(in.modcache, "cache", "download", "golang.org", "toolchain", "@v")
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		last := int64(-1)
		unpacking := false
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			if _, err := os.Stat(filepath.Join(dir, modVer+".zip")); err == nil {
				if !unpacking {
					s.progressf("%s downloaded, unpacking into the module cache", rel)
					unpacking = true
				}
				continue
			}
			var n int64
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if strings.HasPrefix(e.Name(), modVer+".zip") {
					if info, err := e.Info(); err == nil {
						n += info.Size()
					}
				}
			}
			if n != last && n > 0 {
				s.progressf("downloading %s: %.1f MB", rel, float64(n)/1e6)
				last = n
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func firstLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	lines := strings.Split(s, "\n")
	// The go command's own "go: downloading …" line says nothing about
	// the failure; the last line does.
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l
		}
	}
	return "no output"
}
