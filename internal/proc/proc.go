// Package proc reads the running Go programs of a machine from its /proc:
// for each process, the build information of the executable it runs (read
// through /proc/<pid>/exe, so a binary deleted or replaced on disk since
// the process started is still the one read), whether that file is still
// what is on disk, the Go variables of its environment, its cgroup CPU
// quota and memory limit, its CPU affinity and the root file system it runs
// in (a container's, with its own C library).
//
// It only reads: no ptrace, no signals, no writes, nothing injected into a
// process. Every probe takes a root (NewFS), so tests hand it a synthetic
// /proc tree; NewDefaultFS reads this machine.
//
// Each process is read through a descriptor of its /proc/<pid> directory,
// so every file comes from the same process: if it exits while being read
// (or its PID is reused), the reads fail with ESRCH and the process is
// counted as exited, never mixed with another. Its start time is compared
// before and after, for the same reason. Processes that are not Go
// programs, kernel threads and zombies are counted, not reported;
// processes this user may not read are listed with the reason.
package proc

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/host"
)

// FS reads the processes of the machine whose root is Root (its /proc is
// Root/proc).
type FS struct {
	Root string
}

// NewFS returns an FS for the machine whose root file system is at root.
func NewFS(root string) FS { return FS{Root: filepath.Clean(root)} }

// NewDefaultFS reads this machine.
func NewDefaultFS() FS { return FS{Root: "/"} }

// Size bounds for files read from /proc, whose st_size is 0.
const (
	maxSmallFile = 64 << 10
	// maxEnviron bounds /proc/<pid>/environ; the kernel limits the
	// environment and arguments together to a quarter of the stack limit
	// (execve(2)), 2 MiB by default.
	maxEnviron = 4 << 20
)

// DiskState says whether the executable a process runs is still the file
// at its path.
type DiskState string

const (
	// OnDiskSame: the path names the very file the process runs.
	OnDiskSame DiskState = "same"
	// OnDiskReplaced: the path now names another file (a new build was
	// installed, typically by rename); the process runs the old one.
	OnDiskReplaced DiskState = "replaced"
	// OnDiskDeleted: the file was removed and nothing is at its path.
	OnDiskDeleted DiskState = "deleted"
	// OnDiskUnknown: the path could not be looked at in the process's root.
	OnDiskUnknown DiskState = "unknown"
)

// Process is one running Go program.
type Process struct {
	PID  int    `json:"pid"`
	PPID int    `json:"ppid"`
	Comm string `json:"comm"`
	// StartTicks is the start time after boot in clock ticks.
	StartTicks uint64 `json:"startTicks"`
	// Exe is the executable's path as the process's root names it, without
	// the kernel's " (deleted)" suffix.
	Exe string `json:"exe"`
	// Binary is the build information of the file the process runs.
	Binary *binary.Info `json:"binary"`
	// OnDisk compares the running file with what is at Exe now; Disk is
	// the build information of a replacement, when it is a Go binary.
	OnDisk DiskState    `json:"onDisk"`
	Disk   *binary.Info `json:"disk,omitempty"`
	// DiskWhy says why OnDisk is unknown.
	DiskWhy string `json:"diskWhy,omitempty"`
	// Env holds the Go variables of the environment (GoEnvNames only);
	// EnvUnknown says why the environment could not be read.
	Env        map[string]string `json:"env,omitempty"`
	EnvUnknown string            `json:"envUnknown,omitempty"`
	// Cgroup holds the limits of the process's cgroup.
	Cgroup host.Cgroup `json:"cgroup"`
	// CPUs is the number of CPUs the process may run on (its affinity
	// mask); 0 when unknown.
	CPUs int `json:"cpus,omitempty"`
	// Root is the host path of the process's root directory
	// (<root>/proc/<pid>/root); RootID tells roots apart (the same for
	// every process of one container or of the host).
	Root   string `json:"root"`
	RootID string `json:"rootID,omitempty"`
	// Platform is the root file system the process runs in, probed once
	// per RootID (see Options.Platform); nil if not probed.
	Platform *host.Info `json:"-"`
}

// Skipped is a process that could not be read.
type Skipped struct {
	PID  int    `json:"pid"`
	Comm string `json:"comm,omitempty"`
	Exe  string `json:"exe,omitempty"`
	Why  string `json:"why"`
}

// Result is what a scan found.
type Result struct {
	// Processes are the Go programs, by PID.
	Processes []Process `json:"processes"`
	// Skipped are processes whose executable could not be read, by PID.
	Skipped []Skipped `json:"skipped,omitempty"`
	// Counts of what was looked at and left out.
	Scanned int `json:"scanned"`
	NotGo   int `json:"notGo"`
	Kernel  int `json:"kernelThreads"`
	Zombies int `json:"zombies"`
	Exited  int `json:"exited"`
}

// Options steer a scan.
type Options struct {
	// PIDs limits the scan to these processes; empty means all. A PID
	// named here that is not a Go program is reported as skipped, with why.
	PIDs []int
	// Platform probes each distinct root file system (package host).
	Platform bool
	// Self, if non-zero, is left out (the scanning process itself).
	Self int
}

// PIDs lists the numeric entries of /proc, in order.
func (p FS) PIDs() ([]int, error) {
	ents, err := os.ReadDir(filepath.Join(p.Root, "proc"))
	if err != nil {
		return nil, err
	}
	var out []int
	for _, e := range ents {
		if n, err := strconv.Atoi(e.Name()); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out, nil
}

// Scanner reads processes, keeping what does not change between scans:
// the build information of each executable file (by device, inode, size
// and modification time) and the platform of each root. An exporter keeps
// one Scanner for its life; it is safe for one scan at a time.
type Scanner struct {
	FS        FS
	mu        sync.Mutex
	binaries  map[fileKey]binEntry
	platforms map[string]*host.Info
	selfMount []host.Mount
	// Per scan: limits per /proc/<pid>/cgroup content (reader's view),
	// and what is on disk per root and path. Processes of one service
	// share both.
	cgroups map[string]host.Cgroup
	disk    map[string]diskEntry
	// scans counts scans; platformSeen has the last scan that met a root.
	scans        int
	platformSeen map[string]int
}

type diskEntry struct {
	st  unix.Stat_t
	err error
}

type fileKey struct {
	dev, ino   uint64
	size       int64
	mtimeNanos int64
}

type binEntry struct {
	info *binary.Info
	err  error
	// scan is the number of the last scan that met the file.
	scan int
}

// NewScanner returns a Scanner of fs.
func NewScanner(fs FS) *Scanner {
	return &Scanner{FS: fs, binaries: map[fileKey]binEntry{}, platforms: map[string]*host.Info{}, platformSeen: map[string]int{}}
}

// Scan reads every process (or opt.PIDs).
func (p FS) Scan(opt Options) (*Result, error) { return NewScanner(p).Scan(opt) }

// Scan reads every process (or opt.PIDs). It fails only when /proc cannot
// be listed.
func (s *Scanner) Scan(opt Options) (*Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pids := opt.PIDs
	explicit := len(pids) > 0
	if !explicit {
		var err error
		if pids, err = s.FS.PIDs(); err != nil {
			return nil, fmt.Errorf("list processes: %w", err)
		}
	}
	s.scans++
	defer s.evict()
	s.selfMount = nil
	s.cgroups, s.disk = map[string]host.Cgroup{}, map[string]diskEntry{}
	if b, err := readFileLimit(filepath.Join(s.FS.Root, "proc", "self", "mountinfo"), 4<<20); err == nil {
		s.selfMount, _ = host.ParseMountinfo(b)
	}
	res := &Result{}
	seen := map[int]bool{}
	for _, pid := range pids {
		if seen[pid] || pid == opt.Self && !explicit {
			continue
		}
		seen[pid] = true
		res.Scanned++
		pr, skip, kind := s.read(pid, opt)
		switch kind {
		case kindGo:
			res.Processes = append(res.Processes, *pr)
		case kindSkipped:
			res.Skipped = append(res.Skipped, skip)
		case kindNotGo:
			res.NotGo++
			if explicit {
				skip.Why = "not a Go program"
				res.Skipped = append(res.Skipped, skip)
			}
		case kindKernel:
			res.Kernel++
			if explicit {
				skip.Why = "a kernel thread"
				res.Skipped = append(res.Skipped, skip)
			}
		case kindZombie:
			res.Zombies++
			if explicit {
				skip.Why = "a zombie (exited, not yet reaped)"
				res.Skipped = append(res.Skipped, skip)
			}
		case kindExited:
			res.Exited++
			if explicit {
				skip.Why = "no such process"
				res.Skipped = append(res.Skipped, skip)
			}
		}
	}
	return res, nil
}

type kind int

const (
	kindGo kind = iota
	kindSkipped
	kindNotGo
	kindKernel
	kindZombie
	kindExited
)

// gone reports errors that mean the process is no longer there.
func gone(err error) bool {
	return errors.Is(err, unix.ESRCH) || errors.Is(err, fs.ErrNotExist)
}

// read reads one process through a descriptor of its /proc directory.
func (s *Scanner) read(pid int, opt Options) (*Process, Skipped, kind) {
	skip := Skipped{PID: pid}
	dirPath := filepath.Join(s.FS.Root, "proc", strconv.Itoa(pid))
	dfd, err := unix.Open(dirPath, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		if gone(err) {
			return nil, skip, kindExited
		}
		skip.Why = fmt.Sprintf("open %s: %v", dirPath, err)
		return nil, skip, kindSkipped
	}
	defer unix.Close(dfd)
	sb, err := readAt(dfd, "stat", maxSmallFile)
	if err != nil {
		if gone(err) {
			return nil, skip, kindExited
		}
		skip.Why = fmt.Sprintf("read %s/stat: %v", dirPath, err)
		return nil, skip, kindSkipped
	}
	st, err := ParseStat(sb)
	if err != nil {
		skip.Why = fmt.Sprintf("%s/stat: %v", dirPath, err)
		return nil, skip, kindSkipped
	}
	skip.Comm = st.Comm
	if st.Kthread() {
		return nil, skip, kindKernel
	}
	if st.State == "Z" || st.State == "X" || st.State == "x" {
		return nil, skip, kindZombie
	}
	link, err := readlinkAt(dfd, "exe")
	if err != nil {
		switch {
		case gone(err) && s.vanished(dfd, st):
			return nil, skip, kindExited
		case errors.Is(err, fs.ErrNotExist):
			// A live user process without an executable is one that is
			// exiting (its mm released) or a kernel thread the flags did
			// not show; nothing to judge either way.
			return nil, skip, kindExited
		case errors.Is(err, fs.ErrPermission):
			skip.Why = "permission denied reading /proc/" + strconv.Itoa(pid) + "/exe (another user's process: run as that user, or as root / with CAP_SYS_PTRACE)"
		default:
			skip.Why = fmt.Sprintf("readlink /proc/%d/exe: %v", pid, err)
		}
		return nil, skip, kindSkipped
	}
	exe := strings.TrimSuffix(link, " (deleted)")
	// The kernel writes the link relative to the reader's root. For a
	// process in a chroot below it, the path as the process names it is
	// the part below its root; a container's root (another mount
	// namespace) reads as "/", and its paths are already its own.
	if r, err := readlinkAt(dfd, "root"); err == nil && r != "/" {
		if rest, ok := strings.CutPrefix(exe, strings.TrimSuffix(r, "/")+"/"); ok {
			exe = "/" + rest
		}
	}
	skip.Exe = exe
	info, key, nlink, err := s.binary(dfd, pid, exe)
	if err != nil {
		switch {
		case errors.Is(err, binary.ErrNotELF) || errors.Is(err, binary.ErrNotGo):
			return nil, skip, kindNotGo
		case gone(err):
			// Opening the magic link fails only when the process (or
			// its memory) is gone: a deleted file still opens.
			return nil, skip, kindExited
		case errors.Is(err, fs.ErrPermission):
			skip.Why = "permission denied opening /proc/" + strconv.Itoa(pid) + "/exe (another user's process: run as that user, or as root / with CAP_SYS_PTRACE)"
		default:
			skip.Why = err.Error()
		}
		return nil, skip, kindSkipped
	}
	pr := &Process{PID: pid, PPID: st.PPID, Comm: st.Comm, StartTicks: st.StartTicks, Exe: exe, Binary: info}
	pr.Root = filepath.Join(dirPath, "root")
	s.environ(dfd, pr)
	if b, err := readAt(dfd, "status", maxSmallFile); err == nil {
		if v, ok := StatusField(b, "Cpus_allowed_list"); ok {
			pr.CPUs, _ = ParseCPUList(v)
		}
	}
	var rootStat unix.Stat_t
	if err := unix.Stat(pr.Root, &rootStat); err == nil {
		pr.RootID = fmt.Sprintf("%d:%d", rootStat.Dev, rootStat.Ino)
	}
	s.onDisk(pr, key, nlink)
	s.cgroup(dfd, pr)
	if opt.Platform && pr.RootID != "" {
		s.platformSeen[pr.RootID] = s.scans
		if pl, ok := s.platforms[pr.RootID]; ok {
			pr.Platform = pl
		} else if pl, err := host.NewFS(pr.Root).Probe(); err == nil {
			s.platforms[pr.RootID] = pl
			pr.Platform = pl
		}
	}
	if s.vanished(dfd, st) {
		return nil, skip, kindExited
	}
	return pr, skip, kindGo
}

// evict forgets the executables and roots the last scan did not meet, so
// a long-running Scanner holds only what runs now.
func (s *Scanner) evict() {
	for k, e := range s.binaries {
		if e.scan != s.scans {
			delete(s.binaries, k)
		}
	}
	for k, n := range s.platformSeen {
		if n != s.scans {
			delete(s.platformSeen, k)
			delete(s.platforms, k)
		}
	}
}

// SelfPID is the PID of the calling process in the PID namespace of the
// /proc under root (root/proc/self), or 0.
func (p FS) SelfPID() int {
	l, err := os.Readlink(filepath.Join(p.Root, "proc", "self"))
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(l)
	return n
}

// vanished reports whether the process is no longer the one whose stat
// was read first: gone, or another process under the same PID.
func (s *Scanner) vanished(dfd int, first Stat) bool {
	b, err := readAt(dfd, "stat", maxSmallFile)
	if err != nil {
		return true
	}
	st, err := ParseStat(b)
	return err != nil || st.StartTicks != first.StartTicks || st.State == "Z"
}

// binary reads the build information of the file the process runs,
// through /proc/<pid>/exe, once per file.
func (s *Scanner) binary(dfd, pid int, exe string) (*binary.Info, fileKey, uint64, error) {
	fd, err := unix.Openat(dfd, "exe", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fileKey{}, 0, &os.PathError{Op: "open", Path: "/proc/" + strconv.Itoa(pid) + "/exe", Err: err}
	}
	f := os.NewFile(uintptr(fd), exe)
	defer f.Close()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, fileKey{}, 0, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return nil, fileKey{}, 0, fmt.Errorf("%s: not a regular file: %w", exe, binary.ErrNotELF)
	}
	key := fileKey{dev: uint64(st.Dev), ino: st.Ino, size: st.Size, mtimeNanos: st.Mtim.Nano()}
	if e, ok := s.binaries[key]; ok {
		e.scan = s.scans
		s.binaries[key] = e
		return e.info, key, uint64(st.Nlink), e.err
	}
	info, err := binary.Read(exe, f)
	s.binaries[key] = binEntry{info, err, s.scans}
	return info, key, uint64(st.Nlink), err
}

// onDisk compares the running file with what the process's root has at
// its path now.
func (s *Scanner) onDisk(pr *Process, running fileKey, nlink uint64) {
	if !path.IsAbs(pr.Exe) {
		pr.OnDisk, pr.DiskWhy = OnDiskUnknown, "the executable's path is not absolute"
		return
	}
	p := filepath.Join(pr.Root, pr.Exe)
	key := pr.RootID + "\x00" + pr.Exe
	d, ok := s.disk[key]
	if !ok || pr.RootID == "" {
		d.err = unix.Stat(p, &d.st)
		s.disk[key] = d
	}
	st, err := d.st, d.err
	switch {
	case err == nil && uint64(st.Dev) == running.dev && st.Ino == running.ino:
		pr.OnDisk = OnDiskSame
		return
	case err == nil:
		pr.OnDisk = OnDiskReplaced
		if st.Mode&unix.S_IFMT == unix.S_IFREG {
			if f, err := os.Open(p); err == nil {
				pr.Disk, _ = binary.Read(pr.Exe, f)
				f.Close()
			}
		}
		return
	case errors.Is(err, unix.ENOENT) && nlink == 0:
		pr.OnDisk = OnDiskDeleted
	case errors.Is(err, unix.ENOENT):
		// Still linked somewhere, but not at this path: moved away.
		pr.OnDisk = OnDiskDeleted
	default:
		pr.OnDisk, pr.DiskWhy = OnDiskUnknown, fmt.Sprintf("stat %s: %v", p, err)
	}
}

func (s *Scanner) environ(dfd int, pr *Process) {
	b, err := readAt(dfd, "environ", maxEnviron)
	switch {
	case errors.Is(err, fs.ErrPermission):
		pr.EnvUnknown = "permission denied reading /proc/" + strconv.Itoa(pr.PID) + "/environ"
	case err != nil:
		pr.EnvUnknown = fmt.Sprintf("read /proc/%d/environ: %v", pr.PID, err)
	case len(b) == 0:
		// The kernel gives an empty environ for a process whose memory
		// is gone (exiting); a Go program always has some environment
		// unless started with none, which cannot be told apart.
		pr.EnvUnknown = "/proc/" + strconv.Itoa(pr.PID) + "/environ is empty"
		pr.Env = map[string]string{}
	default:
		pr.Env = ParseEnviron(b, GoEnvNames)
	}
}

// cgroup reads the limits of the process's cgroup. /proc/<pid>/cgroup
// names the cgroup relative to the reader's cgroup namespace, so the
// reader's own mounts find it; a path that climbs out ("/..") belongs to
// a process in another cgroup namespace (a container), whose limits are
// read the way the process itself sees them: through its own root and
// mounts, where its cgroup is the root of the hierarchy.
func (s *Scanner) cgroup(dfd int, pr *Process) {
	cb, err := readAt(dfd, "cgroup", maxSmallFile)
	if err != nil {
		pr.Cgroup = host.Cgroup{Unknown: fmt.Sprintf("read /proc/%d/cgroup: %v", pr.PID, err)}
		return
	}
	lines, err := host.ParseProcCgroup(cb)
	if err != nil {
		pr.Cgroup = host.Cgroup{Unknown: fmt.Sprintf("/proc/%d/cgroup: %v", pr.PID, err)}
		return
	}
	outside := false
	for _, l := range lines {
		if l.Path == "/.." || strings.HasPrefix(l.Path, "/../") {
			outside = true
		}
	}
	if !outside && s.selfMount != nil {
		if cg, ok := s.cgroups[string(cb)]; ok {
			pr.Cgroup = cg
			return
		}
		cg, _ := host.NewFS(s.FS.Root).CgroupLimits(lines, s.selfMount)
		s.cgroups[string(cb)] = cg
		pr.Cgroup = cg
		return
	}
	// Its own view is only right when it has a cgroup namespace of its
	// own; a process in the machine's (PID 1's) namespace, seen from a
	// reader in a container's, cannot be placed.
	if outside {
		mine, err1 := readlinkAt(dfd, "ns/cgroup")
		initNS, err2 := os.Readlink(filepath.Join(s.FS.Root, "proc", "1", "ns", "cgroup"))
		if err1 == nil && err2 == nil && mine == initNS {
			pr.Cgroup = host.Cgroup{Unknown: "the process's cgroup is outside this reader's cgroup namespace; run gocompat in the machine's cgroup namespace to read its limits"}
			return
		}
	}
	mb, err := readAt(dfd, "mountinfo", 4<<20)
	if err != nil {
		pr.Cgroup = host.Cgroup{Unknown: fmt.Sprintf("read /proc/%d/mountinfo: %v", pr.PID, err)}
		return
	}
	mounts, err := host.ParseMountinfo(mb)
	if err != nil {
		pr.Cgroup = host.Cgroup{Unknown: fmt.Sprintf("/proc/%d/mountinfo: %v", pr.PID, err)}
		return
	}
	for i := range lines {
		lines[i].Path = "/"
	}
	// Mount roots are relative to the mounter's cgroup namespace, which
	// for a container's own mounts is its cgroup: "/".
	for i := range mounts {
		if mounts[i].FSType == "cgroup" || mounts[i].FSType == "cgroup2" {
			mounts[i].Root = "/"
		}
	}
	cg, _ := host.NewFS(pr.Root).CgroupLimits(lines, mounts)
	pr.Cgroup = cg
}

// readAt reads name below the directory descriptor dfd, at most limit bytes.
func readAt(dfd int, name string, limit int64) ([]byte, error) {
	fd, err := unix.Openat(dfd, name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), name)
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}

func readlinkAt(dfd int, name string) (string, error) {
	buf := make([]byte, 4096)
	n, err := unix.Readlinkat(dfd, name, buf)
	if err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

func readFileLimit(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}
