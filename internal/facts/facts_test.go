package facts

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func goroot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skip("no go toolchain")
	}
	return strings.TrimSpace(string(out))
}

// The embedded experiment list must equal the installed toolchain's.
func TestExperimentsMatchGOROOT(t *testing.T) {
	root := goroot(t)
	got, fromRoot := Experiments(root)
	if !fromRoot {
		t.Fatalf("could not read the experiments from %s/src/internal/goexperiment/flags.go", root)
	}
	if !slices.Equal(got, embeddedExperiments) {
		t.Errorf("embedded experiments (%s) differ from %s:\n embedded %v\n goroot   %v\nupdate embeddedExperiments", EmbeddedExperimentsVersion, root, embeddedExperiments, got)
	}
	if _, fromRoot := Experiments(t.TempDir()); fromRoot {
		t.Error("an empty GOROOT yielded experiments")
	}
}

func TestCheckGOEXPERIMENT(t *testing.T) {
	known := []string{"loopvar", "jsonv2", "arenas"}
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"loopvar", nil},
		{"noloopvar,jsonv2", nil},
		{"regabi,noregabi,none", nil},
		{"loopvar=0", []string{"loopvar=0"}},
		{"jsonv2,,bogus", []string{"bogus"}},
		{"noloopvar=1", []string{"loopvar=1"}},
	} {
		if got := CheckGOEXPERIMENT(tc.in, known); !slices.Equal(got, tc.want) {
			t.Errorf("CheckGOEXPERIMENT(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// go build agrees with CheckGOEXPERIMENT on what is unknown.
func TestCheckGOEXPERIMENTAgreesWithGo(t *testing.T) {
	root := goroot(t)
	known, _ := Experiments(root)
	for _, v := range []string{"loopvar=0", "nojsonv2", "bogus"} {
		cmd := exec.Command("go", "env", "GOVERSION")
		cmd.Env = append(cmd.Environ(), "GOEXPERIMENT="+v, "GOTOOLCHAIN=local")
		out, err := cmd.CombinedOutput()
		unknown := CheckGOEXPERIMENT(v, known)
		if (err != nil) != (len(unknown) > 0) {
			t.Errorf("GOEXPERIMENT=%s: go says %q (err %v), gocompat says unknown=%v", v, out, err, unknown)
		}
		if len(unknown) > 0 && !strings.Contains(string(out), "unknown GOEXPERIMENT "+unknown[0]) {
			t.Errorf("GOEXPERIMENT=%s: go says %q, gocompat names %q", v, out, unknown[0])
		}
	}
}

func FuzzParseExperimentFlags(f *testing.F) {
	f.Add([]byte("package goexperiment\ntype Flags struct {\n\tA bool\n\tB, C bool\n\tD int\n}\n"))
	f.Add([]byte("package x"))
	f.Fuzz(func(t *testing.T, src []byte) {
		names, err := ParseExperimentFlags(src)
		if err == nil && len(names) == 0 {
			t.Fatal("no error and no names")
		}
	})
}

func TestGoReleases(t *testing.T) {
	for i, r := range GoReleases {
		if NormalizeGo(r.Version) != r.Version || len(r.Sources) == 0 || r.MinKernel == "" {
			t.Errorf("%+v: malformed", r)
		}
		if i > 0 && !GoReleases[i-1].Released.Before(r.Released) {
			t.Errorf("%s not after %s", r.Version, GoReleases[i-1].Version)
		}
		// Support ends when the N+2 release comes out.
		if i+2 < len(GoReleases) && !r.Unsupported.Equal(GoReleases[i+2].Released) {
			t.Errorf("%s unsupported %s, but %s was released %s", r.Version, r.Unsupported, GoReleases[i+2].Version, GoReleases[i+2].Released)
		}
	}
	for _, tc := range []struct{ v, kernel string }{
		{"go1.17.13", "2.6.23"}, {"1.18", "2.6.32"}, {"go1.23.12", "2.6.32"}, {"go1.24rc1", "3.2"}, {"1.26.8", "3.2"}, {"go1.30", "3.2"},
	} {
		k, src, err := MinKernelFor(tc.v)
		if err != nil || k != tc.kernel || len(src) == 0 {
			t.Errorf("MinKernelFor(%s) = %s, %v, %v; want %s", tc.v, k, src, err, tc.kernel)
		}
	}
	if _, _, err := MinKernelFor("go1.5"); err == nil {
		t.Error("MinKernelFor(go1.5): no error for a version outside the table")
	}
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	if s, known, _ := SupportStatus("go1.24.3", now); !known || s {
		t.Error("go1.24 supported in 2026-11")
	}
	if s, known, _ := SupportStatus("go1.26.8", now); !known || !s {
		t.Error("go1.26 unsupported in 2026-11")
	}
}

func TestPresets(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range Presets {
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			if seen[n] {
				t.Errorf("name %q used twice", n)
			}
			seen[n] = true
		}
		if len(p.Sources) == 0 {
			t.Errorf("%s: no source", p.Name)
		}
		if p.Kind != "distro" && p.Kind != "image" {
			t.Errorf("%s: kind %q", p.Name, p.Kind)
		}
	}
	for name, want := range map[string]string{
		"debian:bullseye": "glibc 2.31", "Debian-12": "glibc 2.36", "docker.io/library/alpine:3.18": "musl 1.2.4",
		"scratch": "none ", "gcr.io/distroless/static-debian12": "none ", "ubuntu:22.04": "glibc 2.35",
	} {
		p, ok := LookupPreset(name)
		if !ok || p.Libc.Flavor+" "+p.Libc.Version != want {
			t.Errorf("LookupPreset(%q) = %+v, %v; want libc %s", name, p.Libc, ok, want)
		}
	}
	if _, ok := LookupPreset("windows-11"); ok {
		t.Error("unknown preset found")
	}
}

func TestGoCacheOutputHash(t *testing.T) {
	id := strings.Repeat("ab", 32)
	for _, tc := range []struct {
		cache, path string
		ok          bool
	}{
		{"/c", "/c/ab/" + id + "-d", true},
		{"/c/", "/c/ab/" + id + "-d", true},
		{"/c", "/c/ac/" + id + "-d", false},      // not under its first byte
		{"/c", "/d/ab/" + id + "-d", false},      // another directory
		{"/c", "/c/ab/" + id + "-a", false},      // an action entry
		{"/c", "/c/ab/" + id[:62] + "-d", false}, // short
		{"/c", "/c/AB/" + strings.ToUpper(id) + "-d", false},
		{"", "/c/ab/" + id + "-d", false},
		{"/c", "/w/go-build1/b001/_pkg_.a", false},
	} {
		got, ok := GoCacheOutputHash(tc.cache, tc.path)
		if ok != tc.ok || ok && got != id {
			t.Errorf("GoCacheOutputHash(%q, %q) = %q, %v", tc.cache, tc.path, got, ok)
		}
	}
}

// A setting comes from the environment first, then from the go command's
// configuration file, and GOCACHE from either names the build cache.
func TestGoEnvSetting(t *testing.T) {
	dir := t.TempDir()
	goenv := filepath.Join(dir, "env")
	if err := os.WriteFile(goenv, []byte("GOFLAGS=-mod=mod\nGOCACHE="+filepath.Join(dir, "c")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if v, ok := GoEnvSetting([]string{"GOENV=" + goenv, "GOCACHE=/env/c"}, "GOCACHE"); !ok || v != "/env/c" {
		t.Errorf("environment: %q %v", v, ok)
	}
	if v, ok := GoEnvSetting([]string{"GOENV=" + goenv}, "GOCACHE"); !ok || v != filepath.Join(dir, "c") {
		t.Errorf("go env -w: %q %v", v, ok)
	}
	if v, ok := GoEnvSetting([]string{"GOENV=off"}, "GOCACHE"); ok {
		t.Errorf("GOENV=off: %q", v)
	}
	if v, ok := GoEnvSetting([]string{"GOENV=" + goenv}, "GOTMPDIR"); ok {
		t.Errorf("unset: %q", v)
	}
	if got := GoCacheDir([]string{"GOENV=" + goenv}); got != filepath.Join(dir, "c") {
		t.Errorf("GoCacheDir with go env -w GOCACHE = %q", got)
	}
}
