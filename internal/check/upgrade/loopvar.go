package upgrade

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/gocompat/gocompat/internal/check/loopvar"
	"github.com/gocompat/gocompat/internal/finding"
)

// loopLogRE matches the compiler's -d=loopvar=3 log (and the loopvarhash
// match lines, which have no allocation part).
var loopLogRE = regexp.MustCompile(`^(.+?):(\d+):(\d+): loop variable (\S+) now per-iteration(?:, (heap|stack)-allocated)?( \(loop inlined into [^)]*\))?`)

// loopChange is one loop variable whose semantics change.
type loopChange struct {
	File      string // relative to the module directory, slash-separated
	Line, Col int
	Var       string
	Heap      bool
}

func (l loopChange) String() string {
	return fmt.Sprintf("%s:%d:%d %s", l.File, l.Line, l.Col, l.Var)
}

// parseLoopLog reads compiler or bisect output lines about loop
// variables. Positions only reached through inlining elsewhere are kept
// too, but each file:line:col and variable once.
func parseLoopLog(out []byte, moduleDir string) []loopChange {
	seen := map[string]int{}
	var loops []loopChange
	for _, line := range strings.Split(string(out), "\n") {
		m := loopLogRE.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		file := m[1]
		if filepath.IsAbs(file) {
			if r, err := filepath.Rel(moduleDir, file); err == nil {
				file = r
			}
		}
		file = path.Clean(filepath.ToSlash(file))
		ln, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		l := loopChange{File: file, Line: ln, Col: col, Var: m[4], Heap: m[5] == "heap"}
		key := l.String()
		if i, ok := seen[key]; ok {
			loops[i].Heap = loops[i].Heap || l.Heap
			continue
		}
		seen[key] = len(loops)
		loops = append(loops, l)
	}
	sort.Slice(loops, func(i, j int) bool {
		if loops[i].File != loops[j].File {
			return loops[i].File < loops[j].File
		}
		if loops[i].Line != loops[j].Line {
			return loops[i].Line < loops[j].Line
		}
		return loops[i].Col < loops[j].Col
	})
	return loops
}

func (a *analysis) loopvar(ctx context.Context) error {
	if a.o.Loopvar != nil {
		fs, err := a.o.Loopvar(ctx, a.m.Dir)
		if what, ok := loopvar.Unbuildable(err, a.m.Mod.Module); ok {
			// Nothing to analyse here; the other modules still are.
			a.skipped = append(a.skipped, "loop preview: "+what)
			a.notes = append(a.notes, "loop preview skipped: "+what)
			return nil
		}
		var nb *loopvar.NotBuiltError
		if errors.As(err, &nb) {
			// The packages that build were analysed; say which were not.
			a.notBuilt = append(a.notBuilt, nb.Msg)
			a.notes = append(a.notes, "loop preview covers only the packages that build: "+nb.Msg)
			err = nil
		}
		if err != nil {
			return fmt.Errorf("loopvar analysis: %w", err)
		}
		if a.o.SummarizeLoops {
			a.summarizeLoops(fs)
			return nil
		}
		for _, f := range fs {
			if f.Location.File != "" && !path.IsAbs(f.Location.File) {
				f.Location.File = a.rel(f.Location.File)
			}
			a.findings = append(a.findings, f)
		}
		return nil
	}
	if a.m.Mod.Module == "" {
		a.notes = append(a.notes, "go.mod has no module line, so the loop preview cannot be scoped to the module")
		return nil
	}
	c, err := newModCopy(a.m, "preview", "")
	if err != nil {
		return err
	}
	defer c.Close()
	a.progress("compiling with -lang=go1.22 to count the loops that change")
	flags := fmt.Sprintf("-gcflags=%s/...=-lang=go1.22 -d=loopvar=3", a.m.Mod.Module)
	_, stderr, err := a.tc.run(ctx, a.m.Dir, a.o.Environ, nil, "list", "-modfile="+c.Mod, "-e", "-export", "-test", flags, "./...")
	if ctx.Err() != nil {
		return ctx.Err()
	}
	loops := parseLoopLog(stderr, a.m.Dir)
	if err != nil && len(loops) == 0 {
		a.notes = append(a.notes, "loop preview failed: "+firstLines(stderr, 3))
	}
	heap, tests := 0, 0
	var list []string
	for _, l := range loops {
		if l.Heap {
			heap++
		}
		if strings.HasSuffix(l.File, "_test.go") {
			tests++
		}
		list = append(list, a.rel(l.File)+fmt.Sprintf(":%d:%d %s", l.Line, l.Col, l.Var))
	}
	var msg string
	if len(loops) == 0 {
		msg = fmt.Sprintf("Raising the go line from %s to %s makes loop variables per-iteration (Go 1.22 semantics); the compiler finds no loop in this module whose variable is captured or has its address taken, so none changes behaviour.", a.current, a.target)
	} else {
		msg = fmt.Sprintf("Raising the go line from %s to %s makes loop variables per-iteration (Go 1.22 semantics); the compiler would give %d loop variable(s) in this module a fresh copy per iteration (%d heap-allocated, %d in tests): %s.\nEach is captured by a closure or has its address taken; most keep their behaviour, some change it.",
			a.current, a.target, len(loops), heap, tests, listSome(list, 5))
	}
	f := finding.New(LoopvarSemanticsChange, a.goLineLoc(), msg,
		"Review the listed loops (code that relied on one shared variable changes behaviour); gocompat upgrade --test runs the tests at the target and names the loop that breaks one.")
	if len(loops) == 0 {
		f.Severity = finding.Info
	}
	a.add(f, map[string]string{
		"loops": strings.Join(list, "\n"), "count": strconv.Itoa(len(loops)), "heap": strconv.Itoa(heap),
		"method": "go list -export -test " + flags + " ./...",
	})
	return nil
}

// summarizeLoops reports the loop variables the loopvar analyzer says
// become per-iteration as one finding on the go line, like the compiler
// preview does, without repeating each loop's own finding.
func (a *analysis) summarizeLoops(fs []finding.Finding) {
	var list []string
	changes := 0
	for _, f := range fs {
		file := f.Location.File
		if file != "" && !path.IsAbs(file) {
			file = a.rel(file)
		}
		list = append(list, fmt.Sprintf("%s:%d:%d %s", file, f.Location.Line, f.Location.Column, f.Details["variable"]))
		if f.Severity > finding.Info {
			changes++
		}
	}
	var msg string
	if len(fs) == 0 {
		msg = fmt.Sprintf("Raising the go line from %s to %s makes loop variables per-iteration (Go 1.22 semantics); no loop in this module has a variable that is captured or has its address taken, so none changes behaviour.", a.current, a.target)
	} else {
		msg = fmt.Sprintf("Raising the go line from %s to %s makes loop variables per-iteration (Go 1.22 semantics); %d loop variable(s) in this module get a fresh copy per iteration, %d of which may change behaviour (see the loopvar findings): %s.",
			a.current, a.target, len(fs), changes, listSome(list, 5))
	}
	f := finding.New(LoopvarSemanticsChange, a.goLineLoc(), msg,
		"Review the loops the loopvar findings name (code that relied on one shared variable changes behaviour); gocompat upgrade --test runs the tests at the target and names the loop that breaks one.")
	if changes == 0 {
		f.Severity = finding.Info
	}
	a.add(f, map[string]string{
		"loops": strings.Join(list, "\n"), "count": strconv.Itoa(len(fs)), "method": "loopvar analyzer",
	})
}
