package upgrade

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBisectCommandOffline installs bisect the way a user's first --test
// run does, with the module proxy off: it must then come from the module
// cache, which holds golang.org/x/tools (a tool dependency of this module).
func TestBisectCommandOffline(t *testing.T) {
	cache := t.TempDir()
	a := &analysis{o: &Options{Environ: append(os.Environ(), "GOPROXY=off"), CacheDir: cache}}
	cmd, err := a.bisectCommand(context.Background())
	if err != nil {
		t.Fatalf("bisect with the proxy off: %v", err)
	}
	if cmd[0] != filepath.Join(cache, "bisect-"+BisectVersion, "bisect") {
		t.Errorf("bisect installed at %s", cmd[0])
	}
	out, _ := exec.Command(cmd[0], "-h").CombinedOutput()
	if !strings.Contains(string(out), "usage: bisect") {
		t.Errorf("%s -h: %s", cmd[0], out)
	}
	// The second call finds it.
	again, err := a.bisectCommand(context.Background())
	if err != nil || again[0] != cmd[0] {
		t.Errorf("second call: %v %v", again, err)
	}
}
