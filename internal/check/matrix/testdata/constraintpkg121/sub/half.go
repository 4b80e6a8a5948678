//go:build go1.22

// Package sub halves, for Go 1.22 and later only: its one file is
// constrained to go1.22, so Go 1.21 finds no file to build.
package sub

// Half returns n/2.
func Half(n int) int { return n / 2 }
