// Package token makes session tokens with crypto/rand.Text, which Go 1.24
// added.
package token

import "crypto/rand"

// New returns a random token.
func New() string { return rand.Text() }
