package audit

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"

	"github.com/gocompat/gocompat/internal/check/loopvar"
	"github.com/gocompat/gocompat/internal/gosrc"
)

// sharedWork is the expensive work that several steps of a run need the
// same result of, done once per run: the loopvar analysis of a module's
// packages (go vet with the loopvar analyzer, which has the go command
// load and type-check every package and compile the export data of
// every dependency), which the loopvar step reports and the upgrade
// step summarises; and the package graph of a module (go list -deps
// -test ./...), which the upgrade step reads for what the module links
// and the deployment steps for where their programs' dependencies are.
// Steps run in parallel; without this, both would compile (or list) the
// same packages at the same time on a cold build cache.
type sharedWork struct {
	mu      sync.Mutex
	ctx     context.Context // the run's; nil outside Run
	loopvar map[string]*call[*loopvar.Result]
	deps    map[string]*call[*gosrc.Graph]
	// listing is set when a step of the run lists the modules' packages
	// anyway (upgrade, for the GODEBUG changes): the deployment steps
	// then take that listing instead of making their own.
	listing bool
}

// call is one piece of shared work: done is closed once v and err are
// set.
type call[T any] struct {
	done chan struct{}
	v    T
	err  error
}

// setShared starts a run's shared work under ctx for the steps that run
// (see Run).
func (t *Target) setShared(ctx context.Context, steps []Step) {
	t.shared.mu.Lock()
	defer t.shared.mu.Unlock()
	t.shared.ctx = ctx
	t.shared.loopvar = nil
	t.shared.deps = nil
	t.shared.listing = slices.ContainsFunc(steps, func(s Step) bool { return s.Family == "upgrade" })
}

// errNoListing: no step of the run lists the module's packages, so a
// program is cheaper to list on its own (go list -deps of one package,
// without the module's tests and their dependencies).
var errNoListing = errors.New("no step of the run lists the module's packages")

// programDeps is gosrc.Loader.Shared for the deployment steps: the run's
// listing of the module in dir (Deps) when a step of the run makes it
// anyway, else errNoListing, and the Loader lists the program alone.
func (t *Target) programDeps(ctx context.Context, dir string) (*gosrc.Graph, error) {
	t.shared.mu.Lock()
	listing := t.shared.listing
	t.shared.mu.Unlock()
	if !listing {
		return nil, errNoListing
	}
	return t.Deps(ctx, dir)
}

// Deps is the package graph of the module in dir as the go command lists
// it for this host's build configuration (GOOS, GOARCH, CGO_ENABLED of go
// env): `go list -e -deps -test ./...` with the user's GOPROXY (modules
// the cache lacks are fetched, as go build would), once per run and dir
// whichever step asks first. The upgrade step reads what the module's
// build links from it; in a run that has the upgrade step, the
// deployment steps find there the packages of other modules that a
// program built for the same GOOS/GOARCH imports (programDeps), instead
// of a go list of their own. Like
// Loopvar, the work runs under the run's context; ctx bounds only this
// caller's wait.
func (t *Target) Deps(ctx context.Context, dir string) (*gosrc.Graph, error) {
	return shared(ctx, t, &t.shared.deps, filepath.Clean(dir), func(ctx context.Context) (*gosrc.Graph, error) {
		host, err := gosrc.HostTarget(ctx, t.Environ)
		if err != nil {
			return nil, err
		}
		return gosrc.ListDeps(ctx, dir, t.Environ, host, true, "./...")
	})
}

// Loopvar is the loopvar analysis of every package of the module in dir
// (./..., tests included), done once per run and dir whichever step asks
// first. The work runs under the run's context, so a step that gives up
// waiting (its own timeout) does not cancel it for another; ctx bounds
// only this caller's wait.
func (t *Target) Loopvar(ctx context.Context, dir string) (*loopvar.Result, error) {
	return shared(ctx, t, &t.shared.loopvar, filepath.Clean(dir), func(ctx context.Context) (*loopvar.Result, error) {
		return loopvar.Analyze(ctx, t.VetTool, dir, nil)
	})
}

// shared runs f once per key in m, under the run's context (or ctx, for
// a Target used outside Run), and waits for its result or for ctx.
func shared[T any](ctx context.Context, t *Target, m *map[string]*call[T], key string, f func(context.Context) (T, error)) (T, error) {
	t.shared.mu.Lock()
	base := t.shared.ctx
	if base == nil {
		t.shared.mu.Unlock()
		return f(ctx)
	}
	if *m == nil {
		*m = map[string]*call[T]{}
	}
	c, ok := (*m)[key]
	if !ok {
		c = &call[T]{done: make(chan struct{})}
		(*m)[key] = c
		go func() {
			defer close(c.done)
			defer func() {
				if r := recover(); r != nil {
					c.err = fmt.Errorf("internal error: %v (please report this with the command you ran)", r)
				}
			}()
			c.v, c.err = f(base)
		}()
	}
	t.shared.mu.Unlock()
	select {
	case <-c.done:
		return c.v, c.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
