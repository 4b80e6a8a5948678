// Package host reads a Linux machine, or a root filesystem mounted or
// unpacked somewhere, as the platform a Go program runs on: kernel release
// and configuration, os-release, the C library and its version, the CPU's
// x86-64 level, cgroup CPU and memory limits, seccomp, ASLR, transparent
// huge pages, overcommit and max_map_count.
//
// Every probe reads files under a root ("/" for this machine), never runs
// a program from it, and follows symbolic links as the root would see them
// (an absolute link target is taken inside the root), so a debootstrapped
// tree or an unpacked image reads the same as a running system. What
// cannot be read is left empty, never guessed. Parsers (parse.go) take
// bytes and are fuzzed; this file only finds and reads files.
package host

import (
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/dotted"
	"github.com/gocompat/gocompat/internal/facts"
)

// FS reads a machine below Root.
type FS struct {
	Root string
}

// NewFS returns an FS for the tree at root.
func NewFS(root string) FS { return FS{Root: filepath.Clean(root)} }

// NewDefaultFS reads this machine.
func NewDefaultFS() FS { return FS{Root: "/"} }

// IsLive reports whether the root is this machine's own root, where /proc
// describes the running kernel and process.
func (h FS) IsLive() bool { return h.Root == "/" }

// maxProcFile bounds reads of /proc and /sys files, whose sizes lie.
const maxProcFile = 1 << 20

// Resolve returns the host path of the file the root calls p, following
// symbolic links inside the root (an absolute target restarts at the root).
// It fails for a dangling link or a loop.
func (h FS) Resolve(p string) (string, error) {
	p = path.Clean("/" + p)
	for hops := 0; hops < 40; hops++ {
		parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
		cur := "/"
		restarted := false
		for i, part := range parts {
			if part == "" {
				continue
			}
			next := path.Join(cur, part)
			st, err := os.Lstat(filepath.Join(h.Root, next))
			if err != nil {
				return "", err
			}
			if st.Mode()&fs.ModeSymlink == 0 {
				cur = next
				continue
			}
			target, err := os.Readlink(filepath.Join(h.Root, next))
			if err != nil {
				return "", err
			}
			if !path.IsAbs(target) {
				target = path.Join(cur, target)
			}
			p = path.Clean(path.Join(append([]string{target}, parts[i+1:]...)...))
			restarted = true
			break
		}
		if !restarted {
			return filepath.Join(h.Root, cur), nil
		}
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", p)
}

// Exists reports whether the root has a file at p (links followed in it).
func (h FS) Exists(p string) bool {
	hp, err := h.Resolve(p)
	if err != nil {
		return false
	}
	_, err = os.Stat(hp)
	return err == nil
}

// ReadFile reads p inside the root, at most maxProcFile bytes.
func (h FS) ReadFile(p string) ([]byte, error) {
	hp, err := h.Resolve(p)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(hp)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxProcFile))
}

// Value is one probed fact: its value and the file it came from, or why
// it is unknown.
type Value struct {
	Value string `json:"value,omitempty"`
	// From is the file (inside the root) the value was read from.
	From string `json:"from,omitempty"`
	// Unknown says why there is no value.
	Unknown string `json:"unknown,omitempty"`
}

func known(v, from string) Value { return Value{Value: v, From: from} }
func unknown(why string) Value   { return Value{Unknown: why} }

// Libc is the C library found in the root.
type Libc struct {
	// Flavor is facts.LibcGlibc, facts.LibcMusl, facts.LibcNone, or ""
	// when the root could not be read.
	Flavor  string `json:"flavor,omitempty"`
	Version Value  `json:"version"`
	// Loaders are the dynamic loaders (facts.Loaders) present in the root.
	Loaders []string `json:"loaders,omitempty"`
}

// Cgroup holds the limits of the cgroup a process of the root runs in.
type Cgroup struct {
	Version int `json:"version,omitempty"` // 1 or 2; 0 unknown
	// CPUQuota and CPUPeriod are in microseconds; Quota -1 is no limit.
	CPUQuota  int64  `json:"cpuQuota,omitempty"`
	CPUPeriod int64  `json:"cpuPeriod,omitempty"`
	CPUFrom   string `json:"cpuFrom,omitempty"`
	// Memory is the memory limit in bytes; -1 is no limit, 0 unknown.
	Memory     int64  `json:"memory,omitempty"`
	MemoryFrom string `json:"memoryFrom,omitempty"`
	Unknown    string `json:"unknown,omitempty"`
}

// Info is everything the probes read.
type Info struct {
	Root         string            `json:"root"`
	Kernel       Value             `json:"kernel"`
	KernelConfig map[string]string `json:"-"`
	ConfigFrom   string            `json:"configFrom,omitempty"`
	OSRelease    map[string]string `json:"osRelease,omitempty"`
	Arch         Value             `json:"arch"`
	Libc         Libc              `json:"libc"`
	CPUFlags     []string          `json:"-"`
	CPULevel     Value             `json:"cpuLevel"`
	Cgroup       Cgroup            `json:"cgroup"`
	Seccomp      Value             `json:"seccomp"`
	ASLR         Value             `json:"aslr"`
	THP          Value             `json:"thp"`
	Overcommit   Value             `json:"overcommit"`
	MaxMapCount  Value             `json:"maxMapCount"`
	// LibDirs are the directories the dynamic loader searches, from
	// ld.so.conf and the defaults, as the root names them.
	LibDirs []string `json:"libDirs,omitempty"`
	// Errors are files that exist but could not be parsed.
	Errors []string `json:"errors,omitempty"`
}

// Probe reads everything. It fails only if the root is not a directory;
// every other problem leaves a value unknown or adds to Info.Errors.
func (h FS) Probe() (*Info, error) {
	st, err := os.Stat(h.Root)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", h.Root)
	}
	in := &Info{Root: h.Root}
	in.Kernel = h.kernel(in)
	h.kernelConfig(in)
	h.osRelease(in)
	in.Arch = h.arch()
	in.LibDirs = h.libDirs(in.Arch.Value)
	in.Libc = h.libc(in)
	h.cpu(in)
	in.Cgroup = h.cgroup(in)
	h.sysctls(in)
	return in, nil
}

func (h FS) errorf(in *Info, format string, args ...any) {
	in.Errors = append(in.Errors, fmt.Sprintf(format, args...))
}

func (h FS) kernel(in *Info) Value {
	const osrelease = "/proc/sys/kernel/osrelease"
	if b, err := h.ReadFile(osrelease); err == nil {
		if v := strings.TrimSpace(string(b)); v != "" {
			return known(v, osrelease)
		}
	}
	// A root that is not running: the installed kernels. More than one
	// installed means we cannot tell which boots; pick none of them.
	for _, dir := range []string{"/lib/modules", "/usr/lib/modules"} {
		if vs := h.dirNames(dir, ""); len(vs) == 1 {
			return known(vs[0], path.Join(dir, vs[0]))
		} else if len(vs) > 1 {
			return unknown(fmt.Sprintf("several kernels installed in %s (%s)", dir, strings.Join(vs, ", ")))
		}
	}
	if vs := h.dirNames("/boot", "vmlinuz-"); len(vs) == 1 {
		return known(vs[0], "/boot/vmlinuz-"+vs[0])
	} else if len(vs) > 1 {
		return unknown(fmt.Sprintf("several kernels in /boot (%s)", strings.Join(vs, ", ")))
	}
	if h.IsLive() {
		return unknown("cannot read " + osrelease)
	}
	return unknown("no /proc, /lib/modules or /boot/vmlinuz-* in the root: a container image runs on its host's kernel")
}

// dirNames lists entry names in dir inside the root that start with
// prefix, with the prefix removed, sorted.
func (h FS) dirNames(dir, prefix string) []string {
	hp, err := h.Resolve(dir)
	if err != nil {
		return nil
	}
	ents, err := os.ReadDir(hp)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if rest, ok := strings.CutPrefix(e.Name(), prefix); ok && rest != "" {
			out = append(out, rest)
		}
	}
	sort.Strings(out)
	return out
}

func (h FS) kernelConfig(in *Info) {
	candidates := []string{"/proc/config.gz"}
	if in.Kernel.Value != "" {
		candidates = append(candidates, "/boot/config-"+in.Kernel.Value, "/lib/modules/"+in.Kernel.Value+"/config")
	}
	for _, c := range candidates {
		hp, err := h.Resolve(c)
		if err != nil {
			continue
		}
		f, err := os.Open(hp)
		if err != nil {
			continue
		}
		cfg, err := ParseKernelConfig(f)
		f.Close()
		if err != nil {
			h.errorf(in, "%s: %v", c, err)
			continue
		}
		in.KernelConfig, in.ConfigFrom = cfg, c
		return
	}
}

// osRelease reads /etc/os-release, else /usr/lib/os-release, the order
// os-release(5) gives (https://www.freedesktop.org/software/systemd/man/latest/os-release.html).
func (h FS) osRelease(in *Info) {
	for _, p := range []string{"/etc/os-release", "/usr/lib/os-release"} {
		b, err := h.ReadFile(p)
		if err != nil {
			continue
		}
		m, err := ParseOSRelease(b)
		if err != nil {
			h.errorf(in, "%s: %v", p, err)
		}
		if len(m) > 0 {
			in.OSRelease = m
			return
		}
	}
}

// multiarch maps GOARCH to the Debian multiarch triplet of its libraries
// (https://wiki.debian.org/Multiarch/Tuples).
var multiarch = map[string]string{"amd64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu", "arm": "arm-linux-gnueabihf", "386": "i386-linux-gnu", "riscv64": "riscv64-linux-gnu", "ppc64le": "powerpc64le-linux-gnu", "s390x": "s390x-linux-gnu"}

// libDirs returns the loader's search directories: ld.so.conf (with its
// includes) first, then the built-in defaults (ld.so(8),
// https://man7.org/linux/man-pages/man8/ld.so.8.html).
func (h FS) libDirs(arch string) []string {
	var dirs []string
	seen := map[string]bool{}
	add := func(d string) {
		d = path.Clean(d)
		if !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	var readConf func(p string, depth int)
	readConf = func(p string, depth int) {
		if depth > 4 {
			return
		}
		b, err := h.ReadFile(p)
		if err != nil {
			return
		}
		ds, incs := ParseLdSoConf(b)
		for _, d := range ds {
			add(d)
		}
		for _, inc := range incs {
			if !path.IsAbs(inc) {
				inc = path.Join(path.Dir(p), inc)
			}
			dir, pat := path.Split(inc)
			for _, name := range h.dirNames(dir, "") {
				if ok, _ := path.Match(pat, name); ok {
					readConf(path.Join(dir, name), depth+1)
				}
			}
		}
	}
	readConf("/etc/ld.so.conf", 0)
	for _, d := range []string{"/lib64", "/usr/lib64", "/lib", "/usr/lib"} {
		add(d)
	}
	if t, ok := multiarch[arch]; ok {
		add("/lib/" + t)
		add("/usr/lib/" + t)
	}
	return dirs
}

// FindLibrary looks for a shared library as the dynamic loader of the
// root would: in extra (the binary's RUNPATH) and then in dirs. It returns
// the path inside the root.
func (h FS) FindLibrary(name string, extra, dirs []string) (string, bool) {
	if strings.Contains(name, "/") {
		return name, h.Exists(name)
	}
	for _, d := range append(append([]string(nil), extra...), dirs...) {
		if !path.IsAbs(d) {
			continue // $ORIGIN and relative entries depend on where the binary is
		}
		p := path.Join(d, name)
		if h.Exists(p) {
			return p, true
		}
	}
	return "", false
}

func (h FS) libc(in *Info) Libc {
	var l Libc
	names := make([]string, 0, len(facts.Loaders))
	for p := range facts.Loaders {
		names = append(names, p)
	}
	sort.Strings(names)
	flavors := map[string]bool{}
	for _, p := range names {
		if h.Exists(p) {
			l.Loaders = append(l.Loaders, p)
			flavors[facts.Loaders[p]] = true
		}
	}
	libc6, haveGlibc := h.FindLibrary("libc.so.6", nil, in.LibDirs)
	switch {
	case haveGlibc || flavors[facts.LibcGlibc]:
		// A glibc system may carry musl's loader too (Debian's musl
		// package); glibc is then what its programs use.
		l.Flavor = facts.LibcGlibc
		l.Version = h.glibcVersion(libc6, haveGlibc)
	case flavors[facts.LibcMusl]:
		l.Flavor = facts.LibcMusl
		l.Version = h.muslVersion()
	default:
		l.Flavor = facts.LibcNone
		l.Version = unknown("no C library in the root")
	}
	return l
}

func (h FS) glibcVersion(libc6 string, have bool) Value {
	if !have {
		return unknown("glibc loader present but libc.so.6 not found")
	}
	hp, err := h.Resolve(libc6)
	if err != nil {
		return unknown(err.Error())
	}
	// Up to glibc 2.33, libc.so.6 links to libc-2.NN.so; 2.34 installs
	// it under its soname (NEWS of glibc 2.34,
	// https://sourceware.org/git/?p=glibc.git;a=blob;f=NEWS;hb=glibc-2.34).
	if v, ok := GlibcVersionFromName(filepath.Base(hp)); ok {
		rel, _ := filepath.Rel(h.Root, hp)
		return known(v, "/"+filepath.ToSlash(rel))
	}
	f, err := os.Open(hp)
	if err != nil {
		return unknown(err.Error())
	}
	defer f.Close()
	if v, ok, err := FindGlibcBanner(f, 64<<20); err == nil && ok {
		return known(v, libc6)
	}
	// Last resort: the newest GLIBC_2.N version libc.so.6 defines, which
	// is a lower bound of its release.
	if ef, err := elf.NewFile(f); err == nil {
		if vs, err := ef.DynamicVersions(); err == nil {
			best := ""
			for _, v := range vs {
				if n, ok := strings.CutPrefix(v.Name, "GLIBC_"); ok && dotted.IsNumeric(n) && (best == "" || dotted.Compare(n, best) > 0) {
					best = n
				}
			}
			if best != "" {
				return known(best, libc6+" (newest GLIBC_ symbol version)")
			}
		}
	}
	return unknown("no version in " + libc6)
}

func (h FS) muslVersion() Value {
	for _, db := range []struct{ path, pkg string }{
		{"/lib/apk/db/installed", "musl"},
		{"/var/lib/dpkg/status", "musl"},
	} {
		b, err := h.ReadFile(db.path)
		if err != nil {
			continue
		}
		if v, ok := PackageVersion(b, db.pkg); ok {
			return known(upstreamVersion(v), db.path)
		}
	}
	return unknown("musl found, but no package database names its version")
}

// arch reads the ELF machine of a program every root has.
func (h FS) arch() Value {
	for _, p := range []string{"/bin/sh", "/usr/bin/env", "/bin/busybox"} {
		hp, err := h.Resolve(p)
		if err != nil {
			continue
		}
		f, err := elf.Open(hp)
		if err != nil {
			continue
		}
		a := binary.ArchOfMachine(f.Machine.String())
		f.Close()
		if a != "" {
			return known(a, p)
		}
	}
	return unknown("no ELF program at /bin/sh or /usr/bin/env")
}

func (h FS) cpu(in *Info) {
	const cpuinfo = "/proc/cpuinfo"
	b, err := h.ReadFile(cpuinfo)
	if err != nil {
		in.CPULevel = unknown("cannot read " + cpuinfo)
		return
	}
	in.CPUFlags = ParseCPUFlags(b)
	if in.Arch.Value != "" && in.Arch.Value != "amd64" {
		in.CPULevel = unknown("not an x86-64 CPU")
		return
	}
	level, _ := facts.AMD64LevelOf(in.CPUFlags)
	if level == "" {
		in.CPULevel = unknown("no x86-64 flags in " + cpuinfo)
		return
	}
	in.CPULevel = known(level, cpuinfo)
}

func (h FS) sysctls(in *Info) {
	status := "/proc/self/status"
	if !h.IsLive() {
		status = "/proc/1/status"
	}
	if b, err := h.ReadFile(status); err == nil {
		mode, ok, err := ParseSeccomp(b)
		switch {
		case err != nil:
			h.errorf(in, "%s: %v", status, err)
			in.Seccomp = unknown(err.Error())
		case ok:
			in.Seccomp = known(fmt.Sprint(mode), status)
		default:
			in.Seccomp = unknown("no Seccomp field in " + status)
		}
	} else {
		in.Seccomp = unknown("cannot read " + status)
	}
	ints := []struct {
		v    *Value
		path string
	}{
		{&in.ASLR, "/proc/sys/kernel/randomize_va_space"},
		{&in.Overcommit, "/proc/sys/vm/overcommit_memory"},
		{&in.MaxMapCount, "/proc/sys/vm/max_map_count"},
	}
	for _, s := range ints {
		b, err := h.ReadFile(s.path)
		if err != nil {
			*s.v = unknown("cannot read " + s.path)
			continue
		}
		n, err := ParseInt(b)
		if err != nil {
			h.errorf(in, "%s: %v", s.path, err)
			*s.v = unknown(err.Error())
			continue
		}
		*s.v = known(fmt.Sprint(n), s.path)
	}
	const thp = "/sys/kernel/mm/transparent_hugepage/enabled"
	if b, err := h.ReadFile(thp); err == nil {
		if v, err := ParseBracketChoice(b); err == nil {
			in.THP = known(v, thp)
		} else {
			h.errorf(in, "%s: %v", thp, err)
			in.THP = unknown(err.Error())
		}
	} else {
		in.THP = unknown("cannot read " + thp)
	}
}

// cgroup finds the limits of the cgroup the probing process (or, in a
// root that is not live, PID 1) is in, the way the Go runtime does: from
// /proc/<pid>/cgroup and /proc/<pid>/mountinfo, the leaf cgroup only.
func (h FS) cgroup(in *Info) Cgroup {
	pid := "self"
	if !h.IsLive() {
		pid = "1"
	}
	cgPath, miPath := "/proc/"+pid+"/cgroup", "/proc/"+pid+"/mountinfo"
	cb, err := h.ReadFile(cgPath)
	if err != nil {
		return Cgroup{Unknown: "cannot read " + cgPath}
	}
	lines, err := ParseProcCgroup(cb)
	if err != nil {
		h.errorf(in, "%s: %v", cgPath, err)
		return Cgroup{Unknown: err.Error()}
	}
	mb, err := h.ReadFile(miPath)
	if err != nil {
		return Cgroup{Unknown: "cannot read " + miPath}
	}
	mounts, err := ParseMountinfo(mb)
	if err != nil {
		h.errorf(in, "%s: %v", miPath, err)
		return Cgroup{Unknown: err.Error()}
	}
	cg, errs := h.CgroupLimits(lines, mounts)
	in.Errors = append(in.Errors, errs...)
	return cg
}

// CgroupLimits reads, below the root, the CPU quota and memory limit of
// the cgroup that lines (a parsed /proc/<pid>/cgroup) name, through the
// cgroup file systems in mounts (a parsed mountinfo of the reader): the
// leaf cgroup only, as the Go runtime reads it. Files that exist but do
// not parse are returned as errors.
func (h FS) CgroupLimits(lines []CgroupLine, mounts []Mount) (Cgroup, []string) {
	in := &Info{} // collects parse errors through h.errorf
	cg := Cgroup{CPUQuota: -1, Memory: 0}
	// v1 controllers win where mounted (hybrid systems).
	dirFor := func(controller string) (string, int) {
		for _, l := range lines {
			for _, c := range l.Controllers {
				if c != controller {
					continue
				}
				for _, m := range mounts {
					if m.FSType == "cgroup" && slices.Contains(m.SuperOpts, controller) {
						return cgroupDir(m, l.Path), 1
					}
				}
			}
		}
		for _, l := range lines {
			if l.ID == 0 && len(l.Controllers) == 0 {
				for _, m := range mounts {
					if m.FSType == "cgroup2" {
						return cgroupDir(m, l.Path), 2
					}
				}
			}
		}
		return "", 0
	}
	if dir, v := dirFor("cpu"); v != 0 {
		cg.Version = v
		if v == 2 {
			if b, err := h.ReadFile(path.Join(dir, "cpu.max")); err == nil {
				q, p, err := ParseCPUMax(b)
				cg.CPUFrom = path.Join(dir, "cpu.max")
				if err == nil {
					cg.CPUQuota, cg.CPUPeriod = q, p
				} else if !errors.Is(err, ErrUnlimited) {
					h.errorf(in, "%s: %v", cg.CPUFrom, err)
				}
			}
		} else {
			qb, qerr := h.ReadFile(path.Join(dir, "cpu.cfs_quota_us"))
			pb, perr := h.ReadFile(path.Join(dir, "cpu.cfs_period_us"))
			if qerr == nil && perr == nil {
				cg.CPUFrom = path.Join(dir, "cpu.cfs_quota_us")
				q, err1 := ParseInt(qb)
				p, err2 := ParseInt(pb)
				if err1 == nil && err2 == nil && q > 0 && p > 0 {
					cg.CPUQuota, cg.CPUPeriod = q, p
				}
			}
		}
	}
	if dir, v := dirFor("memory"); v != 0 {
		if cg.Version == 0 {
			cg.Version = v
		}
		file := "memory.max"
		if v == 1 {
			file = "memory.limit_in_bytes"
		}
		if b, err := h.ReadFile(path.Join(dir, file)); err == nil {
			cg.MemoryFrom = path.Join(dir, file)
			n, err := ParseMemoryLimit(b)
			switch {
			case err == nil:
				cg.Memory = n
			case errors.Is(err, ErrUnlimited):
				cg.Memory = -1
			default:
				h.errorf(in, "%s: %v", cg.MemoryFrom, err)
			}
		}
	}
	if cg.Version == 0 {
		cg.Unknown = "no cgroup mount for this process"
	}
	return cg, in.Errors
}

// cgroupDir maps a cgroup path to a directory under its mount.
func cgroupDir(m Mount, cg string) string {
	rel := cg
	if m.Root != "/" {
		if r, ok := strings.CutPrefix(cg, m.Root); ok {
			rel = r
		} else {
			// The process's cgroup is outside what is mounted (a
			// container with its own cgroup namespace sees "/").
			rel = "/"
		}
	}
	return path.Join(m.MountPoint, rel)
}
