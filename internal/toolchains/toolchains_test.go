package toolchains

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/testbin"
)

func TestParseVersions(t *testing.T) {
	in := []string{
		"v0.0.1-go1.22.12.linux-amd64",
		"v0.0.1-go1.22.2.linux-amd64",
		"v0.0.1-go1.22.2.linux-arm64",
		"v0.0.1-go1.26rc1.linux-amd64",
		"v0.0.1-go1.9rc2.windows-amd64",
		"v0.0.1-go1.20.linux-amd64",
		"v0.0.1-go1.22.12.linux-amd64",
		"v0.0.2-go1.23.0.linux-amd64",
		"garbage",
		"v0.0.1-go1.27.4.linux-amd64",
	}
	got := ParseVersions(in, "linux", "amd64")
	want := []string{"go1.20", "go1.22.2", "go1.22.12", "go1.27.4"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseVersions = %v, want %v", got, want)
	}
	if got := ParseVersions(in, "linux", "arm64"); !reflect.DeepEqual(got, []string{"go1.22.2"}) {
		t.Fatalf("arm64: %v", got)
	}
}

func FuzzParseVersions(f *testing.F) {
	for _, s := range []string{"v0.0.1-go1.22.12.linux-amd64", "v0.0.1-go1.26rc1.linux-amd64", "v0.0.1-go.linux-amd64", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range ParseVersions(strings.Split(s, " "), "linux", "amd64") {
			if !isRelease(r) {
				t.Fatalf("%q gave non-release %q", s, r)
			}
		}
	})
}

func TestResolveInstalledAndGiven(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not on PATH")
	}
	s := &Source{Environ: os.Environ()}
	ctx := context.Background()
	inst, err := s.Installed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Resolve(ctx, inst.Lang())
	if err != nil {
		t.Fatal(err)
	}
	if r.Release != inst.Version || r.How != "installed" {
		t.Fatalf("Resolve(%s) = %+v, want the installed %s", inst.Lang(), r, inst.Version)
	}
	r, err = s.Resolve(ctx, "1.22.3")
	if err != nil || r.Release != "go1.22.3" {
		t.Fatalf("Resolve(1.22.3) = %+v, %v", r, err)
	}
	for _, bad := range []string{"1.22rc1", "2.0", "latest", "1"} {
		if _, err := s.Resolve(ctx, bad); err == nil {
			t.Errorf("Resolve(%q): no error", bad)
		}
	}
	tc, err := s.Get(ctx, inst.Version)
	if err != nil || !tc.Installed {
		t.Fatalf("Get(installed) = %+v, %v", tc, err)
	}
}

// TestResolveNewestAndGet asks the module proxy for the newest 1.22 patch
// release and takes it through the go command (testbin.Go122 is the last
// 1.22 release, so it is the same download the other tests share).
func TestResolveNewestAndGet(t *testing.T) {
	testbin.Toolchain(t, testbin.Go122) // skips offline; fills the module cache
	var progress bytes.Buffer
	s := &Source{Environ: os.Environ(), Progress: &progress}
	ctx := context.Background()
	r, err := s.Resolve(ctx, "1.22")
	if err != nil {
		t.Fatal(err)
	}
	if r.Release != testbin.Go122 {
		t.Fatalf("Resolve(1.22) = %+v, want %s", r, testbin.Go122)
	}
	tc, err := s.Get(ctx, r.Release)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tc.Go, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "go1.22.12 ") {
		t.Fatalf("%s version: %s", tc.Go, out)
	}
	if tc.Lang() != "1.22" {
		t.Fatalf("Lang() = %q", tc.Lang())
	}
}

// TestOffline takes toolchains with the proxy turned off and an empty
// module cache: resolving a minor version and fetching a release fail,
// each saying what could not be fetched and through which GOPROXY.
func TestOffline(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not on PATH")
	}
	env := append(os.Environ(), "GOPROXY=off", "GOMODCACHE="+t.TempDir())
	s := &Source{Environ: env}
	ctx := context.Background()
	inst, err := s.Installed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := s.Resolve(ctx, inst.Lang()); err != nil || r.Release != inst.Version {
		t.Fatalf("offline Resolve(installed) = %+v, %v", r, err)
	}
	_, err = s.Resolve(ctx, "1.21")
	if err == nil || !strings.Contains(err.Error(), "GOPROXY=off") || !strings.Contains(err.Error(), "module cache") {
		t.Fatalf("offline Resolve(1.21): %v", err)
	}
	_, err = s.Get(ctx, "go1.21.13")
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "cannot fetch go1.21.13 through GOPROXY=off") {
		t.Fatalf("offline Get: %v", err)
	}
}

// TestOfflineFromCache: with the proxy off but the release in the module
// cache, Resolve says it chose from the cache and Get needs no network.
func TestOfflineFromCache(t *testing.T) {
	testbin.Toolchain(t, testbin.Go122)
	s := &Source{Environ: append(os.Environ(), "GOPROXY=off")}
	ctx := context.Background()
	r, err := s.Resolve(ctx, "1.22")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.How, "module cache") || r.Release != testbin.Go122 {
		t.Fatalf("offline Resolve(1.22) = %+v", r)
	}
	if _, err := s.Get(ctx, testbin.Go122); err != nil {
		t.Fatal(err)
	}
}
