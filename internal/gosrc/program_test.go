package gosrc

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// repoTree has two modules joined by a replace directive (as etcd's root
// module and server/), a package whose cgo file is for windows only, one
// with a cgo file for linux, an external import, a generated package that
// is not checked in, a vendored copy and a marker in the other module.
const repoTree = `
-- go.mod --
module example.com/app/v3

go 1.22

require (
	example.com/app/server/v3 v3.0.0
	github.com/ext/lib v1.0.0
)

replace example.com/app/server/v3 => ./server
-- main.go --
package main

import (
	"example.com/app/server/v3/run"
	"example.com/app/v3/winonly"
)

func main() { run.Main(); winonly.F() }
-- winonly/a_windows.go --
package winonly

// #include <windows.h>
import "C"

func F() {}
-- winonly/a_other.go --
//go:build !windows

package winonly

func F() {}
-- cgolinux/main.go --
package main

import "example.com/app/v3/cgolinux/sys"

func main() { sys.F() }
-- cgolinux/sys/sys_linux.go --
package sys

import "C"

func F() {}
-- gen/main.go --
package main

import "example.com/app/v3/gen/pb"

func main() { pb.F() }
-- server/go.mod --
module example.com/app/server/v3

go 1.22

require github.com/ext/lib v1.0.0
-- server/run/run.go --
package run

import (
	"net/http"
	"os"
	"time"

	"github.com/ext/lib"
)

func Main() {
	_ = os.Getenv("NOTIFY_SOCKET")
	_, _ = time.LoadLocation("Europe/Paris")
	lib.F()
	_, _ = http.Get("https://example.com/")
}
-- vend/go.mod --
module example.com/vend

go 1.22

require github.com/ext/lib v1.0.0
-- vend/main.go --
package main

import "github.com/ext/lib"

func main() { lib.F() }
-- vend/vendor/modules.txt --
# github.com/ext/lib v1.0.0
## explicit
github.com/ext/lib
-- vend/vendor/github.com/ext/lib/lib.go --
package lib

import "os/user"

func F() { _, _ = user.Current() }
`

func goroot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skipf("no go command to locate the standard library: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func TestProgram(t *testing.T) {
	root := unpack(t, repoTree)
	r, err := OpenRepo(root, goroot(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(r.Modules); got != 3 {
		t.Fatalf("modules: got %d, want 3", got)
	}
	linux := DefaultTarget
	linux.Cgo = true

	p, err := r.Program(ctx, ".", linux, "NOTIFY_SOCKET")
	if err != nil {
		t.Fatal(err)
	}
	// The server module's code is read through the replace directive.
	if !reflect.DeepEqual(p.Markers, []string{"server/run/run.go"}) {
		t.Errorf("markers: got %v", p.Markers)
	}
	if len(p.LoadLocation) != 1 || p.LoadLocation[0].File != "server/run/run.go" {
		t.Errorf("LoadLocation: got %v", p.LoadLocation)
	}
	if !p.Imports("crypto/x509") || !p.Imports("net/http") {
		t.Error("the standard library's closure is missing crypto/x509 or net/http")
	}
	if !reflect.DeepEqual(p.External, []string{"github.com/ext/lib"}) {
		t.Errorf("external: got %v", p.External)
	}
	// winonly's cgo file is for windows: not cgo for linux.
	if len(p.Cgo) != 0 || !reflect.DeepEqual(p.CgoOtherTargets, []string{"example.com/app/v3/winonly"}) {
		t.Errorf("cgo: got %v, other targets %v", p.Cgo, p.CgoOtherTargets)
	}
	win := linux
	win.GOOS = "windows"
	if pw, err := r.Program(ctx, ".", win, ""); err != nil || !reflect.DeepEqual(pw.Cgo, []string{"example.com/app/v3/winonly"}) {
		t.Errorf("windows cgo: %v, %v", pw, err)
	}

	c, err := r.Program(ctx, "cgolinux", linux, "")
	if err != nil || !reflect.DeepEqual(c.Cgo, []string{"example.com/app/v3/cgolinux/sys"}) {
		t.Fatalf("cgolinux: %+v, %v", c, err)
	}
	// Without cgo, the package has no files left: the build would fail.
	off, err := r.Program(ctx, "cgolinux", DefaultTarget, "")
	if err != nil || !reflect.DeepEqual(off.Missing, []string{"example.com/app/v3/cgolinux/sys"}) {
		t.Errorf("cgo off: missing %v, %v", off.Missing, err)
	}

	g, err := r.Program(ctx, "gen", DefaultTarget, "")
	if err != nil || !reflect.DeepEqual(g.Missing, []string{"example.com/app/v3/gen/pb"}) {
		t.Errorf("generated package not checked in: %+v, %v", g, err)
	}

	v, err := r.Program(ctx, "vend", DefaultTarget, "")
	if err != nil || len(v.External) != 0 || !v.Imports("os/user") {
		t.Errorf("vendored: %+v, %v", v, err)
	}

	if got := r.MainPackages("app", DefaultTarget); !reflect.DeepEqual(got, []string{"."}) {
		t.Errorf("MainPackages(app): %v", got)
	}
	if got := BinaryName("example.com/app/server/v3"); got != "server" {
		t.Errorf("BinaryName: %q", got)
	}
}

// BenchmarkProgram compares loading the program of gocompat's own main
// package (a fresh Repo each time: walk, go.mod files, import closure over
// the repository and the standard library) with the peer a user would
// run for the same answer, `go list -deps ./cmd/gocompat` (warm build
// and module caches). Run both in one go test -bench run and read the
// ratio.
func BenchmarkProgram(b *testing.B) {
	root, err := filepath.Abs("../..")
	if err != nil {
		b.Fatal(err)
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Skip(err)
	}
	gr := strings.TrimSpace(string(out))
	b.Run("gosrc.Program", func(b *testing.B) {
		for b.Loop() {
			r, err := OpenRepo(root, gr)
			if err != nil {
				b.Fatal(err)
			}
			stdCache = sync.Map{} // cold: nothing read before
			if _, err := r.Program(ctx, "cmd/gocompat", DefaultTarget, "NOTIFY_SOCKET"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("go-list-deps", func(b *testing.B) {
		for b.Loop() {
			cmd := exec.Command("go", "list", "-deps", "./cmd/gocompat")
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "GOFLAGS=", "GOTOOLCHAIN=local")
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%v\n%s", err, out)
			}
		}
	})
}

var ctx = context.Background()
