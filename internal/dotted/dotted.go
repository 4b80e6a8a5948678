// Package dotted compares dotted numeric versions as kernels, C libraries
// and distributions write them ("2.34", "6.1.0-18-amd64"): the host probe,
// the platform matcher and the host checks share it.
package dotted

import "strings"

// Compare compares dotted numeric versions ("2.31" < "2.34",
// "6.1.0-18-amd64" > "3.2"); anything after the numeric prefix of a part is
// ignored.
func Compare(a, b string) int {
	pa, pb := versionParts(a), versionParts(b)
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y int
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

func versionParts(s string) []int {
	var out []int
	for _, p := range strings.Split(s, ".") {
		n, digits := 0, 0
		for _, r := range p {
			if r < '0' || r > '9' {
				break
			}
			if n < 1<<20 {
				n = n*10 + int(r-'0')
			}
			digits++
		}
		if digits == 0 {
			break
		}
		out = append(out, n)
		if digits != len(p) {
			break
		}
	}
	return out
}

// IsNumeric reports whether s is a dotted version of digits only
// ("2.34", not "2.34a", "PRIVATE" or "").
func IsNumeric(s string) bool {
	if s == "" {
		return false
	}
	for _, p := range strings.Split(s, ".") {
		if p == "" {
			return false
		}
		for _, r := range p {
			if r < '0' || r > '9' {
				return false
			}
		}
	}
	return true
}
