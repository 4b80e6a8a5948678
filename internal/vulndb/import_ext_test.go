package vulndb_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/testbin"
	"github.com/gocompat/gocompat/internal/vulndb"
)

// TestImportGoDatabase lays out the real Go vulnerability database
// entries and checks the index against what the entries say.
func TestImportGoDatabase(t *testing.T) {
	osv := testbin.SharedData(t, "go-vulndb/osv")
	out := filepath.Join(t.TempDir(), "db")
	when := time.Date(2026, 8, 21, 0, 0, 0, 0, time.UTC)
	res, err := vulndb.Import(osv, out, vulndb.ImportOptions{Modified: when})
	if err != nil {
		t.Fatal(err)
	}
	if res.Entries != 4291 || !res.Modified.Equal(when) {
		t.Errorf("Import = %+v, want 4291 entries modified %v", res, when)
	}
	b, err := os.ReadFile(filepath.Join(out, "index", "modules.json"))
	if err != nil {
		t.Fatal(err)
	}
	var mods []struct {
		Path  string
		Vulns []struct{ ID, Fixed string }
	}
	if err := json.Unmarshal(b, &mods); err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, m := range mods {
		for _, v := range m.Vulns {
			found[m.Path+" "+v.ID] = v.Fixed
		}
	}
	for k, fixed := range map[string]string{
		"golang.org/x/text GO-2021-0113": "0.3.7",
		"golang.org/x/text GO-2022-1059": "0.3.8",
		"stdlib GO-2022-0969":            "1.19.1",
	} {
		if got, ok := found[k]; !ok || got != fixed {
			t.Errorf("modules.json: %s fixed %q (present %v), want %q", k, got, ok, fixed)
		}
	}
}
