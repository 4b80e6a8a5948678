package loopvar_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gocompat/gocompat/internal/check/loopvar"
	"github.com/gocompat/gocompat/internal/facts"
)

// TestEscapeAnalysisRefines runs Analyze (both drivers) on the go 1.21
// testdata module, whose pat package calls methods and functions of its
// lib package. The compiler's escape analysis (go build -m=1) decides
// what the analyzer alone cannot; each judgement with its reason:
func TestEscapeAnalysisRefines(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"pat/crosspkg.go:11:9": loopvar.NoChange.ID,           // lib (*T).Sum: "t does not escape", it only reads t.N
		"pat/crosspkg.go:19:9": loopvar.MayChangeBehaviour.ID, // lib (*T).Keep: "leaking param: t", it stores t in a package variable
		"pat/crosspkg.go:27:9": loopvar.NoChange.ID,           // lib.Len(&t): "p does not escape", it only reads p.N
		"pat/crosspkg.go:38:9": loopvar.NoChange.ID,           // lib (*T).Nums: "leaking param: t to result ~r0 level=1", it returns t.N, loaded through t, never t
		"pat/crosspkg.go:57:9": loopvar.NoChange.ID,           // lenOf, of pat itself, hands p to lib.Len: "p does not escape" in pat's own escape analysis
		"pat/crosspkg.go:65:9": loopvar.MayChangeBehaviour.ID, // keepOf hands p to (*T).Keep, which stores it: "leaking param: p"
	}
	dir, err := filepath.Abs(filepath.Join("testdata", "old"))
	if err != nil {
		t.Fatal(err)
	}
	bin := buildGocompat(t)
	for _, tool := range []string{"", bin} {
		res, err := loopvar.Analyze(context.Background(), tool, dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, f := range res.Findings {
			got[positionOf(f)] = f.Check
			if p := positionOf(f); want[p] == loopvar.NoChange.ID && (f.Details["escape-analysis"] == "" || !slices.Contains(f.Sources, facts.SrcEscapeAnalysis)) {
				t.Errorf("%s: no escape-analysis evidence in %v, or no source for it in %v", p, f.Details, f.Sources)
			}
		}
		for p, w := range want {
			if got[p] != w {
				t.Errorf("vet tool %q: %s: got %s, want %s", tool, p, got[p], w)
			}
		}
	}
}
