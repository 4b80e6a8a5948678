package pat

// The spec's example: the body increments i after a closure captured it.
// Shared: 6 6 6. Per-iteration: 1 3 5.
func SpecExample() []func() int {
	var fs []func() int
	for i := 0; i < 5; i++ { // want `loop variable i is captured by a func literal, appended to a slice.*latent bug`
		fs = append(fs, func() int { return i })
		i++
	}
	return fs
}

// A closure made in the post statement sees the next iteration's copy.
// Shared: 3 3 3. Per-iteration: 1 2 3.
func InPost() []func() int {
	var fs []func() int
	for i := 0; i < 3; i, fs = i+1, append(fs, func() int { return i }) { // want `loop variable i is captured by a func literal, appended to a slice`
	}
	return fs
}

// A closure made in the condition (inside a literal called in place).
// Shared: 3 3 3 3. Per-iteration: 0 1 2 3.
func InCond() []func() int {
	var fs []func() int
	for i := 0; func() bool { fs = append(fs, func() int { return i }); return i < 3 }(); i++ { // want `loop variable i is captured by a func literal, appended to a slice`
	}
	return fs
}

// A condition that only reads i in place does not change.
func CondInPlace(n int) int {
	s := 0
	for i := 0; func() bool { return i < n }(); i++ { // want `loop variable i is captured by a func literal, called in place.*no change`
		s += i
	}
	return s
}

// A parallel subtest-like pattern without testing: the closure writes i
// and is called later, so the loop relies on sharing.
func WritesLater() int {
	var fs []func()
	n := 0
	for i := 0; i < 3; i++ { // want `loop variable i is captured by a func literal, appended to a slice.*the upgrade breaks this loop`
		fs = append(fs, func() { i += 10 })
		if len(fs) == 2 {
			fs[0]()
		}
		n++
	}
	return n
}

// The same with a label on the loop: the fix keeps the label on it, as
// gofmt places it, inside the new block.
func WritesLaterLabeled() int {
	var fs []func()
	n := 0
loop:
	for i := 0; i < 3; i++ { // want `loop variable i is captured by a func literal, appended to a slice.*the upgrade breaks this loop`
		fs = append(fs, func() { i += 10 })
		if len(fs) == 2 {
			fs[0]()
			continue loop
		}
		n++
	}
	return n
}
