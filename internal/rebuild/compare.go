package rebuild

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"strings"

	gobinary "github.com/gocompat/gocompat/internal/binary"
	"github.com/gocompat/gocompat/internal/finding"
	"github.com/gocompat/gocompat/internal/fsread"
)

type addFunc func(c finding.Check, msg, fix string, details map[string]string)

// compare reads the binary and its rebuild and reports the outcome.
func compare(res *Result, info *gobinary.Info, path, out, wt string, p recipe, opt Options, add addFunc) error {
	a, err := fsread.ReadFile(path, maxCompare)
	if err != nil {
		return fmt.Errorf("rebuild %s: %v", path, err)
	}
	b, err := fsread.ReadFile(out, maxCompare)
	if err != nil {
		return fmt.Errorf("rebuild %s: reading the rebuild: %v", path, err)
	}
	details := map[string]string{"revision": p.revision, "go": p.goVersion, "command": res.Command}
	if bytes.Equal(a, b) {
		res.Identical = true
		add(Reproduced, fmt.Sprintf("Rebuilt revision %s with %s and the recorded flags: the same %d bytes.", short(p.revision), p.goVersion, len(a)), "", details)
		return nil
	}
	rinfo, err := gobinary.Read(out, bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("rebuild %s: reading the rebuild: %v", path, err)
	}
	differs := fmt.Sprintf("The rebuild of revision %s with %s differs from the binary (%d bytes, rebuilt %d bytes): ", short(p.revision), p.goVersion, len(a), len(b))
	if equalMasked(a, b) {
		add(BuildIDOnly, differs+"only the Go build ID differs, so the code and data are the same but an input to the build (such as the toolchain's own build) was not.",
			"Nothing to fix in the program; compare with the build ID masked, or rebuild with the identical toolchain binary.", details)
		return nil
	}
	n := len(res.Findings)
	settings := func(i *gobinary.Info) map[string]string {
		m := map[string]string{}
		for _, s := range i.Settings {
			m[s.Key] = s.Value
		}
		return m
	}
	os, rs := settings(info), settings(rinfo)

	if os["vcs.modified"] == "true" {
		add(SourceModified, differs+"the binary was built from a working tree with uncommitted changes, so what runs is in no commit; the rebuild is of the commit.",
			"Build releases from a clean checkout (CI does), and refuse binaries with vcs.modified=true.", details)
	}
	if os["-trimpath"] != "true" {
		msg := differs + "the binary was built without -trimpath, so it holds the absolute paths of its source files and a rebuild anywhere else differs."
		if dir := builtIn(a, b, wt); dir != "" {
			msg += fmt.Sprintf(" It was built in %s.", dir)
			details["builtIn"] = dir
		}
		add(EmbeddedPath, msg, "Build with -trimpath (go build -trimpath), so the binary does not depend on where it was built.", details)
	}
	if os["-trimpath"] == "true" && !opt.LdflagsSet {
		add(LdflagsNotRecorded, differs+"the binary was built with -trimpath, and then Go does not record -ldflags, so if it was linked with -ldflags (-X main.version=…, -s -w) the rebuild used none.",
			"Record the flags where the build runs (the release script), and pass them to the rebuild with --ldflags; or drop -trimpath's effect on them by stamping versions from VCS information instead of -X.", details)
	}
	if os["CGO_ENABLED"] == "1" && (!info.Static() || hasCgo(info)) {
		msg := differs + "the binary links C code, and neither the C compiler nor the C library it was built with is recorded; another one gives other bytes."
		if strings.Join(info.Needed, " ") != strings.Join(rinfo.Needed, " ") {
			msg += fmt.Sprintf(" The binary needs %v, the rebuild %v.", info.Needed, rinfo.Needed)
		}
		add(CgoToolchain, msg, "Build in a pinned image (the same golang:<version>-<distro> digest), or with CGO_ENABLED=0 when the program does not need cgo.", details)
	}
	var local []string
	for _, d := range info.Deps {
		if d.Replace != nil && (d.Replace.Version == "" || d.Replace.Version == "(devel)") {
			local = append(local, d.Path+" => "+d.Replace.Path)
		}
	}
	if len(local) > 0 {
		add(LocalReplace, differs+"dependencies were replaced by local directories ("+strings.Join(local, ", ")+"), whose contents at build time the binary does not record; the rebuild used what the revision has there.",
			"Replace with a module version (or commit the replaced directory into the repository) before building releases.", details)
	}
	if !hasSection(a, ".symtab") && hasSection(b, ".symtab") && !strings.Contains(os["-ldflags"], "-s") {
		add(Stripped, differs+"the binary has no symbol table but its recorded flags keep one, so it was stripped after the build (strip, objcopy, upx).",
			"Strip at link time (-ldflags=\"-s -w\", which the build information records) or compare the rebuild after the same post-processing.", details)
	}
	var diff []string
	for _, k := range sortedKeys(merge(os, rs)) {
		if os[k] != rs[k] && k != "vcs.modified" {
			diff = append(diff, fmt.Sprintf("%s: %q, rebuilt %q", k, os[k], rs[k]))
		}
	}
	if len(diff) > 0 {
		add(SettingsDiffer, differs+"the build settings differ: "+strings.Join(diff, "; ")+".",
			"Rebuild with the binary's flags (check --ldflags), or find what set the others.", details)
	}
	mods := func(i *gobinary.Info) map[string]string {
		m := map[string]string{}
		for _, d := range i.Deps {
			v := d.Version + " " + d.Sum
			if d.Replace != nil {
				v += " => " + d.Replace.Path + " " + d.Replace.Version + " " + d.Replace.Sum
			}
			m[d.Path] = v
		}
		return m
	}
	om, rm := mods(info), mods(rinfo)
	diff = nil
	for _, k := range sortedKeys(merge(om, rm)) {
		if om[k] != rm[k] {
			diff = append(diff, fmt.Sprintf("%s %s, rebuilt %s", k, orNone(om[k]), orNone(rm[k])))
		}
	}
	if len(diff) > 0 {
		add(DepsDiffer, differs+"other module versions were compiled: "+strings.Join(diff, "; ")+".",
			"Build with the module's go.mod and go.sum as committed (no -mod=mod, no go get before the build).", details)
	}
	if len(res.Findings) == n {
		add(Unexplained, differs+"the toolchain, revision, flags and module versions are the same, and no recorded cause explains it.",
			"Compare the two files with diffoscope; report a Go toolchain reproducibility bug if the inputs are really the same.", details)
	}
	return nil
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(none)"
	}
	return strings.TrimSpace(s)
}

func merge(a, b map[string]string) map[string]string {
	m := map[string]string{}
	for k, v := range a {
		m[k] = v
	}
	for k, v := range b {
		if _, ok := m[k]; !ok {
			m[k] = v
		}
	}
	return m
}

// hasCgo reports whether the binary links runtime/cgo, by its build
// information: a static cgo binary has no loader but still C code.
func hasCgo(info *gobinary.Info) bool {
	for _, s := range info.Settings {
		if strings.HasPrefix(s.Key, "CGO_") && s.Key != "CGO_ENABLED" && s.Value != "" {
			return true
		}
	}
	return false
}

func openELF(data []byte) (f *elf.File) {
	defer func() {
		if recover() != nil {
			f = nil
		}
	}()
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	return f
}

func hasSection(data []byte, name string) bool {
	f := openELF(data)
	return f != nil && f.Section(name) != nil
}

// noteDesc is the descriptor of the first note in ELF section name.
func noteDesc(data []byte, name string) []byte {
	f := openELF(data)
	if f == nil {
		return nil
	}
	s := f.Section(name)
	if s == nil || s.Size > 4096 {
		return nil
	}
	d, err := s.Data()
	if err != nil || len(d) < 12 {
		return nil
	}
	bo := f.ByteOrder
	if bo == nil {
		bo = binary.LittleEndian
	}
	namesz, descsz := int(bo.Uint32(d[0:4])), int(bo.Uint32(d[4:8]))
	off := 12 + (namesz+3)&^3
	if namesz < 0 || descsz <= 0 || off+descsz > len(d) {
		return nil
	}
	return d[off : off+descsz]
}

// equalMasked reports whether a and b are the same once each file's Go
// build ID and GNU build ID are blanked wherever they occur.
func equalMasked(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	mask := func(data []byte) []byte {
		out := bytes.Clone(data)
		for _, sec := range []string{".note.go.buildid", ".note.gnu.build-id"} {
			id := noteDesc(data, sec)
			if len(id) < 8 {
				continue
			}
			zero := make([]byte, len(id))
			out = bytes.ReplaceAll(out, id, zero)
		}
		return out
	}
	return bytes.Equal(mask(a), mask(b))
}

// builtIn finds the directory the binary was built in: the rebuild's
// file table names source files under wt; the same relative name in the
// binary's file table, NUL-terminated, tells the original directory.
func builtIn(orig, rebuilt []byte, wt string) string {
	roots := []string{wt}
	if real, err := filepath.EvalSymlinks(wt); err == nil && real != wt {
		roots = append(roots, real)
	}
	for _, root := range roots {
		prefix := []byte(root + "/")
		rest := rebuilt
		for tries := 0; tries < 50; tries++ {
			i := bytes.Index(rest, prefix)
			if i < 0 {
				break
			}
			rest = rest[i+len(prefix):]
			end := bytes.IndexByte(rest, 0)
			if end <= 0 || end > 4096 {
				continue
			}
			rel := rest[:end]
			if !bytes.HasSuffix(rel, []byte(".go")) || !printable(rel) {
				continue
			}
			needle := append(append([]byte("/"), rel...), 0)
			j := bytes.Index(orig, needle)
			if j <= 0 {
				continue
			}
			start := j
			for start > 0 && orig[start-1] >= 0x20 && orig[start-1] < 0x7f && j-start < 4096 {
				start--
			}
			if dir := string(orig[start:j]); strings.HasPrefix(dir, "/") {
				return dir
			}
		}
	}
	return ""
}

func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}
