package loopvar_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/gocompat/gocompat/internal/check/loopvar"
)

func TestOldModule(t *testing.T) {
	analysistest.Run(t, filepath.Join(analysistest.TestData(), "old"), loopvar.Analyzer, "./...")
}
