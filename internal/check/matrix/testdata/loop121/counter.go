// Package counter keeps a pointer to its loop variable across iterations,
// which only works while all iterations share one variable (Go < 1.22).
package counter

// Steps counts up to n, but lets a step skip ahead through a pointer to
// the loop variable kept from the first iteration.
func Steps(n int) []int {
	var first *int
	var seen []int
	for i := 0; i < n; i++ {
		if first == nil {
			first = &i
		}
		seen = append(seen, i)
		if i == 1 {
			*first += 2 // skips two steps only if first is this iteration's i
		}
	}
	return seen
}

// Harmless captures its loop variable in a closure that runs at once: the
// compiler gives it a per-iteration copy, but the result is the same.
func Harmless(xs []int) int {
	sum := 0
	for _, x := range xs {
		func() { sum += x }()
	}
	return sum
}
