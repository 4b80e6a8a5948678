// Package lib is another package of the module: the analyzer sees only
// its export data when it analyses pat, so calls into it are "may
// change" until the compiler's escape analysis says what lib keeps.
package lib

// T has methods with pointer receivers.
type T struct{ N []int }

var kept *T

// Sum reads its receiver: t does not escape.
func (t *T) Sum() int {
	s := 0
	for _, n := range t.N {
		s += n
	}
	return s
}

// Keep stores its receiver in a package variable: t leaks.
func (t *T) Keep() { kept = t }

// Self returns its receiver: t leaks to the result.
func (t *T) Self() *T { return t }

// Len reads p: p does not escape.
func Len(p *T) int { return len(p.N) }

// Nums returns a field loaded through its receiver, as protobuf's
// generated getters do (prometheus v2.45.0
// prompb/io/prometheus/client/metrics.pb.go:113, (*LabelPair).GetName):
// "leaking param: t to result ~r0 level=1", only *t's content reaches
// the result, never t.
func (t *T) Nums() []int {
	if t != nil {
		return t.N
	}
	return nil
}
