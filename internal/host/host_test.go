package host

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/internal/facts"
)

// tree writes files (content "->target" makes a symlink) under a new root.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(content, "->"); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// elfHeader is a bare ELF64 header for machine m: enough for the arch probe.
func elfHeader(m uint16) string {
	var b bytes.Buffer
	b.WriteString("\x7fELF\x02\x01\x01")
	b.Write(make([]byte, 9))
	binary.Write(&b, binary.LittleEndian, uint16(2)) // ET_EXEC
	binary.Write(&b, binary.LittleEndian, m)
	binary.Write(&b, binary.LittleEndian, uint32(1))
	b.Write(make([]byte, 8*3))                       // entry, phoff, shoff
	binary.Write(&b, binary.LittleEndian, uint32(0)) // flags
	binary.Write(&b, binary.LittleEndian, uint16(64))
	b.Write(make([]byte, 2*5))
	return b.String()
}

func gz(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

const v2Flags = "fpu cx8 cmov mmx fxsr sse sse2 syscall lm pni ssse3 cx16 sse4_1 sse4_2 popcnt lahf_lm avx"

func TestProbeFixtureGlibcCgroup2(t *testing.T) {
	root := tree(t, map[string]string{
		"proc/sys/kernel/osrelease":                  "5.10.0-28-amd64\n",
		"proc/config.gz":                             gz("CONFIG_FUTEX=y\n# CONFIG_EPOLL is not set\n"),
		"proc/cpuinfo":                               "processor\t: 0\nflags\t\t: " + v2Flags + "\n",
		"proc/1/status":                              "Name:\tinit\nSeccomp:\t2\n",
		"proc/1/cgroup":                              "0::/kubepods/pod1\n",
		"proc/1/mountinfo":                           "30 25 0:26 / /sys/fs/cgroup rw shared:4 - cgroup2 cgroup2 rw\n",
		"sys/fs/cgroup/kubepods/pod1/cpu.max":        "150000 100000\n",
		"sys/fs/cgroup/kubepods/pod1/memory.max":     "536870912\n",
		"proc/sys/kernel/randomize_va_space":         "0\n",
		"proc/sys/vm/overcommit_memory":              "2\n",
		"proc/sys/vm/max_map_count":                  "1024\n",
		"sys/kernel/mm/transparent_hugepage/enabled": "[always] madvise never\n",
		"usr/lib/os-release":                         "ID=debian\nVERSION_ID=\"10\"\n",
		"etc/os-release":                             "->../usr/lib/os-release",
		"bin":                                        "->usr/bin",
		"usr/bin/sh":                                 elfHeader(62), // EM_X86_64
		// An absolute link must resolve inside the root, not on this machine.
		"lib64/ld-linux-x86-64.so.2":        "->/lib/x86_64-linux-gnu/ld-2.28.so",
		"lib/x86_64-linux-gnu/ld-2.28.so":   "loader",
		"lib/x86_64-linux-gnu/libc.so.6":    "->libc-2.28.so",
		"lib/x86_64-linux-gnu/libc-2.28.so": "libc",
		"etc/ld.so.conf":                    "include /etc/ld.so.conf.d/*.conf\n",
		"etc/ld.so.conf.d/local.conf":       "/opt/vendor/lib\n",
		"opt/vendor/lib/libvendor.so.1":     "x",
	})
	in, err := NewFS(root).Probe()
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", what, got, want)
		}
	}
	check("kernel", in.Kernel, Value{Value: "5.10.0-28-amd64", From: "/proc/sys/kernel/osrelease"})
	check("config", in.KernelConfig["CONFIG_EPOLL"], "n")
	check("os-release", in.OSRelease["VERSION_ID"], "10")
	check("arch", in.Arch.Value, "amd64")
	check("libc", in.Libc.Flavor, facts.LibcGlibc)
	check("glibc version", in.Libc.Version, Value{Value: "2.28", From: "/lib/x86_64-linux-gnu/libc-2.28.so"})
	check("loaders", in.Libc.Loaders, []string{"/lib64/ld-linux-x86-64.so.2"})
	check("cpu level", in.CPULevel.Value, "v2")
	check("cgroup", in.Cgroup, Cgroup{Version: 2, CPUQuota: 150000, CPUPeriod: 100000, CPUFrom: "/sys/fs/cgroup/kubepods/pod1/cpu.max", Memory: 536870912, MemoryFrom: "/sys/fs/cgroup/kubepods/pod1/memory.max"})
	check("seccomp", in.Seccomp.Value, "2")
	check("aslr", in.ASLR.Value, "0")
	check("overcommit", in.Overcommit.Value, "2")
	check("max_map_count", in.MaxMapCount.Value, "1024")
	check("thp", in.THP.Value, "always")
	check("errors", in.Errors, []string(nil))
	if p, ok := NewFS(root).FindLibrary("libvendor.so.1", nil, in.LibDirs); !ok || p != "/opt/vendor/lib/libvendor.so.1" {
		t.Errorf("ld.so.conf.d directory not searched: %q %v (dirs %v)", p, ok, in.LibDirs)
	}
	if _, ok := NewFS(root).FindLibrary("libnope.so.1", nil, in.LibDirs); ok {
		t.Error("found a library that is not there")
	}
}

func TestProbeFixtureCgroup1(t *testing.T) {
	root := tree(t, map[string]string{
		"proc/1/cgroup":    "4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n0::/\n",
		"proc/1/mountinfo": "40 30 0:35 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n41 30 0:36 /docker /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n",
		"sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": "9223372036854771712\n",
		"sys/fs/cgroup/cpu,cpuacct/abc/cpu.cfs_quota_us":        "50000\n",
		"sys/fs/cgroup/cpu,cpuacct/abc/cpu.cfs_period_us":       "100000\n",
	})
	in, err := NewFS(root).Probe()
	if err != nil {
		t.Fatal(err)
	}
	want := Cgroup{Version: 1, CPUQuota: 50000, CPUPeriod: 100000, CPUFrom: "/sys/fs/cgroup/cpu,cpuacct/abc/cpu.cfs_quota_us", Memory: -1, MemoryFrom: "/sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes"}
	if in.Cgroup != want {
		t.Errorf("cgroup v1 = %+v, want %+v", in.Cgroup, want)
	}
}

func TestProbeFixtureMusl(t *testing.T) {
	root := tree(t, map[string]string{
		"lib/ld-musl-x86_64.so.1":           "musl",
		"lib/libc.musl-x86_64.so.1":         "->ld-musl-x86_64.so.1",
		"lib/apk/db/installed":              "P:busybox\nV:1.36.1-r0\n\nP:musl\nV:1.2.5-r0\n",
		"etc/os-release":                    "ID=alpine\nVERSION_ID=3.22.0\n",
		"lib/modules/6.6.1-lts/modules.dep": "",
	})
	in, err := NewFS(root).Probe()
	if err != nil {
		t.Fatal(err)
	}
	if in.Libc.Flavor != facts.LibcMusl || in.Libc.Version.Value != "1.2.5" {
		t.Errorf("libc = %+v", in.Libc)
	}
	if in.Kernel.Value != "6.6.1-lts" {
		t.Errorf("kernel from /lib/modules = %+v", in.Kernel)
	}
	if in.CPULevel.Value != "" || in.CPULevel.Unknown == "" {
		t.Errorf("cpu level without /proc = %+v, want unknown", in.CPULevel)
	}
}

func TestProbeFixtureEmpty(t *testing.T) {
	in, err := NewFS(t.TempDir()).Probe()
	if err != nil {
		t.Fatal(err)
	}
	if in.Libc.Flavor != facts.LibcNone || in.Kernel.Value != "" || in.Kernel.Unknown == "" || in.Arch.Value != "" {
		t.Errorf("empty root: %+v", in)
	}
	if _, err := NewFS(filepath.Join(t.TempDir(), "missing")).Probe(); err == nil {
		t.Error("missing root: no error")
	}
}

func TestResolveStaysInRoot(t *testing.T) {
	root := tree(t, map[string]string{
		"a":        "->/b",
		"b":        "->../../../../c",
		"c":        "content",
		"loop1":    "->loop2",
		"loop2":    "->loop1",
		"dangling": "->/nowhere",
	})
	h := NewFS(root)
	if p, err := h.Resolve("/a"); err != nil || p != filepath.Join(root, "c") {
		t.Errorf("Resolve(/a) = %q, %v", p, err)
	}
	if _, err := h.Resolve("/loop1"); err == nil {
		t.Error("loop: no error")
	}
	if h.Exists("/dangling") {
		t.Error("dangling link exists")
	}
}

// TestProbeLiveHost reads this machine; what it finds depends on the
// machine, so it checks only what every Linux host has.
func TestProbeLiveHost(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	in, err := NewDefaultFS().Probe()
	if err != nil {
		t.Fatal(err)
	}
	if in.Kernel.Value == "" {
		t.Errorf("live kernel unknown: %s", in.Kernel.Unknown)
	}
	if in.Seccomp.Value == "" && in.Seccomp.Unknown == "" {
		t.Error("seccomp neither known nor unknown")
	}
	if len(in.Errors) > 0 {
		t.Errorf("parse errors on this host: %v", in.Errors)
	}
}
