package workflow

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/parseerr"
)

func load(t *testing.T, name, kind string) *File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(name, kind, data)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func summary(f *File) []string {
	var out []string
	for _, g := range f.GoVersions {
		out = append(out, fmt.Sprintf("%d:%d %s %s %q m=%s float=%v", g.Line, g.Column, g.Job, g.Source, g.Value, g.FromMatrix, g.Float))
	}
	for _, e := range f.Env {
		out = append(out, fmt.Sprintf("%d:%d env %s %s=%s", e.Line, e.Column, e.Scope, e.Name, e.Value))
	}
	return out
}

func TestGitHub(t *testing.T) {
	got := summary(load(t, "ci.yml", GitHub))
	want := []string{
		`10:14 test setup-go "1.22" m=go float=false`,
		`10:22 test setup-go "1.23" m=go float=false`,
		`12:17 test setup-go "1.20" m=go float=true`,
		`23:16 lint image "golang:1.21-alpine" m= float=false`,
		`27:28 lint setup-go-file "go.mod" m= float=false`,
		`4:12 env workflow GOFLAGS=-mod=mod`,
		`20:24 env step GOTOOLCHAIN=local`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestGitLab(t *testing.T) {
	got := summary(load(t, "gitlab-ci.yml", GitLab))
	want := []string{
		`1:8  image "golang:1.21" m= float=false`,
		`11:11 test image "golang:1.22-bookworm" m= float=false`,
		`23:22 matrix-test image "golang:1.23" m=GO_VERSION float=false`,
		`23:30 matrix-test image "golang:1.24" m=GO_VERSION float=false`,
		`4:16 env global GOTOOLCHAIN=auto`,
		`5:16 env global CGO_ENABLED=0`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseErrorNamesFile(t *testing.T) {
	for _, tc := range []struct {
		src  string
		line int // the line the error blames; 0: the YAML parser names none
	}{
		{"jobs: [", 1},
		{"- a\n- b\n", 1},
		{"a: b: c", 0},
		{"on: push\njobs:\n  a: [\n", 3},
	} {
		_, err := Parse(".github/workflows/x.yml", GitHub, []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), ".github/workflows/x.yml") {
			t.Errorf("Parse(%q) error = %v, want one naming the file", tc.src, err)
		}
		if got := parseerr.Line(err); got != tc.line {
			t.Errorf("Parse(%q) error blames line %d, want %d", tc.src, got, tc.line)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, n := range []string{"ci.yml", "gitlab-ci.yml"} {
		if data, err := os.ReadFile(filepath.Join("testdata", n)); err == nil {
			f.Add(data, true)
			f.Add(data, false)
		}
	}
	f.Add([]byte("a: &x [*x]\n"), true)
	// Nested merge keys: each level merges the one below ten times.
	f.Add([]byte(mergeBomb(6)), true)
	f.Add([]byte(mergeBomb(6)), false)
	f.Fuzz(func(t *testing.T, data []byte, github bool) {
		kind := GitLab
		if github {
			kind = GitHub
		}
		if _, err := Parse("wf.yml", kind, data); err != nil && !strings.Contains(err.Error(), "wf.yml") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "ci.yml"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		if _, err := Parse("ci.yml", GitHub, data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEnvSubstitution: `${{ env.NAME }}` takes the step's, then the job's,
// then the workflow's value, anchored where that value is written.
func TestEnvSubstitution(t *testing.T) {
	src := `env:
  GO_VERSION: "1.19"
  IMAGE_GO: "1.18"
jobs:
  a:
    container: golang:${{ env.IMAGE_GO }}
    steps:
      - uses: actions/setup-go@v5
        with:
          go-version: ${{ env.GO_VERSION }}
  b:
    env:
      GO_VERSION: 1.20
    steps:
      - uses: actions/setup-go@v5
        with:
          go-version: ${{ env.GO_VERSION }}
      - uses: actions/setup-go@v5
        env:
          GO_VERSION: "~1.18.4"
        with:
          go-version: ${{ env.GO_VERSION }}
      - uses: actions/setup-go@v5
        with:
          go-version: ${{ env.UNSET }}
`
	f, err := Parse("ci.yml", GitHub, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range f.GoVersions {
		got = append(got, fmt.Sprintf("%d %s %q env=%s float=%v", g.Line, g.Job, g.Value, g.FromEnv, g.Float))
	}
	want := []string{
		`3 a "golang:1.18" env=IMAGE_GO float=false`,
		`2 a "1.19" env=GO_VERSION float=false`,
		`13 b "1.20" env=GO_VERSION float=true`,
		`20 b "~1.18.4" env=GO_VERSION float=false`,
		`25 b "${{ env.UNSET }}" env= float=false`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
