// Package exporter turns gocompat reports into Prometheus metrics: as the
// text exposition format for node_exporter's textfile collector (WriteText,
// the renderer behind --format prometheus), and as a long-running exporter
// that re-runs the checks on an interval and serves the latest result
// (Exporter, behind `gocompat exporter --listen ADDR`).
//
// It knows the report model and nothing about checks. The series are:
//
//	gocompat_finding{check,family,severity,subject}          1 per finding (subject: see below)
//	gocompat_findings{severity}                               findings per severity, uncapped
//	gocompat_finding_series_dropped                           finding series left out by the cap
//	gocompat_go_process_info{go_version,module,module_version,exe}
//	                                                          running Go processes of that build
//	gocompat_go_processes                                     running Go processes
//	gocompat_run_duration_seconds, gocompat_run_timestamp_seconds
//	gocompat_run_errors                                       steps of the last run that failed
//	gocompat_runs_total, gocompat_run_errors_total            (exporter only) counters
//
// Label cardinality is bounded by design: no label holds a PID, a time
// or a message. A finding's subject is its "subject" detail (for a
// process: the executable path, which survives restarts), else its file,
// else its object (a binary or host path); labels are cut to 200 bytes.
// Findings of the same check, severity and subject are one series.
// Options.MaxSeries caps the finding series (default 1000) and the process
// series alike; what is cut is counted in the _dropped gauges, never
// silently lost.
package exporter

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/expfmt"

	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/report"
)

// stepFailed is the check of a step that could not run.
const stepFailed = "audit/step-failed"

// DefaultMaxSeries caps finding series and process series.
const DefaultMaxSeries = 1000

// maxLabel bounds every label value.
const maxLabel = 200

// Snapshot is the metrics of one run.
type Snapshot struct {
	findings  map[findingKey]bool
	bySev     map[string]int
	dropped   int
	processes map[processKey]int
	procDrop  int
	goProcs   int
	Duration  time.Duration
	Time      time.Time
	Errors    int
}

type findingKey struct{ check, family, severity, subject string }
type processKey struct{ goVersion, module, moduleVersion, exe string }

func cut(s string) string {
	if len(s) <= maxLabel {
		return s
	}
	return s[:maxLabel]
}

// Subject is the label a finding is counted under.
func Subject(f finding.Finding) string {
	if s := f.Details["subject"]; s != "" {
		return cut(s)
	}
	if f.Location.File != "" {
		return cut(f.Location.File)
	}
	return cut(f.Location.Object)
}

// NewSnapshot summarises a report. Suppressed findings are left out;
// findings of the audit/step-failed check count as run errors.
func NewSnapshot(rep *report.Report, maxSeries int) *Snapshot {
	if maxSeries <= 0 {
		maxSeries = DefaultMaxSeries
	}
	s := &Snapshot{findings: map[findingKey]bool{}, bySev: map[string]int{"error": 0, "warning": 0, "info": 0}, processes: map[processKey]int{}}
	fs := append([]finding.Finding(nil), rep.Findings...)
	finding.Sort(fs) // the cap keeps the most severe
	for _, f := range fs {
		if f.Suppressed != "" {
			continue
		}
		if f.Check == stepFailed {
			s.Errors++
		}
		s.bySev[f.Severity.String()]++
		fam, _, _ := strings.Cut(f.Check, "/")
		k := findingKey{f.Check, fam, f.Severity.String(), Subject(f)}
		if s.findings[k] {
			continue
		}
		if len(s.findings) >= maxSeries {
			s.dropped++
			continue
		}
		s.findings[k] = true
	}
	subs := append([]report.Subject(nil), rep.Subjects...)
	sort.SliceStable(subs, func(i, j int) bool { return subs[i].Path < subs[j].Path })
	for _, sub := range subs {
		if sub.Kind != "process" {
			continue
		}
		s.goProcs++
		a := sub.Attributes
		k := processKey{cut(a["go"]), cut(a["module"]), cut(a["moduleVersion"]), cut(sub.Path)}
		if _, ok := s.processes[k]; !ok && len(s.processes) >= maxSeries {
			s.procDrop++
			continue
		}
		s.processes[k]++
	}
	return s
}

var (
	descFinding   = prometheus.NewDesc("gocompat_finding", "A gocompat finding: 1 per check, severity and subject (executable, file, binary or host path).", []string{"check", "family", "severity", "subject"}, nil)
	descFindings  = prometheus.NewDesc("gocompat_findings", "Number of findings of the last run, by severity (not capped).", []string{"severity"}, nil)
	descDropped   = prometheus.NewDesc("gocompat_finding_series_dropped", "Finding series left out because of the series cap.", nil, nil)
	descProcInfo  = prometheus.NewDesc("gocompat_go_process_info", "Running Go processes of one build: number of processes.", []string{"go_version", "module", "module_version", "exe"}, nil)
	descProcDrop  = prometheus.NewDesc("gocompat_go_process_series_dropped", "Process series left out because of the series cap.", nil, nil)
	descProcs     = prometheus.NewDesc("gocompat_go_processes", "Running Go processes found.", nil, nil)
	descDuration  = prometheus.NewDesc("gocompat_run_duration_seconds", "How long the last run took.", nil, nil)
	descTimestamp = prometheus.NewDesc("gocompat_run_timestamp_seconds", "When the last run finished, in seconds since the epoch.", nil, nil)
	descErrors    = prometheus.NewDesc("gocompat_run_errors", "Steps of the last run that failed (audit/step-failed findings and failed runs).", nil, nil)
)

// collect emits the snapshot's metrics.
func (s *Snapshot) collect(ch chan<- prometheus.Metric) {
	for k := range s.findings {
		ch <- prometheus.MustNewConstMetric(descFinding, prometheus.GaugeValue, 1, k.check, k.family, k.severity, k.subject)
	}
	for sev, n := range s.bySev {
		ch <- prometheus.MustNewConstMetric(descFindings, prometheus.GaugeValue, float64(n), sev)
	}
	ch <- prometheus.MustNewConstMetric(descDropped, prometheus.GaugeValue, float64(s.dropped))
	for k, n := range s.processes {
		ch <- prometheus.MustNewConstMetric(descProcInfo, prometheus.GaugeValue, float64(n), k.goVersion, k.module, k.moduleVersion, k.exe)
	}
	ch <- prometheus.MustNewConstMetric(descProcDrop, prometheus.GaugeValue, float64(s.procDrop))
	ch <- prometheus.MustNewConstMetric(descProcs, prometheus.GaugeValue, float64(s.goProcs))
	ch <- prometheus.MustNewConstMetric(descDuration, prometheus.GaugeValue, s.Duration.Seconds())
	if !s.Time.IsZero() {
		ch <- prometheus.MustNewConstMetric(descTimestamp, prometheus.GaugeValue, float64(s.Time.UnixNano())/1e9)
	}
	ch <- prometheus.MustNewConstMetric(descErrors, prometheus.GaugeValue, float64(s.Errors))
}

type snapshotCollector struct{ s *Snapshot }

func (c snapshotCollector) Describe(ch chan<- *prometheus.Desc) { prometheus.DescribeByCollect(c, ch) }
func (c snapshotCollector) Collect(ch chan<- prometheus.Metric) { c.s.collect(ch) }

// WriteText writes the report as the Prometheus text exposition format
// (version 0.0.4), sorted, for node_exporter's textfile collector. The
// duration and time of the run are those of the snapshot (zero: left out).
func WriteText(w io.Writer, s *Snapshot) error {
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(snapshotCollector{s}); err != nil {
		return err
	}
	mfs, err := reg.Gather()
	if err != nil {
		return err
	}
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			return err
		}
	}
	return nil
}

// RunFunc produces one report; an error counts as a failed run.
type RunFunc func(ctx context.Context) (*report.Report, error)

// Exporter re-runs checks on an interval and serves the latest result.
type Exporter struct {
	Run       RunFunc
	Interval  time.Duration
	MaxSeries int
	// Log receives one line per failed run; nil discards them.
	Log io.Writer

	mu        sync.RWMutex
	last      *Snapshot
	runs      prometheus.Counter
	runErrors prometheus.Counter
	reg       *prometheus.Registry
}

// New returns an Exporter; call Handler for its HTTP handler and Loop to
// run it.
func New(run RunFunc, interval time.Duration, maxSeries int) *Exporter {
	e := &Exporter{Run: run, Interval: interval, MaxSeries: maxSeries, last: &Snapshot{}}
	e.runs = prometheus.NewCounter(prometheus.CounterOpts{Name: "gocompat_runs_total", Help: "Runs of the checks since the exporter started."})
	e.runErrors = prometheus.NewCounter(prometheus.CounterOpts{Name: "gocompat_run_errors_total", Help: "Failed runs and failed steps since the exporter started."})
	e.reg = prometheus.NewRegistry()
	e.reg.MustRegister(e.runs, e.runErrors, exporterCollector{e})
	return e
}

type exporterCollector struct{ e *Exporter }

func (c exporterCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descFinding, descFindings, descDropped, descProcInfo, descProcDrop, descProcs, descDuration, descTimestamp, descErrors} {
		ch <- d
	}
}

func (c exporterCollector) Collect(ch chan<- prometheus.Metric) {
	c.e.mu.RLock()
	s := c.e.last
	c.e.mu.RUnlock()
	s.collect(ch)
}

// Once runs the checks one time and makes the result the one served.
func (e *Exporter) Once(ctx context.Context) {
	start := time.Now()
	rep, err := e.Run(ctx)
	var s *Snapshot
	if err != nil {
		if e.Log != nil {
			fmt.Fprintf(e.Log, "gocompat exporter: run failed: %v\n", err)
		}
		e.mu.RLock()
		prev := *e.last
		e.mu.RUnlock()
		s = &prev // keep serving the last good findings
		s.Errors = 1
	} else {
		s = NewSnapshot(rep, e.MaxSeries)
	}
	s.Duration = time.Since(start)
	s.Time = time.Now()
	e.runs.Inc()
	e.runErrors.Add(float64(s.Errors))
	e.mu.Lock()
	e.last = s
	e.mu.Unlock()
}

// Loop runs the checks now and then every Interval until ctx ends.
func (e *Exporter) Loop(ctx context.Context) {
	t := time.NewTicker(e.Interval)
	defer t.Stop()
	for {
		e.Once(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Handler serves the metrics at any path.
func (e *Exporter) Handler() http.Handler {
	return promhttp.HandlerFor(e.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}
