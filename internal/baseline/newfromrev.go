package baseline

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path"
	"strconv"
	"strings"

	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/report"
)

// Changes are the lines changed since a revision, by slash-separated path
// relative to the directory that was asked about.
type Changes struct {
	Rev string
	// Lines maps a file to its changed lines; a nil set means every line
	// (a file git does not track).
	Lines map[string]map[int]bool
}

// Changed reports whether line of file changed; line 0 asks whether the
// file changed at all.
func (c *Changes) Changed(file string, line int) bool {
	lines, ok := c.Lines[file]
	if !ok {
		return false
	}
	if lines == nil || line == 0 {
		return true
	}
	return lines[line]
}

// ChangedSince asks git which lines of the working tree under dir differ
// from rev (git diff -U0 REV, which includes staged and unstaged changes)
// and which files it does not track yet. dir must lie in a git work tree.
func ChangedSince(ctx context.Context, dir, rev string) (*Changes, error) {
	if rev == "" || strings.HasPrefix(rev, "-") {
		return nil, fmt.Errorf("--new-from-rev %q: not a revision", rev)
	}
	git := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
		out, stderr, err := childproc.Output(ctx, cmd)
		if err != nil {
			msg := string(bytes.TrimSpace(stderr))
			if msg == "" {
				msg = err.Error()
			}
			return nil, fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
		}
		return out, nil
	}
	if _, err := git("rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
		return nil, fmt.Errorf("--new-from-rev %s: no such commit in the repository at %s", rev, dir)
	}
	// --relative makes paths relative to dir and leaves out changes
	// outside it; -U0 gives exact hunks; no renames so a moved file's
	// lines count as changed.
	diff, err := git("diff", "--no-color", "--no-ext-diff", "--no-renames", "--relative", "-U0", rev, "--")
	if err != nil {
		return nil, err
	}
	c, err := ParseDiff(diff)
	if err != nil {
		return nil, err
	}
	c.Rev = rev
	untracked, err := git("ls-files", "-z", "--others", "--exclude-standard")
	if err != nil {
		return nil, err
	}
	for _, f := range bytes.Split(untracked, []byte{0}) {
		if len(f) > 0 {
			c.Lines[string(f)] = nil
		}
	}
	return c, nil
}

// ParseDiff reads the changed lines of the new side of a unified diff as
// git diff -U0 writes it.
func ParseDiff(diff []byte) (*Changes, error) {
	c := &Changes{Lines: map[string]map[int]bool{}}
	var file string
	sc := bufio.NewScanner(bytes.NewReader(diff))
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "+++ "):
			name := strings.TrimPrefix(line, "+++ ")
			if name == "/dev/null" {
				file = "" // deleted: no new lines
				continue
			}
			name = unquote(name)
			name = strings.TrimPrefix(name, "b/")
			file = path.Clean(name)
			if _, ok := c.Lines[file]; !ok {
				c.Lines[file] = map[int]bool{}
			}
		case strings.HasPrefix(line, "@@ "):
			if file == "" {
				continue
			}
			start, count, err := newRange(line)
			if err != nil {
				return nil, fmt.Errorf("git diff line %d: %v", n, err)
			}
			for l := start; l < start+count; l++ {
				c.Lines[file][l] = true
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read git diff: %w", err)
	}
	return c, nil
}

// newRange parses the new-file range of a hunk header "@@ -a,b +c,d @@".
func newRange(h string) (start, count int, err error) {
	fields := strings.Fields(h)
	if len(fields) < 3 || !strings.HasPrefix(fields[2], "+") {
		return 0, 0, fmt.Errorf("malformed hunk header %q", h)
	}
	r := strings.TrimPrefix(fields[2], "+")
	s, cnt, hasCount := strings.Cut(r, ",")
	start, err = strconv.Atoi(s)
	if err != nil || start < 0 {
		return 0, 0, fmt.Errorf("malformed hunk header %q", h)
	}
	count = 1
	if hasCount {
		count, err = strconv.Atoi(cnt)
		if err != nil || count < 0 || count > 1<<24 {
			return 0, 0, fmt.Errorf("malformed hunk header %q", h)
		}
	}
	return start, count, nil
}

// unquote undoes git's C-style quoting of unusual file names.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
	}
	return s
}

// ApplyChanges marks every finding of rep that is not on a changed line as
// suppressed and returns how many it marked. Locations are relative to
// the directory ChangedSince was asked about (the report's root).
func ApplyChanges(rep *report.Report, c *Changes) int {
	n := 0
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.Suppressed != "" {
			continue
		}
		if f.Location.File != "" && c.Changed(path.Clean(f.Location.File), f.Location.Line) {
			continue
		}
		f.Suppressed = fmt.Sprintf("not on a line changed since %s", c.Rev)
		n++
	}
	return n
}
