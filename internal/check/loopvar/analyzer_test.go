package loopvar_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/gocompat/gocompat/internal/check/loopvar"
	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
)

func TestNewModule(t *testing.T) {
	t.Parallel()
	analysistest.RunWithSuggestedFixes(t, filepath.Join(analysistest.TestData(), "new"), loopvar.Analyzer, "./...")
}

// TestOldModule checks the go 1.21 module: messages against the want
// comments, fixes against the golden files, and here the check ID,
// severity and direction of every finding.
func TestOldModule(t *testing.T) {
	t.Parallel()
	results := analysistest.RunWithSuggestedFixes(t, filepath.Join(analysistest.TestData(), "old"), loopvar.Analyzer, "./...")
	got := map[string]string{}
	sources := map[string][]finding.Source{}
	for _, r := range results {
		recs, _ := r.Result.([]loopvar.Record)
		for _, rec := range recs {
			pos := r.Pass.Fset.Position(rec.Pos)
			key := fmt.Sprintf("%s:%d:%d", filepath.Base(pos.Filename), pos.Line, pos.Column)
			sources[key] = rec.Sources
			val := rec.Check + " " + rec.Severity.String()
			if d := rec.Details["direction"]; d != "" {
				val += " " + d
			}
			if len(rec.Suggested) > 0 {
				val += " +fix"
			}
			got[key] = val
		}
	}
	want := map[string]string{
		"pat.go:24:9":   "loopvar/changes-behaviour warning fixes-latent-bug +fix", // 01 go
		"pat.go:39:9":   "loopvar/changes-behaviour warning fixes-latent-bug +fix", // 02 defer
		"pat.go:48:9":   "loopvar/changes-behaviour warning fixes-latent-bug +fix", // 03 appended closure
		"pat.go:61:9":   "loopvar/no-change info",                                  // 04 called in place
		"pat.go:70:9":   "loopvar/changes-behaviour warning fixes-latent-bug +fix", // 05 &v appended
		"pat.go:79:9":   "loopvar/no-change info",                                  // 06 use(&v)
		"pat.go:88:9":   "loopvar/changes-behaviour warning fixes-latent-bug +fix", // 07a t.Ptr() kept
		"pat.go:97:9":   "loopvar/no-change info",                                  // 07b t.Inc()
		"pat.go:107:6":  "loopvar/changes-behaviour warning fixes-latent-bug +fix", // 08 3-clause
		"pat.go:140:6":  "loopvar/changes-behaviour warning fixes-latent-bug +fix", // 13 nested
		"pat.go:141:10": "loopvar/changes-behaviour warning fixes-latent-bug +fix",
		"pat.go:152:6":  "loopvar/changes-behaviour warning fixes-latent-bug +fix", // 14 continue outer
		"pat.go:165:9":  "loopvar/changes-behaviour warning fixes-latent-bug +fix", // 15 generic
		"pat.go:185:9":  "loopvar/changes-behaviour warning fixes-latent-bug +fix", // 16b method value
		"pat.go:200:9":  "loopvar/no-change info",                                  // 18 return
		"pat.go:212:6":  "loopvar/changes-behaviour error breaks-shared-use +fix",  // 19 kept &i
		"pat.go:226:6":  "loopvar/changes-behaviour error breaks-shared-use +fix",  // 20 closure i++
		"pat.go:238:9":  "loopvar/may-change-behaviour warning",                    // function value
		"pat.go:245:9":  "loopvar/no-change info",                                  // sort.Slice
		"pat.go:252:9":  "loopvar/changes-behaviour warning fixes-latent-bug +fix", // channel
		"pat.go:260:9":  "loopvar/changes-behaviour warning fixes-latent-bug +fix", // map
		"pat.go:268:9":  "loopvar/changes-behaviour warning fixes-latent-bug +fix", // local then go
		"pat.go:277:9":  "loopvar/changes-behaviour warning fixes-latent-bug +fix", // array slice
		"edge.go:42:9":  "loopvar/no-change info",                                  // promoted pointer method
		"edge.go:51:9":  "loopvar/no-change info",                                  // embedded field's pointer method
		"edge.go:60:9":  "loopvar/changes-behaviour warning fixes-latent-bug +fix", // &o.n kept
		"edge.go:68:9":  "loopvar/changes-behaviour warning fixes-latent-bug +fix", // o.arr[:2] kept
		"edge.go:83:9":  "loopvar/no-change info",                                  // (*bytes.Buffer).WriteString
		"edge.go:89:9":  "loopvar/changes-behaviour warning fixes-latent-bug +fix", // defer o.Lock()
		"edge.go:96:9":  "loopvar/changes-behaviour warning fixes-latent-bug +fix", // &v in a composite literal
		"edge.go:104:9": "loopvar/changes-behaviour warning fixes-latent-bug +fix", // &v as a map key
		"edge.go:112:9": "loopvar/changes-behaviour warning fixes-latent-bug +fix", // &a[1] of an array
		"edge.go:119:9": "loopvar/changes-behaviour warning fixes-latent-bug +fix", // closure in a select send
		"edge.go:128:9": "loopvar/no-change info",                                  // returned from a nested loop
		"edge.go:129:7": "loopvar/no-change info",
		"edge.go:140:9": "loopvar/changes-behaviour warning fixes-latent-bug +fix", // &o as any
		"edge.go:148:9": "loopvar/changes-behaviour warning fixes-latent-bug",      // two 3-clause variables, &j kept
		// Issue 11, class 4: an array loop variable sliced only to be
		// copied at once keeps nothing.
		"copies.go:10:9": "loopvar/no-change info", // append(raw, id[:]...) copies the 16 bytes; raw never holds id's address
		"copies.go:20:9": "loopvar/no-change info", // x/crypto cast5.go:208 copy(a[:], round.a[j][:]): the builtin copy keeps nothing
		"copies.go:33:9": "loopvar/no-change info", // string(id[:]) copies the bytes into a new string; the map keeps the string
		// Issue 11, class 2: goroutines the same iteration waits for.
		"waited.go:16:6":      "loopvar/no-change info",                                  // prometheus cmd/promtool/tsdb.go:155: wg.Done() ends each goroutine, wg.Wait() ends the iteration before i += 100
		"waited.go:41:9":      "loopvar/no-change info",                                  // defer wg.Done(), then wg.Wait() in the iteration
		"waited.go:58:9":      "loopvar/changes-behaviour warning fixes-latent-bug +fix", // continue before wg.Wait(): the goroutine may outlive the iteration
		"waited.go:75:9":      "loopvar/changes-behaviour warning fixes-latent-bug +fix", // waits for another WaitGroup than the goroutine's
		"waited.go:90:9":      "loopvar/changes-behaviour warning fixes-latent-bug +fix", // Done only under an if: not proven that the goroutine ends before Wait returns
		"waited.go:106:9":     "loopvar/no-change info",                                  // continue after the go statement targets the inner loop; wg.Wait() still ends the iteration
		"waited_test.go:13:9": "loopvar/no-change info",                                  // prometheus tsdb/compact_test.go:1479: serial t.Run, goroutines waited with wg.Wait() inside it
		// Issue 11, class 1: a pointer stored in a variable declared
		// outside the loop.
		"stored.go:22:9":      "loopvar/no-change info",                                  // cur = &v, read only after the store in the same iteration, never after it
		"stored.go:32:9":      "loopvar/changes-behaviour warning fixes-latent-bug +fix", // last = &v read after the loop: sees the shared v today, the last copy at go1.22
		"stored.go:42:9":      "loopvar/changes-behaviour warning fixes-latent-bug +fix", // prev read before the next store: the previous iteration's v, which today is overwritten
		"stored_test.go:16:9": "loopvar/may-change-behaviour warning",                    // node_exporter perf_linux_test.go:90: the package variable is read by other code of the package (the constructor, other tests), which the analyzer cannot order with the loop
		"fields.go:16:9":      "loopvar/may-change-behaviour warning",                    // coredns plugin/cache/cache_test.go:717: c.now is overwritten before each iteration uses c; only a goroutine or a kept copy could see the old closure
		"fields.go:28:9":      "loopvar/changes-behaviour warning fixes-latent-bug +fix", // c.serve() before the store calls the previous iteration's closure
		"fields.go:40:9":      "loopvar/changes-behaviour warning fixes-latent-bug +fix", // a goroutine that names c may call the closure after the loop moved on
		"fields.go:50:6":      "loopvar/changes-behaviour warning fixes-latent-bug +fix", // 3-clause: after the loop i is past the last iteration's value
		"stdcalls.go:17:10":   "loopvar/no-change info",                                  // coredns plugin/bind/setup.go:79 iface.Addrs(): net/interface.go's Addrs only reads its receiver (and the compiler keeps iface on the stack)
		"stdcalls.go:36:9":    "loopvar/no-change info",                                  // telegraf internal/snmp/translate.go:99: filepath.Walk calls the walk function only during the walk
		// Calls into another package of the module: the analyzer alone
		// sees only export data, so "may"; TestEscapeAnalysisRefines
		// checks what Analyze makes of them with the compiler's help.
		"crosspkg.go:11:9":    "loopvar/may-change-behaviour warning", // lib (*T).Sum: unseen here
		"crosspkg.go:19:9":    "loopvar/may-change-behaviour warning", // lib (*T).Keep: unseen here
		"crosspkg.go:27:9":    "loopvar/may-change-behaviour warning", // lib.Len(&t): unseen here
		"crosspkg.go:38:9":    "loopvar/may-change-behaviour warning", // lib (*T).Nums: unseen here
		"crosspkg.go:57:9":    "loopvar/may-change-behaviour warning", // lenOf hands &t on to lib.Len: unseen here
		"crosspkg.go:65:9":    "loopvar/may-change-behaviour warning", // keepOf hands &t on to lib's (*T).Keep: unseen here
		"pinned.go:9:9":       "loopvar/pinned-old-semantics info",
		"threeclause.go:7:6":  "loopvar/changes-behaviour warning fixes-latent-bug",      // spec example: body writes i, no copy fix
		"threeclause.go:18:6": "loopvar/changes-behaviour warning fixes-latent-bug",      // closure in post
		"threeclause.go:27:6": "loopvar/changes-behaviour warning fixes-latent-bug",      // closure in cond
		"threeclause.go:35:6": "loopvar/no-change info",                                  // cond called in place
		"threeclause.go:46:6": "loopvar/changes-behaviour error breaks-shared-use +fix",  // closure writes i later
		"threeclause.go:62:6": "loopvar/changes-behaviour error breaks-shared-use +fix",  // the same, labeled
		"pat_test.go:6:9":     "loopvar/no-change info",                                  // t.Run, serial
		"pat_test.go:12:9":    "loopvar/changes-behaviour warning fixes-latent-bug +fix", // t.Run + t.Parallel
		// Issue 11, class 3: prometheus v2.45.0
		// model/textparse/interface_test.go:37.
		"pat_test.go:24:12": "loopvar/no-change info",                                  // tt := tt before t.Parallel(): t.Run blocks until then, so the copy is taken within the iteration
		"pat_test.go:39:9":  "loopvar/changes-behaviour warning fixes-latent-bug +fix", // tc read after t.Parallel(), when the loop has moved on
		// A helper declared in a serial subtest and called there
		// (prometheus v2.45.0 tsdb/compact_test.go:1307).
		"helpers_test.go:10:9": "loopvar/no-change info",               // appendHistogram := func(…){… floatTest …} is called in place in the t.Run body
		"helpers_test.go:28:9": "loopvar/may-change-behaviour warning", // check is handed to t.Cleanup's func literal, which runs after the loop
		// Serial subtests run within the iteration (telegraf v1.27.0).
		"subtests_test.go:20:9": "loopvar/may-change-behaviour warning",                    // plugins/inputs/aurora/aurora_test.go:195: ts.Config.Handler is overwritten in each serial subtest before it uses ts
		"subtests_test.go:34:9": "loopvar/changes-behaviour warning fixes-latent-bug +fix", // parallel subtest: the store happens after the loop moved on
		"subtests_test.go:47:9": "loopvar/changes-behaviour warning fixes-latent-bug +fix", // the server is used after t.Run, where a subtest that stopped early left the previous handler
		"subtests_test.go:65:9": "loopvar/no-change info",                                  // plugins/outputs/prometheus_client/prometheus_client_v1_test.go:274: defer in a serial subtest runs before t.Run returns
		"subtests_test.go:76:9": "loopvar/changes-behaviour warning fixes-latent-bug +fix", // defer in a parallel subtest runs after t.Run returned
		"subtests_test.go:94:9": "loopvar/may-change-behaviour warning",                    // plugins/inputs/docker/docker_test.go:553: a field of a struct declared in the loop outlives the iteration only if the struct does
		"returned.go:12:9":      "loopvar/may-change-behaviour warning",                    // &v returned by a func literal leaves the literal, not the loop (was: no change)
		"returned.go:20:9":      "loopvar/may-change-behaviour warning",                    // the same, called in place
		"returned.go:29:9":      "loopvar/no-change info",                                  // a value returned, not an address
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: got %q, want %q", k, got[k], w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: unexpected %q", k, g)
		}
	}
	// A no-change judgement that rests on a documented fact cites it.
	for k, src := range map[string]finding.Source{
		"copies.go:10:9":    facts.SrcAppendCopy,
		"copies.go:33:9":    facts.SrcStringConversion,
		"pat_test.go:24:12": facts.SrcTestingRun,
		"waited.go:16:6":    facts.SrcWaitGroup,
	} {
		if !slices.Contains(sources[k], src) {
			t.Errorf("%s: sources %v lack %q", k, sources[k], src.Title)
		}
	}
}
