// Package binary reads what a compiled Go program says about itself: the
// build information `go version -m` prints (Go version, main module,
// dependencies, build settings) and what the ELF headers tell the kernel
// and the dynamic loader (interpreter, NEEDED libraries, symbol versions,
// machine). It reads in-process with debug/buildinfo and debug/elf, never by
// running a tool, and it does not judge: whether the binary runs somewhere
// is decided in package platform.
//
// Readers take an io.ReaderAt and read only the headers and the sections
// they need, so memory does not grow with the size of the binary. Every
// error names the file; ErrNotELF and ErrNotGo tell the two common "not a
// Go program" cases from a damaged file.
package binary

import (
	"debug/buildinfo"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/gocompat/gocompat/internal/fsread"
)

// Sentinel errors, wrapped in the error Read returns.
var (
	// ErrNotELF is returned for files that do not start with the ELF magic.
	ErrNotELF = errors.New("not an ELF file")
	// ErrNotGo is returned for ELF files without Go build information.
	ErrNotGo = errors.New("not a Go binary")
)

// Module is a module compiled into a binary.
type Module struct {
	Path    string  `json:"path"`
	Version string  `json:"version,omitempty"`
	Sum     string  `json:"sum,omitempty"`
	Replace *Module `json:"replace,omitempty"`
}

// Setting is one build setting ("CGO_ENABLED", "1").
type Setting struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// VersionNeed is one library's symbol versions a binary needs (the ELF
// .gnu.version_r section, what `readelf -V` lists under "Version needs").
type VersionNeed struct {
	Library  string   `json:"library"`
	Versions []string `json:"versions"`
}

// Info is what a Go binary tells about itself.
type Info struct {
	// File is the path the binary was read from.
	File string `json:"file"`

	// GoVersion is the toolchain that built it ("go1.26.8", possibly with
	// an experiment suffix "go1.26.8 X:nodwarf5").
	GoVersion string `json:"goVersion"`
	// Path is the main package's import path ("cmd/go").
	Path string `json:"path,omitempty"`
	// Main is the main module; its Path is empty for binaries built
	// without module information (the Go distribution's own commands).
	Main     Module    `json:"main"`
	Deps     []Module  `json:"deps,omitempty"`
	Settings []Setting `json:"settings,omitempty"`

	// Class is "ELF32" or "ELF64"; Machine is the e_machine name
	// ("EM_X86_64"); Type is the e_type name ("ET_EXEC", "ET_DYN").
	Class   string `json:"class"`
	Machine string `json:"machine"`
	Type    string `json:"type"`
	// Interpreter is the PT_INTERP path, empty for a static binary.
	Interpreter string `json:"interpreter,omitempty"`
	// Needed are the DT_NEEDED libraries, in order.
	Needed []string `json:"needed,omitempty"`
	// RunPath holds DT_RUNPATH and DT_RPATH entries.
	RunPath []string `json:"runpath,omitempty"`
	// VersionNeeds are the symbol versions needed, per library.
	VersionNeeds []VersionNeed `json:"versionNeeds,omitempty"`
}

// Static reports whether the binary needs no dynamic loader: no PT_INTERP
// and no DT_NEEDED. This is decided by the ELF, never by CGO_ENABLED (a cgo
// binary can be static, and a pure-Go PIE asks for a loader).
func (i *Info) Static() bool { return i.Interpreter == "" && len(i.Needed) == 0 }

// Setting returns the value of build setting key.
func (i *Info) Setting(key string) (string, bool) {
	for _, s := range i.Settings {
		if s.Key == key {
			return s.Value, true
		}
	}
	return "", false
}

// GOARCH is the target architecture: the GOARCH build setting, else the
// one implied by the ELF machine.
func (i *Info) GOARCH() string {
	if v, ok := i.Setting("GOARCH"); ok && v != "" {
		return v
	}
	return ArchOfMachine(i.Machine)
}

// ArchOfMachine maps an ELF e_machine name and class to GOARCH, or "".
func ArchOfMachine(machine string) string {
	switch machine {
	case "EM_X86_64":
		return "amd64"
	case "EM_AARCH64":
		return "arm64"
	case "EM_386":
		return "386"
	case "EM_ARM":
		return "arm"
	case "EM_RISCV":
		return "riscv64"
	case "EM_PPC64":
		return "ppc64le"
	case "EM_S390":
		return "s390x"
	case "EM_LOONGARCH":
		return "loong64"
	case "EM_MIPS":
		return "mips"
	}
	return ""
}

// maxInterp bounds the PT_INTERP string; real ones are a few dozen bytes.
const maxInterp = 4096

// ReadFile opens and reads the binary at path. FIFOs, devices and
// sockets are refused before they are opened, so a read never hangs.
func ReadFile(path string) (*Info, error) {
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file: %w", path, ErrNotELF)
	}
	f, err := fsread.Open(path) // without blocking, should it have become a pipe since the Stat
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(path, f)
}

// Read reads the binary named name from r. Errors name the file and wrap
// ErrNotELF or ErrNotGo where one applies. It never panics: a malformed
// file that trips a bug in the ELF reader is reported as damaged.
func Read(name string, r io.ReaderAt) (info *Info, err error) {
	defer func() {
		if p := recover(); p != nil {
			info, err = nil, fmt.Errorf("%s: damaged ELF file (reader failed: %v)", name, p)
		}
	}()
	var magic [4]byte
	if n, _ := r.ReadAt(magic[:], 0); n < 4 || string(magic[:]) != elf.ELFMAG {
		return nil, fmt.Errorf("%s: %w", name, ErrNotELF)
	}
	f, err := elf.NewFile(r)
	if err != nil {
		return nil, fmt.Errorf("%s: damaged or truncated ELF file: %v", name, err)
	}
	bi, err := buildinfo.Read(r)
	if err != nil {
		if strings.Contains(err.Error(), "not a Go executable") {
			return nil, fmt.Errorf("%s: %w", name, ErrNotGo)
		}
		return nil, fmt.Errorf("%s: reading Go build information: %v", name, err)
	}
	info = fromBuildInfo(bi)
	info.File = name
	if err := readELF(f, info); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return info, nil
}

func fromBuildInfo(bi *buildinfo.BuildInfo) *Info {
	info := &Info{GoVersion: bi.GoVersion, Path: bi.Path, Main: module(&bi.Main)}
	for _, d := range bi.Deps {
		info.Deps = append(info.Deps, module(d))
	}
	for _, s := range bi.Settings {
		info.Settings = append(info.Settings, Setting{Key: s.Key, Value: s.Value})
	}
	return info
}

func module(m *debug.Module) Module {
	out := Module{Path: m.Path, Version: m.Version, Sum: m.Sum}
	if m.Replace != nil {
		r := module(m.Replace)
		out.Replace = &r
	}
	return out
}

// readELF fills the loader-facing facts from the headers of f.
func readELF(f *elf.File, info *Info) error {
	info.Class = f.Class.String()
	info.Machine = f.Machine.String()
	info.Type = f.Type.String()
	for _, p := range f.Progs {
		if p.Type != elf.PT_INTERP {
			continue
		}
		if p.Filesz == 0 || p.Filesz > maxInterp {
			return fmt.Errorf("damaged ELF file: PT_INTERP of %d bytes", p.Filesz)
		}
		buf := make([]byte, p.Filesz)
		if _, err := io.ReadFull(p.Open(), buf); err != nil {
			return fmt.Errorf("damaged or truncated ELF file: reading PT_INTERP: %v", err)
		}
		info.Interpreter = strings.TrimRight(string(buf), "\x00")
		break
	}
	// Section-less (sstripped) files have no SHT_DYNAMIC to read; they
	// are reported with no NEEDED entries.
	needed, err := f.DynString(elf.DT_NEEDED)
	if err != nil {
		return fmt.Errorf("damaged ELF file: reading DT_NEEDED: %v", err)
	}
	info.Needed = needed
	for _, tag := range []elf.DynTag{elf.DT_RUNPATH, elf.DT_RPATH} {
		if v, err := f.DynString(tag); err == nil {
			for _, s := range v {
				info.RunPath = append(info.RunPath, strings.Split(s, ":")...)
			}
		}
	}
	if f.SectionByType(elf.SHT_GNU_VERNEED) == nil {
		return nil
	}
	needs, err := f.DynamicVersionNeeds()
	if err != nil {
		return fmt.Errorf("damaged ELF file: reading symbol version needs: %v", err)
	}
	for _, n := range needs {
		vn := VersionNeed{Library: n.Name}
		for _, d := range n.Needs {
			vn.Versions = append(vn.Versions, d.Dep)
		}
		info.VersionNeeds = append(info.VersionNeeds, vn)
	}
	return nil
}

// Attributes renders what `go version -m` prints, and the ELF facts, as
// flat report attributes: "go", "path", "mod", "dep:<path>",
// "build:<key>", then "elf.class", "elf.machine", "elf.type", "arch",
// "linkage", "interpreter", "needed", "runpath", "versions:<library>".
// A module is "version sum", a replaced one "version sum => path version
// sum", as go version -m lays them out.
func (i *Info) Attributes() map[string]string {
	a := map[string]string{"go": i.GoVersion}
	if i.Path != "" {
		a["path"] = i.Path
	}
	mod := func(m Module) string {
		s := strings.TrimSpace(m.Version + " " + m.Sum)
		if m.Replace != nil {
			s += " => " + strings.TrimSpace(m.Replace.Path+" "+m.Replace.Version+" "+m.Replace.Sum)
		}
		return s
	}
	if i.Main.Path != "" {
		a["mod"] = strings.TrimSpace(i.Main.Path + " " + mod(i.Main))
	}
	for _, d := range i.Deps {
		a["dep:"+d.Path] = mod(d)
	}
	for _, s := range i.Settings {
		a["build:"+s.Key] = s.Value
	}
	a["elf.class"] = i.Class
	a["elf.machine"] = i.Machine
	a["elf.type"] = i.Type
	if arch := i.GOARCH(); arch != "" {
		a["arch"] = arch
	}
	if i.Static() {
		a["linkage"] = "static"
	} else {
		a["linkage"] = "dynamic"
	}
	if i.Interpreter != "" {
		a["interpreter"] = i.Interpreter
	}
	if len(i.Needed) > 0 {
		a["needed"] = strings.Join(i.Needed, " ")
	}
	if len(i.RunPath) > 0 {
		a["runpath"] = strings.Join(i.RunPath, ":")
	}
	for _, vn := range i.VersionNeeds {
		a["versions:"+vn.Library] = strings.Join(vn.Versions, " ")
	}
	return a
}
