package pat

import "time"

// cache is coredns v1.10.1 plugin/cache's Cache: a clock in a field that
// its ServeDNS calls.
type cache struct{ now func() time.Time }

func (c *cache) serve() time.Time { return c.now() }

// StepClock is coredns v1.10.1 plugin/cache/cache_test.go:717: every
// iteration sets c.now first, then calls c.serve(), which calls it. The
// closure of one iteration is replaced before the next one uses c.
func StepClock(c *cache, offsets []time.Duration) []time.Time {
	var out []time.Time
	for _, d := range offsets { // want `loop variable d is captured by a func literal, stored in the field c.now, which each iteration overwrites before it uses c`
		c.now = func() time.Time { return time.Unix(0, 0).Add(d) }
		out = append(out, c.serve())
	}
	return out
}

// ServeThenSet calls c.serve() before it sets c.now: from the second
// iteration on it calls the previous iteration's closure, which today
// sees the new d and after the upgrade its own.
func ServeThenSet(c *cache, offsets []time.Duration) []time.Time {
	var out []time.Time
	for _, d := range offsets { // want `loop variable d is captured by a func literal, stored in the field c.now, so it outlives the iteration`
		if c.now != nil {
			out = append(out, c.serve())
		}
		c.now = func() time.Time { return time.Unix(0, 0).Add(d) }
	}
	return out
}

// SetThenGo hands c to a goroutine after the store: it may call the
// closure after the loop moved on.
func SetThenGo(c *cache, offsets []time.Duration, done chan<- time.Time) {
	for _, d := range offsets { // want `loop variable d is captured by a func literal, stored in the field c.now, so it outlives the iteration`
		c.now = func() time.Time { return time.Unix(0, 0).Add(d) }
		go func() { done <- c.serve() }()
	}
}

// SetCounter stores a closure over a 3-clause loop variable: after the
// loop i is one past the last iteration's value, so the last closure
// reads a value no iteration had.
func SetCounter(c *cache, n int) {
	for i := 0; i < n; i++ { // want `loop variable i is captured by a func literal, stored in the field c.now, so it outlives the iteration`
		c.now = func() time.Time { return time.Unix(int64(i), 0) }
		_ = c.serve()
	}
}
