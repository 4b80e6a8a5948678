package audit

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/discover"
	"github.com/gocompat/gocompat/internal/platform"
	"github.com/gocompat/gocompat/internal/report"
)

func init() { Register(binaryStep()) }

// BinaryOptions are the binary step's options (gocompat binary).
type BinaryOptions struct {
	// Paths are files and directories named by the user, read as
	// `go version -m` reads them (a directory is walked whole, a file
	// that is no Go binary is reported); none means the Go binaries the
	// walk of the audited directory found, reported only if there are
	// any.
	Paths []string
	// MaxFiles bounds the walk of directories in Paths (0: no limit).
	MaxFiles int
}

// binaryStep says what Go binaries need and matches them against every
// target platform.
func binaryStep() Step {
	return Step{
		Family: "binary",
		Order:  70,
		Needs:  []string{NeedBinaries, NeedHost},
		Checks: platform.Checks,
		Run: func(ctx context.Context, t *Target) (Result, error) {
			opt := OptionsOf[BinaryOptions](t, "binary")
			var scan []binary.Result
			if len(opt.Paths) > 0 {
				scan = binary.Scan(opt.Paths, binary.ScanOptions{MaxFiles: opt.MaxFiles})
			} else {
				scan = discover.Binaries(t.Dir, t.Tree().Files(discover.Executable))
				if len(scan) == 0 {
					return Result{}, nil // no Go binaries here: nothing to say
				}
			}
			targets := t.Targets
			if len(targets) == 0 {
				h, err := t.Host()
				if err != nil {
					return Result{}, fmt.Errorf("target host: %v", err)
				}
				targets = []platform.Platform{h}
			}
			return judgeBinaries(scan, targets, t.Dir, t.now()), nil
		},
	}
}

// ResolveTargets turns --target values into platforms; none means this
// host (read under hostRoot).
func ResolveTargets(specs []string, hostRoot, cwd string) ([]platform.Platform, error) {
	if len(specs) == 0 {
		specs = []string{"host"}
	}
	var out []platform.Platform
	seen := map[string]bool{}
	for _, s := range specs {
		if seen[s] {
			continue
		}
		seen[s] = true
		p, err := platform.Target(s, hostRoot, cwd)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// judgeBinaries matches every binary read by a scan against every target:
// one subject per binary and per target, a matrix of verdicts, and the
// findings. File locations are made relative to base where they lie in
// it.
func judgeBinaries(scan []binary.Result, targets []platform.Platform, base string, now time.Time) Result {
	var res Result
	rel := func(p string) string {
		abs, err := filepath.Abs(p)
		if err != nil {
			return filepath.ToSlash(p)
		}
		if r, err := filepath.Rel(base, abs); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(r)
		}
		return filepath.ToSlash(abs)
	}
	var rows []row
	for _, r := range scan {
		name := rel(r.Path)
		if r.Err != nil {
			f := platform.ReadFailure(name, r.Err)
			res.Findings = append(res.Findings, f)
			continue
		}
		info := r.Info
		req := platform.FromBinary(info)
		attrs := info.Attributes()
		if req.MinKernel != "" {
			attrs["requires.kernel"] = req.MinKernel
		}
		if req.Libc != "" {
			attrs["requires.libc"] = req.Libc
		}
		if m := req.GlibcMax(); m != "" {
			attrs["requires.glibc"] = m
		}
		if req.CPULevel != "" {
			attrs["requires.cpu"] = "x86-64-" + req.CPULevel
		}
		abs, _ := filepath.Abs(r.Path)
		attrs["file"] = abs
		res.Subjects = append(res.Subjects, report.Subject{Kind: "binary", Name: name + ": " + describe(info, req), Attributes: attrs})

		for _, f := range platform.Support(info, now) {
			f.Location.File = name
			f.Details["binary"] = name
			res.Findings = append(res.Findings, f)
		}
		req.Binary = name
		rw := row{name: name}
		for _, p := range targets {
			m := platform.Match(req, p)
			res.Findings = append(res.Findings, m.Findings...)
			rw.verdicts = append(rw.verdicts, m.Verdict())
		}
		rows = append(rows, rw)
	}
	for _, p := range targets {
		res.Subjects = append(res.Subjects, report.Subject{Kind: "target", Name: p.Name + ": " + p.Summary(), Attributes: p.Attributes()})
	}
	res.Subjects = append(res.Subjects, matrix(rows, targets)...)
	return res
}

// row is one binary's verdicts, in target order.
type row struct {
	name     string
	verdicts []string
}

// describe is a binary's one-line summary.
func describe(info *binary.Info, req platform.Requirements) string {
	parts := []string{info.GoVersion}
	switch {
	case req.Static:
		parts = append(parts, "static")
	case req.Libc == platform.LibcUnknown:
		parts = append(parts, "dynamic ("+info.Interpreter+")")
	default:
		s := "dynamic " + req.Libc
		if m := req.GlibcMax(); m != "" {
			s += " ≥ " + m
		}
		parts = append(parts, s)
	}
	if a := info.GOARCH(); a != "" {
		if req.CPULevel != "" && req.CPULevel != "v1" {
			a += "/" + req.CPULevel
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, ", ")
}

// matrix lays verdicts out as aligned subject lines: a header of target
// labels, then one line per binary. Each line's attributes map the full
// target name to the verdict, for machine readers.
func matrix(rows []row, targets []platform.Platform) []report.Subject {
	if len(rows) == 0 || len(targets) == 0 {
		return nil
	}
	labels := make([]string, len(targets))
	for i, p := range targets {
		labels[i] = p.Name
		if dir, ok := strings.CutPrefix(p.Name, "root:"); ok {
			labels[i] = "root:" + filepath.Base(dir)
		}
	}
	w0 := len("binary")
	for _, r := range rows {
		w0 = max(w0, len(r.name))
	}
	widths := make([]int, len(targets))
	for i := range targets {
		widths[i] = len(labels[i])
		for _, r := range rows {
			widths[i] = max(widths[i], len(r.verdicts[i]))
		}
	}
	line := func(first string, cells []string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "%-*s", w0, first)
		for i, c := range cells {
			if i == len(cells)-1 {
				fmt.Fprintf(&b, "  %s", c)
			} else {
				fmt.Fprintf(&b, "  %-*s", widths[i], c)
			}
		}
		return b.String()
	}
	out := []report.Subject{{Kind: "runs-on", Name: line("binary", labels)}}
	for _, r := range rows {
		a := map[string]string{"binary": r.name}
		for i, p := range targets {
			a["target:"+p.Name] = r.verdicts[i]
		}
		out = append(out, report.Subject{Kind: "runs-on", Name: line(r.name, r.verdicts), Attributes: a})
	}
	return out
}
