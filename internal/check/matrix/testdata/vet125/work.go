// Package work calls WaitGroup.Add inside the goroutine it counts, which
// go vet's waitgroup check (new in Go 1.25) reports.
package work

import "sync"

// Run runs f n times concurrently and waits for them.
func Run(n int, f func()) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		go func() {
			wg.Add(1)
			defer wg.Done()
			f()
		}()
	}
	wg.Wait()
}
