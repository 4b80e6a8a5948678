package vulndb

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const textEntry = `{
  "schema_version": "1.3.1",
  "id": "GO-2021-0113",
  "modified": "2023-01-02T03:04:05Z",
  "published": "2021-10-06T17:51:21Z",
  "aliases": ["CVE-2021-38561", "GHSA-ppp9-7jff-5vj2"],
  "summary": "Out-of-bounds read in golang.org/x/text/language",
  "affected": [{
    "package": {"name": "golang.org/x/text", "ecosystem": "Go"},
    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.3.7"}]}],
    "ecosystem_specific": {"imports": [{"path": "golang.org/x/text/language", "symbols": ["Parse"]}]}
  }],
  "database_specific": {"url": "https://pkg.go.dev/vuln/GO-2021-0113"}
}`

func TestFixed(t *testing.T) {
	r := func(evs ...Event) Affected {
		var a Affected
		a.Ranges = []Range{{Type: "SEMVER", Events: evs}}
		return a
	}
	for _, tc := range []struct {
		a    Affected
		want string
	}{
		{r(Event{Introduced: "0"}), ""},
		{r(Event{Introduced: "0"}, Event{Fixed: "0.3.7"}), "0.3.7"},
		{r(Event{Introduced: "0"}, Event{Fixed: "1.0.4"}, Event{Introduced: "1.1.2"}), ""},
		{r(Event{Introduced: "0"}, Event{Fixed: "1.19.13"}, Event{Introduced: "1.20.0-0"}, Event{Fixed: "1.20.8"}), "1.20.8"},
		{r(Event{Introduced: "0"}, Event{Fixed: "1.10.0"}, Event{Fixed: "1.9.0"}), "1.10.0"}, // semantic, not lexical
	} {
		if got := tc.a.Fixed(); got != tc.want {
			t.Errorf("Fixed(%+v) = %q, want %q", tc.a.Ranges, got, tc.want)
		}
	}
}

func TestParseEntryRejects(t *testing.T) {
	for name, in := range map[string]string{
		"not json":        `{"id": `,
		"no id":           `{"affected": []}`,
		"path id":         `{"id": "../x"}`,
		"bad time":        `{"id": "GO-1", "modified": "yesterday"}`,
		"wrong type":      `{"id": "GO-1", "aliases": "CVE-1"}`,
		"no package":      `{"id": "GO-1", "affected": [{"package": {}}]}`,
		"bad version":     `{"id": "GO-1", "affected": [{"package": {"name": "m"}, "ranges": [{"type": "SEMVER", "events": [{"fixed": "one"}]}]}]}`,
		"trailing object": `{"id": "GO-1"} {"id": "GO-2"}`,
	} {
		if _, err := ParseEntry([]byte(in)); err == nil {
			t.Errorf("%s: ParseEntry(%s) succeeded", name, in)
		}
	}
}

func writeOSV(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, s := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestImportSmall(t *testing.T) {
	osv := writeOSV(t, map[string]string{"GO-2021-0113.json": textEntry, "README.md": "not an entry"})
	out := filepath.Join(t.TempDir(), "db")
	res, err := Import(osv, out, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Entries != 1 || res.Modules != 1 || !res.Modified.Equal(time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("Import = %+v", res)
	}
	want := map[string]string{
		"index/db.json":        `{"modified":"2023-01-02T03:04:05Z"}`,
		"index/modules.json":   `[{"path":"golang.org/x/text","vulns":[{"id":"GO-2021-0113","modified":"2023-01-02T03:04:05Z","fixed":"0.3.7"}]}]`,
		"index/vulns.json":     `[{"id":"GO-2021-0113","modified":"2023-01-02T03:04:05Z","aliases":["CVE-2021-38561","GHSA-ppp9-7jff-5vj2"]}]`,
		"ID/GO-2021-0113.json": textEntry,
	}
	for name, w := range want {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != w {
			t.Errorf("%s = %s\nwant %s", name, b, w)
		}
		if _, err := os.Stat(filepath.Join(out, name+".gz")); err != nil {
			t.Errorf("no gzip twin: %v", err)
		}
	}
	m, err := ReadMeta(context.Background(), "file://"+filepath.ToSlash(out), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Modified.Equal(res.Modified) {
		t.Errorf("ReadMeta modified %v, want %v", m.Modified, res.Modified)
	}
	// A second import into the now non-empty folder is refused.
	if _, err := Import(osv, out, ImportOptions{}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("import into a full folder: %v", err)
	}
}

func TestImportBadInput(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"malformed":  {"GO-2021-0113.json": textEntry, "GO-2099-0001.json": `{"id": "GO-2099-0001", "affected": [`},
		"wrong name": {"GO-2021-9999.json": textEntry},
		"empty":      {"notes.txt": "x"},
	} {
		osv := writeOSV(t, files)
		out := filepath.Join(t.TempDir(), "db")
		_, err := Import(osv, out, ImportOptions{})
		if err == nil {
			t.Errorf("%s: import succeeded", name)
			continue
		}
		if name != "empty" && !strings.Contains(err.Error(), ".json") {
			t.Errorf("%s: error names no file: %v", name, err)
		}
		if _, serr := os.Stat(out); serr == nil {
			t.Errorf("%s: a failed import left %s behind", name, out)
		}
	}
}

func TestReadMetaBad(t *testing.T) {
	ctx := context.Background()
	empty := t.TempDir()
	_, err := ReadMeta(ctx, "file://"+filepath.ToSlash(empty), nil)
	if err == nil || !strings.Contains(err.Error(), "index/modules.json") || !strings.Contains(err.Error(), "vulndb import") {
		t.Errorf("folder without index: %v", err)
	}
	if _, err := ReadMeta(ctx, "file:///nonexistent/gocompat-db", nil); err == nil {
		t.Error("missing folder: no error")
	}
	// Port 1 on the loopback refuses connections: an unreachable server.
	if _, err := ReadMeta(ctx, "http://127.0.0.1:1", nil); err == nil || !strings.Contains(err.Error(), "cannot be read") {
		t.Errorf("unreachable URL: %v", err)
	}
	if _, err := ReadMeta(ctx, "ftp://example.com/db", nil); err == nil {
		t.Error("ftp URL: no error")
	}
}

func TestURL(t *testing.T) {
	for _, tc := range []struct {
		flag string
		env  []string
		want string
	}{
		{"", nil, DefaultURL},
		{"", []string{"GOVULNDB=https://mirror.example/db/"}, "https://mirror.example/db"},
		{"file:///srv/db", []string{"GOVULNDB=https://mirror.example"}, "file:///srv/db"},
		{"/srv/db", nil, "file:///srv/db"},
	} {
		got, err := URL(tc.flag, tc.env)
		if err != nil || got != tc.want {
			t.Errorf("URL(%q, %q) = %q, %v; want %q", tc.flag, tc.env, got, err, tc.want)
		}
	}
	if _, err := URL("ftp://x", nil); err == nil {
		t.Error("ftp accepted")
	}
}

func FuzzParseEntry(f *testing.F) {
	f.Add([]byte(textEntry))
	f.Add([]byte(`{"id": "GO-1", "affected": [{"package": {"name": "stdlib"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.20.0-0"}, {"fixed": "1.20.8"}]}]}]}`))
	f.Add([]byte(`{"id": "GO-1", "withdrawn": "2024-01-01T00:00:00Z"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := ParseEntry(b)
		if err != nil {
			return
		}
		files, _, err := BuildIndex([]*Entry{e}, time.Time{})
		if err != nil {
			t.Fatalf("BuildIndex of a parsed entry: %v", err)
		}
		for name, data := range files {
			if !json.Valid(data) {
				t.Fatalf("%s is not JSON: %s", name, data)
			}
		}
		if !validID.MatchString(e.ID) || strings.ContainsAny(e.ID, `/\`) || strings.Contains(e.ID, "..") {
			t.Fatalf("accepted unusable id %q", e.ID)
		}
	})
}
