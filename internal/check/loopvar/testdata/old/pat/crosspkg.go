// Pointer-receiver methods and functions of another package of the same
// module (issue 11, "may change": prometheus and coredns call their own
// packages' methods on range variables).
package pat

import "example.com/old/lib"

// SumAll calls lib's (*T).Sum, which keeps nothing.
func SumAll(ts []lib.T) int {
	n := 0
	for _, t := range ts { // want `loop variable t has its address taken by the pointer-receiver method call t.Sum\(\), and \(\*example.com/old/lib.T\).Sum may keep its receiver`
		n += t.Sum()
	}
	return n
}

// KeepAll calls lib's (*T).Keep, which stores its receiver.
func KeepAll(ts []lib.T) {
	for _, t := range ts { // want `loop variable t has its address taken by the pointer-receiver method call t.Keep\(\), and \(\*example.com/old/lib.T\).Keep may keep its receiver`
		t.Keep()
	}
}

// LenAll passes &t to lib.Len, which keeps nothing.
func LenAll(ts []lib.T) int {
	n := 0
	for _, t := range ts { // want `loop variable t has its address taken \(&t\), passed to example.com/old/lib.Len, which may keep it`
		n += lib.Len(&t)
	}
	return n
}

// NumsAll calls lib's (*T).Nums, a getter that returns a field of its
// receiver (prometheus v2.45.0 model/textparse/protobufparse.go:279,
// lp.GetName() on a range variable).
func NumsAll(ts []lib.T) [][]int {
	var out [][]int
	for _, t := range ts { // want `loop variable t has its address taken by the pointer-receiver method call t.Nums\(\), and \(\*example.com/old/lib.T\).Nums may keep its receiver`
		out = append(out, t.Nums())
	}
	return out
}

// lenOf hands its pointer on to lib.Len, which the analyzer does not see
// (coredns v1.10.1 plugin/dns64/dns64.go:94, responseShouldDNS64, hands
// its message to response.Typify): the compiler's escape analysis of
// this package decides.
func lenOf(p *lib.T) int { return lib.Len(p) }

// keepOf hands its pointer on to lib's (*T).Keep, which stores it.
func keepOf(p *lib.T) { p.Keep() }

// LenOfAll is coredns v1.10.1 plugin/dns64/dns64_test.go:181,
// d.responseShouldDNS64(&tc.resp).
func LenOfAll(ts []lib.T) int {
	n := 0
	for _, t := range ts { // want `loop variable t has its address taken \(&t\), passed to lenOf, which may keep it`
		n += lenOf(&t)
	}
	return n
}

// KeepOfAll passes &t to keepOf, which keeps it.
func KeepOfAll(ts []lib.T) {
	for _, t := range ts { // want `loop variable t has its address taken \(&t\), passed to keepOf, which may keep it`
		keepOf(&t)
	}
}
