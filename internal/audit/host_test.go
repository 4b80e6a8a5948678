package audit

import (
	"os"
	"path/filepath"
	"testing"
)

// fakeRoot is a root filesystem whose running kernel is release.
func fakeRoot(t *testing.T, release string) string {
	t.Helper()
	root := t.TempDir()
	p := filepath.Join(root, "proc/sys/kernel/osrelease")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(release+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// TestHostProbedOnce: the host and binary steps of one audit share one
// reading of the host, whether the caller resolved it as a target or not.
func TestHostProbedOnce(t *testing.T) {
	root := fakeRoot(t, "6.1.0-18-amd64")
	tg := &Target{HostRoot: root}
	first, err := tg.Host()
	if err != nil {
		t.Fatal(err)
	}
	if first.Kernel != "6.1.0-18-amd64" || first.Host == nil {
		t.Fatalf("host = %+v", first)
	}
	again, err := tg.Host()
	if err != nil {
		t.Fatal(err)
	}
	if again.Host != first.Host {
		t.Error("the host was probed a second time")
	}

	// A host the caller resolved from --target is the one used.
	plats, err := ResolveTargets(nil, root, root)
	if err != nil {
		t.Fatal(err)
	}
	tg = &Target{HostRoot: root, Targets: plats}
	got, err := tg.Host()
	if err != nil {
		t.Fatal(err)
	}
	if got.Host != plats[0].Host {
		t.Error("the host resolved as a target was probed again")
	}

	// ... but not when it was read under another root.
	tg.HostRoot = fakeRoot(t, "5.10.0-28-amd64")
	got, err = tg.Host()
	if err != nil {
		t.Fatal(err)
	}
	if got.Kernel != "5.10.0-28-amd64" {
		t.Errorf("kernel = %q, want the one under HostRoot", got.Kernel)
	}

	tg = &Target{HostRoot: filepath.Join(root, "missing")}
	if _, err := tg.Host(); err == nil {
		t.Error("no error for a missing root")
	}
}
