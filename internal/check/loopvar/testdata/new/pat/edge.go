// Edge cases of address-taking and capture, each checked against the compiler.
package pat

import (
	"bytes"
	"fmt"
)

type Inner struct{ n int }

func (i *Inner) Bump()   { i.n++ }
func (i Inner) Get() int { return i.n }

type Outer struct {
	Inner
	arr [4]int
	buf bytes.Buffer
}

func (o *Outer) Lock() { o.buf.Reset() }

func DeferPrint(xs []int) {
	for _, v := range xs {
		defer fmt.Println(v)
	}
}

func GoPrint(xs []int) {
	for _, v := range xs {
		go fmt.Println(v)
	}
}

func DeferValueMethod(os []Outer) {
	for _, o := range os {
		defer o.Get()
	}
}

func Promoted(os []Outer) int {
	n := 0
	for _, o := range os {
		o.Bump()
		n += o.n
	}
	return n
}

func Embedded(os []Outer) int {
	n := 0
	for _, o := range os {
		o.Inner.Bump()
		n += o.n
	}
	return n
}

func FieldAddr(os []Outer) []*int {
	var ps []*int
	for _, o := range os {
		ps = append(ps, &o.n)
	}
	return ps
}

func FieldArraySlice(os []Outer) [][]int {
	var out [][]int
	for _, o := range os {
		out = append(out, o.arr[:2])
	}
	return out
}

func ValueMethodValue(os []Outer) []func() int {
	var fs []func() int
	for _, o := range os {
		fs = append(fs, o.Get)
	}
	return fs
}

func BufferField(os []Outer) {
	for _, o := range os {
		o.buf.WriteString("x")
	}
}

func DeferLock(os []Outer) {
	for _, o := range os {
		defer o.Lock()
	}
}

func Composite(xs []int) []struct{ p *int } {
	var out []struct{ p *int }
	for _, v := range xs {
		out = append(out, struct{ p *int }{&v})
	}
	return out
}

func PtrInMap(xs []int) map[*int]bool {
	m := map[*int]bool{}
	for _, v := range xs {
		m[&v] = true
	}
	return m
}

func ArrayIndexAddr(as [][2]int) []*int {
	var out []*int
	for _, a := range as {
		out = append(out, &a[1])
	}
	return out
}

func SelectClosure(xs []int, c chan func()) {
	for _, v := range xs {
		select {
		case c <- func() { _ = v }:
		default:
		}
	}
}

func ClosureReturnedInNestedLoop(xs []int) func() {
	for _, v := range xs {
		for j := 0; j < 2; j++ {
			if j == v {
				return func() { _ = v + j }
			}
		}
	}
	return nil
}

func InterfaceConv(xs []Outer) []any {
	var out []any
	for _, o := range xs {
		out = append(out, &o)
	}
	return out
}

func Recv3(n int) []*int {
	var out []*int
	for i, j := 0, n; i < j; i, j = i+1, j-1 {
		out = append(out, &j)
	}
	return out
}
