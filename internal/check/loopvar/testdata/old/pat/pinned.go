//go:build go1.20

package pat

// A build line below go1.21 still means go1.21, and raising the module's
// go line does not change this file.
func Pinned(xs []int) []*int {
	var ps []*int
	for _, v := range xs { // want `loop variable v has its address taken \(&v\), appended to a slice, so it outlives the iteration; this file is at go1.21 \(from its //go:build go1.20 line`
		ps = append(ps, &v)
	}
	return ps
}
