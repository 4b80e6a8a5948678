package sbom

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/sbom/sbomtest"
	"github.com/gocompat/gocompat/internal/testbin"
)

var tool = Tool{Name: "gocompat", Version: "v0.0.0-test"}

// writeTree writes files (slash paths → content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// moduleFixture is a module whose go.sum states golang.org/x/mod's hash
// (a module of the proxy, already in the module cache because gocompat
// builds with it), with one local dependency every platform compiles and
// one that only a Windows file imports.
func moduleFixture(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "mod", "download", "-json", "golang.org/x/mod@v0.43.0").Output()
	if err != nil {
		t.Skipf("go mod download golang.org/x/mod@v0.43.0 (offline?): %v", err)
	}
	var dl struct{ Sum, GoModSum string }
	if err := json.Unmarshal(out, &dl); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"app/go.mod": `module example.com/app

go 1.26.0

require (
	example.com/always v1.0.0
	example.com/winonly v1.0.0
	golang.org/x/mod v0.43.0
)

replace (
	example.com/always v1.0.0 => ../always
	example.com/winonly v1.0.0 => ../winonly
)
`,
		"app/go.sum": "golang.org/x/mod v0.43.0 " + dl.Sum + "\ngolang.org/x/mod v0.43.0/go.mod " + dl.GoModSum + "\n",
		"app/main.go": `package main

import (
	"fmt"

	"example.com/always"
	"golang.org/x/mod/semver"
)

func main() { fmt.Println(always.X, semver.IsValid("v1.0.0")) }
`,
		"app/main_windows.go": "package main\n\nimport _ \"example.com/winonly\"\n",
		"always/go.mod":       "module example.com/always\n\ngo 1.24\n",
		"always/always.go":    "package always\n\nconst X = 1\n",
		"winonly/go.mod":      "module example.com/winonly\n\ngo 1.24\n",
		"winonly/winonly.go":  "package winonly\n",
	})
	return filepath.Join(dir, "app")
}

func refs(inv *Inventory) []string {
	var out []string
	for _, c := range inv.Components {
		out = append(out, c.Path+"@"+c.Version)
	}
	return out
}

func goVersion(t *testing.T) string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		t.Skip("go not on PATH")
	}
	return StdVersion(string(bytes.TrimSpace(out)))
}

func TestFromModulePlatform(t *testing.T) {
	dir := moduleFixture(t)
	std := "stdlib@" + goVersion(t)
	for _, tc := range []struct {
		goos string
		want []string
	}{
		{"linux", []string{"example.com/always@v1.0.0", "golang.org/x/mod@v0.43.0", std}},
		{"windows", []string{"example.com/always@v1.0.0", "example.com/winonly@v1.0.0", "golang.org/x/mod@v0.43.0", std}},
	} {
		inv, err := FromModule(context.Background(), ModuleOptions{Dir: dir, GOOS: tc.goos, GOARCH: "amd64"})
		if err != nil {
			t.Fatal(err)
		}
		got := refs(inv)
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("GOOS=%s: components %v, want %v", tc.goos, got, tc.want)
		}
		if v, _ := inv.Setting("GOOS"); v != tc.goos {
			t.Errorf("GOOS setting %q, want %q", v, tc.goos)
		}
		for _, c := range inv.Components {
			switch c.Path {
			case "golang.org/x/mod":
				if !strings.HasPrefix(c.Sum, "h1:") {
					t.Errorf("x/mod: sum %q, want go.sum's h1: hash", c.Sum)
				}
			case "example.com/always":
				if c.Replace == nil || c.Replace.Path != "../always" || c.Replace.Version != "" || c.Sum != "" {
					t.Errorf("always: replace %+v sum %q, want the local directory and no sum", c.Replace, c.Sum)
				}
			}
		}
		// The graph is module to module, from the imports.
		main := inv.Deps[inv.Main.Ref()]
		for _, want := range []string{"pkg:golang/example.com/always@v1.0.0", "pkg:golang/golang.org/x/mod@v0.43.0", "pkg:golang/stdlib@" + goVersion(t)} {
			if !slices.Contains(main, want) {
				t.Errorf("GOOS=%s: main depends on %v, missing %s", tc.goos, main, want)
			}
		}
		if got := inv.Deps["pkg:golang/golang.org/x/mod@v0.43.0"]; !slices.Equal(got, []string{"pkg:golang/stdlib@" + goVersion(t)}) {
			t.Errorf("x/mod depends on %v, want only the standard library", got)
		}
		checkDocuments(t, inv)
	}
}

// checkDocuments renders inv in both formats twice: the documents
// validate against the official schemas and are the same bytes each time.
func checkDocuments(t *testing.T, inv *Inventory) (cdxDoc, spdxDoc []byte) {
	t.Helper()
	for _, f := range []struct {
		name     string
		render   func(*bytes.Buffer) error
		validate func(testing.TB, []byte)
		out      *[]byte
	}{
		{"cyclonedx", func(b *bytes.Buffer) error { return CycloneDX(b, inv, tool) }, sbomtest.ValidateCycloneDX, &cdxDoc},
		{"spdx", func(b *bytes.Buffer) error { return SPDX(b, inv, tool) }, sbomtest.ValidateSPDX, &spdxDoc},
	} {
		var a, b bytes.Buffer
		if err := f.render(&a); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if err := f.render(&b); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two renderings of the same inventory differ", f.name)
		}
		f.validate(t, a.Bytes())
		*f.out = a.Bytes()
	}
	return
}

func TestFromBinary(t *testing.T) {
	bin := testbin.Build(t, testbin.Program{Dep: true, Flags: []string{"-trimpath"}, Env: []string{"CGO_ENABLED=0"}})
	info, err := binary.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	inv := FromBinary(info)
	if inv.Main.Path != "example.com/prog" || inv.Main.Version != "" {
		t.Errorf("main %+v, want example.com/prog with no version ((devel) dropped)", inv.Main)
	}
	want := []string{"example.com/dep@v1.2.3", "stdlib@" + StdVersion(info.GoVersion)}
	if got := refs(inv); !slices.Equal(got, want) {
		t.Errorf("components %v, want %v", got, want)
	}
	if v, _ := inv.Setting("-trimpath"); v != "true" {
		t.Errorf("-trimpath setting %q, want true", v)
	}
	cdxDoc, spdxDoc := checkDocuments(t, inv)
	for _, want := range []string{`"name": "gocompat:build:-trimpath"`, `"name": "gocompat:replace"`, `"value": "../depmod"`, `"purl": "pkg:golang/example.com/dep@v1.2.3"`} {
		if !bytes.Contains(cdxDoc, []byte(want)) {
			t.Errorf("CycloneDX document lacks %s", want)
		}
	}
	for _, want := range []string{`build -trimpath=true`, `"relationshipType": "DEPENDS_ON"`, `"referenceLocator": "pkg:golang/stdlib@`} {
		if !bytes.Contains(spdxDoc, []byte(want)) {
			t.Errorf("SPDX document lacks %s", want)
		}
	}
}

func TestPURLAndStdVersion(t *testing.T) {
	for _, tc := range []struct {
		c    Component
		want string
	}{
		{Component{Path: "github.com/BurntSushi/toml", Version: "v1.3.2"}, "pkg:golang/github.com/BurntSushi/toml@v1.3.2"},
		{Component{Path: "github.com/docker/docker", Version: "v24.0.7+incompatible"}, "pkg:golang/github.com/docker/docker@v24.0.7%2Bincompatible"},
		{Component{Path: "example.com/app"}, "pkg:golang/example.com/app"},
	} {
		if got := tc.c.PURL(); got != tc.want {
			t.Errorf("PURL(%+v) = %s, want %s", tc.c, got, tc.want)
		}
	}
	for in, want := range map[string]string{
		"go1.26.8": "v1.26.8", "go1.21": "v1.21.0", "go1.22.12 X:nodwarf5": "v1.22.12",
		"go1.23rc2": "v1.23.0-rc.2", "devel go1.27-abc": "",
	} {
		if got := StdVersion(in); got != want {
			t.Errorf("StdVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

// The VEX section is rendered from Inventory.Vulns. This test hands the
// renderer values to check the mapping and the schema; TestSBOMVEX
// (internal/cli) fills Vulns from a real scan through AddVulns.
func TestVEX(t *testing.T) {
	inv := &Inventory{Name: "x", Kind: "binary", Main: Component{Path: "example.com/x"},
		Components: []Component{{Path: "golang.org/x/net", Version: "v0.1.0"}}, Deps: map[string][]string{}}
	ref := inv.Components[0].Ref()
	inv.Vulns = []Vuln{
		{ID: "GO-2023-1571", Aliases: []string{"CVE-2022-41723"}, Ref: ref, Reachable: false, Summary: "Denial of service via crafted HTTP/2 stream"},
		{ID: "GO-2023-1988", Ref: ref, Reachable: true},
	}
	cdxDoc, _ := checkDocuments(t, inv)
	var doc struct {
		Vulnerabilities []struct {
			ID       string
			Analysis struct{ State, Justification string }
		}
	}
	if err := json.Unmarshal(cdxDoc, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Vulnerabilities) != 2 || doc.Vulnerabilities[0].Analysis.State != "not_affected" ||
		doc.Vulnerabilities[0].Analysis.Justification != "code_not_reachable" || doc.Vulnerabilities[1].Analysis.State != "exploitable" {
		t.Errorf("vulnerabilities %+v", doc.Vulnerabilities)
	}
}

func TestParseGoSum(t *testing.T) {
	sums, err := ParseGoSum("go.sum", []byte("a v1.0.0 h1:x=\na v1.0.0/go.mod h1:y=\n\nb v2.0.0+incompatible h1:z=\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 2 || sums["a@v1.0.0"] != "h1:x=" || sums["b@v2.0.0+incompatible"] != "h1:z=" {
		t.Errorf("sums %v", sums)
	}
	if _, err := ParseGoSum("dir/go.sum", []byte("a v1.0.0\n")); err == nil || !strings.Contains(err.Error(), "dir/go.sum:1") {
		t.Errorf("malformed line: err %v, want one naming dir/go.sum:1", err)
	}
}

func FuzzParseGoSum(f *testing.F) {
	f.Add([]byte("golang.org/x/mod v0.43.0 h1:MFuq5J6s35W9D3IjkwyWc9vHh0nENOrt5K8Iof4ofmg=\n"))
	f.Add([]byte("a v1 h1:\n\n\tb\n"))
	f.Add([]byte(strings.Repeat("x", 5000)))
	f.Fuzz(func(t *testing.T, data []byte) {
		sums, err := ParseGoSum("go.sum", data)
		if err == nil {
			for k, v := range sums {
				if !strings.Contains(k, "@") || !strings.Contains(v, ":") {
					t.Fatalf("entry %q %q", k, v)
				}
			}
		}
	})
}

// FuzzFromBinary feeds damaged binaries through the binary reader into the
// inventory and both renderers: no panic, and what renders validates.
func FuzzFromBinary(f *testing.F) {
	if bin, err := os.ReadFile("/proc/self/exe"); err == nil && len(bin) < 64<<20 {
		f.Add(bin[:min(len(bin), 1<<16)])
	}
	f.Add([]byte("\x7fELF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := binary.Read("fuzz", bytes.NewReader(data))
		if err != nil {
			return
		}
		inv := FromBinary(info)
		var b bytes.Buffer
		if err := CycloneDX(&b, inv, tool); err != nil {
			t.Fatal(err)
		}
		b.Reset()
		if err := SPDX(&b, inv, tool); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSourceDateEpoch(t *testing.T) {
	if tm, ok, err := SourceDateEpoch([]string{"A=1", "SOURCE_DATE_EPOCH=1704164645"}); err != nil || !ok || tm.Format(time.RFC3339) != "2024-01-02T03:04:05Z" {
		t.Errorf("got %v %v %v", tm, ok, err)
	}
	if _, ok, err := SourceDateEpoch(nil); ok || err != nil {
		t.Errorf("unset: ok %v err %v", ok, err)
	}
	if _, _, err := SourceDateEpoch([]string{"SOURCE_DATE_EPOCH=yesterday"}); err == nil {
		t.Error("a bad value was accepted")
	}
	inv := &Inventory{Name: "x", Main: Component{Path: "example.com/x"}, Deps: map[string][]string{}}
	var b bytes.Buffer
	if err := SPDX(&b, inv, tool); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b.Bytes(), []byte(`"created": "1970-01-01T00:00:00Z"`)) || !bytes.Contains(b.Bytes(), []byte("not a real date")) {
		t.Errorf("no date: the document does not say the epoch is no real date:\n%s", b.Bytes())
	}
}
