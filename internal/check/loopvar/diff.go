package loopvar

import (
	"fmt"
	"strings"
)

// UnifiedDiff returns a unified diff (3 lines of context) from old to new,
// labelled a/name and b/name, or "" when they are equal.
func UnifiedDiff(name string, old, new []byte) string {
	a, b := splitLines(string(old)), splitLines(string(new))
	ops := diffLines(a, b)
	if len(ops) == 0 {
		return ""
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- a/%s\n+++ b/%s\n", name, name)
	const ctx = 3
	// Group the change ranges into hunks.
	i := 0
	for i < len(ops) {
		j := i
		for j+1 < len(ops) && ops[j+1].a0-ops[j].a1 <= 2*ctx {
			j++
		}
		a0 := max(ops[i].a0-ctx, 0)
		b0 := max(ops[i].b0-ctx, 0)
		a1 := min(ops[j].a1+ctx, len(a))
		b1 := min(ops[j].b1+ctx, len(b))
		fmt.Fprintf(&sb, "@@ -%s +%s @@\n", hunkRange(a0, a1), hunkRange(b0, b1))
		pos := a0
		for k := i; k <= j; k++ {
			for ; pos < ops[k].a0; pos++ {
				sb.WriteString(" " + a[pos])
			}
			for _, l := range a[ops[k].a0:ops[k].a1] {
				sb.WriteString("-" + l)
			}
			for _, l := range b[ops[k].b0:ops[k].b1] {
				sb.WriteString("+" + l)
			}
			pos = ops[k].a1
		}
		for ; pos < a1; pos++ {
			sb.WriteString(" " + a[pos])
		}
		i = j + 1
	}
	return sb.String()
}

func hunkRange(lo, hi int) string {
	if hi-lo == 1 {
		return fmt.Sprint(lo + 1)
	}
	if hi == lo {
		return fmt.Sprintf("%d,0", lo)
	}
	return fmt.Sprintf("%d,%d", lo+1, hi-lo)
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	} else {
		lines[len(lines)-1] += "\n\\ No newline at end of file\n"
	}
	return lines
}

// change replaces a[a0:a1] by b[b0:b1].
type change struct{ a0, a1, b0, b1 int }

// diffLines computes a shortest edit script with Myers' algorithm and
// returns it as a list of changes.
func diffLines(a, b []string) []change {
	// Trim the common prefix and suffix; edits are local in practice.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	A, B := a[pre:len(a)-suf], b[pre:len(b)-suf]
	n, m := len(A), len(B)
	if n == 0 && m == 0 {
		return nil
	}
	maxD := n + m
	off := maxD
	v := make([]int, 2*maxD+2)
	var trace [][]int
	var dEnd int
found:
	for d := 0; d <= maxD; d++ {
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && A[x] == B[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				dEnd = d
				break found
			}
		}
	}
	// Backtrack: each d contributes one insertion or deletion.
	var edits []change // last first
	x, y := n, m
	for d := dEnd; d > 0; d-- {
		vv := trace[d]
		k := x - y
		var pk int
		if k == -d || k != d && vv[off+k-1] < vv[off+k+1] {
			pk = k + 1 // came down: an insertion
		} else {
			pk = k - 1 // came right: a deletion
		}
		px := vv[off+pk]
		py := px - pk
		mx, my := px+1, py
		if pk == k+1 {
			mx, my = px, py+1
		}
		x, y = mx, my // skip the diagonal back to the edit
		edits = append(edits, change{a0: px + pre, a1: x + pre, b0: py + pre, b1: y + pre})
		x, y = px, py
	}
	var out []change
	for i := len(edits) - 1; i >= 0; i-- {
		c := edits[i]
		if len(out) > 0 {
			last := &out[len(out)-1]
			if last.a1 == c.a0 && last.b1 == c.b0 {
				last.a1, last.b1 = c.a1, c.b1
				continue
			}
		}
		out = append(out, c)
	}
	return out
}
