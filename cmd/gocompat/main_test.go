//go:build linux

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gocompat/gocompat/internal/report"
)

// TestSignalWritesPartialReport sends a real SIGINT and SIGTERM to a real
// gocompat audit while its go vet runs (an empty build cache makes go
// vet compile the standard library first, so it runs for a while): the
// process writes the JSON report of the steps that finished, with one
// audit/interrupted finding naming the others, exits 2, and leaves no go
// vet, compiler or vet tool running behind it.
func TestSignalWritesPartialReport(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	bin := filepath.Join(t.TempDir(), "gocompat")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build gocompat: %v\n%s", err, out)
	}
	mod := t.TempDir()
	write(t, filepath.Join(mod, "go.mod"), "module example.com/sig\n\ngo 1.21\n")
	write(t, filepath.Join(mod, "loop.go"), "package sig\n\nimport \"fmt\"\n\nfunc L(xs []int) {\n\tfor _, x := range xs {\n\t\tgo func() { fmt.Println(x) }()\n\t}\n}\n")
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(bin, "audit", "--format", "json", mod)
			// Every process gocompat starts inherits this GOCACHE, which
			// marks them for the check at the end.
			cache := "GOCACHE=" + t.TempDir()
			cmd.Env = append(os.Environ(), cache, "GOFLAGS=", "GOTOOLCHAIN=local")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			vet := waitForChild(t, cmd.Process.Pid, "-vettool=", done)
			// The compiler of package runtime, which takes seconds: left
			// to itself, it would outlive gocompat.
			waitForChild(t, vet, "-p\x00runtime\x00", done)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			var err error
			select {
			case err = <-done:
			case <-time.After(2 * time.Minute):
				cmd.Process.Kill()
				t.Fatalf("gocompat still runs 2 minutes after %v; stderr:\n%s", sig, stderr.String())
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 2 {
				t.Errorf("exit: %v, want status 2", err)
			}
			if !strings.Contains(stderr.String(), "interrupted") {
				t.Errorf("stderr does not say the run was interrupted:\n%s", stderr.String())
			}
			rep, derr := report.Decode(&stdout)
			if derr != nil {
				t.Fatalf("no report on stdout: %v\n%s", derr, stdout.String())
			}
			var stopped, finished []string
			for _, s := range rep.Steps {
				switch s.Status {
				case report.StepInterrupted:
					stopped = append(stopped, s.Family)
				case report.StepDone:
					finished = append(finished, s.Family)
				default:
					t.Errorf("step %s: %s", s.Family, s.Status)
				}
			}
			var fams []string
			for _, f := range rep.Findings {
				if f.Check == "audit/interrupted" {
					fams = append(fams, f.Details["families"])
				}
			}
			if len(fams) != 1 || fams[0] != strings.Join(stopped, ",") || len(finished) == 0 || !strings.Contains(fams[0], "loopvar") {
				t.Errorf("audit/interrupted findings name %q; steps stopped %v, finished %v", fams, stopped, finished)
			}
			// The go vet and everything it started are gone at once.
			deadline := time.Now().Add(250 * time.Millisecond)
			for {
				left := withEnv(cache)
				if len(left) == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Errorf("processes gocompat started still run after it exited: %v", left)
					for _, p := range left {
						syscall.Kill(p, syscall.SIGKILL)
					}
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// waitForChild waits for a child of pid whose command line (arguments
// separated by NUL bytes) holds arg, and returns its pid; it fails the
// test if gocompat ends first.
func waitForChild(t *testing.T, pid int, arg string, done <-chan error) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("gocompat ended (%v) before a child with %q started", err, arg)
		default:
		}
		ents, _ := os.ReadDir("/proc")
		for _, e := range ents {
			child, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			if _, ppid, _ := stat(child); ppid != pid {
				continue
			}
			cl, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
			if bytes.Contains(cl, []byte(arg)) {
				return child
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no child with %q started in 5 minutes", arg)
	return 0
}

// withEnv lists the live processes (not zombies) whose environment
// holds the variable kv.
func withEnv(kv string) []int {
	var out []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil || !slices.Contains(strings.Split(string(env), "\x00"), kv) {
			continue
		}
		if state, _, _ := stat(p); state != "" && state != "Z" {
			out = append(out, p)
		}
	}
	return out
}

// stat returns a process's state, parent and process group from
// /proc/PID/stat, whose second field (the command name, in parentheses)
// may hold spaces.
func stat(pid int) (state string, ppid, pgrp int) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return "", 0, 0
	}
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return "", 0, 0
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 3 {
		return "", 0, 0
	}
	ppid, _ = strconv.Atoi(f[1])
	pgrp, _ = strconv.Atoi(f[2])
	return f[0], ppid, pgrp
}
