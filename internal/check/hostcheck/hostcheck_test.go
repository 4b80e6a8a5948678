package hostcheck

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gocompat/gocompat/docs"
	"github.com/gocompat/gocompat/internal/host"
)

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func judge(t *testing.T, files map[string]string) ([]string, *host.Info) {
	t.Helper()
	root := t.TempDir()
	write(t, root, files)
	in, err := host.NewFS(root).Probe()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range Judge("root:"+root, in) {
		ids = append(ids, f.Check)
		if f.Message == "" || f.Fix == "" {
			t.Errorf("%s: empty message or fix", f.Check)
		}
	}
	sort.Strings(ids)
	return ids, in
}

func TestEverySettingJudged(t *testing.T) {
	got, in := judge(t, map[string]string{
		"proc/sys/kernel/osrelease":                  "2.6.32-754.el6.x86_64\n",
		"boot/config-2.6.32-754.el6.x86_64":          "CONFIG_FUTEX=y\n# CONFIG_EPOLL is not set\n",
		"proc/1/status":                              "Seccomp:\t2\n",
		"proc/1/cgroup":                              "0::/pod\n",
		"proc/1/mountinfo":                           "30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		"sys/fs/cgroup/pod/cpu.max":                  "50000 100000\n",
		"sys/fs/cgroup/pod/memory.max":               "268435456\n",
		"proc/sys/kernel/randomize_va_space":         "0\n",
		"proc/sys/vm/overcommit_memory":              "2\n",
		"proc/sys/vm/max_map_count":                  "4096\n",
		"sys/kernel/mm/transparent_hugepage/enabled": "[always] madvise never\n",
		"etc/os-release":                             "this is not os-release\n",
	})
	want := []string{
		ASLROff.ID, CgroupCPULimit.ID, CgroupMemoryLimit.ID, KernelLacksFutexEpoll.ID, KernelTooOldForGo.ID,
		MaxMapCountLow.ID, OvercommitStrict.ID, ProbeError.ID, SeccompFilter.ID, THPAlways.ID,
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings %v\nwant %v", got, want)
	}
	s := Subject("root", in)
	if s.Attributes["cgroup.cpu"] != "0.5 CPUs" || s.Attributes["cgroup.memory"] != "256 MiB" || s.Attributes["libc"] != "none" {
		t.Errorf("subject attributes: %v", s.Attributes)
	}
}

func TestDefaultsAreQuiet(t *testing.T) {
	got, _ := judge(t, map[string]string{
		"proc/sys/kernel/osrelease":                  "6.1.0-18-amd64\n",
		"proc/1/status":                              "Seccomp:\t0\n",
		"proc/sys/kernel/randomize_va_space":         "2\n",
		"proc/sys/vm/overcommit_memory":              "0\n",
		"proc/sys/vm/max_map_count":                  "65530\n",
		"sys/kernel/mm/transparent_hugepage/enabled": "always [madvise] never\n",
		"proc/1/cgroup":                              "0::/\n",
		"proc/1/mountinfo":                           "30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		"sys/fs/cgroup/cpu.max":                      "max 100000\n",
		"sys/fs/cgroup/memory.max":                   "max\n",
	})
	if len(got) != 0 {
		t.Errorf("a default host: %v", got)
	}
}

func TestEveryCheckHasItsPage(t *testing.T) {
	for _, c := range Checks {
		page, ok := docs.Check(c.ID)
		if !ok {
			t.Errorf("%s: no page", c.ID)
			continue
		}
		want := "# " + c.ID + "\n\n" + c.Title + ". Default severity: " + c.Severity.String() + ".\n"
		if !strings.HasPrefix(page, want) {
			t.Errorf("%s: page does not start with\n%s", c.ID, want)
		}
	}
}
