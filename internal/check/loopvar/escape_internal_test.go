package loopvar

import (
	"context"
	"errors"
	"testing"

	"github.com/gocompat/gocompat/internal/finding"
)

// escapeSample is what go1.26's go build -gcflags=PKG=-m=1 printed for a
// package like testdata/old/lib, with a receiver that leaks only its
// content added, a getter that returns a field loaded through its
// receiver (level=1, as protobuf's generated GetName does), and
// parameters with two tags each.
const escapeSample = `# example.com/esc/lib
lib/lib.go:7:6: can inline (*T).Sum
lib/lib.go:7:7: t does not escape
lib/lib.go:15:7: leaking param: t
lib/lib.go:17:7: leaking param: t to result ~r0 level=0
lib/lib.go:19:10: p does not escape
lib/lib.go:19:16: leaking param: q
lib/lib.go:21:7: leaking param content: c
lib/lib.go:23:7: leaking param: g to result ~r0 level=1
lib/lib.go:25:7: leaking param content: h
lib/lib.go:25:7: leaking param: h to result ~r0 level=0
lib/lib.go:27:7: leaking param: r to result ~r0 level=1
lib/lib.go:27:7: leaking param: r
`

func TestParseEscapeOutput(t *testing.T) {
	got := parseEscapeOutput([]byte(escapeSample))
	q := func(line int, name string) escapeQuery {
		return escapeQuery{Pkg: "example.com/esc/lib", File: "lib.go", Line: line, Name: name}
	}
	want := map[escapeQuery]bool{
		q(7, "t"):  false, // does not escape
		q(15, "t"): true,  // leaks
		q(17, "t"): true,  // leaks to a result
		q(19, "p"): false,
		q(19, "q"): true,
		q(21, "c"): false, // only what c points to leaks, not c
		q(23, "g"): false, // only a value loaded through g is returned
		q(25, "h"): true,  // h itself is returned
		q(27, "r"): true,  // returns content, but r itself goes to the heap
	}
	if len(got) != len(want) {
		t.Errorf("got %d parameters, want %d: %v", len(got), len(want), got)
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("%v: kept %v (known %v), want %v", k, g, ok, w)
		}
	}
}

// A failed build leaves the finding "may change".
func TestRefineByEscapeBuildFails(t *testing.T) {
	f := finding.New(MayChangeBehaviour, finding.Location{File: "p.go", Line: 1}, "m", "f")
	f.Details = map[string]string{"escape-check": "example.com/esc/lib lib.go:7 t", "leak-if-not-kept": "x"}
	res := &Result{Findings: []finding.Finding{f}}
	refineByEscape(context.Background(), t.TempDir(), res, func(context.Context, string, []string) ([]byte, error) {
		return []byte(escapeSample), errors.New("exit status 1")
	})
	if res.Findings[0].Check != MayChangeBehaviour.ID {
		t.Errorf("got %s after a failed build", res.Findings[0].Check)
	}
	refineByEscape(context.Background(), t.TempDir(), res, func(context.Context, string, []string) ([]byte, error) {
		return []byte(escapeSample), nil
	})
	if res.Findings[0].Check != NoChange.ID {
		t.Errorf("got %s, want no-change when t does not escape", res.Findings[0].Check)
	}
}

// FuzzParseEscapeOutput: any compiler output parses without a panic.
func FuzzParseEscapeOutput(f *testing.F) {
	f.Add([]byte(escapeSample))
	f.Add([]byte("# p\nx.go:1:1: leaking param: \n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		parseEscapeOutput(data)
		parseEscapeQuery(string(data))
	})
}
