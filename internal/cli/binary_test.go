package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"runtime/debug"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/dotted"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/host"
	"github.com/gocompat/gocompat/internal/report"
	"github.com/gocompat/gocompat/internal/testbin"
)

// runJSON runs gocompat in-process with --format json and decodes the report.
func runJSON(t *testing.T, args ...string) (*report.Report, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), Invocation{Args: append(args, "--format", "json"), Env: os.Environ(), Stdout: &out, Stderr: &errb})
	if code == ExitError {
		t.Fatalf("gocompat %s: exit 2: %s", strings.Join(args, " "), errb.String())
	}
	rep, err := report.Decode(&out)
	if err != nil {
		t.Fatalf("gocompat %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return rep, code
}

// findings returns the check IDs reported for binary file on target.
func findings(rep *report.Report, file, target string) []string {
	var ids []string
	for _, f := range rep.Findings {
		if filepath.Base(f.Location.File) == file && f.Location.Object == target {
			ids = append(ids, f.Check)
		}
	}
	return ids
}

// inChroot copies bin into root and runs it there with chroot(8).
func inChroot(t *testing.T, root, bin string) (string, error) {
	t.Helper()
	dir, err := os.MkdirTemp(filepath.Join(root, "tmp"), "gocompat-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, filepath.Base(bin))
	if err := os.WriteFile(dst, b, 0o755); err != nil {
		t.Fatal(err)
	}
	inside := "/" + strings.TrimPrefix(dst, root+"/")
	out, err := exec.Command("chroot", root, inside).CombinedOutput()
	return string(out), err
}

// TestGroundTruthBullseye predicts, for a cgo, a static and a musl binary
// built here, whether they run in a Debian 11 root (glibc 2.31), and then
// runs them there to confirm every prediction.
func TestGroundTruthBullseye(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("chroot needs root")
	}
	if _, err := exec.LookPath("chroot"); err != nil {
		t.Skip("no chroot")
	}
	root := testbin.DebianRoot(t, "bullseye")
	target := "root:" + root
	static := testbin.Build(t, testbin.Program{Name: "static", Env: []string{"CGO_ENABLED=0"}})
	bins := []string{static}
	var cgo, musl string
	if testbin.HaveCC("gcc") {
		cgo = testbin.Build(t, testbin.Program{Name: "cgo", Main: testbin.HelloCgo, Env: []string{"CGO_ENABLED=1"}})
		bins = append(bins, cgo)
	}
	if testbin.HaveCC("musl-gcc") {
		musl = testbin.Build(t, testbin.Program{Name: "musl", Main: testbin.HelloCgo, Env: []string{"CGO_ENABLED=1", "CC=musl-gcc"}, Flags: []string{"-ldflags=-linkmode=external"}})
		bins = append(bins, musl)
	} else {
		t.Log("musl-gcc not installed (apt-get install musl-tools): the musl case is not checked")
	}
	rep, code := runJSON(t, append([]string{"binary", "--target", target}, bins...)...)

	// The root is what we think it is.
	var sawTarget bool
	for _, s := range rep.Subjects {
		if s.Kind == "target" && s.Attributes["libc"] == facts.LibcGlibc && s.Attributes["libc.version"] == "2.31" {
			sawTarget = true
		}
	}
	if !sawTarget {
		t.Fatalf("bullseye root not read as glibc 2.31: %+v", rep.Subjects)
	}

	// Static: predicted to run, and it does.
	if got := findings(rep, "static", target); len(got) != 0 {
		t.Errorf("static binary: predicted %v, want no findings", got)
	}
	out, err := inChroot(t, root, static)
	t.Logf("static binary in the bullseye root: predicted %v; ran: %v %s", findings(rep, "static", target), err, strings.TrimSpace(out))
	if err != nil || !strings.Contains(out, "hello from go") {
		t.Errorf("static binary in the bullseye root: %v\n%s", err, out)
	}

	if cgo != "" {
		got := findings(rep, "cgo", target)
		here, perr := host.NewDefaultFS().Probe()
		if perr != nil {
			t.Fatal(perr)
		}
		newGlibc := here.Libc.Flavor == facts.LibcGlibc && dotted.Compare(here.Libc.Version.Value, "2.34") >= 0
		out, err := inChroot(t, root, cgo)
		t.Logf("cgo binary (built on glibc %s) in the bullseye root: predicted %v; ran: %v %s", here.Libc.Version.Value, got, err, strings.TrimSpace(out))
		if newGlibc {
			// Predicted: fails with GLIBC_2.34 not found. Confirmed by running.
			if len(got) != 1 || got[0] != "binary/glibc-too-old" {
				t.Errorf("cgo binary: predicted %v, want binary/glibc-too-old", got)
			}
			if err == nil || !strings.Contains(out, "GLIBC_2.34' not found") {
				t.Errorf("cgo binary ran in the bullseye root, or failed otherwise: %v\n%s", err, out)
			}
			if code != ExitFindings {
				t.Errorf("exit code %d, want %d", code, ExitFindings)
			}
		} else if len(got) == 0 && err != nil {
			t.Errorf("cgo binary predicted to run but failed: %v\n%s", err, out)
		}
	}

	if musl != "" {
		got := findings(rep, "musl", target)
		if len(got) != 1 || got[0] != "binary/libc-mismatch" {
			t.Errorf("musl binary: predicted %v, want binary/libc-mismatch", got)
		}
		out, err := inChroot(t, root, musl)
		t.Logf("musl binary in the bullseye root: predicted %v; ran: %v %s", got, err, strings.TrimSpace(out))
		if err == nil || !strings.Contains(strings.ToLower(out), "no such file or directory") {
			t.Errorf("musl binary in the bullseye root: want exec to fail with no such file or directory, got %v\n%s", err, out)
		}
		// And on this machine, where it was built, it runs if musl's loader is here.
		if _, serr := os.Stat("/lib/ld-musl-x86_64.so.1"); serr == nil {
			rep, _ := runJSON(t, "binary", "--target", "host", musl)
			if got := findings(rep, "musl", "host"); len(got) != 0 {
				t.Errorf("musl binary on its build host: %v", got)
			}
			if out, err := exec.Command(musl).CombinedOutput(); err != nil {
				t.Errorf("musl binary on its build host: %v\n%s", err, out)
			}
		}
	}
}

// TestAgreesWithGoVersionM compares the JSON report with go version -m
// for every binary of the Go distribution and the user's installed tools.
func TestAgreesWithGoVersionM(t *testing.T) {
	goroot, err := exec.Command("go", "env", "GOROOT", "GOTOOLDIR", "GOPATH").Output()
	if err != nil {
		t.Skip("go env failed: ", err)
	}
	dirs := strings.Fields(string(goroot))
	dirs[0] = filepath.Join(dirs[0], "bin")
	if len(dirs) > 2 {
		dirs[2] = filepath.Join(dirs[2], "bin")
	}
	var bins []string
	for _, d := range dirs {
		ents, _ := os.ReadDir(d)
		for _, e := range ents {
			if e.Type().IsRegular() {
				bins = append(bins, filepath.Join(d, e.Name()))
			}
		}
	}
	// Other Go programs installed on this machine.
	for _, r := range binary.Scan([]string{"/usr/bin", "/usr/local/bin", "/usr/sbin"}, binary.ScanOptions{}) {
		if r.Err == nil {
			bins = append(bins, r.Path)
		}
	}
	if len(bins) == 0 {
		t.Skip("no binaries in GOROOT/bin or GOTOOLDIR")
	}
	rep, _ := runJSON(t, append([]string{"binary"}, bins...)...)
	byFile := map[string]report.Subject{}
	for _, s := range rep.Subjects {
		if s.Kind == "binary" {
			byFile[s.Attributes["file"]] = s
		}
	}
	for _, bin := range bins {
		s, ok := byFile[bin]
		if !ok {
			t.Errorf("%s: no binary subject", bin)
			continue
		}
		bi := testbin.GoVersionM(t, bin)
		want := map[string]string{"go": bi.GoVersion}
		if bi.Path != "" {
			want["path"] = bi.Path
		}
		mod := func(m *debugModule) string {
			v := strings.TrimSpace(m.Version + " " + m.Sum)
			if m.Replace != nil {
				v += " => " + strings.TrimSpace(m.Replace.Path+" "+m.Replace.Version+" "+m.Replace.Sum)
			}
			return v
		}
		if bi.Main.Path != "" {
			want["mod"] = strings.TrimSpace(bi.Main.Path + " " + mod(&bi.Main))
		}
		for _, d := range bi.Deps {
			want["dep:"+d.Path] = mod(d)
		}
		for _, st := range bi.Settings {
			want["build:"+st.Key] = st.Value
		}
		got := map[string]string{}
		for k, v := range s.Attributes {
			if k == "go" || k == "path" || k == "mod" || strings.HasPrefix(k, "dep:") || strings.HasPrefix(k, "build:") {
				got[k] = v
			}
		}
		if !mapsEqual(got, want) {
			gj, _ := json.MarshalIndent(got, "", " ")
			wj, _ := json.MarshalIndent(want, "", " ")
			t.Errorf("%s: gocompat says\n%s\ngo version -m says\n%s", bin, gj, wj)
		}
	}
	t.Logf("compared %d binaries with go version -m", len(bins))
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

type debugModule = debug.Module

// TestGroundTruthHost predicts, for binaries of several kinds built here,
// whether they run on this machine, then runs each: a predicted failure
// must fail and a predicted run must print its greeting.
func TestGroundTruthHost(t *testing.T) {
	progs := []testbin.Program{
		{Name: "static", Env: []string{"CGO_ENABLED=0"}},
		{Name: "pie", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-buildmode=pie"}},
		{Name: "v4", Env: []string{"CGO_ENABLED=0", "GOARCH=amd64", "GOAMD64=v4"}},
		{Name: "v3", Env: []string{"CGO_ENABLED=0", "GOARCH=amd64", "GOAMD64=v3"}},
		{Name: "i386", Env: []string{"CGO_ENABLED=0", "GOARCH=386"}},
		{Name: "arm64", Env: []string{"CGO_ENABLED=0", "GOARCH=arm64"}},
	}
	if testbin.HaveCC("gcc") {
		progs = append(progs, testbin.Program{Name: "cgo", Main: testbin.HelloCgo, Env: []string{"CGO_ENABLED=1"}})
	}
	if testbin.HaveCC("musl-gcc") {
		progs = append(progs, testbin.Program{Name: "musl", Main: testbin.HelloCgo, Env: []string{"CGO_ENABLED=1", "CC=musl-gcc"}, Flags: []string{"-ldflags=-linkmode=external"}})
	}
	var bins []string
	for _, p := range progs {
		bins = append(bins, testbin.Build(t, p))
	}
	rep, _ := runJSON(t, append([]string{"binary", "--target", "host"}, bins...)...)
	verdicts := map[string]string{}
	for _, s := range rep.Subjects {
		if s.Kind == "runs-on" && s.Attributes["binary"] != "" {
			verdicts[filepath.Base(s.Attributes["binary"])] = s.Attributes["target:host"]
		}
	}
	for _, bin := range bins {
		name := filepath.Base(bin)
		v, ok := verdicts[name]
		if !ok {
			t.Errorf("%s: no verdict", name)
			continue
		}
		out, err := exec.Command(bin).CombinedOutput()
		ran := err == nil && strings.Contains(string(out), "hello from")
		t.Logf("%-7s predicted %q; ran: %v %s", name, v, err, strings.TrimSpace(string(out)))
		switch {
		case strings.HasPrefix(v, "FAILS") && ran:
			if _, err := os.Stat("/proc/sys/fs/binfmt_misc/qemu-aarch64"); err == nil && name == "arm64" {
				t.Logf("%s ran through a binfmt_misc emulator, which gocompat does not model", name)
				continue
			}
			t.Errorf("%s: predicted %q but it ran", name, v)
		case strings.HasPrefix(v, "runs") && !strings.Contains(v, "?") && !ran:
			t.Errorf("%s: predicted %q but it failed: %v\n%s", name, v, err, out)
		}
	}
}
