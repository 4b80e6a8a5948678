package unit

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	fsys := os.DirFS("testdata/tree")
	u, err := Load(fsys, "units/app.service", LoadOptions{EnvRoot: fsys})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(u.DropIns, []string{"units/app.service.d/10-limits.conf"}) {
		t.Errorf("drop-ins = %q", u.DropIns)
	}
	es, ok := u.Value("Service", "ExecStart")
	if !ok || es.Line != 8 || !strings.Contains(es.Value, "-listen :8080") {
		t.Errorf("ExecStart = %+v", es)
	}
	mm, _ := u.Value("Service", "MemoryMax")
	if mm.Value != "1G" || mm.File != "units/app.service.d/10-limits.conf" || mm.Line != 4 {
		t.Errorf("MemoryMax = %+v", mm)
	}
	type ev struct {
		Name, Value, File string
		Line              int
	}
	var got []ev
	for _, e := range u.Env {
		got = append(got, ev{e.Name, e.Value, e.File, e.Line})
	}
	want := []ev{
		// The drop-in's empty Environment= reset the unit's own.
		{"GOMEMLIMIT", "400MiB", "units/app.service.d/10-limits.conf", 3},
		{"GOEXPERIMENT", "greenteagc", "etc/default/app", 2},
		{"GOFLAGS", "-mod=vendor", "etc/default/app", 3},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("env =\n%v\nwant\n%v", got, want)
	}
	if len(u.EnvFiles) != 2 || u.EnvFiles[0].Found != "etc/default/app" || u.EnvFiles[1].Found != "" || !u.EnvFiles[1].Optional {
		t.Errorf("env files = %+v", u.EnvFiles)
	}
}

func TestSplitQuoted(t *testing.T) {
	got := SplitQuoted(`"A=x y" B=2 'C=3 4' D=a\ b`)
	want := []string{"A=x y", "B=2", "C=3 4", "D=a b"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SplitQuoted = %q, want %q", got, want)
	}
}

func TestParseErrorNamesFile(t *testing.T) {
	for _, src := range []string{"[Service\nA=1\n", "[Service]\nno equals\n"} {
		_, err := Parse("x.service", []byte(src))
		if err == nil || !strings.Contains(err.Error(), "x.service") {
			t.Errorf("Parse(%q) error = %v, want one naming the file", src, err)
		}
	}
}

// TestRealUnits parses every unit file of this machine.
func TestRealUnits(t *testing.T) {
	n := 0
	for _, dir := range []string{"/lib/systemd/system", "/usr/lib/systemd/system", "/etc/systemd"} {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			switch filepath.Ext(p) {
			case ".service", ".socket", ".timer", ".mount", ".target", ".path", ".slice", ".conf":
			default:
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			n++
			if _, err := Parse(p, data); err != nil && !strings.Contains(err.Error(), p) {
				t.Errorf("error does not name the file: %v", err)
			}
			if filepath.Ext(p) == ".service" {
				if _, err := Load(os.DirFS(filepath.Dir(p)), filepath.Base(p), LoadOptions{EnvRoot: os.DirFS("/")}); err != nil && !strings.Contains(err.Error(), filepath.Base(p)) {
					t.Errorf("load error does not name the file: %v", err)
				}
			}
			return nil
		})
	}
	if n == 0 {
		t.Skip("no systemd unit files on this machine")
	}
	t.Logf("parsed %d unit files", n)
}

func FuzzParse(f *testing.F) {
	_ = filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
		return nil
	})
	f.Add([]byte("[Service]\nEnvironment=\"A=\\\"x\" \\\n B=2\n"))
	// Inputs of the hostile-input review: terminal escapes in keys and
	// values, and a long run of continuation lines (100,000 kept
	// systemd-analyze busy for 82 s; the parser must stay linear).
	f.Add([]byte("[Service]\nExecStart=/bin/x \x1b]0;owned\x07\nEnvironment=GODEBUG=x\x1b[2J=1\n"))
	f.Add([]byte("[Service]\nEnvironment=A=1 \\\n" + strings.Repeat(" x \\\n", 2000) + " y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		opts, err := Parse("fuzz.service", data)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.service") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, o := range opts {
			SplitQuoted(o.Value)
		}
		ParseVerify(data)
		if _, err := ParseEnvFile("fuzz.env", data); err != nil && !strings.Contains(err.Error(), "fuzz.env") {
			t.Fatalf("env file error does not name the file: %v", err)
		}
	})
}

func TestVerifyRealSystemdAnalyze(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "bad.service")
	if err := os.WriteFile(p, []byte("[Service]\nExecStart=/bin/true\nFooBar=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	msgs, err := Verify(context.Background(), analyze, p, VerifyTimeout)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range msgs {
		if m.File == p && m.Line == 3 && strings.Contains(m.Text, "FooBar") {
			found = true
		}
	}
	if !found {
		t.Errorf("no message for line 3 in %+v", msgs)
	}
}

func TestParseVerify(t *testing.T) {
	got := ParseVerify([]byte("/x/app.service:8: Unknown key 'Foo' in section [Service], ignoring.\napp.service: Command /usr/local/bin/app is not executable: No such file or directory\nsomething else\n"))
	want := []VerifyMessage{
		{File: "/x/app.service", Line: 8, Text: "Unknown key 'Foo' in section [Service], ignoring."},
		{File: "app.service", Text: "Command /usr/local/bin/app is not executable: No such file or directory"},
		{Text: "something else"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
}

// BenchmarkParseRealUnits parses this machine's service units.
func BenchmarkParseRealUnits(b *testing.B) {
	var files [][]byte
	paths, _ := filepath.Glob("/lib/systemd/system/*.service")
	for _, p := range paths {
		if d, err := os.ReadFile(p); err == nil {
			files = append(files, d)
		}
	}
	if len(files) == 0 {
		b.Skip("no unit files")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range files {
			_, _ = Parse("x.service", d)
		}
	}
	b.ReportMetric(float64(len(files)), "units/op")
}
