package workflow

import (
	"fmt"
	"strings"
	"testing"
)

// mergeBomb nests YAML merge keys levels deep, each level merging the
// one below ten times: 10^levels copies of one GO variable.
func mergeBomb(levels int) string {
	var b strings.Builder
	b.WriteString("on: push\nl0: &l0 {GOFLAGS: -x}\n")
	for i := 1; i <= levels; i++ {
		ref := fmt.Sprintf("*l%d", i-1)
		fmt.Fprintf(&b, "l%d: &l%d {<<: [%s]}\n", i, i, strings.TrimSuffix(strings.Repeat(ref+",", 10), ","))
	}
	fmt.Fprintf(&b, "env: {<<: *l%d}\njobs: {}\n", levels)
	return b.String()
}

// TestMergeBomb: 300 bytes of nested merges made a hundred thousand Env
// entries (a million at six levels, 2.2 GB); five levels here. A merge brings each key in
// once, as YAML's merge key type says, so the file has one GOFLAGS.
func TestMergeBomb(t *testing.T) {
	src := mergeBomb(5)
	if len(src) > 600 {
		t.Fatalf("bomb is %d bytes", len(src))
	}
	f, err := Parse("bomb.yml", GitHub, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Env) != 1 || f.Env[0].Name != "GOFLAGS" {
		t.Errorf("Env has %d entries, want one GOFLAGS", len(f.Env))
	}
}

// TestMergeSemantics: a key written in the mapping wins over a merged
// one wherever it stands; of merged mappings, the earlier wins.
func TestMergeSemantics(t *testing.T) {
	src := `on: push
a: &a {GOFLAGS: from-a, GOOS: from-a}
b: &b {GOFLAGS: from-b, GOARCH: from-b}
env:
  GOOS: own
  <<: [*a, *b]
jobs: {}
`
	f, err := Parse("m.yml", GitHub, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range f.Env {
		if _, dup := got[e.Name]; dup {
			t.Errorf("%s appears twice", e.Name)
		}
		got[e.Name] = e.Value
	}
	want := map[string]string{"GOOS": "own", "GOFLAGS": "from-a", "GOARCH": "from-b"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

// TestMergeLimit: merges that bring in more than MaxMergedPairs entries
// over the file stop there, and the file says where.
func TestMergeLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("on: push\nwide: &w {")
	for i := range 200 {
		fmt.Fprintf(&b, "K%d: v, ", i)
	}
	b.WriteString("GOFLAGS: -x}\njobs:\n  test:\n    steps:\n")
	for range 60 {
		b.WriteString("      - env: {<<: *w}\n        run: go test\n")
	}
	f, err := Parse("wide.yml", GitHub, []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if f.MergeLimit == nil {
		t.Fatal("MergeLimit not set after 60 merges of 201 keys")
	}
	if f.MergeLimit.Line < 5 {
		t.Errorf("MergeLimit at line %d, want a step's merge key", f.MergeLimit.Line)
	}
	small, err := Parse("m.yml", GitHub, []byte(mergeBomb(3)))
	if err != nil || small.MergeLimit != nil {
		t.Errorf("a small merge set MergeLimit: %v %v", small.MergeLimit, err)
	}
}
