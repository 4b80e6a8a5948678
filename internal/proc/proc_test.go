package proc

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/testbin"
)

// statLine builds a /proc/<pid>/stat line with the fields gocompat reads.
func statLine(pid int, comm, state string, flags, start uint64) string {
	f := make([]string, 50)
	for i := range f {
		f[i] = "0"
	}
	f[0], f[1], f[2] = strconv.Itoa(pid), "("+comm+")", state
	f[3] = "1"
	f[8] = strconv.FormatUint(flags, 10)
	f[21] = strconv.FormatUint(start, 10)
	return strings.Join(f, " ") + "\n"
}

type tree struct {
	t    *testing.T
	root string
}

func (tr tree) file(p, content string) {
	tr.t.Helper()
	full := filepath.Join(tr.root, p)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		tr.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		tr.t.Fatal(err)
	}
}

func (tr tree) link(p, target string) {
	tr.t.Helper()
	full := filepath.Join(tr.root, p)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		tr.t.Fatal(err)
	}
	if err := os.Symlink(target, full); err != nil {
		tr.t.Fatal(err)
	}
}

// goProcess plants a Go process in a synthetic tree: its executable is a
// real Go binary, its root a directory holding that binary at exe.
func (tr tree) goProcess(pid int, bin, env string) {
	d := "proc/" + strconv.Itoa(pid)
	tr.file(d+"/stat", statLine(pid, "app", "S", 0, 1000+uint64(pid)))
	tr.link(d+"/exe", bin)
	tr.file(d+"/environ", env)
	tr.file(d+"/status", "Name:\tapp\nCpus_allowed_list:\t0-7\n")
	tr.file(d+"/cgroup", "0::/app.slice/app.service\n")
	tr.link(d+"/root", "/")
}

// TestSyntheticTree reads a /proc tree made here: a Go process in a
// cgroup v2 with limits, a kernel thread, a zombie, a process that exited
// between listing and reading (its exe dangles), a process whose environ
// cannot be read, a process that is not Go, and damaged stat files.
func TestSyntheticTree(t *testing.T) {
	bin := testbin.Build(t, testbin.Program{Name: "app"})
	tr := tree{t, t.TempDir()}
	tr.file("proc/self/mountinfo", "30 25 0:26 / /sys/fs/cgroup rw shared:4 - cgroup2 cgroup2 rw\n")
	tr.file("sys/fs/cgroup/app.slice/app.service/cpu.max", "200000 100000\n")
	tr.file("sys/fs/cgroup/app.slice/app.service/memory.max", "536870912\n")
	tr.goProcess(100, bin, "HOME=/\x00GOMAXPROCS=8\x00SECRET=hunter2\x00GOMAXPROCS=2\x00GODEBUG=x=1\x00")
	tr.file("proc/2/stat", statLine(2, "kthreadd", "S", 0x00208040, 1))
	tr.file("proc/3/stat", statLine(3, "app", "Z", 0, 5))
	tr.goProcess(4, bin, "")
	os.Remove(filepath.Join(tr.root, "proc/4/exe"))
	tr.link("proc/4/exe", filepath.Join(tr.root, "gone"))
	tr.goProcess(5, bin, "")
	os.Remove(filepath.Join(tr.root, "proc/5/environ"))
	os.Mkdir(filepath.Join(tr.root, "proc/5/environ"), 0o755) // read fails with EISDIR
	tr.goProcess(6, "/bin/sh", "")
	tr.file("proc/7/stat", "7 (broken")
	tr.file("proc/8/stat", statLine(8, "a) (b", "S", 0, 9)[:20])
	tr.file("proc/notapid/stat", "x")

	res, err := NewFS(tr.root).Scan(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Kernel != 1 || res.Zombies != 1 || res.Exited != 1 || res.NotGo != 1 {
		t.Errorf("counts: kernel %d zombies %d exited %d notGo %d, want 1 each", res.Kernel, res.Zombies, res.Exited, res.NotGo)
	}
	if len(res.Skipped) != 2 {
		t.Errorf("skipped %+v, want the two damaged stat files", res.Skipped)
	}
	if len(res.Processes) != 2 {
		t.Fatalf("processes %+v, want 5 and 100", res.Processes)
	}
	p5, p := res.Processes[0], res.Processes[1]
	if p5.EnvUnknown == "" || len(p5.Env) != 0 {
		t.Errorf("pid 5: env %v, unknown %q; want unknown", p5.Env, p5.EnvUnknown)
	}
	if p.PID != 100 || p.Binary == nil || p.Binary.GoVersion == "" {
		t.Fatalf("pid 100: %+v", p)
	}
	if got := p.Env; len(got) != 2 || got["GOMAXPROCS"] != "8" || got["GODEBUG"] != "x=1" {
		t.Errorf("env %v: want the first GOMAXPROCS and GODEBUG only, nothing else", got)
	}
	if p.CPUs != 8 {
		t.Errorf("cpus %d, want 8", p.CPUs)
	}
	if p.Cgroup.Version != 2 || p.Cgroup.CPUQuota != 200000 || p.Cgroup.CPUPeriod != 100000 || p.Cgroup.Memory != 512<<20 {
		t.Errorf("cgroup %+v", p.Cgroup)
	}
	if p.OnDisk != OnDiskSame {
		t.Errorf("onDisk %q (%s), want same", p.OnDisk, p.DiskWhy)
	}

	// Named PIDs are each accounted for.
	res, err = NewFS(tr.root).Scan(Options{PIDs: []int{2, 3, 6, 100, 999}})
	if err != nil {
		t.Fatal(err)
	}
	var whys []string
	for _, s := range res.Skipped {
		whys = append(whys, strconv.Itoa(s.PID)+": "+s.Why)
	}
	want := "2: a kernel thread|3: a zombie (exited, not yet reaped)|6: not a Go program|999: no such process"
	if strings.Join(whys, "|") != want {
		t.Errorf("skipped:\n%s\nwant\n%s", strings.Join(whys, "|"), want)
	}
}

// TestContainerCgroup reads the limits of a process in another cgroup
// namespace (its /proc/<pid>/cgroup climbs out of the reader's with
// "/.."): through its own root and mounts.
func TestContainerCgroup(t *testing.T) {
	bin := testbin.Build(t, testbin.Program{Name: "app"})
	tr := tree{t, t.TempDir()}
	croot := filepath.Join(tr.root, "container")
	tr.file("proc/self/mountinfo", "30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n")
	tr.goProcess(100, bin, "")
	os.Remove(filepath.Join(tr.root, "proc/100/root"))
	tr.link("proc/100/root", croot)
	tr.file("proc/100/cgroup", "0::/../../kubepods/pod1/c1\n")
	tr.file("proc/100/mountinfo", "50 40 0:26 /kubepods/pod1/c1 /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n")
	tr.file("container/sys/fs/cgroup/cpu.max", "50000 100000\n")
	tr.file("container/sys/fs/cgroup/memory.max", "max\n")
	// An Alpine-like root: musl's loader, its package database.
	tr.file("container/lib/ld-musl-x86_64.so.1", "")
	tr.file("container/lib/apk/db/installed", "P:musl\nV:1.2.5-r1\n\n")
	tr.file("container/etc/os-release", "ID=alpine\nPRETTY_NAME=\"Alpine Linux v3.22\"\n")
	res, err := NewFS(tr.root).Scan(Options{Platform: true})
	if err != nil || len(res.Processes) != 1 {
		t.Fatalf("%v %+v", err, res)
	}
	cg := res.Processes[0].Cgroup
	if cg.CPUQuota != 50000 || cg.Memory != -1 {
		t.Errorf("cgroup %+v, want quota 50000 and no memory limit", cg)
	}
	if pl := res.Processes[0].Platform; pl == nil || pl.Libc.Flavor != "musl" || pl.Libc.Version.Value != "1.2.5" || pl.OSRelease["ID"] != "alpine" {
		t.Errorf("platform of the container's root: %+v", pl)
	}
	// The binary is not at its path inside the container's root.
	if res.Processes[0].OnDisk != OnDiskDeleted {
		t.Errorf("onDisk %q", res.Processes[0].OnDisk)
	}

	// A process in the machine's cgroup namespace (PID 1's), seen from a
	// reader in a container's: its limits cannot be placed, and are not
	// guessed.
	tr.link("proc/100/ns/cgroup", "cgroup:[4026531835]")
	tr.link("proc/1/ns/cgroup", "cgroup:[4026531835]")
	res, err = NewFS(tr.root).Scan(Options{PIDs: []int{100}})
	if err != nil || len(res.Processes) != 1 {
		t.Fatalf("%v %+v", err, res)
	}
	if cg := res.Processes[0].Cgroup; cg.CPUQuota > 0 || !strings.Contains(cg.Unknown, "outside this reader's cgroup namespace") {
		t.Errorf("cgroup %+v, want unknown", cg)
	}
}

// TestRealProcesses scans real processes: this machine's, a zombie (a
// child killed and not yet reaped) and a child that has exited.
func TestRealProcesses(t *testing.T) {
	res, err := NewDefaultFS().Scan(Options{Platform: true})
	if err != nil {
		t.Fatal(err)
	}
	self := false
	for _, p := range res.Processes {
		if p.PID == os.Getpid() {
			self = true
			if p.Binary == nil || p.OnDisk != OnDiskSame || p.Platform == nil {
				t.Errorf("this test process: %+v", p)
			}
		}
	}
	if !self {
		t.Errorf("this test binary (a Go program, pid %d) was not found among %d processes; skipped %+v", os.Getpid(), len(res.Processes), res.Skipped)
	}

	zombie := exec.Command("/bin/sleep", "60")
	if err := zombie.Start(); err != nil {
		t.Skip(err)
	}
	zombie.Process.Signal(syscall.SIGKILL)
	defer zombie.Wait()
	exited := exec.Command("/bin/true")
	if err := exited.Run(); err != nil {
		t.Skip(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, _ := os.ReadFile("/proc/" + strconv.Itoa(zombie.Process.Pid) + "/stat")
		if st, err := ParseStat(b); err == nil && st.State == "Z" || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	res, err = NewDefaultFS().Scan(Options{PIDs: []int{zombie.Process.Pid, exited.Process.Pid}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Processes) != 0 || res.Zombies != 1 || res.Exited != 1 {
		t.Errorf("zombie and exited child: %+v", res)
	}
}

// TestPIDReuse: a process whose start time changes between the first and
// the last read is another process under the same PID, and is dropped.
func TestPIDReuse(t *testing.T) {
	tr := tree{t, t.TempDir()}
	tr.file("proc/50/stat", statLine(50, "app", "S", 0, 1000))
	s := NewScanner(NewFS(tr.root))
	dfd, err := syscall.Open(filepath.Join(tr.root, "proc/50"), syscall.O_RDONLY|syscall.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(dfd)
	first := Stat{PID: 50, StartTicks: 1000}
	if s.vanished(dfd, first) {
		t.Fatal("the same process counted as vanished")
	}
	tr.file("proc/50/stat", statLine(50, "other", "S", 0, 2000))
	if !s.vanished(dfd, first) {
		t.Error("a new process under the same PID was not noticed")
	}
	tr.file("proc/50/stat", statLine(50, "app", "Z", 0, 1000))
	if !s.vanished(dfd, first) {
		t.Error("a process that became a zombie was not noticed")
	}
}

// TestChurn scans this machine again and again while short-lived Go
// programs (with a clean environment) start and exit: processes vanish
// between listing and reading, and mid-read. No scan may fail or report
// one of them wrongly.
func TestChurn(t *testing.T) {
	bin := testbin.Build(t, testbin.Program{Name: "brief"})
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			cmd := exec.Command(bin)
			cmd.Env = []string{"GOGC=100"}
			cmd.Run()
		}
	}()
	deadline := time.Now().Add(time.Second)
	s := NewScanner(NewDefaultFS())
	scans := 0
	for time.Now().Before(deadline) {
		res, err := s.Scan(Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range res.Processes {
			if p.Exe == bin && p.Env["GOGC"] != "" && p.Env["GOGC"] != "100" {
				t.Errorf("pid %d: environment of another process: %v", p.PID, p.Env)
			}
		}
		scans++
	}
	close(stop)
	<-done
	t.Logf("%d scans", scans)
}

// TestChrootChild reads a real process that runs in its own root (a
// chroot holding only its static binary, musl's loader and an
// os-release): the platform, and the binary's on-disk state, come from
// that root, not the host's.
func TestChrootChild(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("chroot needs root")
	}
	bin := testbin.Build(t, testbin.Program{Name: "waiter", Main: testbin.Waiter, Env: []string{"CGO_ENABLED=0"}})
	root := t.TempDir()
	tr := tree{t, root}
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	tr.file("lib/ld-musl-x86_64.so.1", "")
	tr.file("etc/os-release", "ID=alpine\n")
	if err := os.WriteFile(filepath.Join(root, "waiter"), b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/waiter")
	cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: root}
	cmd.Env = []string{"GOGC=50"}
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start a process in a chroot: %v", err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	line := make([]byte, 6)
	if _, err := stdout.Read(line); err != nil || string(line) != "ready\n" {
		t.Fatalf("child: %q %v", line, err)
	}
	res, err := NewDefaultFS().Scan(Options{PIDs: []int{cmd.Process.Pid}, Platform: true})
	if err != nil || len(res.Processes) != 1 {
		t.Fatalf("%v %+v", err, res)
	}
	p := res.Processes[0]
	if p.Exe != "/waiter" || p.OnDisk != OnDiskSame || p.Env["GOGC"] != "50" {
		t.Errorf("exe %q onDisk %q env %v", p.Exe, p.OnDisk, p.Env)
	}
	if p.Platform == nil || p.Platform.Libc.Flavor != "musl" || p.Platform.OSRelease["ID"] != "alpine" {
		t.Errorf("platform %+v: want the chroot's (musl, alpine)", p.Platform)
	}
}
