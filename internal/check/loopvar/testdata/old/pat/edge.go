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
	for _, o := range os { // want `loop variable o has its address taken by the pointer-receiver method call o\.Bump\(\), and Bump does not keep its receiver, within the iteration.*no change in behaviour`
		o.Bump()
		n += o.n
	}
	return n
}

func Embedded(os []Outer) int {
	n := 0
	for _, o := range os { // want `loop variable o has its address taken by the pointer-receiver method call o\.Inner\.Bump\(\), and Bump does not keep its receiver, within the iteration.*no change in behaviour`
		o.Inner.Bump()
		n += o.n
	}
	return n
}

func FieldAddr(os []Outer) []*int {
	var ps []*int
	for _, o := range os { // want `loop variable o has its address taken \(&o\.n\), appended to a slice.*latent bug`
		ps = append(ps, &o.n)
	}
	return ps
}

func FieldArraySlice(os []Outer) [][]int {
	var out [][]int
	for _, o := range os { // want `loop variable o has its address taken by slicing the array \(o\.arr\[:\]\), appended to a slice.*latent bug`
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
	for _, o := range os { // want `loop variable o has its address taken by the pointer-receiver method call o\.buf\.WriteString\(\), and \(\*bytes\.Buffer\)\.WriteString does not keep its receiver, within the iteration.*no change in behaviour`
		o.buf.WriteString("x")
	}
}

func DeferLock(os []Outer) {
	for _, o := range os { // want `loop variable o has its address taken by the pointer-receiver method call o\.Lock\(\), in a defer statement, which runs when the function returns, after the loop.*latent bug`
		defer o.Lock()
	}
}

func Composite(xs []int) []struct{ p *int } {
	var out []struct{ p *int }
	for _, v := range xs { // want `loop variable v has its address taken \(&v\), appended to a slice.*latent bug`
		out = append(out, struct{ p *int }{&v})
	}
	return out
}

func PtrInMap(xs []int) map[*int]bool {
	m := map[*int]bool{}
	for _, v := range xs { // want `loop variable v has its address taken \(&v\), stored as a key of the map m.*latent bug`
		m[&v] = true
	}
	return m
}

func ArrayIndexAddr(as [][2]int) []*int {
	var out []*int
	for _, a := range as { // want `loop variable a has its address taken \(&a\[…\]\), appended to a slice.*latent bug`
		out = append(out, &a[1])
	}
	return out
}

func SelectClosure(xs []int, c chan func()) {
	for _, v := range xs { // want `loop variable v is captured by a func literal, sent on a channel.*latent bug`
		select {
		case c <- func() { _ = v }:
		default:
		}
	}
}

func ClosureReturnedInNestedLoop(xs []int) func() {
	for _, v := range xs { // want `loop variable v is captured by a func literal, returned from the function, which ends the loop, within the iteration.*no change in behaviour`
		for j := 0; j < 2; j++ { // want `loop variable j is captured by a func literal, returned from the function, which ends the loop, within the iteration.*no change in behaviour`
			if j == v {
				return func() { _ = v + j }
			}
		}
	}
	return nil
}

func InterfaceConv(xs []Outer) []any {
	var out []any
	for _, o := range xs { // want `loop variable o has its address taken \(&o\), appended to a slice.*latent bug`
		out = append(out, &o)
	}
	return out
}

func Recv3(n int) []*int {
	var out []*int
	for i, j := 0, n; i < j; i, j = i+1, j-1 { // want `loop variable j has its address taken \(&j\), appended to a slice.*latent bug`
		out = append(out, &j)
	}
	return out
}
