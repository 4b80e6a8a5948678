package facts

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/testbin"
)

// TestEmbeddedGodebugsMatchGOROOT keeps the embedded table equal to the
// installed toolchain's; run `go generate ./internal/facts` when it fails.
func TestEmbeddedGodebugsMatchGOROOT(t *testing.T) {
	root := goroot(t)
	got, err := ReadGodebugs(root)
	if err != nil {
		t.Fatalf("ReadGodebugs(%s): %v", root, err)
	}
	emb := EmbeddedGodebugs()
	if !reflect.DeepEqual(got, emb) {
		gb, _ := EncodeGodebugTable(got)
		eb, _ := EncodeGodebugTable(emb)
		t.Fatalf("embedded GODEBUG table (%s) differs from %s (%s); run go generate ./internal/facts\n--- GOROOT\n%.2000s\n--- embedded\n%.2000s",
			emb.GoVersion, root, got.GoVersion, gb, eb)
	}

	if tb, fromRoot := Godebugs(root); !fromRoot || tb.GoVersion != got.GoVersion {
		t.Errorf("Godebugs(%s) did not read GOROOT", root)
	}
	if _, fromRoot := Godebugs(t.TempDir()); fromRoot {
		t.Errorf("Godebugs(empty dir) claims to have read a GOROOT")
	}
}

func TestGodebugTableContents(t *testing.T) {
	tb := EmbeddedGodebugs()
	mux, ok := tb.Lookup("httpmuxgo121")
	if !ok || mux.Package != "net/http" || mux.Changed != 22 || mux.Old != "1" {
		t.Errorf("httpmuxgo121 = %+v, want net/http, 22, old 1", mux)
	}
	if !strings.Contains(mux.NewBehavior, "ServeMux") {
		t.Errorf("httpmuxgo121 new behaviour %q does not mention ServeMux", mux.NewBehavior)
	}
	for _, s := range tb.Settings {
		if s.Changed == 0 {
			continue
		}
		if s.Old == "" || s.NewBehavior == "" || s.OldBehavior == "" || s.Doc == "" {
			t.Errorf("%s: changed in 1.%d but incomplete: %+v", s.Name, s.Changed, s)
		}
		if strings.Contains(s.NewBehavior, "](") {
			t.Errorf("%s: markdown link left in %q", s.Name, s.NewBehavior)
		}
	}
	if r, ok := tb.LookupRemoved("x509sha1"); !ok || r.Removed != 24 {
		t.Errorf("x509sha1 removal = %+v %v, want 24", r, ok)
	}
}

func TestChangedBetween(t *testing.T) {
	tb := &GodebugTable{Settings: []GodebugSetting{
		{Name: "a19", Changed: 19, Old: "0"},
		{Name: "b21", Changed: 21, Old: "1"},
		{Name: "c22", Changed: 22, Old: "1"},
		{Name: "d23", Changed: 23, Old: "1"},
		{Name: "never"},
	}}
	names := func(ss []GodebugSetting) string {
		var n []string
		for _, s := range ss {
			n = append(n, s.Name)
		}
		return strings.Join(n, ",")
	}
	for _, tc := range []struct{ from, to, want string }{
		{"1.21", "1.22", "c22"},
		{"1.21", "1.23", "c22,d23"},
		{"1.21.5", "go1.23.1", "c22,d23"},
		{"1.15", "1.22", "b21,c22"}, // floor: 1.15 gets Go 1.20 defaults, so a19 does not flip
		{"", "1.21", "b21"},
		{"1.22", "1.22", ""},
		{"1.23", "1.22", ""},
	} {
		if got := names(tb.ChangedBetween(tc.from, tc.to)); got != tc.want {
			t.Errorf("ChangedBetween(%q, %q) = %q, want %q", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestParseGodebugTableErrors(t *testing.T) {
	for name, src := range map[string]string{
		"syntax":   "package godebugs\nvar All = []Info{",
		"noall":    "package godebugs\n",
		"noname":   "package godebugs\nvar All = []Info{{Package: \"x\"}}",
		"badvalue": "package godebugs\nvar All = []Info{{Name: f()}}",
		"nokey":    "package godebugs\nvar All = []Info{{\"x\"}}",
	} {
		_, _, err := ParseGodebugTable("table.go", []byte(src))
		if err == nil {
			t.Errorf("%s: no error", name)
		} else if !strings.Contains(err.Error(), "table.go") {
			t.Errorf("%s: error %q does not name the file", name, err)
		}
	}
}

func FuzzParseGodebugTable(f *testing.F) {
	if root, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
		if b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(root)), "src", "internal", "godebugs", "table.go")); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("package godebugs\nvar All = []Info{{Name: \"a\", Package: \"p\", Changed: 22, Old: \"1\", Opaque: true}}\nvar Removed = []RemovedInfo{{Name: \"b\", Removed: 24}}"))
	f.Add([]byte("package godebugs\nvar All = []Info{{Name: \"a\", Changed: 99999999999999999999}}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		settings, _, err := ParseGodebugTable("table.go", src)
		if err != nil {
			if !strings.Contains(err.Error(), "table.go") {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		for _, s := range settings {
			if s.Name == "" {
				t.Errorf("setting without a name: %+v", s)
			}
		}
	})
}

func FuzzParseGodebugDoc(f *testing.F) {
	if root, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
		if b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(root)), "doc", "godebug.md")); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("### Go 1.22\n\nGo 1.22 changed `x`. Using `x=1` restores it.\n"))
	f.Add([]byte("### Go 1.99999999999999999999\n\ntext.\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		paras := ParseGodebugDoc(src)
		settings := []GodebugSetting{{Name: "x", Changed: 22, Old: "1"}}
		AttachGodebugDoc(settings, paras)
		if settings[0].NewBehavior == "" || settings[0].OldBehavior == "" {
			t.Errorf("no behaviour lines for a changed setting: %+v", settings[0])
		}
	})
}

// TestReadGodebugsFromToolchainModule reads the table of a release taken
// through the module proxy: golang.org/toolchain modules ship no doc/
// directory, and Go 1.27's Removed entries carry a func-valued Old field.
// The table must still be that release's own.
func TestReadGodebugsFromToolchainModule(t *testing.T) {
	goBin := testbin.Toolchain(t, testbin.NewestRelease)
	root := filepath.Dir(filepath.Dir(goBin))
	if _, err := os.Stat(filepath.Join(root, "doc", "godebug.md")); err == nil {
		t.Skipf("%s has doc/godebug.md; this test is about toolchains without it", root)
	}
	tb, fromRoot := Godebugs(root)
	if !fromRoot {
		t.Fatalf("Godebugs(%s) fell back to the embedded table", root)
	}
	if tb.GoVersion != testbin.NewestRelease || tb.DocFrom == "" {
		t.Fatalf("table %s, DocFrom %q", tb.GoVersion, tb.DocFrom)
	}
	src, err := os.ReadFile(filepath.Join(root, "src", "internal", "godebugs", "table.go"))
	if err != nil {
		t.Fatal(err)
	}
	// Every setting the source names is in the table, with its Changed.
	for _, s := range tb.Settings {
		if !strings.Contains(string(src), `{Name: "`+s.Name+`"`) {
			t.Errorf("%s not in %s's table.go", s.Name, root)
		}
		if s.Changed != 0 && (s.NewBehavior == "" || s.OldBehavior == "") {
			t.Errorf("%s: no behaviour texts", s.Name)
		}
	}
	if n := strings.Count(string(src), "\t{Name: \""); n != len(tb.Settings)+len(tb.Removed) {
		t.Errorf("table.go has %d entries, read %d settings + %d removed", n, len(tb.Settings), len(tb.Removed))
	}
	for _, r := range tb.Removed {
		if r.Removed == 0 {
			t.Errorf("removed %s without a release", r.Name)
		}
	}
}
