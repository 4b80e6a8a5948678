package audit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
)

// DefaultStepTimeout bounds one step of gocompat audit. The slow steps
// (loopvar, upgrade) run go vet, which with an empty build cache compiles
// every dependency first: about 4 minutes for caddy v2.6.4 and 6.5 for
// coredns v1.10.1 on 2 cores. Nine and a half minutes lets those finish
// and still ends a run that would not, with the rest of the report,
// within ten minutes: the steps start together, and discovery before
// them, the grace a stopped step gets (cancelGrace) and the report after
// them take seconds.
const DefaultStepTimeout = 9*time.Minute + 30*time.Second

// cancelGrace is how long Run waits, after cancelling a step, for it to
// stop the programs it started before the run goes on without it.
var cancelGrace = 5 * time.Second

// progressEvery is how often a terminal is told which steps still run.
const progressEvery = 20 * time.Second

// ErrInterrupted is returned by Run, with the report of the steps that
// finished, when its context was cancelled (SIGINT, SIGTERM) first.
var ErrInterrupted = errors.New("interrupted")

// StepTimeout is reported, once per run, when steps did not finish
// within Target.StepTimeout.
var StepTimeout = finding.Check{
	ID:       "audit/step-timeout",
	Title:    "A family of checks did not finish in time",
	Severity: finding.Warning,
}

// Interrupted is reported when the run was interrupted before every step
// finished.
var Interrupted = finding.Check{
	ID:       "audit/interrupted",
	Title:    "The run was interrupted before every check finished",
	Severity: finding.Error,
}

// outcome is how one step ended.
type outcome struct {
	res         Result
	err         error
	status      string
	start, took time.Duration
	notStarted  bool
}

// runSteps runs steps, at most t.jobs() at a time, each bounded by
// t.StepTimeout, and returns their outcomes in the order of steps. A step
// whose context ends (its timeout, or ctx) is waited for at most
// cancelGrace more, then left behind with its status set; a panic in a
// step becomes its error.
func runSteps(ctx context.Context, t *Target, steps []Step) []outcome {
	out := make([]outcome, len(steps))
	begin := time.Now()
	sem := make(chan struct{}, t.jobs())
	prog := newProgress(t)
	defer prog.stop()
	var wg sync.WaitGroup
	for i, s := range steps {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			// Not started: the run was stopped first.
			out[i] = outcome{status: report.StepInterrupted, start: time.Since(begin), notStarted: true}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i] = runStep(ctx, t, s, begin, prog)
		}()
		if t.Focused && len(steps) > 1 {
			// A focused run stops at its first error: run in order.
			wg.Wait()
			if out[i].err != nil {
				for j := i + 1; j < len(steps); j++ {
					out[j] = outcome{status: report.StepInterrupted, notStarted: true}
				}
				return out
			}
		}
	}
	wg.Wait()
	return out
}

// runStep runs one step in its own goroutine and waits for it, or for
// its context to end and then at most cancelGrace.
func runStep(ctx context.Context, t *Target, s Step, begin time.Time, prog *progress) outcome {
	sctx, cancel := ctx, context.CancelFunc(func() {})
	if t.StepTimeout > 0 {
		sctx, cancel = context.WithTimeout(ctx, t.StepTimeout)
	}
	defer cancel()
	start := time.Now()
	prog.started(s.Family, start)
	done := make(chan outcome, 1)
	go func() {
		var o outcome
		defer func() {
			if r := recover(); r != nil {
				o.err = fmt.Errorf("internal error in the %s step: %v (please report this with the command you ran)", s.Family, r)
			}
			done <- o
		}()
		o.res, o.err = s.Run(sctx, t)
	}()
	var o outcome
	select {
	case o = <-done:
	case <-sctx.Done():
		select {
		case o = <-done:
		case <-time.After(cancelGrace):
			o.err = sctx.Err()
		}
	}
	o.start, o.took = start.Sub(begin), time.Since(start)
	switch {
	case o.err == nil:
		o.status = report.StepDone
	case ctx.Err() != nil:
		o.status = report.StepInterrupted
	case sctx.Err() != nil:
		o.status = report.StepTimedOut
	default:
		o.status = report.StepFailed
	}
	prog.finished(s.Family, o)
	return o
}

// jobs is how many steps run at once: Target.Jobs, else the CPUs this
// process may use.
func (t *Target) jobs() int {
	if t.Jobs > 0 {
		return t.Jobs
	}
	return max(1, runtime.GOMAXPROCS(0))
}

// stepRun is the report's record of a step.
func stepRun(family string, o outcome) report.StepRun {
	return report.StepRun{Family: family, Status: o.status, Start: seconds(o.start), Seconds: seconds(o.took)}
}

// seconds rounds d to the millisecond.
func seconds(d time.Duration) float64 {
	return math.Round(d.Seconds()*1000) / 1000
}

// unfinishedFinding is the one finding for the steps that timed out or
// were interrupted.
func unfinishedFinding(c finding.Check, families []string, outs []outcome, limit time.Duration) finding.Finding {
	var parts []string
	for i, fam := range families {
		if outs[i].notStarted {
			parts = append(parts, fam+" (not started)")
		} else {
			parts = append(parts, fmt.Sprintf("%s (stopped after %s)", fam, round(outs[i].took)))
		}
	}
	var msg, fix string
	if c.ID == StepTimeout.ID {
		msg = fmt.Sprintf("These checks did not finish within --step-timeout %s and were stopped, so their findings are missing from this report: %s. The other checks' results stand.", limit, strings.Join(parts, ", "))
		fix = "Run again with a warm build cache (go vet's results are cached, so a second run is much faster), raise --step-timeout, or give --step-timeout 0 for no limit."
	} else {
		msg = fmt.Sprintf("The run was interrupted, so these checks did not finish and their findings are missing from this report: %s. The findings of the checks that finished stand.", strings.Join(parts, ", "))
		fix = "Run gocompat again to completion for a full report."
	}
	f := finding.New(c, finding.Location{}, msg, fix)
	f.Details = map[string]string{"families": strings.Join(families, ",")}
	if c.ID == StepTimeout.ID {
		f.Details["stepTimeout"] = limit.String()
	}
	return f
}

// round shortens d for people: 12.3s, 4m10s.
func round(d time.Duration) time.Duration {
	if d >= time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(100 * time.Millisecond)
}

// progress tells a terminal (Target.Progress) which steps run: a line
// when one starts and when it ends, and every progressEvery the ones
// still running. In a focused run (one command, one step: loopvar,
// upgrade --test, matrix) a step is announced only once it has run for
// announceAfter, so quick commands print nothing. Nil Progress prints
// nothing.
type progress struct {
	w         io.Writer
	delay     time.Duration
	mu        sync.Mutex
	running   map[string]time.Time
	announced map[string]bool
	order     []string
	summary   time.Time
	quit      chan struct{}
	once      sync.Once
}

// announceAfter is how long a step of a focused run runs before it is
// shown.
const announceAfter = time.Second

func newProgress(t *Target) *progress {
	if t.Progress == nil {
		return nil
	}
	p := &progress{w: t.Progress, running: map[string]time.Time{}, announced: map[string]bool{}, quit: make(chan struct{}), summary: time.Now()}
	if t.Focused {
		p.delay = announceAfter
	}
	go p.tick()
	return p
}

func (p *progress) tick() {
	tk := time.NewTicker(min(announceAfter/4, progressEvery))
	defer tk.Stop()
	for {
		select {
		case <-p.quit:
			return
		case now := <-tk.C:
			p.mu.Lock()
			var parts []string
			for _, fam := range p.order {
				st, ok := p.running[fam]
				if !ok {
					continue
				}
				if !p.announced[fam] && now.Sub(st) >= p.delay {
					p.announce(fam)
				}
				parts = append(parts, fmt.Sprintf("%s (%s)", fam, now.Sub(st).Round(time.Second)))
			}
			if len(parts) > 0 && now.Sub(p.summary) >= progressEvery {
				fmt.Fprintf(p.w, "gocompat: still running: %s\n", strings.Join(parts, ", "))
				p.summary = now
			}
			p.mu.Unlock()
		}
	}
}

// announce writes a step's start line; p.mu is held.
func (p *progress) announce(fam string) {
	p.announced[fam] = true
	fmt.Fprintf(p.w, "gocompat: %s…\n", fam)
}

func (p *progress) started(fam string, at time.Time) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running[fam] = at
	p.order = append(p.order, fam)
	if p.delay == 0 {
		p.announce(fam)
	}
}

func (p *progress) finished(fam string, o outcome) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.running, fam)
	if p.announced[fam] {
		fmt.Fprintf(p.w, "gocompat: %s %s in %s\n", fam, o.status, round(o.took))
	}
}

func (p *progress) stop() {
	if p != nil {
		p.once.Do(func() { close(p.quit) })
	}
}
