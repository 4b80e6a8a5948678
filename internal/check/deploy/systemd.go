package deploy

import (
	"fmt"
	"go/version"
	"math"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/gosrc"
	"github.com/gocompat/gocompat/internal/unit"
)

// systemd checks.
var (
	SystemdParseError = finding.Check{
		ID: "systemd/parse-error", Title: "The unit file cannot be parsed",
		Severity: finding.Error, Sources: []src{facts.SrcSystemdExec},
	}
	SystemdBuildEnvAtRuntime = finding.Check{
		ID: "systemd/build-env-at-runtime", Title: "The unit sets a variable only the go command reads; the running program ignores it",
		Severity: finding.Error, Sources: []src{facts.SrcGoEnvBuild, facts.SrcGOEXPERIMENT},
	}
	SystemdGodebugUnknown = finding.Check{
		ID: "systemd/godebug-unknown", Title: "GODEBUG names a setting the program's Go does not have",
		Severity: finding.Warning, Sources: []src{facts.SrcGodebugDoc},
	}
	SystemdMemoryNoGomemlimit = finding.Check{
		ID: "systemd/memory-limit-without-gomemlimit", Title: "MemoryMax=/MemoryHigh= is set but GOMEMLIMIT is not, so the Go GC does not know the limit",
		Severity: finding.Warning, Sources: []src{facts.SrcGOMEMLIMIT, facts.SrcGCGuide, facts.SrcSystemdResource},
	}
	SystemdGomemlimitNotBelow = finding.Check{
		ID: "systemd/gomemlimit-not-below-limit", Title: "GOMEMLIMIT is not below the unit's memory limit",
		Severity: finding.Error, Sources: []src{facts.SrcGOMEMLIMIT, facts.SrcGCGuide, facts.SrcSystemdResource},
	}
	SystemdCPUQuotaIgnored = finding.Check{
		ID: "systemd/cpu-quota-ignored", Title: "CPUQuota= is set but the program's GOMAXPROCS does not follow it",
		Severity: finding.Warning, Sources: []src{facts.SrcGo125Procs, facts.SrcSystemdResource},
	}
	SystemdNotifyWithoutSdNotify = finding.Check{
		ID: "systemd/notify-without-sd-notify", Title: "Type=notify, but the program never sends READY=1 to systemd",
		Severity: finding.Error, Sources: []src{facts.SrcSystemdService, facts.SrcSdNotify},
	}
	SystemdWatchdogWithoutSdNotify = finding.Check{
		ID: "systemd/watchdog-without-sd-notify", Title: "WatchdogSec= is set, but the program never sends WATCHDOG=1 to systemd",
		Severity: finding.Error, Sources: []src{facts.SrcSystemdService, facts.SrcSdNotify},
	}
	SystemdSyscallFilterBlocksGo = finding.Check{
		ID: "systemd/syscall-filter-blocks-go", Title: "SystemCallFilter= blocks system calls the Go runtime needs",
		Severity: finding.Error, Sources: []src{facts.SrcSystemdExec, facts.SrcSystemdSeccomp, facts.SrcGoRuntimeLinux},
	}
	SystemdAnalyzeVerify = finding.Check{
		ID: "systemd/analyze-verify", Title: "systemd-analyze verify reports a problem with the unit",
		Severity: finding.Warning,
		Sources:  []src{{Title: "systemd-analyze(1): verify", URL: "https://www.freedesktop.org/software/systemd/man/latest/systemd-analyze.html"}},
	}
	SystemdDependenciesNotRead = finding.Check{
		ID: "systemd/dependencies-not-read", Title: "Packages the program imports from other modules could not be had, so whether they notify systemd is not judged",
		Severity: finding.Info, Sources: []src{facts.SrcGoListDeps, facts.SrcModReadonly},
	}
	SystemdAnalyzeTimeout = finding.Check{
		ID: "systemd/analyze-timeout", Title: "systemd-analyze verify did not finish in time, so its messages are missing",
		Severity: finding.Warning,
		Sources:  []src{{Title: "systemd-analyze(1): verify", URL: "https://www.freedesktop.org/software/systemd/man/latest/systemd-analyze.html"}},
	}
)

// SystemdChecks are the checks of the family, in the order of their doc pages.
var SystemdChecks = []finding.Check{
	SystemdParseError, SystemdBuildEnvAtRuntime, SystemdGodebugUnknown, SystemdMemoryNoGomemlimit, SystemdGomemlimitNotBelow, SystemdCPUQuotaIgnored, SystemdNotifyWithoutSdNotify, SystemdWatchdogWithoutSdNotify, SystemdSyscallFilterBlocksGo, SystemdAnalyzeVerify, SystemdAnalyzeTimeout, SystemdDependenciesNotRead,
}

// UnitContext is what the audit found out about a unit beyond its file.
type UnitContext struct {
	// Binary is the ExecStart program's build information, when the
	// program was found and is a Go binary.
	Binary *gosrc.Binary
	// NotGo is true when the program was found and is not a Go binary;
	// the Go checks then stay quiet.
	NotGo bool
	// Verify are the messages of systemd-analyze verify, with File
	// relative to the audit root (or empty), if it ran.
	Verify []unit.VerifyMessage
	// VerifyTimedOut is the time bound systemd-analyze verify ran into
	// (it was stopped, so Verify is empty), or zero.
	VerifyTimedOut time.Duration
	// File is the unit's path relative to the audit root.
	File string

	// progs are the repository's programs the ExecStart binary is built
	// from (matched by name), filled by Unit.
	progs *programs
}

// execPrograms finds the main packages of the repository whose binary has
// the name of the unit's ExecStart program, and loads them (for
// linux/amd64). They may be in any module of the repository.
func execPrograms(in *Input, u *unit.Unit) *programs {
	ps := &programs{tags: map[string]bool{}}
	o, ok := u.Value("Service", "ExecStart")
	if !ok || in.Repo == nil {
		return ps
	}
	words := unit.SplitQuoted(o.Value)
	if len(words) == 0 {
		return ps
	}
	name := path.Base(strings.TrimLeft(words[0], "@-:+!|"))
	for _, dir := range in.Repo.MainPackages(name, gosrc.DefaultTarget) {
		if p := in.program(dir, gosrc.DefaultTarget); p != nil {
			ps.list = append(ps.list, p)
		}
	}
	return ps
}

// Unit judges a systemd unit.
func Unit(in *Input, u *unit.Unit, uc UnitContext) []finding.Finding {
	var out []finding.Finding
	out = append(out, verifyFindings(u, uc)...)
	if uc.NotGo {
		return out
	}
	// Variables only the go command reads.
	for _, e := range u.Env {
		fact, ok := facts.BuildOnlyEnv(e.Name)
		if !ok {
			continue
		}
		via := ""
		if e.Via != nil {
			via = fmt.Sprintf(" (read through EnvironmentFile= at %s:%d)", e.Via.File, e.Via.Line)
		}
		fd := finding.New(SystemdBuildEnvAtRuntime, loc(e.File, e.Line),
			fmt.Sprintf("%s sets %s=%s for the service%s, but %s. The setting has no effect on the program.", u.Name, e.Name, finding.Clip(e.Value), via, fact.Truth),
			fmt.Sprintf("Remove %s from the unit and set it where the binary is built (go build's environment, the Dockerfile's builder stage or the CI job).", e.Name))
		fd = addSources(fd, fact.Sources...)
		out = append(out, withDetails(fd, "variable", e.Name, "unit", u.Name))
	}
	out = append(out, godebugFindings(in, u, uc)...)
	uc.progs = execPrograms(in, u)
	if len(uc.progs.list) > 0 {
		// The module that holds the program, not the unit's.
		in = in.withModule(uc.progs.list[0].Module)
	}
	if uc.Binary == nil && in.Module == nil {
		// Nothing says the service is a Go program; what follows is
		// only true of Go programs.
		return out
	}
	if uc.Binary == nil {
		if o, ok := u.Value("Service", "ExecStart"); ok {
			for _, p := range uc.progs.list {
				out = append(out, dependenciesNotRead(SystemdDependenciesNotRead, p, loc(o.File, o.Line),
					"so whether it sends sd_notify messages (Type=notify, WatchdogSec=) and what else they need is judged from the repository's code alone")...)
			}
		}
	}
	out = append(out, memoryFindings(in, u, uc)...)
	out = append(out, cpuFindings(in, u, uc)...)
	out = append(out, notifyFindings(in, u, uc)...)
	out = append(out, syscallFindings(in, u, uc)...)
	return out
}

var (
	reNotExecutable = regexp.MustCompile(`^Command (\S+) is not executable: (.*)$`)
	// Both wordings systemd has used.
	reUnknownKey = regexp.MustCompile(`^Unknown key(?: name)? '([^']+)' in section \[?'?([A-Za-z-]+)'?\]?, ignoring\.?$`)
)

// verifyFindings turns systemd-analyze verify's messages into findings,
// leaving out what only says something about the machine running the
// audit: a program the unit starts that is not installed here (the unit
// is in a repository), and a key this machine's systemd is too old to
// know but a newer systemd has (facts.SystemdKnowsKey), which is said as
// info.
func verifyFindings(u *unit.Unit, uc UnitContext) []finding.Finding {
	var out []finding.Finding
	if uc.VerifyTimedOut > 0 {
		out = append(out, finding.New(SystemdAnalyzeTimeout, finding.Location{File: uc.File},
			fmt.Sprintf("systemd-analyze verify ran longer than %s on this unit and was stopped, so its messages are missing.", uc.VerifyTimedOut),
			"Run `systemd-analyze verify` on the unit yourself to see why it is slow; a unit that large is usually generated by mistake."))
	}
	for _, m := range uc.Verify {
		l := finding.Location{File: uc.File, Object: u.Name}
		if m.File != "" && m.Line > 0 {
			l = finding.Location{File: m.File, Line: m.Line}
		}
		sev := SystemdAnalyzeVerify.Severity
		text := fmt.Sprintf("systemd-analyze verify: %s", finding.Clip(m.Text))
		var srcs []finding.Source
		if mm := reNotExecutable.FindStringSubmatch(m.Text); mm != nil {
			if strings.Contains(mm[2], "No such file or directory") {
				continue // not installed on this machine
			}
			sev = finding.Info
		}
		if mm := reUnknownKey.FindStringSubmatch(m.Text); mm != nil && facts.SystemdKnowsKey(mm[2], mm[1]) {
			sev = finding.Info
			text += fmt.Sprintf(" %s= is a key of newer systemd releases than the one on this machine: systemd on a host as old as this one ignores it, newer ones apply it.", finding.Clip(mm[1]))
			srcs = append(srcs, facts.SrcSystemdKeys)
		}
		fd := finding.New(SystemdAnalyzeVerify, l, text,
			"Fix the unit as systemd says; `systemd-analyze verify <unit>` shows the same message.")
		fd.Severity = sev
		out = append(out, addSources(fd, srcs...))
	}
	return out
}

// programGo returns the Go version of the program: the binary's
// ("go1.26.8-X:loopvar" gives "go1.26.8"), else "".
func programGo(uc UnitContext) string {
	if uc.Binary == nil {
		return ""
	}
	v := uc.Binary.GoVersion
	if i := strings.IndexAny(v, " -"); i > 0 {
		v = v[:i]
	}
	return facts.NormalizeGo(v)
}

func godebugFindings(in *Input, u *unit.Unit, uc UnitContext) []finding.Finding {
	e, ok := u.Getenv("GODEBUG")
	if !ok {
		return nil
	}
	return godebugCheck(in, SystemdGodebugUnknown, e.Value, programGo(uc), loc(e.File, e.Line))
}

// systemdBytes parses a systemd size ("512M", "1G", "1073741824",
// "infinity"); ok is false for percentages and what it does not know.
func systemdBytes(v string) (float64, bool) {
	v = strings.TrimSpace(v)
	if v == "" || v == "infinity" || strings.HasSuffix(v, "%") {
		return 0, false
	}
	mult := 1.0
	switch v[len(v)-1] {
	case 'K', 'k':
		mult = 1 << 10
	case 'M', 'm':
		mult = 1 << 20
	case 'G', 'g':
		mult = 1 << 30
	case 'T', 't':
		mult = 1 << 40
	}
	if mult != 1 {
		v = v[:len(v)-1]
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n * mult, true
}

func setting(b *gosrc.Binary, key string) string {
	v, _ := b.Setting(key)
	return v
}

func hasAutomemlimit(in *Input, uc UnitContext) bool {
	const p = "github.com/KimMachineGun/automemlimit"
	if uc.Binary != nil && uc.Binary.HasDep(p) {
		return true
	}
	for _, prog := range uc.progs.list {
		for k := range prog.Packages {
			if strings.HasPrefix(k, p) {
				return true
			}
		}
	}
	return false
}

func memoryFindings(in *Input, u *unit.Unit, uc UnitContext) []finding.Finding {
	var limit unit.Option
	var over string // what the service is above the limit
	limitBytes := math.Inf(1)
	for _, m := range facts.SystemdMemoryLimits {
		o, ok := u.Value("Service", m.Option)
		if !ok {
			continue
		}
		if b, ok := systemdBytes(o.Value); ok && b < limitBytes {
			limit, limitBytes, over = o, b, m.OverLimit
		}
	}
	if math.IsInf(limitBytes, 1) {
		return nil
	}
	gm, ok := u.Getenv("GOMEMLIMIT")
	if !ok {
		if hasAutomemlimit(in, uc) {
			return nil
		}
		if goV := programGo(uc); goV != "" && version.Compare(goV, facts.GOMEMLIMITSince) < 0 {
			return nil // GOMEMLIMIT does not exist for this binary.
		}
		fd := finding.New(SystemdMemoryNoGomemlimit, loc(limit.File, limit.Line),
			fmt.Sprintf("%s=%s limits the service's memory, but GOMEMLIMIT is not set: the Go runtime reads no cgroup memory limit, so its garbage collector paces itself by GOGC alone and the service is %s instead of collecting sooner.", limit.Name, finding.Clip(limit.Value), over),
			fmt.Sprintf("Add Environment=GOMEMLIMIT=%s (about 90%% of the limit, leaving room for memory the Go runtime does not manage).", suggestLimit(limitBytes)))
		return []finding.Finding{withDetails(fd, limit.Name, finding.Clip(limit.Value))}
	}
	gb, ok := facts.ParseGOMEMLIMIT(gm.Value)
	if !ok || gb < limitBytes {
		return nil
	}
	fd := finding.New(SystemdGomemlimitNotBelow, loc(gm.File, gm.Line),
		fmt.Sprintf("GOMEMLIMIT=%s is not below %s=%s (%s:%d): the garbage collector only works harder when the heap nears GOMEMLIMIT, which the kernel never lets it reach.", finding.Clip(gm.Value), limit.Name, finding.Clip(limit.Value), limit.File, limit.Line),
		fmt.Sprintf("Set GOMEMLIMIT below the limit, e.g. %s.", suggestLimit(limitBytes)))
	return []finding.Finding{withDetails(fd, "GOMEMLIMIT", finding.Clip(gm.Value), limit.Name, finding.Clip(limit.Value))}
}

func suggestLimit(b float64) string {
	mib := b * 0.9 / (1 << 20)
	if mib >= 4096 {
		return fmt.Sprintf("%dGiB", int(mib/1024))
	}
	return fmt.Sprintf("%dMiB", int(mib))
}

// procs is the release whose runtime follows the cgroup CPU limit.
const procs = facts.ContainerMaxProcsSince

func cpuFindings(in *Input, u *unit.Unit, uc UnitContext) []finding.Finding {
	q, ok := u.Value("Service", "CPUQuota")
	if !ok {
		return nil
	}
	pct, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(q.Value), "%"), 64)
	if err != nil || pct <= 0 {
		return nil
	}
	cpus := int(math.Ceil(pct / 100))
	if e, ok := u.Getenv("GOMAXPROCS"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(e.Value))
		if err == nil && n > cpus {
			fd := finding.New(SystemdCPUQuotaIgnored, loc(e.File, e.Line),
				fmt.Sprintf("GOMAXPROCS=%d runs up to %d threads of Go code at once, but CPUQuota=%s (%s:%d) grants %d CPU(s): the service burns its quota early in each period and is throttled.", n, n, finding.Clip(q.Value), q.File, q.Line, cpus),
				fmt.Sprintf("Set GOMAXPROCS=%d or leave it unset on %s+ with a go line of %s or later.", cpus, display(procs), lang(procs)))
			return []finding.Finding{withDetails(fd, "GOMAXPROCS", finding.Clip(e.Value), "CPUQuota", finding.Clip(q.Value))}
		}
		return nil
	}
	if e, ok := u.Getenv("GODEBUG"); ok {
		for _, kv := range strings.Split(e.Value, ",") {
			if strings.TrimSpace(kv) == "containermaxprocs=0" {
				return []finding.Finding{cpuIgnored(q, cpus, fmt.Sprintf("GODEBUG=containermaxprocs=0 turns %s's container-aware GOMAXPROCS off", display(procs)))}
			}
		}
	}
	automaxprocs := false
	if uc.Binary != nil && uc.Binary.HasDep("go.uber.org/automaxprocs") {
		automaxprocs = true
	}
	if uc.progs.imports("go.uber.org/automaxprocs") || uc.progs.imports("go.uber.org/automaxprocs/maxprocs") {
		automaxprocs = true
	}
	if automaxprocs {
		return nil
	}
	if goV := programGo(uc); goV != "" {
		if version.Compare(goV, procs) < 0 {
			return []finding.Finding{cpuIgnored(q, cpus, fmt.Sprintf("the program is built with %s, whose runtime sets GOMAXPROCS to the number of CPUs on the machine, not the quota", display(goV)))}
		}
		if strings.Contains(setting(uc.Binary, "DefaultGODEBUG"), "containermaxprocs=0") {
			return []finding.Finding{cpuIgnored(q, cpus, fmt.Sprintf("the program is built with %s, but its main module's go line is before %s, so its DefaultGODEBUG has containermaxprocs=0 and the container-aware GOMAXPROCS is off", display(goV), lang(procs)))}
		}
		return nil
	}
	if in.Module != nil {
		if g := in.goLine(); g != "" && version.Compare(g, procs) < 0 {
			return []finding.Finding{cpuIgnored(q, cpus, fmt.Sprintf("%s says go %s: even when built with %s or later the container-aware GOMAXPROCS is off for a main module whose go line is before %s (containermaxprocs=0), so GOMAXPROCS is the number of CPUs on the machine", in.goModRef(), in.Module.Mod.Go, display(procs), lang(procs)))}
		}
		if v, _ := in.Module.Mod.GodebugValue("containermaxprocs"); v == "0" {
			return []finding.Finding{cpuIgnored(q, cpus, fmt.Sprintf("%s sets godebug containermaxprocs=0", in.goModRef()))}
		}
	}
	return nil
}

func cpuIgnored(q unit.Option, cpus int, why string) finding.Finding {
	fd := finding.New(SystemdCPUQuotaIgnored, loc(q.File, q.Line),
		fmt.Sprintf("CPUQuota=%s grants %d CPU(s), but %s; the service runs more threads than its quota and is throttled.", finding.Clip(q.Value), cpus, why),
		fmt.Sprintf("Add Environment=GOMAXPROCS=%d, or build with %s+ and a go line of %s or later.", cpus, display(procs), lang(procs)))
	return withDetails(fd, "CPUQuota", finding.Clip(q.Value))
}

// notifies says whether the program can send sd_notify messages: yes,
// no, or unknown; sure is false when the evidence is partial. The
// evidence is the binary when it is installed, else the programs of the
// repository that ExecStart's name matches: their code (every module of
// the repository, and the other modules' packages the go command
// provides) mentions NOTIFY_SOCKET, or they import a known sd_notify
// package. The answer is sure only when every package linked was read:
// packages of other modules the go command could not provide (p.External)
// might notify.
func notifies(in *Input, uc UnitContext) (yes, known, sure bool, evidence string) {
	if uc.Binary != nil {
		return uc.Binary.HasMarker, true, true, fmt.Sprintf("the binary %s never mentions %s", uc.Binary.File, facts.SdNotifyMarker)
	}
	if uc.progs == nil || len(uc.progs.list) == 0 {
		return false, false, false, ""
	}
	var dirs, external []string
	for _, p := range uc.progs.list {
		if len(p.Markers) > 0 {
			return true, true, true, ""
		}
		for _, n := range facts.SdNotifyPackages {
			if p.Imports(n) {
				return true, true, true, ""
			}
		}
		dirs = append(dirs, p.Path)
		external = append(external, p.External...)
	}
	what := fmt.Sprintf("the program built from %s", strings.Join(dirs, " and "))
	if len(external) == 0 {
		return false, true, true, fmt.Sprintf("neither %s nor anything it links mentions %s", what, facts.SdNotifyMarker)
	}
	slices.Sort(external)
	external = slices.Compact(external)
	return false, true, false, fmt.Sprintf("the repository's code that %s links never mentions %s and it imports no known sd_notify package (%d package(s) from other modules, e.g. %s, not read)",
		what, facts.SdNotifyMarker, len(external), external[0])
}

// ifNot is the hedge of a finding whose evidence is partial.
func ifNot(sure bool) string {
	if sure {
		return ""
	}
	return "if it does not send it, "
}

func notifyFindings(in *Input, u *unit.Unit, uc UnitContext) []finding.Finding {
	var out []finding.Finding
	yes, known, sure, evidence := notifies(in, uc)
	if !known || yes {
		return nil
	}
	if t, ok := u.Value("Service", "Type"); ok && (t.Value == "notify" || t.Value == "notify-reload") {
		fd := finding.New(SystemdNotifyWithoutSdNotify, loc(t.File, t.Line),
			fmt.Sprintf("Type=%s makes systemd wait for READY=1 on $%s, but %s: %sthe start times out after TimeoutStartSec= and the service is killed.", t.Value, facts.SdNotifyMarker, evidence, ifNot(sure)),
			"Use Type=exec (or simple), or send READY=1 when the service is up (github.com/coreos/go-systemd/v22/daemon.SdNotify).")
		if !sure {
			fd.Severity = finding.Warning
		}
		out = append(out, withDetails(fd, "Type", t.Value))
	}
	if w, ok := u.Value("Service", "WatchdogSec"); ok {
		v := strings.TrimSpace(w.Value)
		if v != "0" && v != "infinity" && v != "" {
			after := v
			if _, err := strconv.Atoi(v); err == nil {
				after += "s"
			}
			fd := finding.New(SystemdWatchdogWithoutSdNotify, loc(w.File, w.Line),
				fmt.Sprintf("WatchdogSec=%s makes systemd kill the service unless it sends WATCHDOG=1 in time, but %s: %sit is killed (SIGABRT) after %s.", v, evidence, ifNot(sure), after),
				"Remove WatchdogSec=, or ping the watchdog (github.com/coreos/go-systemd/v22/daemon.SdWatchdogEnabled and SdNotify(false, daemon.SdNotifyWatchdog)).")
			if !sure {
				fd.Severity = finding.Warning
			}
			out = append(out, withDetails(fd, "WatchdogSec", v))
		}
	}
	return out
}

func syscallFindings(in *Input, u *unit.Unit, uc UnitContext) []finding.Finding {
	opts := u.Values("Service", "SystemCallFilter")
	if len(opts) == 0 {
		return nil
	}
	_, errnoSet := u.Value("Service", "SystemCallErrorNumber")
	allowMode := false
	allowed := map[string]unit.Option{}
	denied := map[string]unit.Option{}
	for i, o := range opts {
		v := strings.TrimSpace(o.Value)
		deny := strings.HasPrefix(v, "~")
		v = strings.TrimPrefix(v, "~")
		if i == 0 {
			allowMode = !deny
		}
		for _, w := range unit.SplitQuoted(v) {
			w, _, _ = strings.Cut(w, ":") // name:errno
			switch {
			case allowMode && !deny:
				allowed[w] = o
			case allowMode && deny:
				delete(allowed, w)
				denied[w] = o
			case !allowMode && deny:
				denied[w] = o
			default:
				delete(denied, w)
			}
		}
	}
	goV := programGo(uc)
	type blocked struct {
		s   facts.GoSyscall
		opt unit.Option
	}
	var fatal, optional []blocked
	for _, s := range facts.GoSyscalls {
		if s.Since != "" && goV != "" && version.Compare(goV, s.Since) < 0 {
			continue
		}
		if s.NeedsImport != "" && len(uc.progs.list) > 0 && !uc.progs.imports(s.NeedsImport) {
			continue
		}
		names := append([]string{s.Name}, facts.SyscallGroups[s.Name]...)
		var by unit.Option
		isBlocked := false
		for _, n := range names {
			if o, ok := denied[n]; ok {
				isBlocked, by = true, o
				break
			}
		}
		if allowMode && !isBlocked {
			isBlocked = true
			by = opts[0]
			for _, n := range names {
				if _, ok := allowed[n]; ok {
					isBlocked = false
				}
			}
		}
		if !isBlocked {
			continue
		}
		if s.Optional {
			if !errnoSet {
				optional = append(optional, blocked{s, by})
			}
			continue
		}
		fatal = append(fatal, blocked{s, by})
	}
	if len(fatal) == 0 && len(optional) == 0 {
		return nil
	}
	all := append(fatal, optional...)
	at := all[0].opt
	var list []string
	var srcs []finding.Source
	for _, b := range all {
		since := ""
		if b.s.Since != "" {
			since = ", " + display(b.s.Since) + "+"
		}
		list = append(list, fmt.Sprintf("%s (%s%s)", b.s.Name, b.s.Why, since))
		srcs = append(srcs, b.s.Sources...)
	}
	effect := "the kernel kills the process with SIGSYS"
	if errnoSet {
		effect = "the calls fail, and the Go runtime cannot run without them"
	}
	if len(fatal) == 0 {
		effect = "the process is killed with SIGSYS the first time it starts a child process"
	}
	fd := finding.New(SystemdSyscallFilterBlocksGo, loc(at.File, at.Line),
		fmt.Sprintf("SystemCallFilter= blocks %s: %s.", strings.Join(list, ", "), effect),
		"Start the allow-list from @system-service (SystemCallFilter=@system-service, then ~ what you want to deny), or allow the groups named in the doc page.")
	fd = addSources(fd, srcs...)
	var names []string
	for _, b := range all {
		names = append(names, b.s.Name)
	}
	return []finding.Finding{withDetails(fd, "syscalls", strings.Join(names, ","))}
}
