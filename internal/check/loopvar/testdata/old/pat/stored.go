// A pointer to the loop variable stored in a variable declared outside
// the loop (issue 11, class 1): it changes behaviour only if the
// variable is read after the iteration.
package pat

// cpusFlag stands for node_exporter's perfCPUsFlag, a package variable
// read by the constructor (collector/perf_linux.go:264).
var cpusFlag *string

func newCollector() string {
	if cpusFlag != nil {
		return *cpusFlag
	}
	return ""
}

// LocalReadInIteration stores &v in cur and reads it only after the
// store, within the iteration.
func LocalReadInIteration(xs []string) int {
	var cur *string
	n := 0
	for _, v := range xs { // want `loop variable v has its address taken \(&v\), assigned to cur, declared outside the loop but read only after this assignment within the iteration, where it is dereferenced in place.*no change`
		cur = &v
		n += len(*cur)
	}
	return n
}

// LocalReadAfterLoop reads the pointer after the loop.
func LocalReadAfterLoop(xs []string) string {
	var last *string
	for _, v := range xs { // want `loop variable v has its address taken \(&v\), assigned to last, declared outside the loop, so it outlives the iteration.*latent bug`
		last = &v
	}
	return *last
}

// LocalReadBeforeStore reads the previous iteration's pointer.
func LocalReadBeforeStore(xs []string) int {
	var prev *string
	n := 0
	for _, v := range xs { // want `loop variable v has its address taken \(&v\), assigned to prev, declared outside the loop, so it outlives the iteration.*latent bug`
		if prev != nil {
			n += len(*prev)
		}
		prev = &v
	}
	return n
}
