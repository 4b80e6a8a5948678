package vulndb

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/gocompat/gocompat/internal/fsread"
)

// ImportResult says what Import wrote.
type ImportResult struct {
	Entries  int       // OSV entries in the database
	Modules  int       // modules (and stdlib, toolchain) they affect
	Modified time.Time // the database's modification time (index/db.json)
}

// ImportOptions tune Import.
type ImportOptions struct {
	// Modified, if not zero, is written as the database's modification
	// time instead of the newest time found in the entries. Use it when
	// the entries come from an export that zeroes their times, giving
	// the date of the export.
	Modified time.Time
}

// Import reads every *.json file in osvDir (one OSV entry each, named
// <id>.json) and lays them out as a v1 database in outDir, which must
// not exist or be empty. The database is written to a temporary folder
// beside outDir and renamed into place, so outDir holds either a whole
// database or nothing. A file that is not a valid entry stops the import
// with an error naming it; files not ending in .json are ignored.
func Import(osvDir, outDir string, opts ImportOptions) (ImportResult, error) {
	ents, err := os.ReadDir(osvDir)
	if err != nil {
		return ImportResult{}, fmt.Errorf("read OSV folder: %w", err)
	}
	if err := checkOut(outDir); err != nil {
		return ImportResult{}, err
	}
	var entries []*Entry
	raw := map[string][]byte{}
	for _, de := range ents {
		name := de.Name()
		if !strings.HasSuffix(name, ".json") || de.IsDir() {
			continue
		}
		path := filepath.Join(osvDir, name)
		b, err := readRegular(path, maxEntry)
		if err != nil {
			return ImportResult{}, err
		}
		e, err := ParseEntry(b)
		if err != nil {
			return ImportResult{}, fmt.Errorf("%s: %v", path, err)
		}
		if name != e.ID+".json" {
			return ImportResult{}, fmt.Errorf("%s: holds entry %s, but a database entry must be in a file named <id>.json (%s.json)", path, e.ID, e.ID)
		}
		entries = append(entries, e)
		raw[e.ID] = b
	}
	if len(entries) == 0 {
		return ImportResult{}, fmt.Errorf("%s: no OSV entries (*.json files) in the folder", osvDir)
	}
	files, res, err := BuildIndex(entries, opts.Modified)
	if err != nil {
		return ImportResult{}, err
	}
	for id, b := range raw {
		files[filepath.Join("ID", id+".json")] = b
	}

	parent := filepath.Dir(filepath.Clean(outDir))
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(outDir)+".tmp-")
	if err != nil {
		return ImportResult{}, fmt.Errorf("create the database folder: %w", err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	if err := writeFiles(tmp, files); err != nil {
		return ImportResult{}, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return ImportResult{}, err
	}
	// An empty outDir is replaced; a non-empty one was refused above.
	if err := os.Remove(outDir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return ImportResult{}, fmt.Errorf("replace %s: %w", outDir, err)
	}
	if err := os.Rename(tmp, outDir); err != nil {
		return ImportResult{}, fmt.Errorf("move the database into place: %w", err)
	}
	return res, nil
}

func checkOut(outDir string) error {
	st, err := os.Stat(outDir)
	if errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(filepath.Dir(filepath.Clean(outDir))); err != nil {
			return fmt.Errorf("output folder's parent: %w", err)
		}
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s exists and is not a folder", outDir)
	}
	ents, err := os.ReadDir(outDir)
	if err != nil {
		return err
	}
	if len(ents) > 0 {
		return fmt.Errorf("%s is not empty; import writes a new database (remove the folder or choose another)", outDir)
	}
	return nil
}

// BuildIndex returns the index files of a database holding entries
// (index/db.json, index/modules.json, index/vulns.json), keyed by their
// slash-separated path. modified, if not zero, overrides the
// modification time taken from the entries. Entries must have distinct
// IDs.
func BuildIndex(entries []*Entry, modified time.Time) (map[string][]byte, ImportResult, error) {
	type modVuln struct {
		ID       string    `json:"id"`
		Modified time.Time `json:"modified"`
		Fixed    string    `json:"fixed,omitempty"`
	}
	type module struct {
		Path  string    `json:"path"`
		Vulns []modVuln `json:"vulns"`
	}
	type vuln struct {
		ID       string    `json:"id"`
		Modified time.Time `json:"modified"`
		Aliases  []string  `json:"aliases,omitempty"`
	}
	mods := map[string]*module{}
	vulns := make([]vuln, 0, len(entries))
	seen := map[string]bool{}
	var newest time.Time
	for _, e := range entries {
		if seen[e.ID] {
			return nil, ImportResult{}, fmt.Errorf("entry %s appears twice", e.ID)
		}
		seen[e.ID] = true
		if t := e.changed(); t.After(newest) {
			newest = t
		}
		vulns = append(vulns, vuln{ID: e.ID, Modified: e.Modified, Aliases: e.Aliases})
		for _, a := range e.Affected {
			m := mods[a.Package.Name]
			if m == nil {
				m = &module{Path: a.Package.Name, Vulns: []modVuln{}}
				mods[a.Package.Name] = m
			}
			m.Vulns = append(m.Vulns, modVuln{ID: e.ID, Modified: e.Modified, Fixed: a.Fixed()})
		}
	}
	if !modified.IsZero() {
		newest = modified
	}
	list := make([]*module, 0, len(mods))
	for _, m := range mods {
		sort.SliceStable(m.Vulns, func(i, j int) bool { return m.Vulns[i].ID < m.Vulns[j].ID })
		list = append(list, m)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	sort.Slice(vulns, func(i, j int) bool { return vulns[i].ID < vulns[j].ID })

	files := map[string][]byte{}
	var err error
	put := func(name string, v any) {
		if err != nil {
			return
		}
		var b []byte
		b, err = json.Marshal(v)
		files[filepath.Join("index", name)] = b
	}
	put("db.json", struct {
		Modified time.Time `json:"modified"`
	}{newest.UTC()})
	put("modules.json", list)
	put("vulns.json", vulns)
	if err != nil {
		return nil, ImportResult{}, err
	}
	return files, ImportResult{Entries: len(entries), Modules: len(list), Modified: newest.UTC()}, nil
}

// writeFiles writes each file and its gzip-compressed twin under dir.
func writeFiles(dir string, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	for _, name := range names {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return err
		}
		gz.Reset()
		zw.Reset(&gz)
		if _, err := zw.Write(files[name]); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		if err := os.WriteFile(p+".gz", gz.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// readRegular reads a regular file of at most limit bytes.
func readRegular(path string, limit int64) ([]byte, error) {
	return fsread.ReadFile(path, limit)
}
