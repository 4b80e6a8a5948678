package audit

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
)

// The steps in these tests are made up: they stand for real steps that
// are slow, hang or panic, which no real input makes happen on cue.

var testCheck = finding.Check{ID: "test/found", Title: "Found", Severity: finding.Warning}

func testStep(family string, order int, run func(ctx context.Context) error) Step {
	return Step{
		Family: family, Order: order,
		Run: func(ctx context.Context, t *Target) (Result, error) {
			if err := run(ctx); err != nil {
				return Result{}, err
			}
			f := finding.New(testCheck, finding.Location{File: family + ".txt", Line: 1}, family+" found it", "")
			return Result{Findings: []finding.Finding{f}, Subjects: []report.Subject{{Kind: "test", Name: family}}}, nil
		},
	}
}

func checksOfReport(rep *report.Report) map[string]int {
	n := map[string]int{}
	for _, f := range rep.Findings {
		n[f.Check]++
	}
	return n
}

// Two steps that each wait for the other to have started finish only if
// they run at the same time; the report keeps step order although the
// second finishes first.
func TestRunStepsInParallel(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(2)
	meet := func(ctx context.Context) error {
		wg.Done()
		ch := make(chan struct{})
		go func() { wg.Wait(); close(ch) }()
		select {
		case <-ch:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	first := testStep("first", 1, func(ctx context.Context) error {
		if err := meet(ctx); err != nil {
			return err
		}
		time.Sleep(20 * time.Millisecond) // finish after second
		return nil
	})
	second := testStep("second", 2, meet)
	rep, err := Run(context.Background(), &Target{Dir: t.TempDir(), Jobs: 2, StepTimeout: time.Minute}, []Step{first, second})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Checks, []string{"first", "second"}) || len(rep.Steps) != 2 || rep.Steps[0].Family != "first" || rep.Subjects[0].Name != "first" {
		t.Errorf("checks %v, steps %+v, subjects %+v: want step order", rep.Checks, rep.Steps, rep.Subjects)
	}
	for _, s := range rep.Steps {
		if s.Status != report.StepDone {
			t.Errorf("step %+v not done", s)
		}
	}
	if n := checksOfReport(rep); n[testCheck.ID] != 2 || len(rep.Findings) != 2 {
		t.Errorf("findings %v", n)
	}
}

// With Jobs 1 the steps run one after the other, in order.
func TestRunOneAtATime(t *testing.T) {
	var running, most atomic.Int32
	var order []string
	var mu sync.Mutex
	mk := func(name string, order_ int) Step {
		return testStep(name, order_, func(ctx context.Context) error {
			n := running.Add(1)
			defer running.Add(-1)
			if n > most.Load() {
				most.Store(n)
			}
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
			time.Sleep(10 * time.Millisecond)
			return nil
		})
	}
	_, err := Run(context.Background(), &Target{Dir: t.TempDir(), Jobs: 1}, []Step{mk("a", 1), mk("b", 2), mk("c", 3)})
	if err != nil {
		t.Fatal(err)
	}
	if most.Load() != 1 || !slices.Equal(order, []string{"a", "b", "c"}) {
		t.Errorf("%d at once, order %v; want 1, a b c", most.Load(), order)
	}
}

// A step that runs past StepTimeout is cancelled; the others' results
// stand, and one audit/step-timeout finding names the late steps.
func TestStepTimeout(t *testing.T) {
	defer func(d time.Duration) { cancelGrace = d }(cancelGrace)
	cancelGrace = 100 * time.Millisecond
	hang := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
	// A step that ignores its context is left behind after cancelGrace.
	stuck := func(ctx context.Context) error { time.Sleep(time.Hour); return nil }
	fast := testStep("fast", 1, func(context.Context) error { return nil })
	rep, err := Run(context.Background(), &Target{Dir: t.TempDir(), Jobs: 3, StepTimeout: 200 * time.Millisecond},
		[]Step{fast, testStep("slow", 2, hang), testStep("stuck", 3, stuck)})
	if err != nil {
		t.Fatal(err)
	}
	n := checksOfReport(rep)
	if n[testCheck.ID] != 1 || n[StepTimeout.ID] != 1 || n[StepFailed.ID] != 0 || len(rep.Findings) != 2 {
		t.Fatalf("findings %v, want fast's and one step-timeout", n)
	}
	var f finding.Finding
	for _, x := range rep.Findings {
		if x.Check == StepTimeout.ID {
			f = x
		}
	}
	if f.Details["families"] != "slow,stuck" || f.Details["stepTimeout"] != "200ms" || !strings.Contains(f.Message, "slow (stopped after") || !strings.Contains(f.Message, "stuck (stopped after") {
		t.Errorf("step-timeout finding: %s %v", f.Message, f.Details)
	}
	want := map[string]string{"fast": report.StepDone, "slow": report.StepTimedOut, "stuck": report.StepTimedOut}
	for _, s := range rep.Steps {
		if s.Status != want[s.Family] {
			t.Errorf("step %s: %s, want %s", s.Family, s.Status, want[s.Family])
		}
	}
	if !slices.Equal(rep.Checks, []string{"fast", "slow", "stuck"}) {
		t.Errorf("checks %v", rep.Checks)
	}
}

// Cancelling the run's context (what SIGINT does) returns what finished,
// one audit/interrupted finding naming the rest, and ErrInterrupted;
// steps not yet started are named too.
func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fast := testStep("fast", 1, func(context.Context) error { return nil })
	slow := testStep("slow", 2, func(ctx context.Context) error {
		cancel() // the interrupt arrives while this step runs
		<-ctx.Done()
		return ctx.Err()
	})
	later := testStep("later", 3, func(context.Context) error { return nil })
	rep, err := Run(ctx, &Target{Dir: t.TempDir(), Jobs: 1}, []Step{fast, slow, later})
	if !errors.Is(err, ErrInterrupted) || rep == nil {
		t.Fatalf("err %v, report %v; want ErrInterrupted and a report", err, rep)
	}
	n := checksOfReport(rep)
	if n[testCheck.ID] != 1 || n[Interrupted.ID] != 1 || len(rep.Findings) != 2 {
		t.Fatalf("findings %v", n)
	}
	for _, f := range rep.Findings {
		if f.Check == Interrupted.ID && (f.Details["families"] != "slow,later" || !strings.Contains(f.Message, "later (not started)")) {
			t.Errorf("interrupted finding names %q, want slow,later", f.Details["families"])
		}
	}
}

// A failing step becomes audit/step-failed, a panicking one too; in a
// focused run the error is returned.
func TestRunStepErrors(t *testing.T) {
	bad := testStep("bad", 1, func(context.Context) error { return errors.New("boom") })
	panicky := testStep("panicky", 2, func(context.Context) error { panic("oops") })
	rep, err := Run(context.Background(), &Target{Dir: t.TempDir()}, []Step{bad, panicky})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, f := range rep.Findings {
		msgs = append(msgs, f.Message)
	}
	if n := checksOfReport(rep); n[StepFailed.ID] != 2 || !strings.Contains(strings.Join(msgs, "\n"), "boom") || !strings.Contains(strings.Join(msgs, "\n"), "internal error in the panicky step: oops") {
		t.Errorf("findings %v", msgs)
	}
	if _, err := Run(context.Background(), &Target{Dir: t.TempDir(), Focused: true}, []Step{bad}); err == nil || err.Error() != "boom" {
		t.Errorf("focused: err %v, want boom", err)
	}
}

// Shared work runs once for every step that asks; a caller that stops
// waiting (its timeout) does not cancel it for the others.
func TestSharedWorkOnce(t *testing.T) {
	tg := &Target{Dir: t.TempDir()}
	base, cancel := context.WithCancel(context.Background())
	defer cancel()
	tg.setShared(base, nil)
	var m map[string]*call[int]
	var calls atomic.Int32
	release := make(chan struct{})
	work := func(ctx context.Context) (int, error) {
		calls.Add(1)
		select {
		case <-release:
			return 42, nil
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	impatient, stop := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer stop()
	if _, err := shared(impatient, tg, &m, "k", work); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("impatient caller: %v", err)
	}
	got := make(chan int)
	for range 2 {
		go func() {
			v, _ := shared(context.Background(), tg, &m, "k", work)
			got <- v
		}()
	}
	close(release)
	if a, b := <-got, <-got; a != 42 || b != 42 || calls.Load() != 1 {
		t.Errorf("got %d and %d from %d calls; want 42 twice from 1", a, b, calls.Load())
	}
}

// Every real step at once (as many as there are steps) and one at a time
// give the same report but for the times: the steps share the run's
// subjects safely, and the report keeps step order.
func TestParallelRunIsSequentialRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every step twice on a module")
	}
	dir, err := filepath.Abs(filepath.Join("..", "check", "loopvar", "testdata", "old"))
	if err != nil {
		t.Fatal(err)
	}
	run := func(jobs int) *report.Report {
		tg := &Target{Dir: dir, Environ: os.Environ(), HostRoot: "/", Jobs: jobs, Now: func() time.Time { return time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC) }}
		rep, err := Run(context.Background(), tg, Steps())
		if err != nil {
			t.Fatal(err)
		}
		rep.Finish(Registry())
		rep.ZeroTimes()
		return rep
	}
	one, all := run(1), run(len(Steps()))
	a, _ := json.MarshalIndent(one, "", " ")
	b, _ := json.MarshalIndent(all, "", " ")
	if string(a) != string(b) {
		t.Errorf("one step at a time:\n%s\nall at once:\n%s", a, b)
	}
	if !slices.Contains(one.Checks, "loopvar") || !slices.Contains(one.Checks, "upgrade") {
		t.Errorf("checks %v: want loopvar and upgrade", one.Checks)
	}
}

// With a Progress writer (stderr on a terminal) each step says when it
// starts and ends; without one, or in a focused run, nothing is written.
func TestProgress(t *testing.T) {
	var b strings.Builder
	s := testStep("first", 1, func(context.Context) error { return nil })
	if _, err := Run(context.Background(), &Target{Dir: t.TempDir(), Progress: &b}, []Step{s}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.HasPrefix(got, "gocompat: first…\ngocompat: first done in ") || strings.Count(got, "\n") != 2 {
		t.Errorf("progress:\n%s", got)
	}
	b.Reset()
	if _, err := Run(context.Background(), &Target{Dir: t.TempDir(), Progress: &b, Focused: true}, []Step{s}); err != nil || b.Len() != 0 {
		t.Errorf("a quick focused run wrote progress %q (err %v)", b.String(), err)
	}
	// A focused step that runs longer than announceAfter is shown.
	b.Reset()
	slow := testStep("slow", 1, func(context.Context) error { time.Sleep(announceAfter + 600*time.Millisecond); return nil })
	if _, err := Run(context.Background(), &Target{Dir: t.TempDir(), Progress: &syncWriter{w: &b}, Focused: true}, []Step{slow}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.HasPrefix(got, "gocompat: slow…\ngocompat: slow done in ") {
		t.Errorf("a slow focused step's progress:\n%s", got)
	}
}

// syncWriter lets the progress ticker and the test share a builder.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(b)
}
