package facts

// Sources for what host settings mean for a Go program (gocompat host).
var (
	SrcGOMAXPROCSCgroup  = Source{Title: "Go 1.25 release notes: GOMAXPROCS honours the cgroup CPU limit when the main module's go line is 1.25 or later", URL: "https://go.dev/doc/go1.25#container-aware-gomaxprocs"}
	SrcGOMEMLIMIT        = Source{Title: "runtime package: GOMEMLIMIT is a soft memory limit; unset means no limit (it never reads cgroups)", URL: "https://pkg.go.dev/runtime#hdr-Environment_Variables"}
	SrcGCGuide           = Source{Title: "A Guide to the Go Garbage Collector: memory limit and containers", URL: "https://go.dev/doc/gc-guide#Memory_limit"}
	SrcTHP               = Source{Title: "runtime/os_linux.go reads hpage_pmd_size; GODEBUG=disablethp=1 (Go 1.21.6+) turns transparent huge pages off for the heap", URL: "https://go.dev/doc/godebug#go-121"}
	SrcKernelSysctlVM    = Source{Title: "Linux kernel documentation: /proc/sys/vm (overcommit_memory, max_map_count)", URL: "https://docs.kernel.org/admin-guide/sysctl/vm.html"}
	SrcKernelSysctl      = Source{Title: "Linux kernel documentation: /proc/sys/kernel (randomize_va_space, osrelease)", URL: "https://docs.kernel.org/admin-guide/sysctl/kernel.html"}
	SrcSeccomp           = Source{Title: "proc_pid_status(5): Seccomp field (0 disabled, 1 strict, 2 filter)", URL: "https://man7.org/linux/man-pages/man5/proc_pid_status.5.html"}
	SrcDockerClone3      = Source{Title: "moby#42680: seccomp profiles before Docker 20.10.10 return EPERM for clone3, which glibc 2.34+ treats as fatal", URL: "https://github.com/moby/moby/issues/42680"}
	SrcCgroupV2          = Source{Title: "Linux kernel documentation: cgroup v2 (cpu.max, memory.max)", URL: "https://docs.kernel.org/admin-guide/cgroup-v2.html"}
	SrcKernelConfigFutex = Source{Title: "Go wiki: Linux — kernels need CONFIG_FUTEX and CONFIG_EPOLL", URL: "https://go.dev/wiki/Linux"}
)

// KernelDefaultMaxMapCount is the kernel's default vm.max_map_count
// (DEFAULT_MAX_MAP_COUNT), as SrcKernelSysctlVM states it.
const KernelDefaultMaxMapCount = 65530
