//go:build go1.23

package pat

import "iter"

// 09: a file at go1.23 has per-iteration variables already.
func RangeInt() []func() int {
	var fs []func() int
	for i := range 3 {
		fs = append(fs, func() int { return i })
	}
	return fs
}

// 10: range-over-func loops are per-iteration in every version.
func RangeFunc(seq iter.Seq[int]) []func() int {
	var fs []func() int
	for v := range seq {
		fs = append(fs, func() int { return v })
	}
	return fs
}
