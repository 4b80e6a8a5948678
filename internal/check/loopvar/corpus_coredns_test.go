package loopvar_test

import (
	"testing"

	"github.com/gocompat/gocompat/internal/check/loopvar"
)

// coredns is CoreDNS v1.10.1 (go 1.18).
var coredns = corpusProject{
	module:   "github.com/coredns/coredns@v1.10.1",
	hash:     "h1:6OyL7tcvYxeNHONj5iQlVM2GXBzAOq57L3/LUKP1DbA=",
	patterns: []string{"./plugin/bind/", "./plugin/cache/", "./plugin/dns64/", "./plugin/minimal/", "./plugin/trace/"},
	judgements: map[string]judgement{
		"plugin/bind/setup.go:76:10": {loopvar.NoChange.ID,
			"iface.Addrs() takes &iface for the call only: (*net.Interface).Addrs reads its receiver (net/interface.go), and the addresses it returns are new"},
		"plugin/cache/cache_test.go:384:9": {loopvar.MayChangeBehaviour.ID,
			"c.now = func(){… tt.futureMinutes …} is set first in every iteration, then c.ServeDNS calls c.now() at once (handler.go:28); serving stale starts go c.doPrefetch, but its Next returns 255 without writing, so the goroutine never reaches w.now() (cache.go:231): nothing changes in fact, but seeing that takes following c into ServeDNS and its goroutine, which the analyzer does not; may, as the overwritten field rule says"},
		"plugin/cache/cache_test.go:433:9": {loopvar.MayChangeBehaviour.ID,
			"c.now is set first in every iteration and c.ServeDNS calls it at once; with verifyStale the refresh is synchronous and prefetch is off, so no goroutine calls a closure of an earlier iteration: nothing changes in fact, but the analyzer does not follow c into ServeDNS; may"},
		"plugin/cache/cache_test.go:717:9": {loopvar.MayChangeBehaviour.ID,
			"c.now is set first in every iteration and c.ServeDNS calls it at once (no stale serving, prefetch off, so no goroutine): nothing changes in fact, but the analyzer does not follow c into ServeDNS; may"},
		"plugin/cache/prefech_test.go:112:11": {loopvar.MayChangeBehaviour.ID,
			"c.now is set first in every iteration; ServeDNS calls it at once, and the prefetch goroutine it starts calls it through its ResponseWriter (cache.go:231, w.now()) before it sends on fetchc, which the iteration waits for when a prefetch is expected: nothing changes in fact, but that rests on the goroutine's order and the test's expectations, beyond the analyzer; may"},
		"plugin/cache/prefech_test.go:100:9": {loopvar.NoChange.ID,
			"captured by a serial t.Run subtest (no t.Parallel), which runs before t.Run returns"},
		"plugin/dns64/dns64_test.go:61:9": {loopvar.NoChange.ID,
			"captured by a serial t.Run subtest (no t.Parallel), which runs before t.Run returns"},
		"plugin/dns64/dns64_test.go:181:11": {loopvar.NoChange.ID,
			"in a serial t.Run subtest, &tc.resp goes to d.responseShouldDNS64 (dns64.go:94), which hands it to response.Typify of another package and reads its Answer; the compiler says \"leaking param content: origResponse\": nothing keeps the pointer"},
		"plugin/dns64/dns64_test.go:495:11": {loopvar.NoChange.ID,
			"captured by a serial t.Run subtest (no t.Parallel), which runs before t.Run returns"},
		"plugin/minimal/minimal_test.go:105:9": {loopvar.MayChangeBehaviour.ID,
			"&tc.original goes into &testHandler{Response: …}, which becomes the Next of a minimalHandler whose ServeDNS is called in the iteration; minimalHandler.ServeDNS calls Next.ServeDNS through plugin.NextOrFailure, and testHandler.ServeDNS copies fields out of Response: nothing keeps it in fact, but the pointer travels inside a plugin.Handler interface value, which neither the analyzer nor the compiler's escape analysis follows; may"},
		"plugin/trace/trace_test.go:82:9": {loopvar.MayChangeBehaviour.ID,
			"in a serial t.Run subtest the closure reading tc becomes Next (a test.HandlerFunc in the plugin.Handler interface) of a trace value whose ServeDNS runs it within the subtest: nothing changes in fact, but the closure travels inside an interface value that tr.ServeDNS hands on, which the analyzer does not follow; may"},
	},
}

// TestCorpusCoreDNS judges every finding of the analyzer in the CoreDNS
// packages of the table.
func TestCorpusCoreDNS(t *testing.T) {
	t.Parallel()
	checkCorpus(t, coredns)
}
