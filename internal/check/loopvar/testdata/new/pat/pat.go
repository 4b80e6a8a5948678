// Package pat holds one function per pattern of loop-variable use. The
// module is at go 1.22: every loop variable declared in a loop header is per-iteration.
package pat

import (
	"sort"
	"sync"
)

type T struct{ n int }

func (t *T) Ptr() *T   { return t }
func (t *T) Inc()      { t.n++ }
func (t T) Val() int   { return t.n }
func (t *T) PVal() int { return t.n }

func use(p *int) int { return *p }

// 01: go func, joined after the loop.
func GoJoined(xs []int) []int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	var out []int
	for _, v := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			out = append(out, v)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// 02: deferred func literal.
func Deferred(xs []int) (out []int) {
	for _, v := range xs {
		defer func() { out = append(out, v) }()
	}
	return nil
}

// 03: closure appended to a slice, called after the loop.
func Appended(xs []int) []int {
	var fs []func() int
	for _, v := range xs {
		fs = append(fs, func() int { return v })
	}
	var out []int
	for _, f := range fs {
		out = append(out, f())
	}
	return out
}

// 04: closure called in place.
func CalledInPlace(xs []int) int {
	sum := 0
	for _, v := range xs {
		func() { sum += v }()
	}
	return sum
}

// 05: address appended.
func AddrAppended(xs []int) []*int {
	var ps []*int
	for _, v := range xs {
		ps = append(ps, &v)
	}
	return ps
}

// 06: address passed to a function that does not keep it.
func AddrUsed(xs []int) int {
	sum := 0
	for _, v := range xs {
		sum += use(&v)
	}
	return sum
}

// 07a: pointer-receiver method whose result is kept.
func PtrKept(ts []T) []*T {
	var ps []*T
	for _, t := range ts {
		ps = append(ps, t.Ptr())
	}
	return ps
}

// 07b: pointer-receiver method that does not keep its receiver.
func PtrInc(ts []T) int {
	n := 0
	for _, t := range ts {
		t.Inc()
		n += t.n
	}
	return n
}

// 08: 3-clause loop variable captured.
func ThreeClause() []int {
	var fs []func() int
	for i := 0; i < 3; i++ {
		fs = append(fs, func() int { return i })
	}
	var out []int
	for _, f := range fs {
		out = append(out, f())
	}
	return out
}

// 11: the v := v copy makes the loop per-iteration already.
func Shadowed(xs []int) []func() int {
	var fs []func() int
	for _, v := range xs {
		v := v // want `v := v is redundant`
		fs = append(fs, func() int { return v })
	}
	return fs
}

// 12: a variable declared in the body is per-iteration in every version.
func BodyVar(xs []int) []*int {
	var ps []*int
	for i := range xs {
		w := xs[i]
		ps = append(ps, &w)
	}
	return ps
}

// 13: nested loops, both variables captured.
func Nested(xs []int) []func() int {
	var fs []func() int
	for i := 0; i < 2; i++ {
		for _, v := range xs {
			fs = append(fs, func() int { return 10*i + v })
		}
	}
	return fs
}

// 14: 3-clause loop with continue to an outer label.
func ContinueOuter() []func() int {
	var fs []func() int
outer:
	for i := 0; i < 4; i++ {
		for j := 0; j < 2; j++ {
			fs = append(fs, func() int { return i })
			continue outer
		}
	}
	return fs
}

// 15: generic code.
type G[E any] struct{ fs []func() E }

func (g *G[E]) Collect(xs []E) {
	for _, v := range xs {
		g.fs = append(g.fs, func() E { return v })
	}
}

// Instantiated, so the compiler compiles the generic body.
func CollectInts(xs []int) { var g G[int]; g.Collect(xs) }

// 16a: method value of a value receiver copies t.
func MethodValue(ts []T) []func() int {
	var fs []func() int
	for _, t := range ts {
		fs = append(fs, t.Val)
	}
	return fs
}

// 16b: method value of a pointer receiver takes &t.
func PtrMethodValue(ts []T) []func() int {
	var fs []func() int
	for _, t := range ts {
		fs = append(fs, t.PVal)
	}
	return fs
}

// 17: go f(v) copies v when the statement runs.
func GoCall(xs []int, f func(int)) {
	for _, v := range xs {
		go f(v)
	}
}

// 18: a closure returned from inside the loop ends the loop.
func ReturnClosure(xs []int) func() int {
	for _, v := range xs {
		if v > 1 {
			return func() int { return v }
		}
	}
	return nil
}

// 19: a pointer kept from an earlier iteration writes the live counter.
func KeptPointer() []int {
	var out []int
	var p *int
	for i := 0; i < 5; i++ {
		if p != nil {
			*p += 10
		}
		p = &i
		out = append(out, i)
	}
	return out
}

// 20: a closure from iteration 0 increments the counter.
func ClosureIncrements() []int {
	var out []int
	var f func()
	for i := 0; i < 5; i++ {
		if f == nil {
			f = func() { i++ }
		}
		f()
		out = append(out, i)
	}
	return out
}

// A func literal passed to a function of another package that may keep it.
func Registered(xs []int, reg func(func() int)) {
	for _, v := range xs {
		reg(func() int { return v })
	}
}

// A func literal passed to sort.Slice runs during the call.
func Sorted(xss [][]int) {
	for _, xs := range xss {
		sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })
	}
}

// The address is sent on a channel.
func Sent(xs []int, c chan *int) {
	for _, v := range xs {
		c <- &v
	}
}

// The address is stored in a map.
func Stored(xs []int) map[int]*int {
	m := map[int]*int{}
	for i, v := range xs {
		m[i] = &v
	}
	return m
}

// A closure kept in a local and started with go later in the body.
func LocalThenGo(xs []int, done chan int) {
	for _, v := range xs {
		f := func() { done <- v }
		go f()
	}
}

// Array slicing takes the array's address.
func ArraySlice(as [][4]byte) [][]byte {
	var out [][]byte
	for _, a := range as {
		out = append(out, a[:])
	}
	return out
}
