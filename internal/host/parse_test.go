package host

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestParseOSRelease(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string]string
		wantErr  bool
	}{
		{"debian", "PRETTY_NAME=\"Debian GNU/Linux 11 (bullseye)\"\nID=debian\nVERSION_ID=\"11\"\n", map[string]string{"PRETTY_NAME": "Debian GNU/Linux 11 (bullseye)", "ID": "debian", "VERSION_ID": "11"}, false},
		{"single quotes and comments", "# c\nID='alpine'\n\nNAME=\"A \\\"q\\\"\"\n", map[string]string{"ID": "alpine", "NAME": `A "q"`}, false},
		{"malformed", "ID=debian\nnonsense\n", map[string]string{"ID": "debian"}, true},
		{"empty", "", map[string]string{}, false},
	}
	for _, tt := range tests {
		got, err := ParseOSRelease([]byte(tt.in))
		if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %v, %v; want %v, err %v", tt.name, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseCPUFlags(t *testing.T) {
	x86 := "processor\t: 0\nmodel name\t: X\nflags\t\t: fpu sse2 avx2\n\nprocessor\t: 1\nflags\t\t: other\n"
	if got := ParseCPUFlags([]byte(x86)); !reflect.DeepEqual(got, []string{"fpu", "sse2", "avx2"}) {
		t.Errorf("x86: %v", got)
	}
	arm := "processor\t: 0\nFeatures\t: fp asimd evtstrm\n"
	if got := ParseCPUFlags([]byte(arm)); !reflect.DeepEqual(got, []string{"fp", "asimd", "evtstrm"}) {
		t.Errorf("arm64: %v", got)
	}
	if got := ParseCPUFlags(nil); got != nil {
		t.Errorf("empty: %v", got)
	}
}

func TestParseKernelConfig(t *testing.T) {
	plain := "#\n# Automatically generated\nCONFIG_FUTEX=y\n# CONFIG_EPOLL is not set\nCONFIG_LOCALVERSION=\"-x\"\n"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(plain))
	zw.Close()
	for name, in := range map[string][]byte{"plain": []byte(plain), "gzip": gz.Bytes()} {
		got, err := ParseKernelConfig(bytes.NewReader(in))
		want := map[string]string{"CONFIG_FUTEX": "y", "CONFIG_EPOLL": "n", "CONFIG_LOCALVERSION": "-x"}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, %v", name, got, err)
		}
	}
	if _, err := ParseKernelConfig(strings.NewReader("garbage line\n")); err == nil {
		t.Error("malformed config: no error")
	}
	if _, err := ParseKernelConfig(bytes.NewReader([]byte{0x1f, 0x8b, 1, 2})); err == nil {
		t.Error("broken gzip: no error")
	}
}

func TestParseSeccomp(t *testing.T) {
	tests := []struct {
		in      string
		mode    int
		ok, err bool
	}{
		{"Name:\tx\nSeccomp:\t2\nSeccomp_filters:\t1\n", 2, true, false},
		{"Seccomp:\t0\n", 0, true, false},
		{"Name:\tx\n", 0, false, false},
		{"Seccomp:\tx\n", 0, false, true},
		{"Seccomp:\t7\n", 0, false, true},
	}
	for _, tt := range tests {
		m, ok, err := ParseSeccomp([]byte(tt.in))
		if m != tt.mode || ok != tt.ok || (err != nil) != tt.err {
			t.Errorf("%q: %d %v %v", tt.in, m, ok, err)
		}
	}
}

func TestParseSmall(t *testing.T) {
	if v, err := ParseInt([]byte("65530\n")); v != 65530 || err != nil {
		t.Errorf("ParseInt: %d %v", v, err)
	}
	if _, err := ParseInt([]byte("x")); err == nil {
		t.Error("ParseInt(x): no error")
	}
	if v, err := ParseBracketChoice([]byte("always [madvise] never\n")); v != "madvise" || err != nil {
		t.Errorf("THP: %q %v", v, err)
	}
	if _, err := ParseBracketChoice([]byte("always madvise")); err == nil {
		t.Error("THP without selection: no error")
	}
	q, p, err := ParseCPUMax([]byte("150000 100000\n"))
	if q != 150000 || p != 100000 || err != nil {
		t.Errorf("cpu.max: %d %d %v", q, p, err)
	}
	if _, _, err := ParseCPUMax([]byte("max 100000")); !errors.Is(err, ErrUnlimited) {
		t.Errorf("cpu.max max: %v", err)
	}
	if _, _, err := ParseCPUMax([]byte("1 2 3")); err == nil || errors.Is(err, ErrUnlimited) {
		t.Errorf("cpu.max malformed: %v", err)
	}
	for in, want := range map[string]int64{"536870912\n": 536870912, "max\n": -1, "9223372036854771712\n": -1, "18446744073709551615": -1} {
		v, err := ParseMemoryLimit([]byte(in))
		if v != want || (want == -1) != errors.Is(err, ErrUnlimited) {
			t.Errorf("memory %q: %d %v", in, v, err)
		}
	}
	if _, err := ParseMemoryLimit([]byte("lots")); err == nil || errors.Is(err, ErrUnlimited) {
		t.Errorf("memory malformed: %v", err)
	}
}

func TestParseCgroupAndMountinfo(t *testing.T) {
	cg, err := ParseProcCgroup([]byte("4:memory:/a/b\n1:cpu,cpuacct:/c\n0::/d\n"))
	want := []CgroupLine{{4, []string{"memory"}, "/a/b"}, {1, []string{"cpu", "cpuacct"}, "/c"}, {0, nil, "/d"}}
	if err != nil || !reflect.DeepEqual(cg, want) {
		t.Errorf("cgroup: %+v %v", cg, err)
	}
	if _, err := ParseProcCgroup([]byte("nonsense\n")); err == nil {
		t.Error("cgroup malformed: no error")
	}
	mi := "30 25 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n" +
		"31 25 0:27 /x /mnt/with\\040space rw - cgroup cgroup rw,cpu,cpuacct\n"
	ms, err := ParseMountinfo([]byte(mi))
	wantM := []Mount{{"/", "/sys/fs/cgroup", "cgroup2", []string{"rw", "nsdelegate"}}, {"/x", "/mnt/with space", "cgroup", []string{"rw", "cpu", "cpuacct"}}}
	if err != nil || !reflect.DeepEqual(ms, wantM) {
		t.Errorf("mountinfo: %+v %v", ms, err)
	}
	if _, err := ParseMountinfo([]byte("1 2 3\n")); err == nil {
		t.Error("mountinfo malformed: no error")
	}
}

func TestGlibcVersionSources(t *testing.T) {
	if v, ok := GlibcVersionFromName("libc-2.31.so"); v != "2.31" || !ok {
		t.Errorf("libc-2.31.so: %q %v", v, ok)
	}
	if _, ok := GlibcVersionFromName("libc.so.6"); ok {
		t.Error("libc.so.6 has no version in its name")
	}
	// The banner, straddling a chunk boundary.
	pad := bytes.Repeat([]byte{0}, 256<<10-20)
	in := append(pad, []byte("GNU C Library (Debian GLIBC 2.36-9+deb12u4) stable release version 2.36.\x00")...)
	if v, ok, err := FindGlibcBanner(bytes.NewReader(in), 1<<30); v != "2.36" || !ok || err != nil {
		t.Errorf("banner: %q %v %v", v, ok, err)
	}
	if _, ok, _ := FindGlibcBanner(bytes.NewReader(pad), 1<<30); ok {
		t.Error("banner found in zeros")
	}
	// The real libc of this machine, if it is glibc.
	for _, p := range []string{"/lib/x86_64-linux-gnu/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6", "/lib64/libc.so.6"} {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		v, ok, err := FindGlibcBanner(f, 64<<20)
		f.Close()
		if !ok || err != nil || !strings.HasPrefix(v, "2.") {
			t.Errorf("%s: banner %q %v %v", p, v, ok, err)
		}
	}
}

func TestPackageVersion(t *testing.T) {
	dpkg := "Package: libc6\nStatus: install ok installed\nVersion: 2.31-13+deb11u5\n\nPackage: musl\nVersion: 1.2.2-1\n"
	apk := "C:Q1x\nP:musl\nV:1.2.5-r0\n\nP:busybox\nV:1.36\n"
	if v, ok := PackageVersion([]byte(dpkg), "musl"); v != "1.2.2-1" || !ok || upstreamVersion(v) != "1.2.2" {
		t.Errorf("dpkg: %q %v", v, ok)
	}
	if v, ok := PackageVersion([]byte(apk), "musl"); v != "1.2.5-r0" || !ok || upstreamVersion(v) != "1.2.5" {
		t.Errorf("apk: %q %v", v, ok)
	}
	if _, ok := PackageVersion([]byte(dpkg), "nope"); ok {
		t.Error("found a missing package")
	}
}

func TestParseLdSoConf(t *testing.T) {
	dirs, incs := ParseLdSoConf([]byte("include /etc/ld.so.conf.d/*.conf\n# c\n/usr/local/lib\n/opt/a:/opt/b, /opt/c # trailing\nhwcap 1 x\n"))
	if !reflect.DeepEqual(dirs, []string{"/usr/local/lib", "/opt/a", "/opt/b", "/opt/c"}) || !reflect.DeepEqual(incs, []string{"/etc/ld.so.conf.d/*.conf"}) {
		t.Errorf("dirs %v includes %v", dirs, incs)
	}
}

// Fuzz tests: no parser may panic, whatever the bytes.

func FuzzParseOSRelease(f *testing.F) {
	f.Add([]byte("ID=debian\nVERSION_ID=\"12\"\n"))
	f.Add([]byte("X='\n\"\\"))
	f.Fuzz(func(t *testing.T, b []byte) { ParseOSRelease(b) })
}

func FuzzParseCPUFlags(f *testing.F) {
	f.Add([]byte("flags\t: fpu sse2\n"))
	f.Fuzz(func(t *testing.T, b []byte) { ParseCPUFlags(b) })
}

func FuzzParseKernelConfig(f *testing.F) {
	f.Add([]byte("CONFIG_FUTEX=y\n# CONFIG_X is not set\n"))
	f.Add([]byte{0x1f, 0x8b, 8, 0})
	f.Fuzz(func(t *testing.T, b []byte) { ParseKernelConfig(bytes.NewReader(b)) })
}

func FuzzParseSeccomp(f *testing.F) {
	f.Add([]byte("Seccomp:\t2\n"))
	f.Fuzz(func(t *testing.T, b []byte) { ParseSeccomp(b) })
}

func FuzzParseSysfsValues(f *testing.F) {
	f.Add([]byte("always [madvise] never"))
	f.Add([]byte("max 100000"))
	f.Add([]byte("9223372036854771712"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ParseInt(b)
		ParseBracketChoice(b)
		ParseCPUMax(b)
		ParseMemoryLimit(b)
	})
}

func FuzzParseProcCgroup(f *testing.F) {
	f.Add([]byte("0::/user.slice\n4:memory:/x\n"))
	f.Fuzz(func(t *testing.T, b []byte) { ParseProcCgroup(b) })
}

func FuzzParseMountinfo(f *testing.F) {
	f.Add([]byte("30 25 0:26 / /sys/fs/cgroup rw shared:4 - cgroup2 cgroup2 rw\n"))
	f.Add([]byte("1 2 3 \\04 \\ a b - c\n"))
	f.Fuzz(func(t *testing.T, b []byte) { ParseMountinfo(b) })
}

func FuzzFindGlibcBanner(f *testing.F) {
	f.Add([]byte("GNU C Library (GNU libc) stable release version 2.39."))
	f.Fuzz(func(t *testing.T, b []byte) {
		FindGlibcBanner(bytes.NewReader(b), 1<<20)
		GlibcVersionFromName(string(b))
	})
}

func FuzzPackageVersion(f *testing.F) {
	f.Add([]byte("Package: musl\nVersion: 1.2.2-1\n"), "musl")
	f.Fuzz(func(t *testing.T, b []byte, name string) {
		if v, ok := PackageVersion(b, name); ok {
			upstreamVersion(v)
		}
	})
}

func FuzzParseLdSoConf(f *testing.F) {
	f.Add([]byte("include ld.so.conf.d/*.conf\n/usr/local/lib\n"))
	f.Fuzz(func(t *testing.T, b []byte) { ParseLdSoConf(b) })
}
