//go:build go1.22

package cache

// reset empties m with the clear builtin (Go 1.21). The file is
// constrained to go1.22, and nothing declares reset for older releases,
// so Go 1.21 cannot build the package.
func reset(m map[string]int) { clear(m) }
