package facts

import "strings"

// SrcGOAMD64 cites the x86-64 micro-architecture levels Go checks at start.
var SrcGOAMD64 = Source{Title: "GOAMD64 levels (Go 1.18 release notes; feature bits in runtime/asm_amd64.s)", URL: "https://go.dev/wiki/MinimumRequirements#amd64"}

// AMD64Level is one x86-64 micro-architecture level and the /proc/cpuinfo
// flags a CPU must show for a GOAMD64=Level binary to start. The flags are
// the Linux names of the CPUID bits runtime/asm_amd64.s tests: pni is
// SSE3, abm is LZCNT; the kernel lists avx only when the OS saves the YMM
// state (OSXSAVE has no cpuinfo name, xsave stands for it).
type AMD64Level struct {
	Level string
	// Flags are the flags this level adds to the one before.
	Flags []string
}

// AMD64Levels lists v1 to v4 in order.
var AMD64Levels = []AMD64Level{
	{Level: "v1", Flags: []string{"lm", "cmov", "cx8", "fpu", "fxsr", "mmx", "syscall", "sse2"}},
	{Level: "v2", Flags: []string{"pni", "ssse3", "cx16", "sse4_1", "sse4_2", "popcnt", "lahf_lm"}},
	{Level: "v3", Flags: []string{"fma", "movbe", "xsave", "avx", "f16c", "abm", "bmi1", "avx2", "bmi2"}},
	{Level: "v4", Flags: []string{"avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"}},
}

// AMD64LevelOf returns the highest level whose flags (and those of every
// lower level) are all in flags, and the flags missing for the next level.
// It returns "" when even v1 is incomplete (not an x86-64 CPU).
func AMD64LevelOf(flags []string) (level string, missingForNext []string) {
	have := map[string]bool{}
	for _, f := range flags {
		have[strings.ToLower(f)] = true
	}
	for _, l := range AMD64Levels {
		var missing []string
		for _, f := range l.Flags {
			if !have[f] {
				missing = append(missing, f)
			}
		}
		if len(missing) > 0 {
			return level, missing
		}
		level = l.Level
	}
	return level, nil
}

// CompareAMD64Level orders "v1".."v4"; unknown strings sort first.
func CompareAMD64Level(a, b string) int {
	rank := func(s string) int {
		for i, l := range AMD64Levels {
			if l.Level == s {
				return i + 1
			}
		}
		return 0
	}
	return rank(a) - rank(b)
}
