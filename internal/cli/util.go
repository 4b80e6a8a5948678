package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"time"

	"github.com/gocompat/gocompat/internal/report"
)

// isDir reports whether p is a directory (following links).
func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// isFile reports whether p is a regular file (following links).
func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// moduleFinish is the finish of a command that runs one step on a module
// with --timeout (upgrade, matrix): a run past the timeout and a
// directory without a module are usage errors that say what to do.
func moduleFinish(name string, timeout *time.Duration, noModule error) func(ctx context.Context, e *env, rep *report.Report, err error) (*report.Report, error) {
	return func(ctx context.Context, e *env, rep *report.Report, err error) (*report.Report, error) {
		if err == nil {
			return rep, nil
		}
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded {
			return nil, usageErrorf("%s: stopped after --timeout %s", name, *timeout)
		}
		if errors.Is(err, noModule) {
			return nil, usageErrorf("%s: %v (run it in a module, or name a directory that holds one)", name, err)
		}
		return nil, err
	}
}
