package proc

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Stat is what gocompat takes from /proc/<pid>/stat (proc_pid_stat(5)).
type Stat struct {
	PID   int
	Comm  string
	State string
	PPID  int
	// Flags are the kernel's PF_* flags of the task.
	Flags uint64
	// StartTicks is the start time after boot in clock ticks; with the PID
	// it identifies one process across PID reuse.
	StartTicks uint64
}

// pfKthread is PF_KTHREAD of include/linux/sched.h: the task is a kernel
// thread, which has no executable and no environment.
const pfKthread = 0x00200000

// Kthread reports whether the task is a kernel thread.
func (s Stat) Kthread() bool { return s.Flags&pfKthread != 0 }

// ParseStat parses /proc/<pid>/stat. The command name is in parentheses
// and may itself hold spaces and parentheses, so the fields are counted
// from the last ")".
func ParseStat(b []byte) (Stat, error) {
	var s Stat
	open := bytes.IndexByte(b, '(')
	closing := bytes.LastIndexByte(b, ')')
	if open < 0 || closing < open {
		return s, errors.New("no (comm) field")
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b[:open])))
	if err != nil || pid <= 0 {
		return s, fmt.Errorf("bad pid %q", bytes.TrimSpace(b[:open]))
	}
	s.PID = pid
	s.Comm = string(b[open+1 : closing])
	f := strings.Fields(string(b[closing+1:]))
	// After comm: state(3) ppid(4) pgrp session tty_nr tpgid flags(9) …
	// starttime(22): index 0 here is field 3.
	if len(f) < 20 {
		return s, fmt.Errorf("%d fields after comm, want at least 20", len(f))
	}
	s.State = f[0]
	if s.PPID, err = strconv.Atoi(f[1]); err != nil {
		return s, fmt.Errorf("bad ppid %q", f[1])
	}
	if s.Flags, err = strconv.ParseUint(f[6], 10, 64); err != nil {
		return s, fmt.Errorf("bad flags %q", f[6])
	}
	if s.StartTicks, err = strconv.ParseUint(f[19], 10, 64); err != nil {
		return s, fmt.Errorf("bad starttime %q", f[19])
	}
	return s, nil
}

// GoEnvNames are the variables gocompat keeps from a process's
// environment: those the Go runtime reads, and those only the go command
// reads (whose presence in a running program's environment is a mistake
// worth reporting). Nothing else is kept, so a report never carries a
// secret from an environment.
var GoEnvNames = []string{
	"GOGC", "GOMEMLIMIT", "GOMAXPROCS", "GODEBUG", "GOTRACEBACK",
	"GOEXPERIMENT", "GOAMD64", "GOARM64", "GOARM", "GOFLAGS", "GOTOOLCHAIN", "CGO_ENABLED",
}

// ParseEnviron parses /proc/<pid>/environ (NUL-separated NAME=value) and
// keeps only the names in keep. Of duplicates the first wins, as in the
// Go runtime's gogetenv (runtime/env_posix.go), which returns the first
// match.
func ParseEnviron(b []byte, keep []string) map[string]string {
	out := map[string]string{}
	for len(b) > 0 {
		var kv []byte
		if i := bytes.IndexByte(b, 0); i >= 0 {
			kv, b = b[:i], b[i+1:]
		} else {
			kv, b = b, nil
		}
		k, v, ok := bytes.Cut(kv, []byte("="))
		if !ok {
			continue
		}
		name := string(k)
		for _, n := range keep {
			if n == name {
				if _, dup := out[name]; !dup {
					out[name] = string(v)
				}
				break
			}
		}
	}
	return out
}

// ParseCPUList counts the CPUs of a list such as "0-3,8,10-11" (the
// Cpus_allowed_list of /proc/<pid>/status, cpuset(7) list format).
func ParseCPUList(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty CPU list")
	}
	n := 0
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a < 0 {
			return 0, fmt.Errorf("bad CPU list %q", s)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return 0, fmt.Errorf("bad CPU list %q", s)
			}
		}
		if b-a >= 1<<16 {
			return 0, fmt.Errorf("bad CPU list %q", s)
		}
		n += b - a + 1
	}
	return n, nil
}

// StatusField returns the value of one "Name:\tvalue" line of
// /proc/<pid>/status.
func StatusField(b []byte, name string) (string, bool) {
	for _, line := range bytes.Split(b, []byte("\n")) {
		k, v, ok := bytes.Cut(line, []byte(":"))
		if ok && string(k) == name {
			return strings.TrimSpace(string(v)), true
		}
	}
	return "", false
}
