package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gocompat/gocompat/internal/baseline"
	"github.com/gocompat/gocompat/internal/discover"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
)

// onlyNew applies --baseline and --new-from-rev: the findings they leave
// out are marked suppressed with the reason (see package baseline), and
// the summary is counted again.
func onlyNew(ctx context.Context, e *env, rep *report.Report, baselineFile, rev string) error {
	if baselineFile == "" && rev == "" {
		return nil
	}
	if baselineFile != "" {
		data, err := discover.ReadFile(e.abs(baselineFile), maxSavedReport)
		if err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("--baseline %s: %w", baselineFile, err)}
		}
		base, err := report.Decode(bytes.NewReader(data))
		if err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("--baseline %s: %w (write one with gocompat baseline write FILE)", baselineFile, err)}
		}
		baseline.Apply(rep, base, baselineFile)
	}
	if rev != "" {
		root := rep.Root
		if root == "" {
			root = e.dir
		}
		changes, err := baseline.ChangedSince(ctx, root, rev)
		if err != nil {
			return &exitError{code: ExitError, err: err}
		}
		baseline.ApplyChanges(rep, changes)
	}
	rep.Summary = finding.Count(rep.Findings)
	return nil
}

func init() {
	registerCommand(func() *command {
		return &command{
			name:    "baseline",
			args:    "write FILE [audit flags] [dir]",
			summary: "save what gocompat audit finds now as the baseline FILE, so that --baseline FILE counts only new findings",
			rawArgs: true,
			run: func(ctx context.Context, e *env, args []string) (*report.Report, error) {
				if len(args) < 2 || args[0] != "write" {
					return nil, usageErrorf("usage: gocompat baseline write FILE [audit flags] [dir]")
				}
				file := e.abs(args[1])
				var out, errOut bytes.Buffer
				inv := *e.inv
				inv.Args = append([]string{"-C", e.dir, "audit", "--format", "json", "--fail-on", "never"}, args[2:]...)
				inv.Stdout, inv.Stderr = &out, &errOut
				if code := Main(ctx, inv); code != ExitOK {
					return nil, &exitError{code: ExitError, err: fmt.Errorf("baseline write: the audit failed: %s", bytes.TrimSpace(errOut.Bytes()))}
				}
				rep, err := report.Decode(bytes.NewReader(out.Bytes()))
				if err != nil {
					return nil, fmt.Errorf("baseline write: %w", err)
				}
				if err := writeAtomic(file, out.Bytes()); err != nil {
					return nil, fmt.Errorf("baseline write: %w", err)
				}
				fmt.Fprintf(e.inv.Stderr, "gocompat: wrote %d findings to %s\n", len(rep.Findings), args[1])
				return nil, nil
			},
		}
	})
}

// writeAtomic replaces path with data: a temporary file in the same
// directory, synced, then renamed over path, so that a reader sees the old
// file or the new one and never a part.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(data); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
