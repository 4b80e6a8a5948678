package pat

func Copy(xs []int) []func() int {
	var fs []func() int
	for _, v := range xs {
		v := v // want `v := v is redundant: this file is at go1.22 \(from the go directive in example.com/new's go.mod\), so each iteration already has its own v`
		fs = append(fs, func() int { return v })
	}
	return fs
}

func CopyBoth(m map[string]int, done chan string) {
	for k, v := range m {
		k, v := k, v // want `k, v := k, v is redundant`
		go func() { done <- k + string(rune(v)) }()
	}
}

func CopyThreeClause() []func() int {
	var fs []func() int
	for i := 0; i < 3; i++ {
		i := i // want `i := i is redundant`
		fs = append(fs, func() int { return i })
	}
	return fs
}

// The copy is incremented: removing it would change the loop counter.
func CopyThreeClauseWritten() []int {
	var out []int
	for i := 0; i < 3; i++ {
		i := i
		i++
		out = append(out, i)
	}
	return out
}

// The copy's address is taken and written through: also kept.
func CopyThreeClauseAddr() int {
	n := 0
	for i := 0; i < 3; i++ {
		i := i
		p := &i
		*p += 2
		n += i
	}
	return n
}

// A range loop's variable may be written freely: the next iteration
// assigns a fresh one.
func CopyRangeWritten(xs []int) []*int {
	var ps []*int
	for _, v := range xs {
		v := v // want `v := v is redundant`
		v++
		ps = append(ps, &v)
	}
	return ps
}

// Not a loop variable.
func Param(x int) []func() int {
	var fs []func() int
	for j := 0; j < 2; j++ {
		x := x
		fs = append(fs, func() int { return x + j })
	}
	return fs
}

// for i = … reuses one variable in every version: the copy matters.
func Assigned() []func() int {
	var fs []func() int
	var i int
	for i = 0; i < 3; i++ {
		i := i
		fs = append(fs, func() int { return i })
	}
	return fs
}

// A copy under another name is not flagged.
func Renamed(xs []int) []*int {
	var ps []*int
	for _, v := range xs {
		w := v
		ps = append(ps, &w)
	}
	return ps
}

// A copy in a nested block of the loop is redundant too.
func NestedBlock(xs []int, done chan int) {
	for _, v := range xs {
		if v > 0 {
			v := v // want `v := v is redundant`
			go func() { done <- v }()
		}
	}
}
