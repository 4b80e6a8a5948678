package pat

// Copies of per-iteration loop variables that still matter: the copy
// and the loop variable hold different values at some point, so
// deleting the copy changes what the program does. None is reported.

// The loop variable is written after a copy in a nested block was
// captured. With the copy the goroutines send each positive element;
// without it they race with v = 0.
func NestedThenWritten(xs []int, done chan int) {
	for _, v := range xs {
		if v > 0 {
			v := v
			go func() { done <- v }()
		}
		v = 0
		_ = v
	}
}

// The loop variable is incremented after a copy in a nested block was
// captured. With the copy: 0 2 4. Without: 1 3 5.
func ThreeClauseNestedThenWritten() []func() int {
	var fs []func() int
	for i := 0; i < 5; i++ {
		{
			i := i
			fs = append(fs, func() int { return i })
		}
		i++
	}
	return fs
}

// The loop variable's address is taken after the copy's block, and
// written through.
func NestedThenAddressTaken(xs []int) []func() int {
	var fs []func() int
	for _, v := range xs {
		{
			v := v
			fs = append(fs, func() int { return v })
		}
		p := &v
		*p = 0
	}
	return fs
}

// A closure made before the copy reads the loop variable; the copy is
// then written. With the copy f returns the element; without it, the
// element plus one.
func CapturedBeforeCopyWritten(xs []int) []func() int {
	var fs []func() int
	for _, v := range xs {
		f := func() int { return v }
		v := v
		v++
		_ = v
		fs = append(fs, f)
	}
	return fs
}

// The copy in a nested block is written, and the loop variable is read
// after the block. With the copy: the element. Without: the element
// plus one.
func NestedCopyWrittenThenRead(xs []int, out chan int) {
	for _, v := range xs {
		if v > 0 {
			v := v
			v++
			_ = v
		}
		out <- v
	}
}

// The copy is written and the body jumps back before it: the read at L
// sees the loop variable again.
func CopyWrittenGotoBack(xs []int, out chan int) {
	for _, v := range xs {
		n := 0
	L:
		out <- v
		v := v
		v++
		_ = v
		if n++; n < 2 {
			goto L
		}
	}
}

// Reads of the loop variable before the copy are by value: the copy
// stays redundant although it is written.
func ReadBeforeCopyWritten(xs []int) []*int {
	var ps []*int
	for _, v := range xs {
		if v < 0 {
			continue
		}
		v := v // want `v := v is redundant`
		v++
		ps = append(ps, &v)
	}
	return ps
}
