// Package sum ranges over an int, which needs Go 1.22.
package sum

// Upto returns 0+1+…+(n-1).
func Upto(n int) int {
	s := 0
	for i := range n {
		s += i
	}
	return s
}
