package timers

import (
	"testing"
	"time"
)

func TestFired(t *testing.T) {
	if !Fired(5 * time.Millisecond) {
		t.Fatal("timer channel is empty after the timer fired")
	}
}
