package vulndb

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultURL is the Go vulnerability database, govulncheck's default.
const DefaultURL = "https://vuln.go.dev"

// StaleAfter is the age past which a database is reported as stale: the
// Go database changes several times a week.
const StaleAfter = 7 * 24 * time.Hour

// URL picks the database to use: flag if set, else $GOVULNDB from
// environ, else DefaultURL. A bare path (no scheme) is taken as a local
// folder and made a file:// URL, as an absolute path.
func URL(flag string, environ []string) (string, error) {
	u := flag
	if u == "" {
		for _, kv := range environ {
			if v, ok := strings.CutPrefix(kv, "GOVULNDB="); ok {
				u = v
			}
		}
	}
	if u == "" {
		return DefaultURL, nil
	}
	if !strings.Contains(u, "://") {
		abs, err := filepath.Abs(u)
		if err != nil {
			return "", err
		}
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String(), nil
	}
	p, err := url.Parse(u)
	if err != nil {
		return "", fmt.Errorf("vulnerability database %q: %v", u, err)
	}
	switch p.Scheme {
	case "file", "https", "http":
	default:
		return "", fmt.Errorf("vulnerability database %q: want an https:// or file:// URL", u)
	}
	return strings.TrimRight(u, "/"), nil
}

// Meta is what a database says about itself.
type Meta struct {
	URL      string
	Modified time.Time // index/db.json
}

// Stale says whether the database was last modified more than
// StaleAfter before now.
func (m Meta) Stale(now time.Time) bool { return now.Sub(m.Modified) > StaleAfter }

// ReadMeta reads index/db.json of the database at u (file://, https://
// or http://) and checks that index/modules.json is there, which is how
// golang.org/x/vuln recognises a v1 database. Its errors say what is
// wrong and what to do.
func ReadMeta(ctx context.Context, u string, hc *http.Client) (Meta, error) {
	p, err := url.Parse(u)
	if err != nil {
		return Meta{}, fmt.Errorf("vulnerability database %q: %v", u, err)
	}
	var db []byte
	switch p.Scheme {
	case "file":
		dir := filepath.FromSlash(p.Path)
		st, err := os.Stat(dir)
		if err != nil {
			return Meta{}, fmt.Errorf("vulnerability database %s: %v", u, err)
		}
		if !st.IsDir() {
			return Meta{}, fmt.Errorf("vulnerability database %s: not a folder", u)
		}
		for _, f := range []string{"index/modules.json", "index/db.json"} {
			if st, err := os.Stat(filepath.Join(dir, f)); err != nil || !st.Mode().IsRegular() {
				return Meta{}, fmt.Errorf("vulnerability database %s: no %s, so it is not a Go vulnerability database; lay a folder of OSV entries out as one with `gocompat vulndb import OSVDIR DIR`", u, f)
			}
		}
		db, err = readRegular(filepath.Join(dir, "index", "db.json"), 1<<20)
		if err != nil {
			return Meta{}, fmt.Errorf("vulnerability database %s: %v", u, err)
		}
	case "https", "http":
		if hc == nil {
			hc = http.DefaultClient
		}
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		db, err = get(ctx, hc, u+"/index/db.json.gz")
		if err != nil {
			return Meta{}, fmt.Errorf("vulnerability database %s cannot be read (no network?): %v; for offline use, import a copy with `gocompat vulndb import` and pass --db file://DIR", u, err)
		}
	default:
		return Meta{}, fmt.Errorf("vulnerability database %q: want an https:// or file:// URL", u)
	}
	var m struct {
		Modified time.Time `json:"modified"`
	}
	if err := json.Unmarshal(db, &m); err != nil {
		return Meta{}, fmt.Errorf("vulnerability database %s: index/db.json: %v", u, err)
	}
	return Meta{URL: u, Modified: m.Modified}, nil
}

func get(ctx context.Context, hc *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	zr, err := gzip.NewReader(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %v", u, err)
	}
	b, err := io.ReadAll(io.LimitReader(zr, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %v", u, err)
	}
	return b, nil
}
