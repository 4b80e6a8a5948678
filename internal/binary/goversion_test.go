package binary

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gocompat/gocompat/internal/testbin"
)

// goVersionM runs `go version -m dir…` and parses every binary it
// prints: a "path: goN" line, then its build info indented by a tab.
func goVersionM(t *testing.T, dirs ...string) map[string]*debug.BuildInfo {
	t.Helper()
	// go version exits 1 when a named file is not a Go binary; in a
	// directory it skips those, so stdout is complete either way.
	out, _ := exec.Command("go", append([]string{"version", "-m"}, dirs...)...).Output()
	got := map[string]*debug.BuildInfo{}
	var name, goVersion string
	var lines []string
	flush := func() {
		if name == "" {
			return
		}
		bi, err := debug.ParseBuildInfo(strings.Join(lines, "\n") + "\n")
		if err != nil {
			t.Fatalf("go version -m: parse %s: %v", name, err)
		}
		bi.GoVersion = goVersion
		got[name] = bi
	}
	for _, l := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(l, "\t"); ok {
			lines = append(lines, rest)
			continue
		}
		if i := strings.LastIndex(l, ": "); i >= 0 {
			flush()
			name, goVersion, lines = l[:i], l[i+2:], nil
		}
	}
	flush()
	return got
}

// goBinaries is what Scan finds that reads as a Go binary.
func goBinaries(rs []Result) map[string]*Info {
	out := map[string]*Info{}
	for _, r := range rs {
		if r.Err == nil {
			out[r.Path] = r.Info
		}
	}
	return out
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestScanFindsWhatGoVersionFinds: `gocompat binary /usr/bin` found no
// Go binary where `go version /usr/bin` found seven, links into another
// directory. In a directory it is given, Scan reads what go version
// reads: links to regular files wherever they lead, executable or not.
func TestScanFindsWhatGoVersionFinds(t *testing.T) {
	bin := testbin.Build(t, testbin.Program{Name: "static", Env: []string{"CGO_ENABLED=0"}})
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	usrBin, usrLib, other := filepath.Join(base, "usr", "bin"), filepath.Join(base, "usr", "lib", "tool", "bin"), filepath.Join(base, "opt")
	for _, d := range []string{usrBin, usrLib, other} {
		os.MkdirAll(d, 0o755)
	}
	os.WriteFile(filepath.Join(usrLib, "tool"), data, 0o755)
	os.WriteFile(filepath.Join(other, "noexec"), data, 0o644)
	os.WriteFile(filepath.Join(usrBin, "plain"), data, 0o755)
	os.Symlink("../lib/tool/bin/tool", filepath.Join(usrBin, "tool"))           // relative, into another directory
	os.Symlink(filepath.Join(other, "noexec"), filepath.Join(usrBin, "noexec")) // absolute, not executable
	os.Symlink(usrLib, filepath.Join(usrBin, "libdir"))                         // a directory: not entered
	os.Symlink("missing", filepath.Join(usrBin, "dangling"))
	os.Symlink(".", filepath.Join(usrBin, "X11")) // a loop, as Debian's /usr/bin/X11

	want := keys(goVersionM(t, usrBin))
	if len(want) != 3 {
		t.Fatalf("go version found %v; the test expects 3", want)
	}
	got := keys(goBinaries(Scan([]string{usrBin}, ScanOptions{})))
	if !slices.Equal(got, want) {
		t.Errorf("Scan found %v, go version %v", got, want)
	}
}

// machineDirs are the directories whose Go binaries the machine-wide
// agreement test compares: where programs are installed, every directory
// on PATH, and GOPATH/bin. Directories below another in the list, and
// links to directories (go version does not walk those), are left out.
func machineDirs(t *testing.T) []string {
	var dirs []string
	add := func(d string) {
		if d == "" || !filepath.IsAbs(d) {
			return
		}
		st, err := os.Lstat(d)
		if err != nil || !st.IsDir() {
			return
		}
		dirs = append(dirs, filepath.Clean(d))
	}
	for _, d := range []string{"/usr/bin", "/usr/sbin", "/usr/lib", "/usr/libexec", "/usr/local", "/opt"} {
		add(d)
	}
	add(filepath.Join(runtime.GOROOT(), "bin"))
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, p := range filepath.SplitList(strings.TrimSpace(string(out))) {
			add(filepath.Join(p, "bin"))
		}
	}
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		add(d)
	}
	sort.Strings(dirs)
	var out []string
	for _, d := range dirs {
		if len(out) > 0 {
			last := out[len(out)-1]
			if d == last || strings.HasPrefix(d, last+"/") {
				continue
			}
		}
		out = append(out, d)
	}
	return out
}

// TestAgreesWithGoVersionMOnMachine reads every Go binary go version
// finds on this machine and compares its version, main module,
// dependencies and build settings with go version -m. Both must find
// the same binaries.
func TestAgreesWithGoVersionMOnMachine(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go on PATH")
	}
	dirs := machineDirs(t)
	want := goVersionM(t, dirs...)
	got := goBinaries(Scan(dirs, ScanOptions{}))
	if !slices.Equal(keys(got), keys(want)) {
		t.Errorf("Scan and go version found different binaries in %v:\n%s", dirs, cmp.Diff(keys(want), keys(got)))
	}
	deps, settings := 0, 0
	for path, bi := range want {
		info := got[path]
		if info == nil {
			continue
		}
		w := fromBuildInfo(bi)
		w.File = info.File
		g := *info
		g.Class, g.Machine, g.Type, g.Interpreter, g.Needed, g.RunPath, g.VersionNeeds = "", "", "", "", nil, nil, nil
		if diff := cmp.Diff(w, &g); diff != "" {
			t.Errorf("%s: go version -m and Read disagree (-go version -m +Read):\n%s", path, diff)
		}
		deps += len(bi.Deps)
		settings += len(bi.Settings)
	}
	t.Logf("%d Go binaries in %v agree with go version -m (%d dependencies, %d build settings)", len(want), dirs, deps, settings)
	if len(want) == 0 {
		t.Log("no Go binary on this machine outside the test's own: nothing compared")
	}
}
