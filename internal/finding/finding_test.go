package finding

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidID(t *testing.T) {
	for id, ok := range map[string]bool{
		"toolchain/go-not-on-path": true, "a/b": true, "binary/glibc2-too-new": true,
		"toolchain": false, "/x": false, "x/": false, "a/b/c": false, "A/b": false, "a/b_c": false, "a b/c": false,
	} {
		if err := ValidID(id); (err == nil) != ok {
			t.Errorf("ValidID(%q) = %v", id, err)
		}
	}
}

func TestThreshold(t *testing.T) {
	fs := []Finding{{Severity: Warning}, {Severity: Error, Suppressed: "why"}}
	for in, fails := range map[string]bool{"error": false, "warning": true, "info": true, "never": false, "WARN": true} {
		th, err := ParseThreshold(in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if th.Fails(fs) != fails {
			t.Errorf("--fail-on %s: Fails = %v", in, !fails)
		}
	}
	if _, err := ParseThreshold("fatal"); err == nil {
		t.Error("fatal accepted")
	}
}

func TestSortAndCount(t *testing.T) {
	fs := []Finding{
		{Check: "b/x", Severity: Info},
		{Check: "a/x", Severity: Error, Location: Location{File: "b.go", Line: 2}},
		{Check: "a/x", Severity: Error, Location: Location{File: "b.go", Line: 1, Column: 3}},
		{Check: "a/y", Severity: Warning, Suppressed: "r"},
	}
	Sort(fs)
	if fs[0].Location.Line != 1 || fs[1].Location.Line != 2 || fs[2].Severity != Warning || fs[3].Severity != Info {
		t.Errorf("order: %+v", fs)
	}
	if c := Count(fs); c != (Counts{Error: 2, Info: 1, Suppressed: 1}) {
		t.Errorf("Count = %+v", c)
	}
}

func TestLocationString(t *testing.T) {
	for loc, want := range map[Location]string{
		{File: "a.go", Line: 3, Column: 4}:                  "a.go:3:4",
		{File: "a.go", Line: 3}:                             "a.go:3",
		{Object: "GOROOT=/x"}:                               "GOROOT=/x",
		{File: "u.service", Line: 2, Object: "app.service"}: "u.service:2 (app.service)",
		{}: "",
	} {
		if got := loc.String(); got != want {
			t.Errorf("%+v.String() = %q, want %q", loc, got, want)
		}
	}
}

func TestRegistry(t *testing.T) {
	r := NewRegistry()
	r.Add(Check{ID: "b/y"}, Check{ID: "a/x"})
	if all := r.All(); len(all) != 2 || all[0].ID != "a/x" {
		t.Errorf("All = %+v", all)
	}
	r.SetHelp("a/x", "help")
	if c, ok := r.Lookup("a/x"); !ok || c.Help != "help" {
		t.Errorf("Lookup = %+v", c)
	}
	defer func() {
		if recover() == nil {
			t.Error("duplicate ID accepted")
		}
	}()
	r.Add(Check{ID: "a/x"})
}

func TestClip(t *testing.T) {
	long := strings.Repeat("é", 300) // 600 bytes, two per character
	got := Clip(long)
	if !strings.HasSuffix(got, "… (600 bytes)") || len(got) > MaxQuoted+len("… (600 bytes)") || !utf8.ValidString(got) {
		t.Errorf("Clip = %q", got)
	}
	if Clip("short") != "short" {
		t.Error("Clip changed a short value")
	}
	f := New(Check{ID: "a/b"}, Location{}, strings.Repeat("x", 10<<20), strings.Repeat("y", MaxMessage+1))
	if len(f.Message) > MaxMessage+32 || len(f.Fix) > MaxMessage+32 {
		t.Errorf("New kept a %d-byte message and a %d-byte fix", len(f.Message), len(f.Fix))
	}
}
