// Package config reads .gocompat.yaml and applies the policy it holds —
// the failure threshold, disabled checks and ignores — together with the
// inline `//gocompat:ignore <check-id> <reason>` comments in Go files.
//
// The file is looked for in the working directory and each parent up to
// the repository root (the first directory holding .git), so one file at
// the top of a repository serves every directory in it:
//
//	version: 1
//	fail-on: warning          # error (default), warning, info or never
//	disable:                  # check IDs, or a family as "toolchain/*"
//	  - toolchain/gobin-not-on-path
//	ignore:
//	  - check: loopvar/changes-behaviour
//	    path: internal/legacy/*.go   # optional glob on the finding's file or object
//	    reason: rewritten in Q3, see #123   # required
//	    expires: 2027-01-31            # optional; after it the ignore stops working and is reported
//
// Ignores that match nothing (for a check family that ran) and ignores
// past their expiry are reported as findings of their own, so a policy
// cannot rot silently.
package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/gocompat/gocompat/internal/finding"
)

// FileNames are the names searched, in order, in each directory.
var FileNames = []string{".gocompat.yaml", ".gocompat.yml"}

// Version is the only config version this gocompat reads.
const Version = 1

// Config is a parsed .gocompat.yaml.
type Config struct {
	// Path is the file it was read from.
	Path    string
	FailOn  string
	Disable []Rule
	Ignores []Ignore
}

// Rule is a check ID or "family/*" with the line it stands on.
type Rule struct {
	Check string
	Line  int
}

// Ignore suppresses the findings of one check, optionally only for paths
// matching a glob, until an optional expiry date.
type Ignore struct {
	Check   string
	Path    string
	Reason  string
	Expires time.Time // zero: never
	Line    int
}

// Find looks for a config file from dir upward and parses it. It returns
// nil, nil when there is none.
func Find(dir string) (*Config, error) {
	dir = filepath.Clean(dir)
	for {
		for _, name := range FileNames {
			p := filepath.Join(dir, name)
			data, err := readConfig(p)
			if err == nil {
				return Parse(p, data)
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("read %s: %w", p, err)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return nil, nil // repository root reached
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, nil
		}
		dir = parent
	}
}

// maxConfigFile bounds the size of a configuration file.
const maxConfigFile = 1 << 20

// readConfig reads a configuration file: a regular file of at most
// maxConfigFile bytes.
func readConfig(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, maxConfigFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxConfigFile {
		return nil, fmt.Errorf("larger than %d bytes", maxConfigFile)
	}
	return data, nil
}

// Parse parses data read from path. Errors name the file and line.
func Parse(path string, data []byte) (*Config, error) {
	fail := func(line int, format string, args ...any) error {
		if line > 0 {
			return fmt.Errorf("%s:%d: %s", path, line, fmt.Sprintf(format, args...))
		}
		return fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...))
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fail(yamlErrLine(err), "%s", yamlErrText(err))
	}
	cfg := &Config{Path: path}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, fail(0, "empty file: it needs at least \"version: %d\"", Version)
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fail(root.Line, "want a mapping of keys (version, fail-on, disable, ignore)")
	}
	sawVersion := false
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if seen[k.Value] {
			return nil, fail(k.Line, "duplicate key %q", k.Value)
		}
		seen[k.Value] = true
		switch k.Value {
		case "version":
			if v.Kind != yaml.ScalarNode || v.Value != fmt.Sprint(Version) {
				return nil, fail(v.Line, "unsupported version %q: this gocompat reads version %d", v.Value, Version)
			}
			sawVersion = true
		case "fail-on":
			if v.Kind != yaml.ScalarNode {
				return nil, fail(v.Line, "fail-on: want one of error, warning, info, never")
			}
			if _, err := finding.ParseThreshold(v.Value); err != nil {
				return nil, fail(v.Line, "fail-on: %q is not one of error, warning, info, never", v.Value)
			}
			cfg.FailOn = v.Value
		case "disable":
			if v.Kind != yaml.SequenceNode {
				return nil, fail(v.Line, "disable: want a list of check IDs")
			}
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode {
					return nil, fail(item.Line, "disable: want a check ID such as toolchain/go-shadowed")
				}
				if err := validPattern(item.Value); err != nil {
					return nil, fail(item.Line, "disable: %v", err)
				}
				cfg.Disable = append(cfg.Disable, Rule{Check: item.Value, Line: item.Line})
			}
		case "ignore":
			if v.Kind != yaml.SequenceNode {
				return nil, fail(v.Line, "ignore: want a list of {check, reason, path, expires}")
			}
			for _, item := range v.Content {
				ig, err := parseIgnore(item)
				if err != nil {
					var le *lineError
					if errors.As(err, &le) {
						return nil, fail(le.line, "ignore: %s", le.msg)
					}
					return nil, fail(item.Line, "ignore: %v", err)
				}
				cfg.Ignores = append(cfg.Ignores, ig)
			}
		default:
			return nil, fail(k.Line, "unknown key %q (known: version, fail-on, disable, ignore)", k.Value)
		}
	}
	if !sawVersion {
		return nil, fail(root.Line, "missing \"version: %d\"", Version)
	}
	return cfg, nil
}

type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return e.msg }

func parseIgnore(n *yaml.Node) (Ignore, error) {
	if n.Kind != yaml.MappingNode {
		return Ignore{}, &lineError{n.Line, "each entry needs check and reason keys"}
	}
	ig := Ignore{Line: n.Line}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			return ig, &lineError{v.Line, fmt.Sprintf("%s: want a single value", k.Value)}
		}
		switch k.Value {
		case "check", "id":
			if err := validPattern(v.Value); err != nil {
				return ig, &lineError{v.Line, err.Error()}
			}
			ig.Check = v.Value
		case "path":
			if _, err := filepath.Match(v.Value, ""); err != nil {
				return ig, &lineError{v.Line, fmt.Sprintf("path: bad glob %q", v.Value)}
			}
			ig.Path = v.Value
		case "reason":
			ig.Reason = strings.TrimSpace(v.Value)
		case "expires":
			t, err := time.Parse("2006-01-02", v.Value)
			if err != nil {
				return ig, &lineError{v.Line, fmt.Sprintf("expires: %q is not a date like 2027-01-31", v.Value)}
			}
			ig.Expires = t
		default:
			return ig, &lineError{k.Line, fmt.Sprintf("unknown key %q (known: check, path, reason, expires)", k.Value)}
		}
	}
	if ig.Check == "" {
		return ig, &lineError{n.Line, "missing check"}
	}
	if ig.Reason == "" {
		return ig, &lineError{n.Line, fmt.Sprintf("ignore of %s has no reason: say why it is safe to ignore", ig.Check)}
	}
	return ig, nil
}

func validPattern(p string) error {
	if fam, ok := strings.CutSuffix(p, "/*"); ok {
		return finding.ValidID(fam + "/x")
	}
	return finding.ValidID(p)
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func yamlErrLine(err error) int {
	m := yamlLineRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}

func yamlErrText(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = yamlLineRE.ReplaceAllString(s, "")
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), ":"))
	return "invalid YAML: " + s
}

// matches reports whether a check ID matches a rule pattern.
func matches(pattern, id string) bool {
	if fam, ok := strings.CutSuffix(pattern, "/*"); ok {
		return strings.HasPrefix(id, fam+"/")
	}
	return pattern == id
}
