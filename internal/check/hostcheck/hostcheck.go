// Package hostcheck judges a probed host (package host) as a place Go
// programs run: what its kernel, cgroup limits, seccomp mode and memory
// settings mean for the Go runtime. Most findings are informational: they
// say what a setting does to a Go program and which knob answers it.
package hostcheck

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/gocompat/gocompat/internal/dotted"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/host"
)

var (
	KernelTooOldForGo = finding.Check{
		ID: "host/kernel-too-old-for-go", Title: "The kernel is older than current Go releases support",
		Severity: finding.Warning, Sources: []finding.Source{facts.SrcMinRequirements},
	}
	KernelLacksFutexEpoll = finding.Check{
		ID: "host/kernel-lacks-futex-epoll", Title: "The kernel is built without futexes or epoll, which the Go runtime needs",
		Severity: finding.Error, Sources: []finding.Source{facts.SrcKernelConfigFutex},
	}
	CgroupCPULimit = finding.Check{
		ID: "host/cgroup-cpu-limit", Title: "A cgroup CPU limit applies; GOMAXPROCS follows it only from Go 1.25 on",
		Severity: finding.Info, Sources: []finding.Source{facts.SrcGOMAXPROCSCgroup, facts.SrcCgroupV2},
	}
	CgroupMemoryLimit = finding.Check{
		ID: "host/cgroup-memory-limit", Title: "A cgroup memory limit applies; the Go runtime does not read it",
		Severity: finding.Info, Sources: []finding.Source{facts.SrcGOMEMLIMIT, facts.SrcGCGuide},
	}
	SeccompFilter = finding.Check{
		ID: "host/seccomp-filter", Title: "Processes here run under a seccomp filter",
		Severity: finding.Info, Sources: []finding.Source{facts.SrcSeccomp, facts.SrcDockerClone3},
	}
	ASLROff = finding.Check{
		ID: "host/aslr-off", Title: "Address space layout randomisation is off",
		Severity: finding.Info, Sources: []finding.Source{facts.SrcKernelSysctl},
	}
	THPAlways = finding.Check{
		ID: "host/thp-always", Title: "Transparent huge pages are on for all memory",
		Severity: finding.Info, Sources: []finding.Source{facts.SrcTHP},
	}
	OvercommitStrict = finding.Check{
		ID: "host/overcommit-strict", Title: "Memory overcommit is off (strict accounting)",
		Severity: finding.Info, Sources: []finding.Source{facts.SrcKernelSysctlVM},
	}
	MaxMapCountLow = finding.Check{
		ID: "host/max-map-count-low", Title: "vm.max_map_count is below the kernel default",
		Severity: finding.Info, Sources: []finding.Source{facts.SrcKernelSysctlVM},
	}
	ProbeError = finding.Check{
		ID: "host/probe-error", Title: "A host file exists but could not be parsed",
		Severity: finding.Warning,
	}
)

// Checks lists the host family.
var Checks = []finding.Check{
	KernelTooOldForGo, KernelLacksFutexEpoll, CgroupCPULimit, CgroupMemoryLimit,
	SeccompFilter, ASLROff, THPAlways, OvercommitStrict, MaxMapCountLow, ProbeError,
}

// Judge turns probed facts into findings. name is the host as reports
// call it ("host", "root:/srv/rootfs").
func Judge(name string, in *host.Info) []finding.Finding {
	var out []finding.Finding
	where := func(p string) finding.Location {
		if p == "" {
			return finding.Location{Object: name}
		}
		if in.Root != "/" {
			p = path.Join(in.Root, p)
		}
		return finding.Location{Object: p}
	}
	add := func(c finding.Check, from, msg, fix string, details ...string) {
		f := finding.New(c, where(from), msg, fix)
		f.Details = map[string]string{"host": name}
		for i := 0; i+1 < len(details); i += 2 {
			f.Details[details[i]] = details[i+1]
		}
		out = append(out, f)
	}

	if k := in.Kernel.Value; k != "" {
		newest := facts.GoReleases[len(facts.GoReleases)-1]
		if dotted.Compare(k, newest.MinKernel) < 0 {
			add(KernelTooOldForGo, in.Kernel.From,
				fmt.Sprintf("Kernel %s is older than %s, the minimum of Go %s and later releases; programs built with them may fail here.", k, newest.MinKernel, strings.TrimPrefix(firstWithFloor(newest.MinKernel), "go")),
				"Upgrade the kernel, or build the programs for this host with an older Go release (gocompat binary --target host tells which binaries are affected).",
				"kernel", k, "need", newest.MinKernel)
		}
	}
	for _, opt := range []string{"CONFIG_FUTEX", "CONFIG_EPOLL"} {
		if in.KernelConfig[opt] == "n" {
			add(KernelLacksFutexEpoll, in.ConfigFrom,
				fmt.Sprintf("The kernel configuration has %s unset; the Go runtime needs futexes and epoll and will not work.", opt),
				"Use a kernel built with CONFIG_FUTEX=y and CONFIG_EPOLL=y.",
				"option", opt)
		}
	}
	cg := in.Cgroup
	if cg.CPUQuota > 0 && cg.CPUPeriod > 0 {
		cpus := float64(cg.CPUQuota) / float64(cg.CPUPeriod)
		add(CgroupCPULimit, cg.CPUFrom,
			fmt.Sprintf("The cgroup limits CPU to %s CPUs (quota %d per period %d µs). From Go 1.25, GOMAXPROCS follows this limit when the main module's go line is 1.25 or later; older binaries use every CPU and get throttled when they exceed the quota.", formatCPUs(cpus), cg.CPUQuota, cg.CPUPeriod),
			"Build with Go 1.25+ and go 1.25 in go.mod, or set GOMAXPROCS to the limit for older binaries.",
			"cpus", formatCPUs(cpus), "cgroup", strconv.Itoa(cg.Version))
	}
	if cg.Memory > 0 {
		add(CgroupMemoryLimit, cg.MemoryFrom,
			fmt.Sprintf("The cgroup limits memory to %s. The Go runtime does not read this limit: without GOMEMLIMIT the heap may grow to GOGC's target and the kernel OOM-kills the process instead of the GC working harder.", formatBytes(cg.Memory)),
			"Set GOMEMLIMIT a little below the limit (about 90%) for Go programs here.",
			"bytes", strconv.FormatInt(cg.Memory, 10), "cgroup", strconv.Itoa(cg.Version))
	}
	if in.Seccomp.Value == "2" {
		add(SeccompFilter, in.Seccomp.From,
			"A seccomp filter is active (as in containers). Go probes newer system calls and falls back when they are refused; cgo programs on glibc 2.34+ fail to create threads under old Docker profiles that refuse clone3 with EPERM (fixed in Docker 20.10.10).",
			"Nothing for pure Go programs. For cgo programs on glibc 2.34+, use Docker 20.10.10 or later (or an equivalent runtime profile).",
			"mode", "filter")
	}
	if in.ASLR.Value == "0" {
		add(ASLROff, in.ASLR.From,
			"kernel.randomize_va_space is 0: address space layout randomisation is off. Go programs run normally, but memory-corruption bugs in cgo code become easier to exploit.",
			"Set kernel.randomize_va_space=2 unless a debugger setup needs it off.")
	}
	if in.THP.Value == "always" {
		add(THPAlways, in.THP.From,
			"Transparent huge pages are enabled for all memory. The Go heap is backed by huge pages where the kernel can, which can raise a program's resident memory above its live heap.",
			"If resident memory matters more than speed, run Go programs with GODEBUG=disablethp=1 (Go 1.21.6+) or set THP to madvise.")
	}
	if in.Overcommit.Value == "2" {
		add(OvercommitStrict, in.Overcommit.From,
			"vm.overcommit_memory is 2: every private writable mapping counts against the commit limit, so a Go program that grows its heap gets \"fatal error: out of memory\" from the runtime (not an OOM kill) once the limit is reached, possibly well before physical memory is used up.",
			"Size vm.overcommit_ratio or vm.overcommit_kbytes for the Go heaps expected here, or use overcommit mode 0.")
	}
	if v, err := strconv.Atoi(in.MaxMapCount.Value); err == nil && v < facts.KernelDefaultMaxMapCount {
		add(MaxMapCountLow, in.MaxMapCount.From,
			fmt.Sprintf("vm.max_map_count is %d, below the kernel default of %d. Go programs with large heaps, many threads or many memory-mapped files can fail with \"cannot allocate memory\" when they reach it.", v, facts.KernelDefaultMaxMapCount),
			fmt.Sprintf("Raise vm.max_map_count to at least %d.", facts.KernelDefaultMaxMapCount),
			"value", in.MaxMapCount.Value)
	}
	for _, e := range in.Errors {
		add(ProbeError, "", e+".", "Check the file; gocompat left the value it holds unknown.")
	}
	return out
}

func firstWithFloor(k string) string {
	for _, r := range facts.GoReleases {
		if r.MinKernel == k {
			return r.Version
		}
	}
	return ""
}

func formatCPUs(c float64) string {
	return strconv.FormatFloat(c, 'f', -1, 64)
}

func formatBytes(n int64) string {
	const mib = 1 << 20
	if n%mib == 0 {
		return fmt.Sprintf("%d MiB", n/mib)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Subject describes the host for a report: every probed value, with
// "unknown: why" where it could not be read.
func Subject(name string, in *host.Info) finding.Subject {
	a := map[string]string{}
	val := func(k string, v host.Value) {
		switch {
		case v.Value != "":
			a[k] = v.Value
			if v.From != "" {
				a[k+".from"] = v.From
			}
		case v.Unknown != "":
			a[k] = "unknown: " + v.Unknown
		}
	}
	val("kernel", in.Kernel)
	if in.ConfigFrom != "" {
		a["kernel.config"] = in.ConfigFrom
	} else {
		a["kernel.config"] = "unknown: no /proc/config.gz, /boot/config-<release> or /lib/modules/<release>/config"
	}
	if pn := in.OSRelease["PRETTY_NAME"]; pn != "" {
		a["os"] = pn
	}
	if id := in.OSRelease["ID"]; id != "" {
		a["os.id"] = id
		a["os.version"] = in.OSRelease["VERSION_ID"]
	}
	val("arch", in.Arch)
	a["libc"] = in.Libc.Flavor
	val("libc.version", in.Libc.Version)
	if len(in.Libc.Loaders) > 0 {
		a["libc.loaders"] = strings.Join(in.Libc.Loaders, " ")
	}
	val("cpu.level", in.CPULevel)
	cg := in.Cgroup
	if cg.Version == 0 {
		a["cgroup"] = "unknown: " + cg.Unknown
	} else {
		a["cgroup"] = "v" + strconv.Itoa(cg.Version)
		if cg.CPUQuota > 0 {
			a["cgroup.cpu"] = formatCPUs(float64(cg.CPUQuota)/float64(cg.CPUPeriod)) + " CPUs"
		} else {
			a["cgroup.cpu"] = "no limit"
		}
		switch {
		case cg.Memory > 0:
			a["cgroup.memory"] = formatBytes(cg.Memory)
		case cg.Memory < 0:
			a["cgroup.memory"] = "no limit"
		}
	}
	val("seccomp", in.Seccomp)
	val("aslr", in.ASLR)
	val("thp", in.THP)
	val("overcommit", in.Overcommit)
	val("max_map_count", in.MaxMapCount)
	desc := in.OSRelease["PRETTY_NAME"]
	if in.Kernel.Value != "" {
		desc = strings.TrimSpace(desc + ", kernel " + in.Kernel.Value)
	}
	if in.Libc.Flavor != "" {
		v := in.Libc.Version.Value
		if v == "" {
			v = "?"
		}
		if in.Libc.Flavor == facts.LibcNone {
			desc += ", no libc"
		} else {
			desc += ", " + in.Libc.Flavor + " " + v
		}
	}
	if in.CPULevel.Value != "" {
		desc += ", x86-64-" + in.CPULevel.Value
	}
	if cg.Version != 0 {
		lim := "CPU " + a["cgroup.cpu"]
		if m := a["cgroup.memory"]; m != "" {
			lim += ", memory " + m
		}
		desc += ", cgroup v" + strconv.Itoa(cg.Version) + " (" + lim + ")"
	}
	if in.Seccomp.Value != "" {
		desc += ", seccomp " + map[string]string{"0": "off", "1": "strict", "2": "filter"}[in.Seccomp.Value]
	}
	desc = strings.TrimPrefix(desc, ", ")
	if desc == "" {
		desc = name
	}
	return finding.Subject{Kind: "host", Name: desc, Path: in.Root, Attributes: a}
}
