// Package cache counts hits by key. Its reset is declared only in a file
// constrained to Go 1.22 and later, although the go line says 1.21.
package cache

// Cache counts hits.
type Cache struct{ hits map[string]int }

// Hit counts one hit of key.
func (c *Cache) Hit(key string) int {
	if c.hits == nil {
		c.hits = map[string]int{}
	}
	c.hits[key]++
	return c.hits[key]
}

// Reset forgets every hit.
func (c *Cache) Reset() { reset(c.hits) }
