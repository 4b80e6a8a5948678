//go:build go1.21

package pat

// A go1.21 build line keeps this file on shared loop variables although
// the module is at go 1.22.
func Pinned(xs []int) []*int {
	var ps []*int
	for _, v := range xs { // want `loop variable v has its address taken \(&v\), appended to a slice, so it outlives the iteration; this file is at go1.21 \(from its //go:build go1.21 line\), so it keeps one v shared`
		ps = append(ps, &v)
	}
	return ps
}

// A copy is not redundant in a pinned file.
func PinnedCopy(xs []int) []*int {
	var ps []*int
	for _, v := range xs {
		v := v
		ps = append(ps, &v)
	}
	return ps
}
