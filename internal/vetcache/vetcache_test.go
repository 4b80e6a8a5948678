package vetcache

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/testbin"
)

func TestActive(t *testing.T) {
	t.Setenv(EnvDir, t.TempDir())
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"/opt/go/pkg/tool/linux_amd64/compile", "-V=full"}, true},
		{[]string{"/opt/go/pkg/tool/linux_amd64/vet", "/w/go-build1/b001/vet.cfg"}, true},
		{[]string{"gcc", "-###", "-x", "c", "-c", "-"}, true},
		{[]string{"matrix", "--test"}, false},
		{[]string{"/opt/go/bin/go", "version"}, false},
		{[]string{"tool/linux_amd64/vet", "x.cfg"}, false},
		{[]string{"/opt/go/pkg/tool/linux_amd64/vet"}, false},
	} {
		if got := Active(tc.args); got != tc.want {
			t.Errorf("Active(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
	t.Setenv(EnvDir, "")
	if Active([]string{"/opt/go/pkg/tool/linux_amd64/compile", "-V=full"}) {
		t.Errorf("Active without %s", EnvDir)
	}
}

func TestRefs(t *testing.T) {
	sum := strings.Repeat("0a", 32)
	out := "# example.com/m [example.com/m.test]\n" + Ref + sum + " example.com/m [example.com/m.test]\n" +
		`{"Action":"build-output","Output":"` + Ref + sum + ` example.com/m\n"}` + "\n" +
		Ref + "nothex x\nok\n"
	sums, rest := Refs([]byte(out))
	if !reflect.DeepEqual(sums, []string{sum}) || string(rest) != "# example.com/m [example.com/m.test]\nok\n" {
		t.Errorf("Refs = %q, %q", sums, rest)
	}
	if _, err := Load(t.TempDir(), "../../etc/passwd"); err == nil {
		t.Errorf("Load of a name that is no hash: no error")
	}
}

func FuzzRefs(f *testing.F) {
	f.Add([]byte(Ref + strings.Repeat("ab", 32) + " p\n"))
	f.Add([]byte("# p\n" + Ref + "\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sums, rest := Refs(b)
		for _, s := range sums {
			if !hashRE.MatchString(s) {
				t.Fatalf("Refs gave %q", s)
			}
		}
		if len(rest) > len(b) {
			t.Fatalf("rest longer than the input")
		}
	})
}

// diags reads go vet -json output (or the vet outputs Refs names) into
// "analyzer posn message" lines, sorted.
func diags(t *testing.T, out []byte) []string {
	t.Helper()
	var ds []string
	var kept bytes.Buffer
	for _, l := range bytes.SplitAfter(out, []byte("\n")) {
		if !bytes.HasPrefix(l, []byte("#")) {
			kept.Write(l)
		}
	}
	dec := json.NewDecoder(&kept)
	for {
		var v map[string]map[string][]struct{ Posn, Message string }
		if err := dec.Decode(&v); err != nil {
			break
		}
		for _, byAn := range v {
			for an, list := range byAn {
				for _, d := range list {
					ds = append(ds, an+" "+d.Posn+" "+d.Message)
				}
			}
		}
	}
	sort.Strings(ds)
	return ds
}

// TestToolexecVetsLikeGoVet runs go test -vet=all -toolexec=gocompat on a
// module whose test file has a vet finding (a printf format with no
// argument) and whose test passes, under Go 1.21 (whose go command keeps
// no vet output) and the installed release: the test runs and passes,
// and the vet outputs the Ref lines name hold exactly what go vet -json
// reports. Run again, Go 1.21's vet is replayed from the cache; with the
// finding fixed, the next run reports nothing. Under the installed
// release, go test runs Script's shell program, which hands vet to
// gocompat.
func TestToolexecVetsLikeGoVet(t *testing.T) {
	exe := testbin.Gocompat(t)
	goroots := map[string]string{testbin.Go121: filepath.Dir(filepath.Dir(testbin.Toolchain(t, testbin.Go121)))}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skip(err)
	}
	goroots["installed"] = strings.TrimSpace(string(out))
	for name, goroot := range goroots {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			testbin.WriteFiles(t, dir, map[string]string{
				"go.mod":    "module example.com/m\n\ngo 1.21\n",
				"m.go":      "package m\n\nfunc Add(a, b int) int { return a + b }\n",
				"m_test.go": "package m\n\nimport (\n\t\"fmt\"\n\t\"testing\"\n)\n\nfunc TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tt.Fatal(\"no\")\n\t}\n\tfmt.Printf(\"%d\\n\")\n}\n",
			})
			gocmd := filepath.Join(goroot, "bin", "go")
			vet := mustGlob(t, filepath.Join(goroot, "pkg", "tool", "*_*", "vet"))
			id, err := ToolID(vet)
			if err != nil {
				t.Fatal(err)
			}
			cache := t.TempDir()
			// gocompat itself under Go 1.21, the shell script in front of it
			// under the installed release.
			toolexec := exe
			if name != testbin.Go121 {
				if toolexec = Script(cache, exe); toolexec == "" {
					t.Fatal("no toolexec script")
				}
			}
			env := append(os.Environ(), "GOROOT="+goroot, "GOTOOLCHAIN=local", "GOFLAGS=", "GOWORK=off")
			goRun := func(args ...string) ([]byte, []byte, error) {
				cmd := exec.Command(gocmd, args...)
				cmd.Dir = dir
				cmd.Env = append(env, Env(id, cache)...)
				var o, e bytes.Buffer
				cmd.Stdout, cmd.Stderr = &o, &e
				err := cmd.Run()
				return o.Bytes(), e.Bytes(), err
			}
			o, e, _ := goRun("vet", "-json", "./...")
			want := append(o, e...) // on stderr up to Go 1.23
			if len(diags(t, want)) == 0 {
				t.Fatalf("go vet -json found nothing:\n%s", want)
			}
			vetted := func() []string {
				t.Helper()
				o, e, err := goRun("test", "-json", "-count=1", "-vet=all", "-toolexec="+toolexec, "./...")
				if err != nil || !bytes.Contains(o, []byte(`"Action":"pass","Package":"example.com/m","Test":"TestAdd"`)) {
					t.Fatalf("go test: %v\n%s\n%s", err, o, e)
				}
				s1, _ := Refs(o)
				s2, _ := Refs(e)
				var got []byte
				for _, s := range append(s1, s2...) {
					b, err := Load(cache, s)
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, b...)
				}
				return diags(t, got)
			}
			if got := vetted(); !reflect.DeepEqual(got, diags(t, want)) {
				t.Errorf("vet in go test = %q\ngo vet -json = %q", got, diags(t, want))
			}
			if got := vetted(); !reflect.DeepEqual(got, diags(t, want)) {
				t.Errorf("again: %q", got)
			}
			if name == testbin.Go121 {
				if ks, _ := filepath.Glob(filepath.Join(cache, "k", "*", "*")); len(ks) == 0 {
					t.Errorf("no vet run kept for %s", name)
				}
			}
			testbin.WriteFiles(t, dir, map[string]string{"m_test.go": "package m\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tt.Fatal(\"no\")\n\t}\n}\n"})
			if got := vetted(); len(got) != 0 {
				t.Errorf("after the fix: %q", got)
			}
		})
	}
}

func mustGlob(t *testing.T, pattern string) string {
	t.Helper()
	m, err := filepath.Glob(pattern)
	if err != nil || len(m) != 1 {
		t.Fatalf("%s: %v %v", pattern, m, err)
	}
	return m[0]
}

// TestScriptRunsStdVetItself runs go vet -toolexec=Script on a package
// that imports unicode/utf8 (and assigns a variable to itself), from an
// empty build cache, so that the go
// command vets utf8 for its facts: that run goes to vet directly, and
// only the module's package reaches the program behind the script (here
// a shell program that logs its directory and starts gocompat), whose
// JSON output still comes back as a Ref line.
func TestScriptRunsStdVetItself(t *testing.T) {
	exe := testbin.Gocompat(t)
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skip(err)
	}
	goroot := strings.TrimSpace(string(out))
	dir, cache, tmp := t.TempDir(), t.TempDir(), t.TempDir()
	testbin.WriteFiles(t, dir, map[string]string{
		"go.mod":    "module example.com/m\n\ngo 1.21\n",
		"m.go":      "package m\n\nimport \"unicode/utf8\"\n\nfunc N(s string) int {\n\tn := utf8.RuneCountInString(s)\n\tn = n\n\treturn n\n}\n",
		"m_test.go": "package m\n\nimport \"testing\"\n\nfunc TestN(t *testing.T) {\n\tif N(\"é\") != 1 {\n\t\tt.Fatal(N(\"é\"))\n\t}\n}\n",
	})
	log := filepath.Join(tmp, "log")
	wrapper := filepath.Join(tmp, "wrapper")
	if err := os.WriteFile(wrapper, []byte("#!/bin/sh\necho \"$PWD\" >>'"+log+"'\nexec '"+exe+"' \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	script := Script(cache, wrapper)
	if script == "" {
		t.Skip("no /bin/sh")
	}
	id, err := ToolID(mustGlob(t, filepath.Join(goroot, "pkg", "tool", "*_*", "vet")))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "test", "-x", "-vet=all", "-toolexec="+script, "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOCACHE="+filepath.Join(tmp, "gocache"), "GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local")
	cmd.Env = append(cmd.Env, Env(id, cache)...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Run(); err != nil {
		t.Fatalf("go test: %v\n%s", err, e.Bytes())
	}
	// The go command did vet utf8 (for its facts), through the script.
	utf8Dir := filepath.Join(goroot, "src", "unicode", "utf8")
	if !regexp.MustCompile(`(?m)^cd ` + regexp.QuoteMeta(utf8Dir) + `\n.*` + regexp.QuoteMeta(script) + `.*/vet `).Match(e.Bytes()) {
		t.Fatalf("go test -x shows no vet run of unicode/utf8 through the script:\n%s", e.Bytes())
	}
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(string(b)); !reflect.DeepEqual(got, []string{dir}) {
		t.Errorf("directories vet ran in through gocompat = %q, want only the module's %q", got, dir)
	}
	refs, _ := Refs(append(o.Bytes(), e.Bytes()...))
	if len(refs) != 1 {
		t.Fatalf("Ref lines: %q\n%s%s", refs, o.Bytes(), e.Bytes())
	}
	j, err := Load(cache, refs[0])
	if err != nil {
		t.Fatal(err)
	}
	if d := diags(t, j); len(d) != 1 || !strings.HasPrefix(d[0], "assign ") {
		t.Errorf("vet findings = %q, want the one self-assignment", d)
	}
}

// A vet run's key follows what vet reads (a source's content, the
// target's GOOS) and not where the go command keeps its work (GOTMPDIR,
// a new directory every gocompat run: with it in the key, no run was
// ever replayed).
func TestKey(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "m.go")
	write := func(s string) {
		if err := os.WriteFile(src, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("package m\n")
	cfg, err := json.Marshal(map[string]any{"ID": "example.com/m", "GoFiles": []string{src}, "VetxOutput": filepath.Join(dir, "w1", "vet.out")})
	if err != nil {
		t.Fatal(err)
	}
	key := func(env ...string) string {
		t.Helper()
		k, err := Key("vet version go1.21.13", []string{"-json"}, env, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	base := key("GOOS=linux", "GOTMPDIR=/tmp/gocompat-1", "HOME=/h")
	if k := key("GOOS=linux", "GOTMPDIR=/tmp/gocompat-2", "HOME=/elsewhere"); k != base {
		t.Error("the key changed with GOTMPDIR or HOME")
	}
	if k := key("GOOS=darwin", "GOTMPDIR=/tmp/gocompat-1"); k == base {
		t.Error("the key did not change with GOOS")
	}
	write("package m\n\nvar X = 1\n")
	if k := key("GOOS=linux", "GOTMPDIR=/tmp/gocompat-1"); k == base {
		t.Error("the key did not change with the source")
	}
}
