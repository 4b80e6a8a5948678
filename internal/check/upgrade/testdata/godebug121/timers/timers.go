// Package timers polls a timer channel the way code written before Go
// 1.23 could: by its length, which is 1 once a buffered timer has fired.
package timers

import "time"

// Fired reports whether a timer of d has fired after waiting twice as
// long, by looking at the channel's length instead of receiving.
func Fired(d time.Duration) bool {
	t := time.NewTimer(d)
	time.Sleep(2 * d)
	return len(t.C) == 1
}
