package binary

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gocompat/gocompat/internal/testbin"
)

func TestStaticPureGo(t *testing.T) {
	bin := testbin.Build(t, testbin.Program{Name: "static", Env: []string{"CGO_ENABLED=0"}})
	info, err := ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Static() || info.Interpreter != "" || len(info.Needed) != 0 || len(info.VersionNeeds) != 0 {
		t.Errorf("pure-Go binary: static=%v interp=%q needed=%v versions=%v, want static with nothing", info.Static(), info.Interpreter, info.Needed, info.VersionNeeds)
	}
	if v, _ := info.Setting("CGO_ENABLED"); v != "0" {
		t.Errorf("CGO_ENABLED = %q, want 0", v)
	}
	if info.Main.Path != "example.com/prog" || info.Path != "example.com/prog" {
		t.Errorf("main module %q, path %q", info.Main.Path, info.Path)
	}
	if info.GOARCH() == "" || info.Class == "" || info.Machine == "" {
		t.Errorf("arch %q class %q machine %q", info.GOARCH(), info.Class, info.Machine)
	}
}

func TestCgoIsDynamic(t *testing.T) {
	if !testbin.HaveCC("gcc") {
		t.Skip("no gcc")
	}
	bin := testbin.Build(t, testbin.Program{Name: "cgo", Main: testbin.HelloCgo, Env: []string{"CGO_ENABLED=1"}})
	info, err := ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if info.Static() || info.Interpreter == "" {
		t.Fatalf("cgo binary read as static (interp %q)", info.Interpreter)
	}
	if !slices.Contains(info.Needed, "libc.so.6") {
		t.Errorf("NEEDED %v lacks libc.so.6", info.Needed)
	}
	// Cross-check with readelf, which is a different reader of the same
	// bytes; skip that part where binutils is not installed.
	if _, err := exec.LookPath("readelf"); err == nil {
		out, err := exec.Command("readelf", "-dlV", "-W", bin).Output()
		if err != nil {
			t.Fatal(err)
		}
		s := string(out)
		if !strings.Contains(s, "[Requesting program interpreter: "+info.Interpreter+"]") {
			t.Errorf("readelf disagrees on the interpreter %q:\n%s", info.Interpreter, s)
		}
		for _, n := range info.Needed {
			if !strings.Contains(s, "Shared library: ["+n+"]") {
				t.Errorf("readelf does not list NEEDED %s", n)
			}
		}
		for _, vn := range info.VersionNeeds {
			for _, v := range vn.Versions {
				if !strings.Contains(s, "Name: "+v+" ") {
					t.Errorf("readelf does not list version %s of %s", v, vn.Library)
				}
			}
		}
		if !strings.Contains(s, "Version needs section") != (len(info.VersionNeeds) == 0) {
			t.Errorf("version needs %v, readelf:\n%s", info.VersionNeeds, s)
		}
	}
}

func TestPIEWithoutCgoAsksForLoader(t *testing.T) {
	bin := testbin.Build(t, testbin.Program{Name: "pie", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-buildmode=pie"}})
	info, err := ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if info.Interpreter == "" || info.Static() {
		t.Errorf("CGO_ENABLED=0 -buildmode=pie: interpreter %q, want one (the ELF decides, not CGO_ENABLED)", info.Interpreter)
	}
	if len(info.Needed) != 0 {
		t.Errorf("NEEDED %v, want none", info.Needed)
	}
	if v, _ := info.Setting("-buildmode"); v != "pie" {
		t.Errorf("-buildmode = %q", v)
	}
}

func TestAgreesWithGoVersionM(t *testing.T) {
	progs := []testbin.Program{
		{Name: "dep", Dep: true, Env: []string{"CGO_ENABLED=0", "GOAMD64=v3", "GOEXPERIMENT=nodwarf5"}, Flags: []string{"-trimpath", "-tags=netgo,osusergo", "-ldflags=-s -w -X main.v=1"}},
		{Name: "plain"},
	}
	for _, p := range progs {
		bin := testbin.Build(t, p)
		info, err := ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		CompareGoVersionM(t, bin, info)
	}
}

// CompareGoVersionM checks info against the output of go version -m.
func CompareGoVersionM(t *testing.T, bin string, info *Info) {
	t.Helper()
	bi := testbin.GoVersionM(t, bin)
	want := fromBuildInfo(bi)
	want.File = info.File
	got := *info
	got.Class, got.Machine, got.Type, got.Interpreter, got.Needed, got.RunPath, got.VersionNeeds = "", "", "", "", nil, nil, nil
	if diff := cmp.Diff(want, &got); diff != "" {
		t.Errorf("%s: go version -m and Read disagree (-go version -m +Read):\n%s", bin, diff)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "script.sh")
	if err := os.WriteFile(text, []byte("#!/bin/sh\necho hi\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(text); !errors.Is(err, ErrNotELF) || !strings.Contains(err.Error(), text) {
		t.Errorf("script: %v, want ErrNotELF naming the file", err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(empty); !errors.Is(err, ErrNotELF) {
		t.Errorf("empty file: %v, want ErrNotELF", err)
	}
	if testbin.HaveCC("gcc") {
		c := filepath.Join(dir, "c.c")
		cbin := filepath.Join(dir, "cprog")
		os.WriteFile(c, []byte("int main(void){return 0;}\n"), 0o644)
		if out, err := exec.Command("gcc", "-o", cbin, c).CombinedOutput(); err != nil {
			t.Fatalf("gcc: %v\n%s", err, out)
		}
		if _, err := ReadFile(cbin); !errors.Is(err, ErrNotGo) || !strings.Contains(err.Error(), cbin) {
			t.Errorf("C program: %v, want ErrNotGo naming the file", err)
		}
	}
}

func TestTruncatedNeverPanics(t *testing.T) {
	bin := testbin.Build(t, testbin.Program{Name: "static", Env: []string{"CGO_ENABLED=0"}})
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{3, 16, 63, 64, 200, 4096, len(b) / 3, len(b) / 2, len(b) - 1} {
		_, err := Read("cut", bytes.NewReader(b[:n]))
		if err == nil {
			t.Errorf("truncated to %d of %d bytes: no error", n, len(b))
			continue
		}
		if !strings.HasPrefix(err.Error(), "cut: ") {
			t.Errorf("truncated to %d: error %q does not name the file", n, err)
		}
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r *os.File
	n atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// TestReadsOnlyHeaders checks that the bytes read do not grow with the
// binary: a program with 32 MB of embedded data costs no more to read than
// hello world (allowing slack for the bigger symbol tables).
func TestReadsOnlyHeaders(t *testing.T) {
	small := testbin.Build(t, testbin.Program{Name: "small", Env: []string{"CGO_ENABLED=0"}})
	big := testbin.Build(t, testbin.Program{Name: "big", Env: []string{"CGO_ENABLED=0"}, Main: `package main

import "fmt"

var blob = [32 << 20]byte{1, 2, 3}

func main() { fmt.Println(blob[1]) }
`})
	read := func(p string) (int64, int64) {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		st, _ := f.Stat()
		c := &countingReader{r: f}
		if _, err := Read(p, c); err != nil {
			t.Fatal(err)
		}
		return c.n.Load(), st.Size()
	}
	ns, ss := read(small)
	nb, sb := read(big)
	t.Logf("hello: read %d of %d bytes; 32 MB data: read %d of %d bytes", ns, ss, nb, sb)
	if sb < ss+(16<<20) {
		t.Fatalf("big binary is only %d bytes; the test needs it large", sb)
	}
	if nb > ns+(1<<20) {
		t.Errorf("reading grows with the binary: %d bytes for %d, %d for %d", nb, sb, ns, ss)
	}
}

func TestScan(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	bin := testbin.Build(t, testbin.Program{Name: "static", Env: []string{"CGO_ENABLED=0"}})
	b, _ := os.ReadFile(bin)
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "prog"), b, 0o755)
	os.WriteFile(filepath.Join(dir, "noexec"), b, 0o644)
	os.WriteFile(filepath.Join(dir, "script"), []byte("#!/bin/sh\n"), 0o755)
	os.WriteFile(filepath.Join(dir, "broken"), append([]byte(elfMagicForTest), make([]byte, 100)...), 0o755)
	os.WriteFile(filepath.Join(outside, "away"), b, 0o755)
	os.Symlink(filepath.Join(outside, "away"), filepath.Join(dir, "link"))
	os.Symlink(outside, filepath.Join(dir, "linkdir"))

	rs := Scan([]string{dir}, ScanOptions{})
	SortByPath(rs)
	var got []string
	for _, r := range rs {
		rel, _ := filepath.Rel(dir, r.Path)
		s := rel + ":ok"
		if r.Err != nil {
			s = rel + ":err"
		}
		got = append(got, s)
	}
	want := []string{"broken:err", "link:ok", "noexec:ok", "sub/prog:ok"}
	if !slices.Equal(got, want) {
		t.Errorf("Scan = %v, want %v (file links followed, linked directories not entered, every mode tried, non-Go skipped, damaged reported)", got, want)
	}
	// A directory named through a link is walked.
	linkRoot := filepath.Join(t.TempDir(), "linkroot")
	os.Symlink(dir, linkRoot)
	if rs := Scan([]string{linkRoot}, ScanOptions{}); len(rs) != 4 {
		t.Errorf("Scan(link to dir) = %d results, want 4", len(rs))
	}
	// Named directly, a script is reported.
	rs = Scan([]string{filepath.Join(dir, "script")}, ScanOptions{})
	if len(rs) != 1 || !errors.Is(rs[0].Err, ErrNotELF) {
		t.Errorf("Scan(script) = %+v", rs)
	}
	// Named directly, a FIFO is refused without blocking on it, by
	// ReadFile and so by Scan.
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o755); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := ReadFile(fifo); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNotELF) || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("ReadFile(fifo) = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ReadFile(fifo) blocked")
	}
	if rs := Scan([]string{fifo}, ScanOptions{}); len(rs) != 1 || !errors.Is(rs[0].Err, ErrNotELF) {
		t.Errorf("Scan(fifo) = %+v", rs)
	}
	if _, err := ReadFile(fifo + "-missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile(missing) = %v, want not-exist", err)
	}
	// The limit bounds the walk.
	if rs := Scan([]string{dir}, ScanOptions{MaxFiles: 1}); len(rs) > 1 {
		t.Errorf("MaxFiles 1: %d results", len(rs))
	}
}

const elfMagicForTest = "\x7fELF\x02\x01\x01"

func FuzzRead(f *testing.F) {
	bin := testbin.Build(f, testbin.Program{Name: "static", Env: []string{"CGO_ENABLED=0"}})
	b, err := os.ReadFile(bin)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[:64])
	f.Add(b[:4096])
	f.Add(b)
	if testbin.HaveCC("gcc") {
		cb, err := os.ReadFile(testbin.Build(f, testbin.Program{Name: "cgo", Main: testbin.HelloCgo, Env: []string{"CGO_ENABLED=1"}}))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(cb)
		f.Add(cb[:len(cb)/2])
	}
	f.Add([]byte(elfMagicForTest))
	f.Add([]byte("#!/bin/sh\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Read("fuzz", bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz: ") {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		_ = info.Static()
		_ = info.GOARCH()
	})
}

// TestUsrBinNeverPanics reads every file under /usr/bin (and the Go
// distribution's bin): Read recovers from a panic in the ELF reader and
// says so, and this test fails if that ever happens.
func TestUsrBinNeverPanics(t *testing.T) {
	dirs := []string{"/usr/bin", "/usr/sbin", "/usr/local/go/bin"}
	n := 0
	for _, d := range dirs {
		if _, err := os.Stat(d); err != nil {
			continue
		}
		for _, r := range Scan([]string{d}, ScanOptions{}) {
			n++
			if r.Err != nil && strings.Contains(r.Err.Error(), "reader failed") {
				t.Errorf("%s: %v", r.Path, r.Err)
			}
		}
		// Read every regular file named directly too, Go or not.
		ents, _ := os.ReadDir(d)
		for _, e := range ents {
			if !e.Type().IsRegular() {
				continue
			}
			p := filepath.Join(d, e.Name())
			if _, err := ReadFile(p); err != nil && strings.Contains(err.Error(), "reader failed") {
				t.Errorf("%s: %v", p, err)
			}
			n++
		}
	}
	if n == 0 {
		t.Skip("no /usr/bin")
	}
}
