package loopvar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"

	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/finding"
)

// withRecords is the analyzer's -records flag: it makes each diagnostic's
// Category carry the whole Record (see encodeCategory).
var withRecords bool

func init() {
	Analyzer.Flags.BoolVar(&withRecords, "records", false,
		"put each finding's severity, fix and details in the diagnostic's category, after the check ID (for gocompat loopvar's go vet driver)")
}

// recordExtra is what a Record holds beyond an analysis.Diagnostic.
type recordExtra struct {
	Severity finding.Severity  `json:"severity"`
	Fix      string            `json:"fix"`
	Details  map[string]string `json:"details"`
	Sources  []finding.Source  `json:"sources,omitempty"`
	// Edits name the file that holds the bytes; go vet's own
	// suggested_fixes name the //line-adjusted file with the real
	// file's offsets.
	Edits []Edit `json:"edits,omitempty"`
}

// encodeCategory returns the check ID, a space and the rest of the
// record as JSON: the Category of a diagnostic under -records.
func encodeCategory(r Record) string {
	b, err := json.Marshal(recordExtra{Severity: r.Severity, Fix: r.Fix, Details: r.Details, Sources: r.Sources, Edits: r.Edits})
	if err != nil {
		panic(err) // strings and a severity always marshal
	}
	return r.Check + " " + string(b)
}

// decodeCategory undoes encodeCategory.
func decodeCategory(category string) (check string, x recordExtra, err error) {
	check, rest, ok := strings.Cut(category, " ")
	if !ok {
		return "", x, fmt.Errorf("category %q carries no record (was the tool run with -loopvar.records?)", category)
	}
	if _, ok := lookupCheck(check); !ok {
		return "", x, fmt.Errorf("category %q: unknown check %q", category, check)
	}
	if err := json.Unmarshal([]byte(rest), &x); err != nil {
		return "", x, fmt.Errorf("category %q: %v", category, err)
	}
	return check, x, nil
}

// The shape of unitchecker's -json output (golang.org/x/tools
// internal/analysis/driverutil): one object per package, keyed by package
// ID, then analyzer name, holding a list of diagnostics or an error.
type vetDiagnostic struct {
	Category       string `json:"category"`
	Posn           string `json:"posn"` // file:line:column
	End            string `json:"end"`
	Message        string `json:"message"`
	SuggestedFixes []struct {
		Message string `json:"message"`
		Edits   []struct {
			Filename string `json:"filename"`
			Start    int    `json:"start"` // byte offsets
			End      int    `json:"end"`
			New      string `json:"new"`
		} `json:"edits"`
	} `json:"suggested_fixes"`
}

// analyzeVet runs go vet -vettool=tool -json -loopvar.records on the
// patterns in dir and turns its output into a Result.
func analyzeVet(ctx context.Context, tool, dir string, patterns []string) (*Result, error) {
	// -trimpath=false, whatever GOFLAGS says: the output names files by
	// absolute path, and only without -trimpath does the package's
	// directory enter the cache key, so that a copy of the module
	// elsewhere does not replay results naming the other copy's files.
	args := []string{"vet", "-trimpath=false", "-vettool=" + tool, "-json", "-" + Analyzer.Name + ".records"}
	args = append(args, patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	// Cancelling stops the compilers and vet tools go vet started too.
	childproc.OwnGroup(cmd)
	cmd.Dir = dir
	// The analyzer reads the export data of this toolchain; another one
	// (GOTOOLCHAIN switching to a newer go line) may write a format it
	// cannot read, so refuse clearly instead.
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return nil, fmt.Errorf("go vet in %s: %w", dir, err)
		}
		notBuilt := fmt.Sprintf("packages in %s do not build: %s", dir, vetErrors(stderr.String(), err))
		// go vet goes on with the packages that build: keep their
		// results, and say which did not.
		res, n, derr := decodeVetJSONCount(dir, &stdout)
		if derr != nil || n == 0 {
			return nil, errors.New(notBuilt)
		}
		res.NotBuilt = notBuilt
		return res, nil
	}
	return decodeVetJSON(dir, &stdout)
}

// vetErrors summarises what go vet printed on failure: the error lines,
// without package headers, at most three of them.
func vetErrors(stderr string, err error) string {
	var errs []string
	for _, l := range strings.Split(stderr, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "# ") {
			continue
		}
		errs = append(errs, l)
	}
	if len(errs) == 0 {
		return "go vet: " + err.Error()
	}
	more := ""
	if len(errs) > 3 {
		more = fmt.Sprintf(" (and %d more)", len(errs)-3)
		errs = errs[:3]
	}
	return strings.Join(errs, "; ") + more
}

// decodeVetJSON reads the JSON objects of go vet -json with the analyzer
// run under -records.
func decodeVetJSON(dir string, r io.Reader) (*Result, error) {
	res, _, err := decodeVetJSONCount(dir, r)
	return res, err
}

// decodeVetJSONCount is decodeVetJSON that also counts the packages the
// output has results for (go vet prints {} for one without findings).
func decodeVetJSONCount(dir string, r io.Reader) (*Result, int, error) {
	n := 0
	c := newCollector(dir)
	dec := json.NewDecoder(r)
	for {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err == io.EOF {
			break
		} else if err != nil {
			return nil, 0, fmt.Errorf("read go vet -json output: %w", err)
		}
		n++ // one object per package vetted, {} when it has no findings
		ids := make([]string, 0, len(tree))
		for id := range tree {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			raw, ok := tree[id][Analyzer.Name]
			if !ok {
				continue
			}
			var diags []vetDiagnostic
			if err := json.Unmarshal(raw, &diags); err != nil {
				var e struct {
					Error string `json:"error"`
				}
				if json.Unmarshal(raw, &e) == nil && e.Error != "" {
					path, _, _ := strings.Cut(id, " ")
					return nil, 0, fmt.Errorf("analyse %s: %s", path, e.Error)
				}
				return nil, 0, fmt.Errorf("read go vet -json output for %s: %w", id, err)
			}
			for _, d := range diags {
				rf, err := vetFinding(d)
				if err != nil {
					return nil, 0, fmt.Errorf("read go vet -json output for %s: %w", id, err)
				}
				c.add(rf)
			}
		}
	}
	return c.result(), n, nil
}

func vetFinding(d vetDiagnostic) (rawFinding, error) {
	check, x, err := decodeCategory(d.Category)
	if err != nil {
		return rawFinding{}, err
	}
	file, line, col, err := splitPosn(d.Posn)
	if err != nil {
		return rawFinding{}, err
	}
	_, endLine, endCol, err := splitPosn(d.End)
	if err != nil {
		return rawFinding{}, err
	}
	rf := rawFinding{
		check: check, severity: x.Severity,
		file: file, line: line, column: col, endLine: endLine, endColumn: endCol,
		message: d.Message, fix: x.Fix, details: x.Details, sources: x.Sources,
	}
	if len(d.SuggestedFixes) > 0 {
		sf := d.SuggestedFixes[0]
		rf.hasFix = true
		rf.fixMessage = sf.Message
		if len(x.Edits) == 0 {
			return rawFinding{}, fmt.Errorf("a suggested fix at %s carries no edits in its record", d.Posn)
		}
		rf.edits = x.Edits
	}
	return rf, nil
}

// splitPosn splits a token.Position string, file:line:column, or
// file:line when the column is unknown (a //line directive without one).
func splitPosn(posn string) (file string, line, col int, err error) {
	rest, c, ok1 := cutLast(posn, ":")
	if !ok1 {
		return "", 0, 0, fmt.Errorf("position %q is not file:line:column", posn)
	}
	last, err1 := strconv.Atoi(c)
	if f, l, ok2 := cutLast(rest, ":"); ok2 {
		if line, err2 := strconv.Atoi(l); err1 == nil && err2 == nil && f != "" {
			return f, line, last, nil
		}
	}
	if err1 == nil && rest != "" {
		return rest, last, 0, nil
	}
	return "", 0, 0, fmt.Errorf("position %q is not file:line:column", posn)
}

func cutLast(s, sep string) (before, after string, ok bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}
