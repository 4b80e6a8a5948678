package pat

// A pointer to the loop variable returned by a func literal inside the
// loop leaves the literal, not the loop: the return does not end the
// iteration. Before, both loops were "no change", though each keeps &v
// past its iteration (one shared v before Go 1.22, one v per iteration
// since).

var kept []*int

func ReturnedThroughCall(xs []int) {
	for _, v := range xs { // want `loop variable v has its address taken \(&v\), returned from the func literal at line 13, whose result the analyzer does not follow`
		f := func() *int { return &v }
		kept = append(kept, f())
	}
}

func ReturnedInPlace(xs []int) []*int {
	var out []*int
	for _, v := range xs { // want `loop variable v has its address taken \(&v\), returned from the func literal at line 21, whose result the analyzer does not follow`
		p := func() *int { return &v }()
		out = append(out, p)
	}
	return out
}

// The literal's return of a value, not an address, keeps nothing.
func ReturnedValue(xs []int) (sum int) {
	for _, v := range xs { // want `loop variable v is captured by a func literal, called in place.*no change in behaviour`
		sum += func() int { return v }()
	}
	return sum
}
