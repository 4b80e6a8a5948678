package testbin

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Cgroup is a cgroup a test made, with a CPU quota and a memory limit.
type Cgroup struct {
	// Version is 1 or 2.
	Version int
	// Dirs are the cgroup's directories: one on cgroup v2, one per
	// controller (cpu, memory) on v1.
	Dirs []string
	// CPUQuota and CPUPeriod are in microseconds; Memory in bytes.
	CPUQuota, CPUPeriod, Memory int64
}

// NewCgroup creates a cgroup with a CPU quota of quota/period
// microseconds and a memory limit of memory bytes, under /sys/fs/cgroup:
// on cgroup v2 when /sys/fs/cgroup is the unified hierarchy, else on
// cgroup v1 when its cpu and memory controllers are mounted there. It is
// removed when the test ends (after the processes started in it, which
// Start kills). The test is skipped, with why, when this is not root or the
// hierarchy is not writable.
func NewCgroup(t testing.TB, quota, period, memory int64) *Cgroup {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("creating a cgroup needs root")
	}
	name := fmt.Sprintf("gocompat-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	cg := &Cgroup{CPUQuota: quota, CPUPeriod: period, Memory: memory}
	var st unix.Statfs_t
	if err := unix.Statfs("/sys/fs/cgroup", &st); err != nil {
		t.Skipf("no /sys/fs/cgroup: %v", err)
	}
	write := func(p, v string) error { return os.WriteFile(p, []byte(v), 0o644) }
	mk := func(dir string) {
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Skipf("cannot create a cgroup (read-only cgroup file system?): %v", err)
		}
		t.Cleanup(func() {
			// The processes are gone by now (Start's cleanup runs
			// first); a cgroup is removed with rmdir.
			for i := 0; i < 50; i++ {
				if err := unix.Rmdir(dir); err == nil || os.IsNotExist(err) {
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
			t.Logf("could not remove cgroup %s", dir)
		})
		cg.Dirs = append(cg.Dirs, dir)
	}
	if st.Type == unix.CGROUP2_SUPER_MAGIC {
		cg.Version = 2
		ctl, _ := os.ReadFile("/sys/fs/cgroup/cgroup.subtree_control")
		if !strings.Contains(string(ctl), "cpu") || !strings.Contains(string(ctl), "memory") {
			if err := write("/sys/fs/cgroup/cgroup.subtree_control", "+cpu +memory"); err != nil {
				t.Skipf("cannot enable the cpu and memory controllers on cgroup v2: %v", err)
			}
		}
		dir := filepath.Join("/sys/fs/cgroup", name)
		mk(dir)
		if err := write(filepath.Join(dir, "cpu.max"), fmt.Sprintf("%d %d", quota, period)); err != nil {
			t.Skipf("cannot set cpu.max: %v", err)
		}
		if err := write(filepath.Join(dir, "memory.max"), fmt.Sprint(memory)); err != nil {
			t.Skipf("cannot set memory.max: %v", err)
		}
		return cg
	}
	cpuDir, memDir := "/sys/fs/cgroup/cpu", "/sys/fs/cgroup/memory"
	for _, d := range []string{cpuDir, memDir} {
		var s unix.Statfs_t
		if err := unix.Statfs(d, &s); err != nil || s.Type != unix.CGROUP_SUPER_MAGIC {
			t.Skipf("neither cgroup v2 at /sys/fs/cgroup nor cgroup v1 at %s", d)
		}
	}
	cg.Version = 1
	mk(filepath.Join(cpuDir, name))
	mk(filepath.Join(memDir, name))
	if err := write(filepath.Join(cpuDir, name, "cpu.cfs_period_us"), fmt.Sprint(period)); err != nil {
		t.Skipf("cannot set cpu.cfs_period_us: %v", err)
	}
	if err := write(filepath.Join(cpuDir, name, "cpu.cfs_quota_us"), fmt.Sprint(quota)); err != nil {
		t.Skipf("cannot set cpu.cfs_quota_us: %v", err)
	}
	if err := write(filepath.Join(memDir, name, "memory.limit_in_bytes"), fmt.Sprint(memory)); err != nil {
		t.Skipf("cannot set memory.limit_in_bytes: %v", err)
	}
	return cg
}

// Waiter is a program built for tests that prints "ready" and then waits
// for its standard input to close.
const Waiter = `package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
}
`

// Child is a running test program.
type Child struct {
	Cmd   *exec.Cmd
	stdin io.WriteCloser
}

// PID is the child's process ID.
func (c *Child) PID() int { return c.Cmd.Process.Pid }

// Start runs bin (a Waiter) with env added to a minimal environment, in
// the cgroup when cg is not nil, and returns once it printed "ready". The
// child is stopped (stdin closed, then killed) when the test ends.
func Start(t testing.TB, cg *Cgroup, bin string, env ...string) *Child {
	t.Helper()
	var cmd *exec.Cmd
	if cg != nil {
		// Enter the cgroup before exec, so the Go program starts in it.
		script := ""
		for _, d := range cg.Dirs {
			script += fmt.Sprintf("echo $$ > %s/cgroup.procs && ", d)
		}
		cmd = exec.Command("/bin/sh", "-c", script+`exec "$0"`, bin)
	} else {
		cmd = exec.Command(bin)
	}
	cmd.Env = append([]string{"PATH=/usr/bin:/bin", "HOME=/"}, env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	c := &Child{Cmd: cmd, stdin: stdin}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		t.Fatalf("%s did not start: %q %v", bin, line, err)
	}
	return c
}

// Alive reports whether process pid exists and is not a zombie, from
// /proc/PID/stat (pid (comm) S …: the state follows the last ')').
func Alive(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] != 'Z'
}
