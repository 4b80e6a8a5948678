package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// goTree writes n Go files into a new directory, each with a malformed
// //gocompat:ignore that a scan of the tree for inline ignores would
// report as config/ignore-invalid.
func goTree(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	const dirs = 100
	for d := range dirs {
		if err := os.Mkdir(filepath.Join(dir, fmt.Sprintf("p%02d", d)), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	// Written from a few goroutines: creating files is latency-bound.
	var wg sync.WaitGroup
	errs := make(chan error, dirs)
	for d := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := d; i < n; i += dirs {
				src := fmt.Sprintf("package p\n\n//gocompat:ignore\nvar V%d = %d\n", i, i)
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("p%02d", d), fmt.Sprintf("f%05d.go", i)), []byte(src), 0o644); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
	return dir
}

// goBinary is the go command of the toolchain on PATH: a real Go binary.
func goBinary(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(strings.TrimSpace(runOut(tb, "go", "env", "GOROOT")), "bin", "go")
}

// TestBinaryDoesNotReadTheTree: `gocompat binary FILE` run from a
// directory of 10,000 Go files reads none of them. Each holds a malformed
// inline ignore, so reading any would add a config/ignore-invalid finding.
func TestBinaryDoesNotReadTheTree(t *testing.T) {
	dir := goTree(t, 10000)
	code, out, stderr := runCLI(t, "-C", dir, "binary", goBinary(t), "--target", "scratch", "--format", "json", "--fail-on", "never")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(out, "config/") {
		t.Errorf("the Go files of the working directory were read for inline ignores:\n%.2000s", out)
	}
	// config's TestApplyReadsOnlyFilesWithFindings shows, through a
	// counting reader, that the files findings point into are read.
}

// BenchmarkBinaryFromGoTree measures `gocompat binary GO` from an empty
// directory and from one of 10,000 Go files: the two cost the same, since
// only files that findings point into are read for inline ignores.
// bench/binary.sh has the same comparison for the built command.
func BenchmarkBinaryFromGoTree(b *testing.B) {
	bin := goBinary(b)
	for _, n := range []int{0, 10000} {
		dir := goTree(b, n)
		b.Run(fmt.Sprintf("go-files=%d", n), func(b *testing.B) {
			for b.Loop() {
				var out bytes.Buffer
				code := Main(context.Background(), Invocation{
					Args:   []string{"-C", dir, "binary", bin, "--target", "scratch", "--format", "json", "--fail-on", "never"},
					Stdout: &out, Stderr: &out,
				})
				if code != ExitOK {
					b.Fatalf("exit %d: %s", code, out.String())
				}
			}
		})
	}
}
