package host

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// The parsers below take bytes or a reader and never the machine, so they
// are table-tested and fuzzed. None of them judges what it reads.

// ParseOSRelease parses os-release(5): KEY=value lines, values optionally
// quoted with shell quoting rules reduced to what the format allows.
func ParseOSRelease(b []byte) (map[string]string, error) {
	out := map[string]string{}
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			return out, fmt.Errorf("line %d: %q is not KEY=value", n+1, line)
		}
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			q := v[0]
			v = v[1 : len(v)-1]
			if q == '"' {
				r := strings.NewReplacer(`\"`, `"`, `\\`, `\`, `\$`, `$`, "\\`", "`")
				v = r.Replace(v)
			}
		}
		out[k] = v
	}
	return out, nil
}

// ParseCPUFlags returns the flags of the first processor in /proc/cpuinfo
// ("flags" on x86, "Features" on arm64).
func ParseCPUFlags(b []byte) []string {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		k = strings.TrimSpace(k)
		if k == "flags" || k == "Features" {
			return strings.Fields(v)
		}
	}
	return nil
}

// ParseKernelConfig reads a kernel .config (CONFIG_X=y lines; "# CONFIG_X
// is not set" is recorded as "n"). Gzip input (/proc/config.gz) is
// recognised by its magic.
func ParseKernelConfig(r io.Reader) (map[string]string, error) {
	br := bufio.NewReader(r)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %v", err)
		}
		defer zr.Close()
		br = bufio.NewReader(io.LimitReader(zr, 64<<20))
	}
	out := map[string]string{}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			if name, ok := strings.CutSuffix(strings.TrimSpace(line[1:]), " is not set"); ok && strings.HasPrefix(name, "CONFIG_") {
				out[name] = "n"
			}
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || !strings.HasPrefix(k, "CONFIG_") {
			return out, fmt.Errorf("line %d: %q is not CONFIG_X=value", n, line)
		}
		out[k] = strings.Trim(v, `"`)
	}
	if err := sc.Err(); err != nil {
		return out, err
	}
	return out, nil
}

// ParseSeccomp reads the Seccomp field of /proc/<pid>/status: 0 disabled,
// 1 strict, 2 filter. ok is false when the field is absent (kernels
// without CONFIG_SECCOMP).
func ParseSeccomp(b []byte) (mode int, ok bool, err error) {
	for _, line := range strings.Split(string(b), "\n") {
		k, v, found := strings.Cut(line, ":")
		if !found || k != "Seccomp" {
			continue
		}
		m, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || m < 0 || m > 2 {
			return 0, false, fmt.Errorf("Seccomp: %q is not 0, 1 or 2", strings.TrimSpace(v))
		}
		return m, true, nil
	}
	return 0, false, nil
}

// ParseInt reads a sysctl file holding one integer.
func ParseInt(b []byte) (int64, error) {
	s := strings.TrimSpace(string(b))
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an integer", s)
	}
	return v, nil
}

// ParseBracketChoice reads a sysfs choice file such as
// transparent_hugepage/enabled ("always [madvise] never") and returns the
// selected word.
func ParseBracketChoice(b []byte) (string, error) {
	for _, w := range strings.Fields(string(b)) {
		if len(w) > 2 && w[0] == '[' && w[len(w)-1] == ']' {
			return w[1 : len(w)-1], nil
		}
	}
	return "", fmt.Errorf("no [selected] value in %q", strings.TrimSpace(string(b)))
}

// CgroupLine is one line of /proc/<pid>/cgroup.
type CgroupLine struct {
	ID          int
	Controllers []string // empty for the cgroup v2 line "0::/path"
	Path        string
}

// ParseProcCgroup parses /proc/<pid>/cgroup.
func ParseProcCgroup(b []byte) ([]CgroupLine, error) {
	var out []CgroupLine
	for n, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			return out, fmt.Errorf("line %d: %q is not id:controllers:path", n+1, line)
		}
		id, err := strconv.Atoi(parts[0])
		if err != nil {
			return out, fmt.Errorf("line %d: hierarchy ID %q", n+1, parts[0])
		}
		l := CgroupLine{ID: id, Path: parts[2]}
		if parts[1] != "" {
			l.Controllers = strings.Split(parts[1], ",")
		}
		out = append(out, l)
	}
	return out, nil
}

// Mount is one line of /proc/<pid>/mountinfo, reduced to what cgroup
// lookups need.
type Mount struct {
	Root       string
	MountPoint string
	FSType     string
	SuperOpts  []string
}

// ParseMountinfo parses /proc/<pid>/mountinfo (proc(5)).
func ParseMountinfo(b []byte) ([]Mount, error) {
	var out []Mount
	for n, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Fields(line)
		sep := -1
		for i := 6; i < len(f); i++ {
			if f[i] == "-" {
				sep = i
				break
			}
		}
		if len(f) < 7 || sep < 0 || sep+3 > len(f) {
			return out, fmt.Errorf("line %d: %q is not a mountinfo line", n+1, line)
		}
		m := Mount{Root: unescapeOctal(f[3]), MountPoint: unescapeOctal(f[4]), FSType: f[sep+1]}
		if sep+3 < len(f) {
			m.SuperOpts = strings.Split(f[sep+3], ",")
		}
		out = append(out, m)
	}
	return out, nil
}

// unescapeOctal undoes the \040-style escapes of mountinfo paths.
func unescapeOctal(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// ErrUnlimited is returned by the limit parsers for "no limit".
var ErrUnlimited = errors.New("no limit")

// ParseCPUMax parses cgroup v2 cpu.max ("max 100000" or "50000 100000").
func ParseCPUMax(b []byte) (quota, period int64, err error) {
	f := strings.Fields(string(b))
	if len(f) == 0 || len(f) > 2 {
		return 0, 0, fmt.Errorf("cpu.max: %q is not \"quota period\"", strings.TrimSpace(string(b)))
	}
	period = 100000
	if len(f) == 2 {
		if period, err = strconv.ParseInt(f[1], 10, 64); err != nil || period <= 0 {
			return 0, 0, fmt.Errorf("cpu.max: period %q", f[1])
		}
	}
	if f[0] == "max" {
		return -1, period, ErrUnlimited
	}
	if quota, err = strconv.ParseInt(f[0], 10, 64); err != nil || quota <= 0 {
		return 0, 0, fmt.Errorf("cpu.max: quota %q", f[0])
	}
	return quota, period, nil
}

// unlimitedV1 is the smallest value cgroup v1 uses for "no memory limit"
// (PAGE_COUNTER_MAX in pages, rounded down to a page: 0x7FFFFFFFFFFFF000
// on 64-bit). Anything at or above 2^60 is treated as no limit.
const unlimitedV1 = int64(1) << 60

// ParseMemoryLimit parses cgroup v2 memory.max ("max" or bytes) and v1
// memory.limit_in_bytes (a huge number means no limit).
func ParseMemoryLimit(b []byte) (int64, error) {
	s := strings.TrimSpace(string(b))
	if s == "max" {
		return -1, ErrUnlimited
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		if u, uerr := strconv.ParseUint(s, 10, 64); uerr == nil && u > uint64(unlimitedV1) {
			return -1, ErrUnlimited
		}
		return 0, fmt.Errorf("memory limit %q is not a number", s)
	}
	if v >= unlimitedV1 {
		return -1, ErrUnlimited
	}
	if v < 0 {
		return 0, fmt.Errorf("memory limit %q is negative", s)
	}
	return v, nil
}

// glibcBanner matches the banner glibc embeds in libc.so.6 ("GNU C Library
// (Debian GLIBC 2.36-9+deb12u4) stable release version 2.36.").
var glibcBanner = regexp.MustCompile(`GNU C Library [^\x00\n]*?release version (\d+\.\d+)`)

// FindGlibcBanner scans r in bounded chunks for the glibc banner and
// returns its version. It reads at most limit bytes.
func FindGlibcBanner(r io.Reader, limit int64) (string, bool, error) {
	const chunk = 256 << 10
	const overlap = 256
	buf := make([]byte, 0, chunk+overlap)
	lr := io.LimitReader(r, limit)
	for {
		n, err := io.ReadFull(lr, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if m := glibcBanner.FindSubmatch(buf); m != nil {
			return string(m[1]), true, nil
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return "", false, nil
		}
		if err != nil {
			return "", false, err
		}
		if len(buf) > overlap {
			copy(buf, buf[len(buf)-overlap:])
			buf = buf[:overlap]
		}
	}
}

// libcFileVersion matches glibc's versioned file names ("libc-2.31.so",
// "ld-2.31.so") used up to glibc 2.33.
var libcFileVersion = regexp.MustCompile(`^(?:libc|ld)-(\d+\.\d+)\.so$`)

// GlibcVersionFromName returns the version in a glibc file name.
func GlibcVersionFromName(name string) (string, bool) {
	m := libcFileVersion.FindStringSubmatch(name)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// PackageVersion finds the version of package name in a dpkg status file
// ("Package: x" … "Version: v" stanzas) or an apk installed database
// ("P:x" … "V:v").
func PackageVersion(b []byte, name string) (string, bool) {
	var pkg string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			pkg = ""
			continue
		}
		switch {
		case strings.HasPrefix(line, "Package: "):
			pkg = strings.TrimSpace(line[len("Package: "):])
		case strings.HasPrefix(line, "P:"):
			pkg = strings.TrimSpace(line[2:])
		case strings.HasPrefix(line, "Version: ") && pkg == name:
			return strings.TrimSpace(line[len("Version: "):]), true
		case strings.HasPrefix(line, "V:") && pkg == name:
			return strings.TrimSpace(line[2:]), true
		}
	}
	return "", false
}

// upstreamVersion reduces a package version ("2.31-13+deb11u5",
// "1.2.5-r0", "1:2.3") to its upstream part.
func upstreamVersion(v string) string {
	if _, after, ok := strings.Cut(v, ":"); ok {
		v = after
	}
	if i := strings.IndexAny(v, "-+~"); i >= 0 {
		v = v[:i]
	}
	return v
}

// ParseLdSoConf parses ld.so.conf: directories, one per line or separated
// by spaces, colons or commas, "include GLOB" lines and comments. It
// returns the directories and the include patterns in order.
func ParseLdSoConf(b []byte) (dirs, includes []string) {
	for _, line := range strings.Split(string(b), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "include"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			includes = append(includes, strings.Fields(rest)...)
			continue
		}
		if strings.HasPrefix(line, "hwcap ") {
			continue
		}
		for _, d := range strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' || r == ':' || r == ',' }) {
			if strings.HasPrefix(d, "/") {
				dirs = append(dirs, d)
			}
		}
	}
	return dirs, includes
}
