package facts

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"
)

func TestRuntimeDbgvarsMatchGOROOT(t *testing.T) {
	got, fromGOROOT := RuntimeDbgvars(runtime.GOROOT())
	if !fromGOROOT {
		t.Skip("no GOROOT source to compare with")
	}
	if !strings.HasPrefix(runtime.Version(), EmbeddedRuntimeDbgvarsVersion) {
		t.Skipf("toolchain %s differs from the embedded list's %s", runtime.Version(), EmbeddedRuntimeDbgvarsVersion)
	}
	if !reflect.DeepEqual(got, embeddedRuntimeDbgvars) {
		t.Errorf("embedded runtime GODEBUG list differs from GOROOT:\nGOROOT:   %q\nembedded: %q", got, embeddedRuntimeDbgvars)
	}
	fallback, from := RuntimeDbgvars("/nonexistent")
	if from || !reflect.DeepEqual(fallback, embeddedRuntimeDbgvars) {
		t.Errorf("fallback = %v, %v", fallback, from)
	}
}

func TestGodebugNames(t *testing.T) {
	tbl, _ := Godebugs(runtime.GOROOT())
	names, _ := GodebugNames(tbl, runtime.GOROOT())
	for _, want := range []string{"gctrace", "httpmuxgo121", "asynctimerchan", "x509usefallbackroots"} {
		if i := sort.SearchStrings(names, want); i >= len(names) || names[i] != want {
			t.Errorf("GodebugNames lacks %s", want)
		}
	}
	embedded, fromTable := Godebugs("/nonexistent")
	fallback, from := GodebugNames(embedded, "/nonexistent")
	if from || fromTable || len(fallback) != len(names) {
		t.Errorf("fallback has %d names (from GOROOT: %v, %v), GOROOT %d", len(fallback), fromTable, from, len(names))
	}
	removed := tbl.RemovedIn()
	if removed["x509sha1"] != "go1.24" {
		t.Errorf("removed = %v, want x509sha1 removed in go1.24", removed)
	}
}

func TestParseRuntimeDbgvarsRejectsOther(t *testing.T) {
	if _, err := ParseRuntimeDbgvars([]byte("package x\nvar dbgvars = 1\n")); err == nil {
		t.Error("want an error for a file without the table")
	}
}

// systemdGroups reads `systemd-analyze syscall-filter` into group ->
// members (nested groups resolved).
func systemdGroups(t *testing.T) map[string]map[string]bool {
	out, err := exec.Command("systemd-analyze", "syscall-filter").Output()
	if err != nil && len(out) == 0 {
		t.Skipf("systemd-analyze syscall-filter: %v", err)
	}
	direct := map[string][]string{}
	cur := ""
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "@"):
			cur = strings.TrimSpace(l)
		case strings.HasPrefix(l, "    ") && cur != "":
			w := strings.TrimSpace(l)
			if w == "" || w[0] == '#' {
				continue
			}
			w, _, _ = strings.Cut(w, "#")
			direct[cur] = append(direct[cur], strings.TrimSpace(w))
		}
	}
	var resolve func(g string, seen map[string]bool) map[string]bool
	resolve = func(g string, seen map[string]bool) map[string]bool {
		m := map[string]bool{}
		for _, e := range direct[g] {
			if strings.HasPrefix(e, "@") {
				if !seen[e] {
					seen[e] = true
					for k := range resolve(e, seen) {
						m[k] = true
					}
				}
			} else {
				m[e] = true
			}
		}
		return m
	}
	all := map[string]map[string]bool{}
	for g := range direct {
		all[g] = resolve(g, map[string]bool{g: true})
	}
	return all
}

func TestSyscallGroupsMatchSystemd(t *testing.T) {
	ver, err := exec.Command("systemd-analyze", "--version").Output()
	if err != nil {
		t.Skipf("systemd-analyze --version: %v", err)
	}
	if f := strings.Fields(string(ver)); len(f) < 2 || f[1] != SyscallGroupsSystemdVersion {
		t.Skipf("installed systemd %q differs from the snapshot's %s", strings.TrimSpace(string(ver)), SyscallGroupsSystemdVersion)
	}
	groups := systemdGroups(t)
	if len(groups) == 0 {
		t.Skip("systemd-analyze listed no groups")
	}
	for _, s := range GoSyscalls {
		var got []string
		for g, m := range groups {
			if m[s.Name] && g != "@known" && g != "@default" {
				got = append(got, g)
			}
		}
		sort.Strings(got)
		if !reflect.DeepEqual(got, SyscallGroups[s.Name]) {
			t.Errorf("%s: systemd-analyze groups %q, embedded %q", s.Name, got, SyscallGroups[s.Name])
		}
		if groups["@default"][s.Name] {
			t.Errorf("%s is in @default (always allowed); drop it from GoSyscalls", s.Name)
		}
	}
}

func TestParseGolangImage(t *testing.T) {
	cases := []struct {
		ref                string
		ok                 bool
		ver, variant, libc string
		libcVer            string
		cc, git            bool
		gotoolchain        string
	}{
		{"golang:1.22", true, "1.22", "", "glibc", "", true, true, "local"},
		{"golang:1.20.5-bullseye", true, "1.20.5", "bullseye", "glibc", "2.31", true, true, ""},
		{"docker.io/library/golang:1.24-alpine3.21@sha256:abc", true, "1.24", "alpine3.21", "musl", "1.2.5", false, false, "local"},
		{"golang:alpine", true, "", "alpine", "musl", "", false, false, "local"},
		{"golang:1.26", true, "1.26", "", "glibc", "2.41", true, true, "local"},
		{"golang:1.23-bookworm", true, "1.23", "bookworm", "glibc", "2.36", true, true, "local"},
		{"golang", true, "", "", "glibc", "2.41", true, true, "local"},
		{"golangci/golangci-lint:v1", false, "", "", "", "", false, false, ""},
		{"golang:1.22-windowsservercore", false, "", "", "", "", false, false, ""},
	}
	for _, c := range cases {
		img, ok := ParseGolangImage(c.ref)
		if ok != c.ok {
			t.Errorf("%s: ok = %v", c.ref, ok)
			continue
		}
		if !ok {
			continue
		}
		if img.GoVersion != c.ver || img.Variant != c.variant || img.Libc.Flavor != c.libc || img.Libc.Version != c.libcVer || img.CCompiler != c.cc || img.Git != c.git || img.GOTOOLCHAIN != c.gotoolchain {
			t.Errorf("%s = %+v", c.ref, img)
		}
	}
}

func TestLookupPresetImages(t *testing.T) {
	for ref, want := range map[string]string{
		"debian:bookworm-slim": "debian-12",
		"debian:11.9":          "debian-11",
		"alpine:3.20.3":        "alpine-3.20",
		"gcr.io/distroless/static-debian12:nonroot":   "distroless-static",
		"gcr.io/distroless/base-debian12@sha256:abcd": "distroless-base-debian12",
		"gcr.io/distroless/java17-debian12":           "distroless",
		"ubuntu:22.04":                                "ubuntu-22.04",
		"docker.io/library/debian:12":                 "debian-12",
		"scratch":                                     "scratch",
	} {
		p, ok := LookupPreset(ref)
		if !ok || p.Name != want {
			t.Errorf("LookupPreset(%q) = %q, %v; want %q", ref, p.Name, ok, want)
		}
	}
	if _, ok := LookupPreset("example.com/private/app:1"); ok {
		t.Error("unknown image resolved")
	}
}

func TestPresetContents(t *testing.T) {
	if p, _ := LookupPreset("scratch"); p.Contents == nil || *p.Contents != (ImageContents{}) {
		t.Errorf("scratch contents = %+v", p.Contents)
	}
	if p, _ := LookupPreset("gcr.io/distroless/static-debian12:nonroot"); p.Contents == nil || !p.Contents.CACerts || !p.Contents.Zoneinfo || !p.Contents.Passwd {
		t.Errorf("distroless static contents = %+v", p.Contents)
	}
	for _, r := range []string{"gcr.io/distroless/static:debug", "gcr.io/distroless/base-debian12:debug-nonroot", "alpine:3.21", "debian:12"} {
		p, ok := LookupPreset(r)
		if !ok || p.Contents != nil {
			t.Errorf("%s: contents %+v, found %v; want a preset with unknown contents", r, p.Contents, ok)
		}
	}
}

func TestBuildOnlyEnv(t *testing.T) {
	for _, n := range []string{"GOEXPERIMENT", "GOAMD64", "CGO_ENABLED", "GOFLAGS"} {
		if _, ok := BuildOnlyEnv(n); !ok {
			t.Errorf("%s should be build-only", n)
		}
	}
	for _, n := range []string{"GOMEMLIMIT", "GODEBUG", "GOMAXPROCS", "PATH"} {
		if _, ok := BuildOnlyEnv(n); ok {
			t.Errorf("%s should not be build-only", n)
		}
	}
}

func FuzzParseRuntimeDbgvars(f *testing.F) {
	for _, p := range []string{"src/runtime/runtime1.go"} {
		if data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), p)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("package runtime\nvar dbgvars = []*dbgVar{{name: \"x\"}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		names, err := ParseRuntimeDbgvars(data)
		if err == nil && len(names) == 0 {
			t.Fatal("no error and no names")
		}
	})
}
