package loopvar_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/gocompat/gocompat/internal/check/loopvar"
)

func TestOldModule(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, filepath.Join(analysistest.TestData(), "old"), loopvar.Analyzer, "./...")
}

func TestNewModule(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, filepath.Join(analysistest.TestData(), "new"), loopvar.Analyzer, "./...")
}
