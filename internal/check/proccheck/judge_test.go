package proccheck

import (
	"strings"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/host"
	"github.com/gocompat/gocompat/internal/proc"
)

// process builds a plain process: Go goV, in a cgroup of one CPU and
// 256 MiB, on a machine of 8 CPUs.
func process(goV string, env map[string]string, deps ...string) proc.Process {
	b := &binary.Info{GoVersion: goV}
	for _, d := range deps {
		b.Deps = append(b.Deps, binary.Module{Path: d, Version: "v1.0.0"})
	}
	return proc.Process{PID: 42, Exe: "/usr/bin/app", Binary: b, Env: env, CPUs: 8, OnDisk: proc.OnDiskSame,
		Cgroup: host.Cgroup{Version: 2, CPUQuota: 100000, CPUPeriod: 100000, Memory: 256 << 20, CPUFrom: "/sys/fs/cgroup/x/cpu.max", MemoryFrom: "/sys/fs/cgroup/x/memory.max"}}
}

func TestJudge(t *testing.T) {
	tbl := facts.EmbeddedGodebugs()
	opt := Options{Godebugs: tbl, Now: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}
	ok := map[string]string{"GOMAXPROCS": "1", "GOMEMLIMIT": "200MiB"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range ok {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(m, kv[i])
			} else {
				m[kv[i]] = kv[i+1]
			}
		}
		return m
	}
	for _, tc := range []struct {
		name string
		p    proc.Process
		want string // checks, space-separated; severities where not the default
	}{
		{"clean", process("go1.26.1", ok), ""},
		{"go1.25 follows the quota", process("go1.25.3", with("GOMAXPROCS", "")), "proc/go-unsupported"},
		{"go1.24 ignores the quota", process("go1.24.2", with("GOMAXPROCS", "")), "proc/gomaxprocs-above-quota proc/go-unsupported"},
		{"automaxprocs", process("go1.24.2", with("GOMAXPROCS", ""), "go.uber.org/automaxprocs"), "proc/go-unsupported"},
		{"invalid GOMAXPROCS is ignored by the runtime", process("go1.26.1", with("GOMAXPROCS", "lots")), ""},
		{"unreadable environ", func() proc.Process {
			p := process("go1.24.2", nil)
			p.EnvUnknown = "permission denied"
			return p
		}(), "proc/go-unsupported"},
		{"automemlimit", process("go1.26.1", with("GOMEMLIMIT", ""), "github.com/KimMachineGun/automemlimit"), ""},
		{"GOMEMLIMIT before Go 1.19", process("go1.18.10", with("GOMEMLIMIT", "", "GOMAXPROCS", "1")), "proc/go-unsupported"},
		{"GOMEMLIMIT off", process("go1.26.1", with("GOMEMLIMIT", "off")), "proc/gomemlimit-not-below-limit"},
		{"GOGC=off with GOMEMLIMIT", process("go1.26.1", with("GOGC", "off")), ""},
		{"removed GODEBUG", process("go1.26.1", with("GODEBUG", removedName(t, tbl)+"=1")), "proc/godebug-unknown"},
		{"GODEBUG newer than the program", process("go1.22.12", with("GODEBUG", "tlsmlkem=0")), "proc/godebug-unknown:info proc/go-unsupported"},
		{"runtime GODEBUG", process("go1.26.1", with("GODEBUG", "gctrace=1,madvdontneed=1")), ""},
		{"replaced", func() proc.Process { p := process("go1.26.1", ok); p.OnDisk = proc.OnDiskReplaced; return p }(), "proc/binary-replaced"},
		{"unknown on disk", func() proc.Process { p := process("go1.26.1", ok); p.OnDisk = proc.OnDiskUnknown; return p }(), ""},
		{"devel build", process("devel go1.27-abcdef", with("GOMAXPROCS", "")), ""},
		{"no cgroup", func() proc.Process { p := process("go1.26.1", nil); p.Cgroup = host.Cgroup{Unknown: "x"}; return p }(), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "runtime GODEBUG" {
				names, _ := facts.GodebugNames(tbl, "")
				opt.GodebugNames = names
				defer func() { opt.GodebugNames = nil }()
			}
			fs := Judge(&proc.Result{Processes: []proc.Process{tc.p}}, opt)
			var got []string
			for _, f := range fs {
				s := f.Check
				c, _ := lookup(f.Check)
				if f.Severity != c.Severity {
					s += ":" + f.Severity.String()
				}
				got = append(got, s)
				if f.Details["subject"] != "/usr/bin/app" || f.Location.Object != "pid 42 (/usr/bin/app)" {
					t.Errorf("%s: details %v, location %v", f.Check, f.Details, f.Location)
				}
			}
			finding.Sort(fs)
			if g := strings.Join(sorted(got), " "); g != strings.Join(sorted(strings.Fields(tc.want)), " ") {
				t.Errorf("got %q, want %q", g, tc.want)
				for _, f := range fs {
					t.Logf("%s: %s", f.Check, f.Message)
				}
			}
		})
	}
}

func removedName(t *testing.T, tbl *facts.GodebugTable) string {
	if len(tbl.Removed) == 0 {
		t.Skip("the GODEBUG table lists no removed settings")
	}
	return tbl.Removed[0].Name
}

func lookup(id string) (finding.Check, bool) {
	for _, c := range Checks {
		if c.ID == id {
			return c, true
		}
	}
	return finding.Check{}, false
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestSkipped(t *testing.T) {
	res := &proc.Result{Skipped: []proc.Skipped{{PID: 1, Comm: "init", Why: "permission denied reading /proc/1/exe"}, {PID: 7, Exe: "/usr/sbin/x", Why: "damaged"}}}
	fs := Judge(res, Options{})
	if len(fs) != 1 || fs[0].Check != NotReadable.ID || fs[0].Details["count"] != "2" ||
		!strings.Contains(fs[0].Message, "pid 1 init: permission denied") || !strings.Contains(fs[0].Message, "pid 7 /usr/sbin/x: damaged") {
		t.Errorf("%+v", fs)
	}
}
