// Package proccheck judges running Go programs (package proc): whether
// their GOMAXPROCS and GOMEMLIMIT fit their cgroup's CPU quota and memory
// limit, whether the Go variables in their environment do what their
// authors think, whether the file they run is still the one on disk, and
// whether their Go release is still supported.
//
// It works from plain values only: the processes a scan read, the GODEBUG
// names the toolchain knows and a date. Every finding names the process
// (PID and executable) in its location and carries the executable path as
// its "subject" detail, which the metrics renderer uses as a label that
// does not change when the program restarts.
package proccheck

import (
	"fmt"
	"go/version"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/proc"
	"github.com/gocompat/gocompat/internal/report"
)

type src = finding.Source

var (
	GomaxprocsAboveQuota = finding.Check{
		ID: "proc/gomaxprocs-above-quota", Title: "The process runs more Go threads at once than its cgroup CPU quota allows",
		Severity: finding.Warning, Sources: []src{facts.SrcGo125Procs, facts.SrcRuntimeEnv, facts.SrcCgroupV2},
	}
	GomemlimitUnset = finding.Check{
		ID: "proc/gomemlimit-unset", Title: "The process's cgroup has a memory limit but its environment sets no GOMEMLIMIT",
		Severity: finding.Warning, Sources: []src{facts.SrcGOMEMLIMIT, facts.SrcGCGuide},
	}
	GomemlimitNotBelow = finding.Check{
		ID: "proc/gomemlimit-not-below-limit", Title: "GOMEMLIMIT is not below the process's cgroup memory limit",
		Severity: finding.Error, Sources: []src{facts.SrcGOMEMLIMIT, facts.SrcGCGuide},
	}
	GogcOffWithoutLimit = finding.Check{
		ID: "proc/gogc-off-without-gomemlimit", Title: "GOGC=off without GOMEMLIMIT: the heap grows until the process is killed",
		Severity: finding.Error, Sources: []src{facts.SrcRuntimeEnv, facts.SrcGCGuide},
	}
	GodebugUnknown = finding.Check{
		ID: "proc/godebug-unknown", Title: "GODEBUG names a setting the process's Go does not have",
		Severity: finding.Warning, Sources: []src{facts.SrcGodebug},
	}
	GoexperimentInEnv = finding.Check{
		ID: "proc/goexperiment-in-environment", Title: "GOEXPERIMENT is set in a running program's environment, where it does nothing",
		Severity: finding.Warning, Sources: []src{facts.SrcGOEXPERIMENT},
	}
	BinaryReplaced = finding.Check{
		ID: "proc/binary-replaced", Title: "The executable was replaced on disk after the process started; it still runs the old build",
		Severity: finding.Warning, Sources: []src{SrcProcExe},
	}
	BinaryDeleted = finding.Check{
		ID: "proc/binary-deleted", Title: "The executable was deleted after the process started",
		Severity: finding.Warning, Sources: []src{SrcProcExe},
	}
	GoUnsupported = finding.Check{
		ID: "proc/go-unsupported", Title: "The process was built with a Go release that no longer gets security fixes",
		Severity: finding.Warning, Sources: []src{facts.SrcReleasePolicy},
	}
	NotReadable = finding.Check{
		ID: "proc/not-readable", Title: "Some processes could not be read",
		Severity: finding.Info, Sources: []src{SrcProcExe},
	}
)

// SrcProcExe documents /proc/<pid>/exe, its " (deleted)" suffix and who
// may read it.
var SrcProcExe = finding.Source{Title: "proc_pid_exe(5): /proc/pid/exe links to the executed file, \" (deleted)\" when unlinked; reading it needs ptrace access mode PTRACE_MODE_READ_FSCREDS", URL: "https://man7.org/linux/man-pages/man5/proc_pid_exe.5.html"}

// Checks lists the proc family.
var Checks = []finding.Check{
	GomaxprocsAboveQuota, GomemlimitUnset, GomemlimitNotBelow, GogcOffWithoutLimit,
	GodebugUnknown, GoexperimentInEnv, BinaryReplaced, BinaryDeleted, GoUnsupported, NotReadable,
}

// Options are the facts a judgement needs besides the processes.
type Options struct {
	// Godebugs is the GODEBUG table of the installed toolchain (or the
	// embedded one), GodebugNames every name it and its runtime know
	// (facts.GodebugNames).
	Godebugs     *facts.GodebugTable
	GodebugNames []string
	// Now decides whether a Go release is still supported.
	Now time.Time
}

// Judge turns a scan into findings.
func Judge(res *proc.Result, opt Options) []finding.Finding {
	var out []finding.Finding
	for i := range res.Processes {
		out = append(out, judgeOne(&res.Processes[i], opt)...)
	}
	if len(res.Skipped) > 0 {
		out = append(out, skipped(res.Skipped))
	}
	return out
}

func where(p *proc.Process) finding.Location {
	return finding.Location{Object: fmt.Sprintf("pid %d (%s)", p.PID, p.Exe)}
}

func newFinding(c finding.Check, p *proc.Process, msg, fix string, kv ...string) finding.Finding {
	f := finding.New(c, where(p), msg, fix)
	f.Details = map[string]string{"pid": strconv.Itoa(p.PID), "exe": p.Exe, "subject": p.Exe}
	if p.Binary != nil {
		f.Details["go"] = p.Binary.GoVersion
	}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Details[kv[i]] = kv[i+1]
	}
	return f
}

// goVersion is the release the process was built with, without an
// experiment suffix ("go1.26.8 X:nodwarf5" → "go1.26.8").
func goVersion(p *proc.Process) string {
	if p.Binary == nil {
		return ""
	}
	v, _, _ := strings.Cut(p.Binary.GoVersion, " ")
	v, _, _ = strings.Cut(v, "-X:")
	if !version.IsValid(v) {
		return ""
	}
	return v
}

func judgeOne(p *proc.Process, opt Options) []finding.Finding {
	var out []finding.Finding
	goV := goVersion(p)
	out = append(out, cpuFindings(p, goV)...)
	out = append(out, memoryFindings(p, goV)...)
	out = append(out, envFindings(p, goV, opt)...)
	switch p.OnDisk {
	case proc.OnDiskReplaced:
		msg := fmt.Sprintf("%s was replaced on disk after process %d started: the process still runs the old build", p.Exe, p.PID)
		if p.Binary != nil {
			msg += " (" + buildName(p.Binary.GoVersion, p.Binary.Main.Version) + ")"
		}
		if p.Disk != nil {
			msg += ", while the file on disk is " + buildName(p.Disk.GoVersion, p.Disk.Main.Version)
		}
		msg += ". Fixes in the new build, security fixes included, reach it only when it is restarted."
		f := newFinding(BinaryReplaced, p, msg, "Restart the process (or its service) so that it runs the installed build.")
		if p.Disk != nil {
			f.Details["diskGo"] = p.Disk.GoVersion
		}
		out = append(out, f)
	case proc.OnDiskDeleted:
		out = append(out, newFinding(BinaryDeleted, p,
			fmt.Sprintf("%s was deleted after process %d started: the process runs a file that no longer has a name, typically a build that a package upgrade removed, and a restart may start a different one or fail.", p.Exe, p.PID),
			"Restart the process once the intended build is installed."))
	}
	if goV != "" {
		supported, known, r := facts.SupportStatus(goV, opt.Now)
		if known && !supported {
			out = append(out, newFinding(GoUnsupported, p,
				fmt.Sprintf("Process %d was built with %s; Go %s has had no security fixes since %s (a release is supported until two newer major releases exist).", p.PID, goV, strings.TrimPrefix(r.Version, "go"), r.Unsupported.Format("2006-01-02")),
				"Rebuild with a supported Go release and restart the process.", "unsupportedSince", r.Unsupported.Format("2006-01-02")))
		}
	}
	return out
}

func buildName(goV, modV string) string {
	if modV != "" && modV != "(devel)" {
		return modV + " built with " + goV
	}
	return "built with " + goV
}

// godebug returns the value of a GODEBUG setting as the program sees it:
// the environment's GODEBUG (the last entry wins) over the binary's
// DefaultGODEBUG.
func godebug(p *proc.Process, name string) (string, bool) {
	if v, ok := lastSetting(p.Env["GODEBUG"], name); ok {
		return v, true
	}
	if p.Binary != nil {
		if d, ok := p.Binary.Setting("DefaultGODEBUG"); ok {
			return lastSetting(d, name)
		}
	}
	return "", false
}

func lastSetting(list, name string) (string, bool) {
	val, found := "", false
	for _, kv := range strings.Split(list, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if ok && k == name {
			val, found = v, true
		}
	}
	return val, found
}

func hasDep(p *proc.Process, prefix string) bool {
	if p.Binary == nil {
		return false
	}
	for _, d := range p.Binary.Deps {
		if d.Path == prefix || strings.HasPrefix(d.Path, prefix+"/") {
			return true
		}
	}
	return false
}

func cpuFindings(p *proc.Process, goV string) []finding.Finding {
	cg := p.Cgroup
	if cg.CPUQuota <= 0 || cg.CPUPeriod <= 0 {
		return nil
	}
	quotaCPUs := int(math.Ceil(float64(cg.CPUQuota) / float64(cg.CPUPeriod)))
	quota := fmt.Sprintf("%s (%d/%d µs)", cg.CPUFrom, cg.CPUQuota, cg.CPUPeriod)
	if s, ok := p.Env["GOMAXPROCS"]; ok {
		// The runtime takes GOMAXPROCS when it is a positive integer
		// and ignores it otherwise (runtime/proc.go, schedinit).
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return nil
		}
		if n <= quotaCPUs {
			return nil
		}
		return []finding.Finding{newFinding(GomaxprocsAboveQuota, p,
			fmt.Sprintf("GOMAXPROCS=%d in the environment of process %d lets %d threads run Go code at once, but its cgroup grants %d CPU(s) (%s): it uses up its quota early in each period and is throttled for the rest.", n, p.PID, n, quotaCPUs, quota),
			fmt.Sprintf("Set GOMAXPROCS=%d, or unset it and run a program built with Go 1.25+ and a go line of 1.25 or later, whose runtime follows the quota.", quotaCPUs),
			"GOMAXPROCS", s, "cpuQuota", strconv.Itoa(quotaCPUs))}
	}
	if hasDep(p, "go.uber.org/automaxprocs") {
		return nil // sets GOMAXPROCS from the quota at start-up
	}
	if p.EnvUnknown != "" {
		return nil // GOMAXPROCS may be set where we cannot see it
	}
	if p.CPUs <= quotaCPUs || goV == "" {
		return nil
	}
	var why string
	if version.Compare(goV, facts.ContainerMaxProcsSince) < 0 {
		why = fmt.Sprintf("it is built with %s, whose runtime sets GOMAXPROCS to the number of CPUs it may use (%d) and ignores the quota (container-aware GOMAXPROCS came with Go 1.25)", goV, p.CPUs)
	} else if v, _ := godebug(p, "containermaxprocs"); v == "0" {
		where := "its DefaultGODEBUG (the main module's go line is before 1.25)"
		if _, ok := lastSetting(p.Env["GODEBUG"], "containermaxprocs"); ok {
			where = "GODEBUG in its environment"
		}
		why = fmt.Sprintf("although it is built with %s, %s sets containermaxprocs=0, so GOMAXPROCS is the number of CPUs it may use (%d), not the quota", goV, where, p.CPUs)
	} else {
		return nil
	}
	return []finding.Finding{newFinding(GomaxprocsAboveQuota, p,
		fmt.Sprintf("Process %d's cgroup grants %d CPU(s) (%s), but %s, unless the program sets GOMAXPROCS itself: it may use up its quota early in each period and be throttled.", p.PID, quotaCPUs, quota, why),
		fmt.Sprintf("Set GOMAXPROCS=%d in its environment, or build with Go 1.25+ and a go line of 1.25 or later.", quotaCPUs),
		"cpus", strconv.Itoa(p.CPUs), "cpuQuota", strconv.Itoa(quotaCPUs))}
}

func memoryFindings(p *proc.Process, goV string) []finding.Finding {
	if goV != "" && version.Compare(goV, facts.GOMEMLIMITSince) < 0 {
		return nil // no GOMEMLIMIT before Go 1.19
	}
	if p.EnvUnknown != "" && len(p.Env) == 0 {
		return nil
	}
	gm, haveGM := p.Env["GOMEMLIMIT"]
	limitBytes := math.Inf(1)
	if haveGM {
		if b, ok := facts.ParseGOMEMLIMIT(gm); ok {
			limitBytes = b
		} else {
			haveGM = false // a running program cannot have an invalid one: the runtime refuses to start
		}
	}
	if gogc, ok := p.Env["GOGC"]; ok && gogc == "off" && math.IsInf(limitBytes, 1) {
		msg := fmt.Sprintf("GOGC=off turns the garbage collector off for process %d and no GOMEMLIMIT is set, so nothing collects: its heap grows until the kernel", p.PID)
		if p.Cgroup.Memory > 0 {
			msg += fmt.Sprintf(" OOM-kills it at its cgroup limit (%s).", human(p.Cgroup.Memory))
		} else {
			msg += " runs out of memory, unless the program sets a limit itself (debug.SetMemoryLimit)."
		}
		fix := "Set GOMEMLIMIT (GOGC=off with GOMEMLIMIT collects only near the limit), or remove GOGC=off."
		if p.Cgroup.Memory > 0 {
			fix = fmt.Sprintf("Set GOMEMLIMIT=%s (about 90%% of the cgroup limit) next to GOGC=off, or remove GOGC=off.", suggest(p.Cgroup.Memory))
		}
		return []finding.Finding{newFinding(GogcOffWithoutLimit, p, msg, fix, "GOGC", gogc)}
	}
	if p.Cgroup.Memory <= 0 {
		return nil
	}
	mem := fmt.Sprintf("%s (%s)", human(p.Cgroup.Memory), p.Cgroup.MemoryFrom)
	if !haveGM {
		if hasDep(p, "github.com/KimMachineGun/automemlimit") {
			return nil // sets the limit from the cgroup at start-up
		}
		return []finding.Finding{newFinding(GomemlimitUnset, p,
			fmt.Sprintf("Process %d's cgroup limits its memory to %s, but its environment sets no GOMEMLIMIT: the Go runtime never reads the cgroup limit, so unless the program sets one itself (debug.SetMemoryLimit) its garbage collector paces by GOGC alone and the process may be OOM-killed instead of collecting sooner.", p.PID, mem),
			fmt.Sprintf("Set GOMEMLIMIT=%s (about 90%% of the limit, leaving room for memory the Go runtime does not manage).", suggest(p.Cgroup.Memory)),
			"memoryLimit", strconv.FormatInt(p.Cgroup.Memory, 10))}
	}
	if limitBytes < float64(p.Cgroup.Memory) {
		return nil
	}
	return []finding.Finding{newFinding(GomemlimitNotBelow, p,
		fmt.Sprintf("GOMEMLIMIT=%s for process %d is not below its cgroup memory limit of %s: the garbage collector works harder only as the heap nears GOMEMLIMIT, which the kernel never lets it reach, so the limit does nothing and the process is OOM-killed first.", gm, p.PID, mem),
		fmt.Sprintf("Set GOMEMLIMIT below the limit, e.g. %s.", suggest(p.Cgroup.Memory)),
		"GOMEMLIMIT", gm, "memoryLimit", strconv.FormatInt(p.Cgroup.Memory, 10))}
}

func human(b int64) string {
	switch {
	case b >= 1<<30 && b%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", b>>30)
	case b >= 1<<20 && b%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", b>>20)
	}
	return fmt.Sprintf("%d bytes", b)
}

func suggest(b int64) string {
	mib := float64(b) * 0.9 / (1 << 20)
	if mib >= 4096 {
		return fmt.Sprintf("%dGiB", int(mib/1024))
	}
	return fmt.Sprintf("%dMiB", int(mib))
}

func envFindings(p *proc.Process, goV string, opt Options) []finding.Finding {
	var out []finding.Finding
	if v, ok := p.Env["GOEXPERIMENT"]; ok && v != "" {
		msg := fmt.Sprintf("GOEXPERIMENT=%s is in the environment of process %d, but experiments are compiled into a program by the go command; the Go runtime never reads GOEXPERIMENT, so it changes nothing in this process.", v, p.PID)
		if p.Binary != nil {
			if built, ok := p.Binary.Setting("GOEXPERIMENT"); ok {
				msg += fmt.Sprintf(" The binary was built with GOEXPERIMENT=%s.", built)
			} else {
				msg += " The binary was built with no experiments."
			}
		}
		out = append(out, newFinding(GoexperimentInEnv, p, msg,
			"Remove GOEXPERIMENT from the program's environment; to use an experiment, set it when building.",
			"GOEXPERIMENT", v))
	}
	gd, ok := p.Env["GODEBUG"]
	if !ok || gd == "" || opt.Godebugs == nil {
		return out
	}
	known := map[string]bool{}
	for _, n := range opt.GodebugNames {
		known[n] = true
	}
	for _, s := range opt.Godebugs.Settings {
		known[s.Name] = true
	}
	minor := -1
	if goV != "" {
		minor = facts.Minor(goV)
	}
	var names []string
	seen := map[string]bool{}
	for _, kv := range strings.Split(gd, ",") {
		name, _, _ := strings.Cut(strings.TrimSpace(kv), "=")
		if name != "" && !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		if r, ok := opt.Godebugs.LookupRemoved(name); ok {
			if minor < 0 || minor >= r.Removed {
				out = append(out, newFinding(GodebugUnknown, p,
					fmt.Sprintf("GODEBUG in the environment of process %d sets %s, which Go removed in Go 1.%d; this %s program ignores it, so the old behaviour it asks for is gone.", p.PID, name, r.Removed, display(goV)),
					fmt.Sprintf("Remove %s from GODEBUG and stop depending on the old behaviour.", name), "setting", name))
			}
			continue
		}
		if !known[name] {
			out = append(out, newFinding(GodebugUnknown, p,
				fmt.Sprintf("GODEBUG in the environment of process %d sets %s, a name no Go release up to %s has (neither internal/godebugs nor the runtime's own settings); the runtime ignores unknown names without a word, so whatever it was meant to change is unchanged.", p.PID, name, opt.Godebugs.GoVersion),
				"Check the name against https://go.dev/doc/godebug; fix its spelling or remove it.", "setting", name))
			continue
		}
		if s, ok := opt.Godebugs.Lookup(name); ok && minor >= 0 && s.Changed > minor && minor < facts.Minor(opt.Godebugs.GoVersion) {
			f := newFinding(GodebugUnknown, p,
				fmt.Sprintf("GODEBUG in the environment of process %d sets %s, whose default changed in Go 1.%d, but the program is built with %s: a setting usually arrives with its change, so this program may not know it and may ignore it.", p.PID, name, s.Changed, goV),
				fmt.Sprintf("Check the release notes of %s for %s; remove it if the program's Go does not have it.", display(goV), name), "setting", name)
			f.Severity = finding.Info
			out = append(out, f)
		}
	}
	return out
}

func display(goV string) string {
	if goV == "" {
		return "Go"
	}
	return goV
}

func skipped(sk []proc.Skipped) finding.Finding {
	var parts []string
	for i, s := range sk {
		if i == 20 {
			parts = append(parts, fmt.Sprintf("and %d more", len(sk)-20))
			break
		}
		name := s.Comm
		if s.Exe != "" {
			name = s.Exe
		}
		parts = append(parts, fmt.Sprintf("pid %d %s: %s", s.PID, name, s.Why))
	}
	f := finding.New(NotReadable, finding.Location{Object: "processes"},
		fmt.Sprintf("%d process(es) could not be read and were not checked: %s.", len(sk), strings.Join(parts, "; ")),
		"Run gocompat as the processes' user, or as root (in a container: with CAP_SYS_PTRACE and the host's PID namespace) to check them.")
	f.Details = map[string]string{"count": strconv.Itoa(len(sk)), "subject": "processes"}
	return f
}

// Subjects describes the scan (what was looked at and left out) and each
// Go process for reports: its build, cgroup limits, Go environment and
// platform.
func Subjects(res *proc.Result) []report.Subject {
	name := fmt.Sprintf("%d scanned: %d Go programs, %d other programs, %d kernel threads, %d zombies, %d exited while read, %d not readable",
		res.Scanned, len(res.Processes), res.NotGo, res.Kernel, res.Zombies, res.Exited, len(res.Skipped))
	out := []report.Subject{{Kind: "processes", Name: name, Attributes: map[string]string{
		"scanned": strconv.Itoa(res.Scanned), "goPrograms": strconv.Itoa(len(res.Processes)),
		"notGo": strconv.Itoa(res.NotGo), "kernelThreads": strconv.Itoa(res.Kernel),
		"zombies": strconv.Itoa(res.Zombies), "exited": strconv.Itoa(res.Exited),
		"skipped": strconv.Itoa(len(res.Skipped)),
	}}}
	for i := range res.Processes {
		p := &res.Processes[i]
		a := map[string]string{"pid": strconv.Itoa(p.PID), "onDisk": string(p.OnDisk)}
		if p.Binary != nil {
			a["go"] = p.Binary.GoVersion
			if p.Binary.Main.Path != "" {
				a["module"] = p.Binary.Main.Path
				a["moduleVersion"] = p.Binary.Main.Version
			}
			for _, st := range p.Binary.Settings {
				a["build:"+st.Key] = st.Value
			}
			if p.Disk != nil {
				a["disk.go"] = p.Disk.GoVersion
			}
		}
		for k, v := range p.Env {
			a["env:"+k] = v
		}
		if p.EnvUnknown != "" {
			a["envUnknown"] = p.EnvUnknown
		}
		if p.CPUs > 0 {
			a["cpus"] = strconv.Itoa(p.CPUs)
		}
		if p.Cgroup.CPUQuota > 0 {
			a["cgroup.cpuQuota"] = fmt.Sprintf("%d/%d", p.Cgroup.CPUQuota, p.Cgroup.CPUPeriod)
		}
		if p.Cgroup.Memory > 0 {
			a["cgroup.memory"] = strconv.FormatInt(p.Cgroup.Memory, 10)
		}
		if p.Cgroup.Version > 0 {
			a["cgroup.version"] = strconv.Itoa(p.Cgroup.Version)
		}
		if p.Platform != nil {
			if p.Platform.Libc.Flavor != "" {
				a["libc"] = strings.TrimSpace(p.Platform.Libc.Flavor + " " + p.Platform.Libc.Version.Value)
			}
			if id := p.Platform.OSRelease["PRETTY_NAME"]; id != "" {
				a["os"] = id
			}
		}
		out = append(out, report.Subject{Kind: "process", Name: fmt.Sprintf("%s[%d]", p.Comm, p.PID), Path: p.Exe, Attributes: a})
	}
	return out
}
