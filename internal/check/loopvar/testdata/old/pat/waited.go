// Goroutines that the same iteration waits for (issue 11, class 2): no
// goroutine outlives the iteration, so none sees a later value.
package pat

import (
	"fmt"
	"sync"
)

// IngestScrapes is prometheus v2.45.0 cmd/promtool/tsdb.go:155: the
// goroutines started in the inner loop read i, and wg.Wait() ends the
// outer iteration before i += 100 runs.
func IngestScrapes(lbls []string, scrapeCount int) uint64 {
	var mu sync.Mutex
	var total uint64
	for i := 0; i < scrapeCount; i += 100 { // want `loop variable i is captured by a func literal, started with go, and the iteration waits for it \(wg.Wait\(\)\).*no change`
		var wg sync.WaitGroup
		lbls := lbls
		for len(lbls) > 0 {
			batch := lbls[:1]
			lbls = lbls[1:]
			wg.Add(1)
			go func() {
				n := uint64(len(batch) * i)
				mu.Lock()
				total += n
				mu.Unlock()
				wg.Done()
			}()
		}
		wg.Wait()
	}
	return total
}

// DeferDone has the shape of prometheus v2.45.0 tsdb/compact_test.go:1479
// without the t.Run around it: defer wg.Done() in the goroutine, then
// wg.Wait() in the iteration.
func DeferDone(cases []struct{ n int }) int {
	sum := 0
	for _, c := range cases { // want `loop variable c is captured by a func literal, started with go, and the iteration waits for it \(wg.Wait\(\)\).*no change`
		var wg sync.WaitGroup
		var got int
		wg.Add(1)
		go func() {
			defer wg.Done()
			got = c.n
		}()
		wg.Wait()
		sum += got
	}
	return sum
}

// ContinueBeforeWait can skip the wait: a goroutine may still run when
// the next iteration starts.
func ContinueBeforeWait(xs []int) {
	for _, x := range xs { // want `loop variable x is captured by a func literal, started with go, so the goroutine may run after the loop moved on.*latent bug`
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			fmt.Println(x)
		}()
		if x > 2 {
			continue
		}
		wg.Wait()
	}
}

// OtherWaitGroup waits for a group the goroutine does not belong to.
func OtherWaitGroup(xs []int) {
	var all sync.WaitGroup
	for _, x := range xs { // want `loop variable x is captured by a func literal, started with go, so the goroutine may run after the loop moved on.*latent bug`
		var wg sync.WaitGroup
		all.Add(1)
		go func() {
			defer all.Done()
			fmt.Println(x)
		}()
		wg.Wait()
	}
	all.Wait()
}

// ConditionalDone may return before Done: only a deferred Done or one
// that ends the goroutine counts.
func ConditionalDone(xs []int) {
	for _, x := range xs { // want `loop variable x is captured by a func literal, started with go, so the goroutine may run after the loop moved on.*latent bug`
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			if x > 0 {
				wg.Done()
			}
			fmt.Println(x)
		}()
		wg.Wait()
	}
}

// InnerContinue: the continue after the go statement targets the inner
// loop, which stays before wg.Wait() in the same iteration.
func InnerContinue(xs []int, n int) {
	for _, x := range xs { // want `loop variable x is captured by a func literal, started with go, and the iteration waits for it \(wg.Wait\(\)\).*no change`
		var wg sync.WaitGroup
		for j := 0; j < n; j++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				fmt.Println(x)
			}()
			if j%2 == 0 {
				continue
			}
		}
		wg.Wait()
	}
}
