package dockerfile

import (
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func parseFile(t *testing.T, name string) *File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(name, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestMultiStage(t *testing.T) {
	f := parseFile(t, "multistage.Dockerfile")
	if len(f.Stages) != 2 {
		t.Fatalf("stages = %d, want 2", len(f.Stages))
	}
	b, fin := f.Stages[0], f.Stages[1]
	if b.Base != "golang:1.22-alpine" || b.BaseRaw != "golang:${GO_VERSION}-alpine" || b.Line != 5 || b.Name != "build" {
		t.Errorf("build stage = %q (raw %q) line %d name %q", b.Base, b.BaseRaw, b.Line, b.Name)
	}
	if fin.Base != "gcr.io/distroless/static-debian12" || fin.BaseStage != -1 || fin.Line != 17 {
		t.Errorf("final stage = %q base stage %d line %d", fin.Base, fin.BaseStage, fin.Line)
	}
	if v, ok := b.EnvValue("GOFLAGS"); !ok || v.Value != "-mod=readonly" || v.Line != 7 {
		t.Errorf("GOFLAGS = %+v", v)
	}
	if len(b.Runs) != 2 {
		t.Fatalf("runs = %d", len(b.Runs))
	}
	r := b.Runs[1]
	if r.Line != 13 || len(r.Go) != 2 {
		t.Fatalf("run line %d, go commands %d: %q", r.Line, len(r.Go), r.Script)
	}
	g := r.Go[0]
	if g.Env["GOOS"] != "linux" || g.Flags["-trimpath"] != "true" || g.Flags["-o"] != "/out/server" || g.Flags["-ldflags"] != "-s -w" {
		t.Errorf("go build = %+v", g)
	}
	if out, ok := g.Output(r.Env, ""); !ok || out != "/out/server" {
		t.Errorf("output = %q %v", out, ok)
	}
	inst := r.Go[1]
	if inst.Verb != "install" || inst.Env["GOAMD64"] != "v3" {
		t.Errorf("go install = %+v", inst)
	}
	if out, ok := inst.Output(r.Env, ""); !ok || out != "/go/bin/tool" {
		t.Errorf("install output = %q %v", out, ok)
	}
	if r.Env["CGO_ENABLED"] != "0" || r.Env["TARGETOS"] != "linux" {
		t.Errorf("run env = %v", r.Env)
	}
	if len(fin.Copies) != 1 || fin.Copies[0].FromStage != 0 || fin.Copies[0].Dest != "/usr/local/bin/" || fin.Copies[0].Line != 19 {
		t.Errorf("copy = %+v", fin.Copies[0])
	}
	if fin.Entrypoint == nil || !reflect.DeepEqual(fin.Entrypoint.Args, []string{"/usr/local/bin/server"}) || fin.Entrypoint.Line != 21 {
		t.Errorf("entrypoint = %+v", fin.Entrypoint)
	}
	if fin.Healthcheck == nil || fin.Healthcheck.Args[0] != "/usr/local/bin/server" || fin.Healthcheck.Line != 22 {
		t.Errorf("healthcheck = %+v", fin.Healthcheck)
	}
	if v, ok := fin.EnvValue("GOMEMLIMIT"); !ok || v.Line != 18 {
		t.Errorf("GOMEMLIMIT = %+v", v)
	}
}

func TestExpansionRules(t *testing.T) {
	src := `ARG V=1.21
ARG IMG=golang:$V
FROM $IMG AS a
ARG V
ENV X=$V Y=${V}-x
ENV CGO_ENABLED=1
FROM a AS b
ARG V=9
ENV Z=$X
FROM b
`
	f, err := Parse("Dockerfile", []byte(src), &Options{BuildArgs: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := f.Stages[0], f.Stages[1], f.Stages[2]
	if a.Base != "golang:1.21" {
		t.Errorf("a.Base = %q", a.Base)
	}
	if v, _ := a.EnvValue("X"); v.Value != "1.21" {
		t.Errorf("X = %q", v.Value)
	}
	if v, _ := a.EnvValue("Y"); v.Value != "1.21-x" {
		t.Errorf("Y = %q", v.Value)
	}
	if b.BaseStage != 0 {
		t.Errorf("b.BaseStage = %d", b.BaseStage)
	}
	if v, ok := b.EnvValue("CGO_ENABLED"); !ok || v.Stage != 0 || v.Line != 6 {
		t.Errorf("inherited CGO_ENABLED = %+v", v)
	}
	if v, _ := b.EnvValue("Z"); v.Value != "1.21" {
		t.Errorf("Z = %q", v.Value)
	}
	if c.BaseStage != 1 || len(c.Env) != 4 {
		t.Errorf("c = base %d env %+v", c.BaseStage, c.Env)
	}
}

func TestParseErrorNamesFile(t *testing.T) {
	for _, src := range []string{"", "RUN echo\n", "FROM\n", "FROM x\nHEALTHCHECK --interval=x CMD y\n"} {
		_, err := Parse("deploy/Dockerfile", []byte(src), nil)
		if err == nil || !strings.Contains(err.Error(), "deploy/Dockerfile") {
			t.Errorf("Parse(%q) error = %v, want one naming the file", src, err)
		}
	}
}

func TestEnvChains(t *testing.T) {
	f, err := Parse("Dockerfile", []byte("FROM golang\nWORKDIR /app\nRUN env CGO_ENABLED=0 env GOOS=linux GOARCH=amd64 go build -o myapp\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := f.Stages[0].Runs[0]
	if len(r.Go) != 1 {
		t.Fatalf("go commands = %d in %q", len(r.Go), r.Script)
	}
	g := r.Go[0]
	if g.Env["CGO_ENABLED"] != "0" || g.Env["GOOS"] != "linux" || g.Env["GOARCH"] != "amd64" {
		t.Errorf("env = %v", g.Env)
	}
	if out, _ := g.Output(r.Env, ""); out != "/app/myapp" {
		t.Errorf("output = %q", out)
	}
}

func TestSplitCommands(t *testing.T) {
	got := SplitCommands("a 'x;y' && b \"p|q\" ; c \\\n d | e\n# comment; x\nf")
	want := []string{"a 'x;y'", "b \"p|q\"", "c   d", "e", "f"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("splitCommands = %q, want %q", got, want)
	}
	// ${VAR}, $(command) and $((n)) are words, not groups or subshells.
	got = SplitCommands("go build -o ${BIN:-app} . && echo $(date +%s) $((1+(2))); (cd x && y) || { z; }")
	want = []string{"go build -o ${BIN:-app} .", "echo $(date +%s) $((1+(2)))", "cd x", "y", "z"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("splitCommands = %q, want %q", got, want)
	}
}

// TestRunWithBracedVariable: a RUN's ${VAR} reaches the go command whole
// (the splitter once cut the script at its brace).
func TestRunWithBracedVariable(t *testing.T) {
	f, err := Parse("Dockerfile", []byte("FROM golang:1.22\nENV BIN=/out/app\nRUN go build -o ${BIN} ./cmd/x\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	runs := f.Stages[0].Runs
	if len(runs) != 1 || len(runs[0].Go) != 1 {
		t.Fatalf("runs = %+v", runs)
	}
	g := runs[0].Go[0]
	if g.Flags["-o"] != "/out/app" || len(g.Packages) != 1 || g.Packages[0] != "./cmd/x" {
		t.Errorf("go command = flags %v, packages %q", g.Flags, g.Packages)
	}
}

func FuzzParse(f *testing.F) {
	entries, _ := os.ReadDir("testdata")
	for _, e := range entries {
		if data, err := os.ReadFile(filepath.Join("testdata", e.Name())); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("FROM scratch\nCOPY --from=0 / /\n"))
	f.Add([]byte("ARG A=${B:-x}\nFROM a$A\nRUN <<EOF\ngo build -o /x .\nEOF\n"))
	// Terminal escapes (hostile-input review): they must pass through
	// as data, to be escaped by the text renderer.
	f.Add([]byte("FROM golang:1.22\x1b]0;owned\x07\nENV GOFLAGS=\"\x1b[2J-bad\"\nRUN go build -o /app .\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("Dockerfile", data, nil)
		if err != nil {
			if !strings.Contains(err.Error(), "Dockerfile") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, s := range file.Stages {
			for _, r := range s.Runs {
				for _, g := range r.Go {
					g.Output(r.Env, "example.com/m")
				}
			}
		}
	})
}

// TestNoStderrOnBadBytes: BuildKit's lexer (text/scanner) prints to
// standard error on NUL and invalid UTF-8; Parse must not feed it those.
func TestNoStderrOnBadBytes(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stderr
	os.Stderr = w
	_, _ = Parse("Dockerfile", []byte("ARG A=$\x00B\nFROM a$A\nRUN go build \x00 \xff $A\n"), nil)
	os.Stderr = old
	w.Close()
	out, _ := io.ReadAll(r)
	if len(out) > 0 {
		t.Errorf("Parse wrote to stderr: %q", out)
	}
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "multistage.Dockerfile"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		if _, err := Parse("Dockerfile", data, nil); err != nil {
			b.Fatal(err)
		}
	}
}
