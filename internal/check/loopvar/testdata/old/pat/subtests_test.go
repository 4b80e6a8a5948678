package pat

import "testing"

type handlerFunc func() int

type config struct{ handler handlerFunc }

type server struct{ cfg *config }

func (s *server) get() int { return s.cfg.handler() }

// TestHandlerPerSubtest is telegraf v1.27.0
// plugins/inputs/aurora/aurora_test.go:195: one server for the whole
// loop, and each serial subtest first installs a handler over the loop
// variable, then makes its requests. The handler of one iteration is
// replaced before the next one uses the server.
func TestHandlerPerSubtest(t *testing.T) {
	s := &server{cfg: &config{}}
	for _, code := range []int{200, 404} { // want `loop variable code is captured by a func literal, stored in the field s.cfg.handler, which each iteration overwrites before it uses s`
		t.Run("x", func(t *testing.T) {
			s.cfg.handler = handlerFunc(func() int { return code })
			if s.get() != code {
				t.Fail()
			}
		})
	}
}

// TestHandlerParallelSubtest: a parallel subtest sets the handler after
// the loop moved on.
func TestHandlerParallelSubtest(t *testing.T) {
	s := &server{cfg: &config{}}
	for _, code := range []int{200, 404} { // want `loop variable code is captured by a func literal, passed to \(\*testing.T\).Run as a parallel subtest.*latent bug`
		t.Run("x", func(t *testing.T) {
			t.Parallel()
			s.cfg.handler = handlerFunc(func() int { return code })
			_ = s.get()
		})
	}
}

// TestServerUsedAfterSubtest uses the server after t.Run too: a subtest
// that stopped before its store leaves the previous handler there.
func TestServerUsedAfterSubtest(t *testing.T) {
	s := &server{cfg: &config{}}
	for _, code := range []int{200, 404} { // want `loop variable code is captured by a func literal, stored in the field s.cfg.handler, so it outlives the iteration`
		t.Run("x", func(t *testing.T) {
			s.cfg.handler = handlerFunc(func() int { return code })
		})
		_ = s.get()
	}
}

type output struct{ closed []int }

func (o *output) close(n int) { o.closed = append(o.closed, n) }

// TestDeferInSerialSubtest is telegraf v1.27.0
// plugins/outputs/prometheus_client/prometheus_client_v1_test.go:274: a
// deferred call in a serial subtest runs when the subtest returns, and
// t.Run waits for that.
func TestDeferInSerialSubtest(t *testing.T) {
	o := &output{}
	for _, n := range []int{1, 2} { // want `loop variable n is captured by a func literal, passed to \(\*testing.T\).Run, which waits for the subtest.*no change`
		t.Run("x", func(t *testing.T) {
			defer func() { o.close(n) }()
		})
	}
}

// TestDeferInParallelSubtest: t.Run returns at t.Parallel(), before the
// deferred call runs.
func TestDeferInParallelSubtest(t *testing.T) {
	o := &output{}
	for _, n := range []int{1, 2} { // want `loop variable n is captured by a func literal, passed to \(\*testing.T\).Run as a parallel subtest.*latent bug`
		t.Run("x", func(t *testing.T) {
			t.Parallel()
			defer func() { o.close(n) }()
		})
	}
}

type client struct{ list func() []int }

// TestFieldOfLocalCopy is telegraf v1.27.0
// plugins/inputs/docker/docker_test.go:553: the closure goes into a field
// of a struct declared inside the loop, which outlives the iteration only
// if the struct does; here a constructor hands it to code the analyzer
// does not follow.
func TestFieldOfLocalCopy(t *testing.T) {
	base := client{}
	var kept []*client
	for _, n := range []int{1, 2} { // want `loop variable n is captured by a func literal, stored in the field c.list of c, declared inside the loop`
		newClient := func() *client {
			c := base
			c.list = func() []int { return []int{n} }
			return &c
		}
		kept = append(kept, newClient())
	}
	_ = kept
}
