package gosrc

import (
	"context"
	"os"
	"os/exec"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/testbin"
)

// depsTree is a program whose crypto/tls and sd_notify come from another
// module only: go-systemd v22.5.0's activation package links crypto/tls,
// its daemon package mentions NOTIFY_SOCKET.
const depsTree = testbin.GoSystemdProgram

// TestProgramReadsOtherModules: the packages of other modules are read
// where go list -deps says they are, fetched through the module proxy
// into an empty module cache; the program is the same as with a warm
// cache. With GOPROXY=off and an empty cache they are named, not read,
// and Unread says why.
func TestProgramReadsOtherModules(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: fetches go-systemd through the module proxy")
	}
	root := unpack(t, depsTree)
	dl := exec.Command("go", "mod", "download")
	dl.Dir = root
	dl.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local")
	if out, err := dl.CombinedOutput(); err != nil {
		t.Skipf("the module proxy cannot be reached (go mod download: %v): %s", err, out)
	}
	load := func(env ...string) *Program {
		r, err := OpenRepo(root, goroot(t))
		if err != nil {
			t.Fatal(err)
		}
		r.Loader = &Loader{Environ: append(os.Environ(), env...)}
		p, err := r.Program(ctx, ".", DefaultTarget, "NOTIFY_SOCKET")
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	warm := load()
	wantDeps := []string{"github.com/coreos/go-systemd/v22/activation", "github.com/coreos/go-systemd/v22/daemon"}
	if !reflect.DeepEqual(warm.Dependencies, wantDeps) || len(warm.External) != 0 || warm.Unread != "" {
		t.Errorf("dependencies %v, external %v, unread %q; want %v read", warm.Dependencies, warm.External, warm.Unread, wantDeps)
	}
	if !warm.Imports("crypto/tls") {
		t.Error("crypto/tls, which go-systemd's activation package imports, is not linked")
	}
	if !slices.Contains(warm.Markers, "github.com/coreos/go-systemd/v22/daemon/sdnotify.go") {
		t.Errorf("markers %v: want go-systemd's daemon/sdnotify.go, named by import path", warm.Markers)
	}

	cold := load("GOMODCACHE=" + testbin.EmptyModCache(t))
	if !reflect.DeepEqual(cold, warm) {
		t.Errorf("empty module cache:\n%+v\nwarm:\n%+v", cold, warm)
	}

	off := load("GOMODCACHE="+testbin.EmptyModCache(t), "GOPROXY=off")
	if !reflect.DeepEqual(off.External, wantDeps) || !strings.Contains(off.Unread, "GOPROXY=off") || len(off.Dependencies) != 0 {
		t.Errorf("offline: external %v, unread %q, dependencies %v", off.External, off.Unread, off.Dependencies)
	}
	if off.Imports("crypto/tls") || len(off.Markers) != 0 {
		t.Errorf("offline: crypto/tls %v, markers %v: nothing of go-systemd can be known", off.Imports("crypto/tls"), off.Markers)
	}
}

// TestLoaderSharedListing: a listing for the program's GOOS/GOARCH is
// taken as it is; one for another platform, or one that does not hold
// an imported package, is replaced by the program's own.
func TestLoaderSharedListing(t *testing.T) {
	root := unpack(t, depsTree)
	shared := &Graph{GOOS: "linux", GOARCH: "amd64", byPath: map[string]*ListedPackage{
		"github.com/coreos/go-systemd/v22/daemon": {ImportPath: "github.com/coreos/go-systemd/v22/daemon", Error: &struct{ Err string }{"from the shared listing"}},
	}}
	asked := 0
	l := &Loader{Environ: append(os.Environ(), "GOPROXY=off", "GOMODCACHE="+t.TempDir()), Shared: func(_ context.Context, dir string) (*Graph, error) {
		asked++
		return shared, nil
	}}
	r, err := OpenRepo(root, goroot(t))
	if err != nil {
		t.Fatal(err)
	}
	r.Loader = l
	p, err := r.Program(ctx, ".", DefaultTarget, "")
	if err != nil {
		t.Fatal(err)
	}
	// activation is not in the shared listing: the program's own
	// listing (offline here) answers for both.
	if asked != 1 || !strings.Contains(p.Unread, "GOPROXY=off") {
		t.Errorf("shared asked %d times, unread %q: want the program's own listing after a miss", asked, p.Unread)
	}
	arm := DefaultTarget
	arm.GOARCH = "arm64"
	g, err := l.Graph(ctx, root, "example.com/svc", arm, false)
	if err == nil && g == shared {
		t.Error("the linux/amd64 listing was taken for linux/arm64")
	}
	if g, err := l.Graph(ctx, root, "example.com/svc", DefaultTarget, false); err != nil || g != shared {
		t.Errorf("the linux/amd64 listing was not taken for linux/amd64: %v", err)
	}
}
