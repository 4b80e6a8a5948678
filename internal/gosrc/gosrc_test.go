package gosrc

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/tools/txtar"
)

func unpack(t *testing.T, archive string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const service = `
-- go.mod --
module example.com/svc

go 1.24.0

toolchain go1.25.3

godebug asynctimerchan=1
-- main.go --
package main

import (
	"net/http"
	"os/user"
	tm "time"
)

func main() {
	loc, _ := tm.LoadLocation("Europe/Berlin")
	_ = loc
	_, _ = user.Current()
	_ = http.ListenAndServe(":8080", nil)
}
-- internal/notify/notify.go --
package notify

import "os"

func Socket() string { return os.Getenv("NOTIFY_SOCKET") }
-- internal/notify/notify_test.go --
package notify

import "time"

var _, _ = time.LoadLocation("UTC")
`

func TestLoadComplete(t *testing.T) {
	dir := unpack(t, service)
	m, err := Load(context.Background(), dir, Options{Marker: "NOTIFY_SOCKET"})
	if err != nil {
		t.Fatal(err)
	}
	if mf := m.Mod; mf.Module != "example.com/svc" || mf.Go != "1.24.0" || mf.GoLine != 3 || mf.Toolchain != "go1.25.3" || mf.ToolchainLine != 5 {
		t.Errorf("go.mod = %+v", mf)
	}
	if v, ok := m.Mod.GodebugValue("asynctimerchan"); v != "1" || !ok {
		t.Errorf("godebug = %v", m.Mod.Godebug)
	}
	if !m.ImportsComplete {
		t.Fatal("go list -deps should work for a module without requirements")
	}
	for _, p := range []string{"net/http", "crypto/x509", "os/user", "time"} {
		if !m.Imports[p] {
			t.Errorf("imports lack %s", p)
		}
	}
	if !reflect.DeepEqual(m.LoadLocation, []Pos{{File: "main.go", Line: 10}}) {
		t.Errorf("LoadLocation = %v", m.LoadLocation)
	}
	if !reflect.DeepEqual(m.NotifySocket, []string{"internal/notify/notify.go"}) {
		t.Errorf("NotifySocket = %v", m.NotifySocket)
	}
}

func TestLoadIgnoresUserGoSettings(t *testing.T) {
	// Flags, a toolchain switch and a workspace from the user's
	// environment would each make go list fail or look elsewhere.
	dir := unpack(t, service)
	env := append(os.Environ(), "GOFLAGS=-no-such-flag", "GOTOOLCHAIN=go1.999.0", "GOWORK="+filepath.Join(t.TempDir(), "go.work"))
	m, err := Load(context.Background(), dir, Options{Environ: env})
	if err != nil {
		t.Fatal(err)
	}
	if !m.ImportsComplete || !m.Imports["crypto/x509"] {
		t.Errorf("go list -deps did not run with the user's go settings scrubbed: complete %v, imports %v", m.ImportsComplete, m.Imports)
	}
}

func TestLoadFallback(t *testing.T) {
	// A requirement that is not in the module cache: go list cannot run
	// offline, so imports come from parsing plus the standard library.
	dir := unpack(t, service+`-- dep.go --
package main

import _ "example.invalid/missing/pkg"
`)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/svc\n\ngo 1.24.0\n\nrequire example.invalid/missing v1.0.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := Load(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.ImportsComplete {
		t.Fatal("go list should have failed")
	}
	for _, p := range []string{"net/http", "crypto/x509", "example.invalid/missing/pkg"} {
		if !m.Imports[p] {
			t.Errorf("imports lack %s", p)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load(context.Background(), t.TempDir(), Options{}); err == nil {
		t.Error("want an error without go.mod")
	}
	dir := unpack(t, "-- go.mod --\nmodule x\ngo bogus bogus\n")
	if _, err := Load(context.Background(), dir, Options{}); err == nil {
		t.Error("want an error for a malformed go.mod")
	}
}
