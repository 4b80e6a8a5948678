package vulnscan

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestParseStream(t *testing.T) {
	b, err := os.ReadFile("testdata/textcall.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode != "source" || res.DB != "file:///db" || res.GoVersion != "go1.26.8" || res.MainModule != "example.com/textcall" || res.DBTime == nil {
		t.Errorf("result: %+v", res)
	}
	var got []string
	for _, v := range res.Vulns {
		got = append(got, v.ID+" "+v.Level.String()+" "+v.Module+" "+v.Found+" "+v.Fixed)
		if v.Entry == nil {
			t.Errorf("%s: no entry", v.ID)
		}
	}
	want := []string{
		"GO-2021-0113 called golang.org/x/text v0.3.5 v0.3.7",
		"GO-2022-1059 imported golang.org/x/text v0.3.5 v0.3.8",
		"GO-2026-5970 required golang.org/x/text v0.3.5 v0.39.0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("vulns:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	called := res.Vulns[0]
	if syms := called.Symbols(); !slices.Equal(syms, []string{"golang.org/x/text/language.Parse"}) {
		t.Errorf("symbols %v", syms)
	}
	tr := called.Traces[0]
	if last := tr[len(tr)-1]; last.Function != "main" || last.Position == nil || last.Position.Filename != "main.go" || last.Position.Line != 13 || last.Position.Column != 28 {
		t.Errorf("entry frame %+v", last)
	}
	if a := called.Aliases(); !slices.Contains(a, "CVE-2021-38561") {
		t.Errorf("aliases %v", a)
	}
}

func TestParseBad(t *testing.T) {
	for name, in := range map[string]string{
		"not json":         `{"config": `,
		"finding no osv":   `{"finding": {"trace": [{"module": "m"}]}}`,
		"finding no trace": `{"finding": {"osv": "GO-1"}}`,
		"bad entry":        `{"osv": {"id": "../x"}}`,
	} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	res, err := Parse(strings.NewReader(""))
	if err != nil || len(res.Vulns) != 0 {
		t.Errorf("empty stream: %v, %v", res, err)
	}
}

func FuzzParse(f *testing.F) {
	b, err := os.ReadFile("testdata/textcall.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"finding": {"osv": "GO-1", "trace": [{"module": "m", "package": "m/p", "function": "F"}, null]}}`))
	f.Add([]byte(`{"SBOM": {"modules": [{"path": "stdlib"}]}} {"finding": {"osv": "GO-1", "fixed_version": "go1.2", "trace": [{"module": "stdlib", "version": "go1.1"}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := Parse(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, v := range res.Vulns {
			_ = v.Symbols()
			_ = v.Aliases()
			if v.Level == Called && len(v.Traces) == 0 {
				t.Fatalf("%s called without a trace", v.ID)
			}
		}
	})
}
