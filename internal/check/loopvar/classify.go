package loopvar

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
)

// kind says whether a leak changes behaviour with per-iteration
// variables. Higher is worse.
type kind int

const (
	none kind = iota
	may
	changes
)

// verdict is what becomes of a leaked closure or pointer.
type verdict struct {
	kind  kind
	where string
	// writes: the loop variable is written through the leak, so the
	// old code may rely on one shared variable.
	writes bool
	// syncCall: a func literal called in place.
	syncCall bool
	// escape, for a "may" verdict about a function of another package
	// of the module, asks the compiler's escape analysis whether that
	// function keeps the value; ifNotKept is the leak's words if it does
	// not (see escape.go).
	escape    *escapeQuery
	ifNotKept string
	// cite are the sources of the fact the verdict rests on, if any.
	cite []finding.Source
}

// maxAliasDepth bounds how far values are followed through local
// variables.
const maxAliasDepth = 3

// classify follows the leaked expression path[k] (a func literal, &v,
// a pointer-receiver call or method value) to where it ends up.
func (p *pass) classify(lv *loopVar, path []ast.Node, k, depth int) verdict {
	w := false
	if fl, ok := path[k].(*ast.FuncLit); ok && depth == 0 {
		w = writesVar(fl.Body, lv.obj, p.TypesInfo)
	}
	var v verdict
	if call, ok := path[k].(*ast.CallExpr); ok && depth == 0 {
		v = p.methodCall(lv, path, k, call, depth)
	} else {
		v = p.context(lv, path, k, depth)
	}
	v.writes = v.writes || w
	return v
}

// methodCall classifies a pointer-receiver method call on the loop
// variable: its receiver is &v for the duration of the call.
func (p *pass) methodCall(lv *loopVar, path []ast.Node, k int, call *ast.CallExpr, depth int) verdict {
	if k >= 1 {
		switch st := path[k-1].(type) {
		case *ast.GoStmt:
			if st.Call == call {
				return verdict{kind: changes, where: "in a go statement, so the goroutine may run after the loop moved on"}
			}
		case *ast.DeferStmt:
			if st.Call == call && p.inSerialSubtest(lv, path, k-1) {
				return verdict{kind: none, where: "in a defer statement of a serial subtest (t.Run, no t.Parallel), which runs when the subtest returns, while t.Run waits", cite: []finding.Source{facts.SrcTestingRun}}
			}
			if st.Call == call {
				return verdict{kind: changes, where: "in a defer statement, which runs when the function returns, after the loop"}
			}
		}
	}
	fn, _ := typeutil.Callee(p.TypesInfo, call).(*types.Func)
	if fn == nil {
		return verdict{kind: may, where: "and the analyzer cannot tell which method runs"}
	}
	if nonRetaining(fn) {
		return verdict{kind: none, where: "and " + fn.FullName() + " does not keep its receiver"}
	}
	fd := p.funcDecl(fn)
	name := recvName(fd)
	if name == nil {
		if fd != nil {
			return verdict{kind: none, where: "and " + fn.Name() + " does not use its receiver"}
		}
		v := verdict{kind: may, where: "and " + fn.FullName() + " may keep its receiver"}
		if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
			if q := p.escapeQueryFor(fn, sig.Recv()); q != nil {
				v.escape = q
				v.ifNotKept = "and the compiler's escape analysis shows that " + fn.FullName() + " keeps no pointer to its receiver"
			}
		}
		return v
	}
	recv, _ := p.TypesInfo.Defs[name].(*types.Var)
	esc, returned := p.paramUse(fd, recv, map[*types.Func]bool{})
	switch {
	case esc:
		v := verdict{kind: may, where: "and " + fn.Name() + " may keep its receiver"}
		if q := p.escapeQueryFor(fn, recv); q != nil {
			v.escape = q
			v.ifNotKept = "and the compiler's escape analysis shows that " + fn.Name() + " keeps no pointer to its receiver"
		}
		return v
	case returned:
		v := p.context(lv, path, k, depth)
		v.where = "and " + fn.Name() + " returns its receiver, which is " + v.where
		return v
	}
	return verdict{kind: none, where: "and " + fn.Name() + " does not keep its receiver"}
}

// context classifies by where the value path[k] goes.
func (p *pass) context(lv *loopVar, path []ast.Node, k, depth int) verdict {
	for k > 0 {
		e := path[k]
		switch par := path[k-1].(type) {
		case *ast.ParenExpr, *ast.KeyValueExpr, *ast.CompositeLit:
			if kv, ok := par.(*ast.KeyValueExpr); ok && kv.Value != e {
				return verdict{kind: may, where: "used as a map key"}
			}
			k--
			continue
		case *ast.UnaryExpr:
			if par.Op == token.AND {
				k--
				continue
			}
			return verdict{kind: none, where: "used in an expression"}
		case *ast.SliceExpr:
			if par.X == e {
				k--
				continue
			}
			return verdict{kind: none, where: "used as a slice index"}
		case *ast.CallExpr:
			return p.callContext(lv, path, k, par, depth)
		case *ast.AssignStmt:
			return p.assignContext(lv, path, k, par, depth)
		case *ast.ValueSpec:
			for i, val := range par.Values {
				if val == e && i < len(par.Names) {
					return p.aliasContext(lv, path, par.Names[i], depth)
				}
			}
			return verdict{kind: may, where: "used in a declaration the analyzer does not follow"}
		case *ast.SendStmt:
			if par.Value == e {
				return verdict{kind: changes, where: "sent on a channel, so it outlives the iteration"}
			}
			return verdict{kind: none, where: "used as a channel"}
		case *ast.ReturnStmt:
			if lit := p.returnedFrom(lv, path, k-1); lit != nil {
				// The return ends the func literal, not the loop: what it
				// returns goes on as the literal's result.
				return verdict{kind: may, where: fmt.Sprintf("returned from the func literal at line %d, whose result the analyzer does not follow", p.Fset.Position(lit.Pos()).Line)}
			}
			return verdict{kind: none, where: "returned from the function, which ends the loop"}
		case *ast.ExprStmt:
			return verdict{kind: none, where: "evaluated and discarded"}
		case *ast.StarExpr:
			return verdict{kind: none, where: "dereferenced in place"}
		case *ast.BinaryExpr:
			return verdict{kind: none, where: "compared in place"}
		case *ast.SelectorExpr:
			if sel := p.TypesInfo.Selections[par]; sel != nil && sel.Kind() == types.FieldVal {
				return verdict{kind: none, where: "used to reach a field in place"}
			}
			return verdict{kind: may, where: "used in a way the analyzer does not follow"}
		case *ast.IndexExpr:
			if par.X == e {
				return verdict{kind: none, where: "indexed in place"}
			}
			if _, isMap := p.TypesInfo.TypeOf(par.X).Underlying().(*types.Map); isMap {
				if k >= 2 {
					if as, ok := path[k-2].(*ast.AssignStmt); ok && slices.Contains(as.Lhs, ast.Expr(par)) {
						return verdict{kind: changes, where: "stored as a key of the map " + exprString(par.X) + ", so it outlives the iteration"}
					}
				}
				return verdict{kind: none, where: "used as a map key for a lookup"}
			}
			return verdict{kind: may, where: "used as an index"}
		case *ast.RangeStmt:
			return verdict{kind: none, where: "ranged over in place"}
		case *ast.IncDecStmt:
			return verdict{kind: none, where: "incremented in place"}
		default:
			return verdict{kind: may, where: "used in a way the analyzer does not follow"}
		}
	}
	return verdict{kind: may, where: "used in a way the analyzer does not follow"}
}

// callContext: path[k] is the function or an argument of call.
func (p *pass) callContext(lv *loopVar, path []ast.Node, k int, call *ast.CallExpr, depth int) verdict {
	e := path[k]
	var stmt ast.Node
	if k >= 2 {
		stmt = path[k-2]
	}
	if g, ok := stmt.(*ast.GoStmt); ok && g.Call == call {
		if call.Fun == e {
			if fl, ok := e.(*ast.FuncLit); ok {
				if wg := p.doneOf(fl); wg != nil && p.waitFollows(lv, path, k-2, wg) {
					return verdict{kind: none, where: "started with go, and the iteration waits for it (" + exprKey(wg) + ".Wait())", cite: []finding.Source{facts.SrcWaitGroup}}
				}
			}
			return verdict{kind: changes, where: "started with go, so the goroutine may run after the loop moved on"}
		}
		return verdict{kind: changes, where: "passed to a call started with go, so the goroutine may use it after the loop moved on"}
	}
	if d, ok := stmt.(*ast.DeferStmt); ok && d.Call == call {
		if p.inSerialSubtest(lv, path, k-2) {
			return verdict{kind: none, where: "deferred in a serial subtest (t.Run, no t.Parallel), so it runs when the subtest returns, while t.Run waits", cite: []finding.Source{facts.SrcTestingRun}}
		}
		if call.Fun == e {
			return verdict{kind: changes, where: "deferred, so it runs when the function returns, after the loop"}
		}
		return verdict{kind: changes, where: "passed to a deferred call, which runs when the function returns, after the loop"}
	}
	if call.Fun == e {
		return verdict{kind: none, where: "called in place", syncCall: true}
	}
	argIdx := -1
	for i, a := range call.Args {
		if a == e {
			argIdx = i
		}
	}
	if argIdx < 0 {
		return verdict{kind: may, where: "used in a call the analyzer does not follow"}
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := p.TypesInfo.Uses[id].(*types.Builtin); ok {
			if b.Name() == "append" && argIdx > 0 {
				// append(b, v[:]...) copies the array's elements and
				// keeps nothing of v (issue 11, class 4).
				if se, ok := e.(*ast.SliceExpr); ok && call.Ellipsis.IsValid() && argIdx == len(call.Args)-1 && isArray(p.TypesInfo.TypeOf(se.X)) {
					return verdict{kind: none, where: "and append copies its elements", cite: []finding.Source{facts.SrcAppendCopy}}
				}
				return verdict{kind: changes, where: "appended to a slice, so it outlives the iteration"}
			}
			return verdict{kind: none, where: "passed to the builtin " + b.Name()}
		}
	}
	if tv, ok := p.TypesInfo.Types[call.Fun]; ok && tv.IsType() {
		// A slice converted to a string or an array is copied.
		if _, isSlice := p.TypesInfo.TypeOf(e.(ast.Expr)).Underlying().(*types.Slice); isSlice {
			switch u := tv.Type.Underlying().(type) {
			case *types.Basic:
				if u.Info()&types.IsString != 0 {
					return verdict{kind: none, where: "converted to " + tv.Type.String() + ", which copies it", cite: []finding.Source{facts.SrcStringConversion}}
				}
			case *types.Array:
				return verdict{kind: none, where: "converted to an array, which copies it"}
			}
		}
		return p.context(lv, path, k-1, depth) // a conversion: follow the result
	}
	fn, _ := typeutil.Callee(p.TypesInfo, call).(*types.Func)
	if fn == nil {
		return verdict{kind: may, where: "passed to a function value, which may keep it"}
	}
	full := fn.Origin().FullName()
	if w, ok := laterRunners[full]; ok {
		return verdict{kind: changes, where: "passed to " + full + ", which " + w}
	}
	if subtestRun(fn) {
		if fl, ok := e.(*ast.FuncLit); ok && callsParallel(fl, p.TypesInfo) {
			if p.readOnlyBeforeParallel(lv, fl) {
				return verdict{kind: none, where: "passed to " + full + " as a parallel subtest, but read only before t.Parallel(), while t.Run waits", cite: []finding.Source{facts.SrcTestingRun}}
			}
			return verdict{kind: changes, where: "passed to " + full + " as a parallel subtest (t.Parallel), which runs after the loop moved on"}
		}
		return verdict{kind: none, where: "passed to " + full + ", which waits for the subtest (no t.Parallel)"}
	}
	if nonRetaining(fn) {
		return verdict{kind: none, where: "passed to " + full + ", which does not keep it"}
	}
	fd := p.funcDecl(fn)
	if fd == nil {
		v := verdict{kind: may, where: "passed to " + full + ", which may keep it"}
		if sig, ok := fn.Type().(*types.Signature); ok && argIdx < sig.Params().Len() && !(sig.Variadic() && argIdx >= sig.Params().Len()-1) {
			if q := p.escapeQueryFor(fn, sig.Params().At(argIdx)); q != nil {
				v.escape = q
				v.ifNotKept = "passed to " + full + ", which, the compiler's escape analysis shows, keeps no pointer to it"
			}
		}
		return v
	}
	param := paramAt(p.TypesInfo, fd, argIdx)
	if param == nil {
		return verdict{kind: may, where: "passed to " + fn.Name() + ", which may keep it"}
	}
	esc, returned := p.paramUse(fd, param, map[*types.Func]bool{})
	switch {
	case esc:
		v := verdict{kind: may, where: "passed to " + fn.Name() + ", which may keep it"}
		if q := p.escapeQueryFor(fn, param); q != nil {
			v.escape = q
			v.ifNotKept = "passed to " + fn.Name() + ", which, the compiler's escape analysis shows, keeps no pointer to it"
		}
		return v
	case returned:
		v := p.context(lv, path, k-1, depth)
		v.where = "passed to " + fn.Name() + ", which returns it, " + v.where
		return v
	}
	return verdict{kind: none, where: "passed to " + fn.Name() + ", which does not keep it"}
}

// assignContext: path[k] is on the right of an assignment.
func (p *pass) assignContext(lv *loopVar, path []ast.Node, k int, as *ast.AssignStmt, depth int) verdict {
	e := path[k]
	idx := -1
	for i, r := range as.Rhs {
		if r == e {
			idx = i
		}
	}
	if idx < 0 || len(as.Lhs) != len(as.Rhs) {
		return verdict{kind: may, where: "assigned in a way the analyzer does not follow"}
	}
	switch lhs := ast.Unparen(as.Lhs[idx]).(type) {
	case *ast.Ident:
		if lhs.Name == "_" {
			return verdict{kind: none, where: "discarded"}
		}
		obj := p.TypesInfo.ObjectOf(lhs)
		if obj == nil {
			return verdict{kind: may, where: "assigned to " + lhs.Name}
		}
		if !within(obj.Pos(), lv.loop) {
			if v, ok := p.outerStore(lv, path, k, as, lhs, obj, depth); ok {
				v.writes = derefWritten(lv.loop, obj, p.TypesInfo)
				return v
			}
			v := verdict{kind: changes, where: "assigned to " + lhs.Name + ", declared outside the loop, so it outlives the iteration"}
			v.writes = derefWritten(lv.loop, obj, p.TypesInfo)
			return v
		}
		return p.aliasContext(lv, path, lhs, depth)
	case *ast.IndexExpr:
		return verdict{kind: changes, where: "stored in an element of " + exprString(lhs.X) + ", so it outlives the iteration"}
	case *ast.SelectorExpr:
		if v, ok := p.overwrittenField(lv, path, k, as, lhs); ok {
			return v
		}
		if root := p.localStruct(lv, lhs); root != nil {
			return verdict{kind: may, where: "stored in the field " + exprString(lhs) + " of " + root.Name() + ", declared inside the loop, which the analyzer does not follow further: it outlives the iteration only if " + root.Name() + " does"}
		}
		return verdict{kind: changes, where: "stored in the field " + exprString(lhs) + ", so it outlives the iteration"}
	case *ast.StarExpr:
		return verdict{kind: changes, where: "stored through the pointer " + exprString(lhs.X) + ", so it outlives the iteration"}
	}
	return verdict{kind: may, where: "assigned in a way the analyzer does not follow"}
}

// aliasContext follows a local variable declared inside the loop that
// holds the leaked value: the worst of its uses decides.
func (p *pass) aliasContext(lv *loopVar, path []ast.Node, name *ast.Ident, depth int) verdict {
	obj := p.TypesInfo.ObjectOf(name)
	if obj == nil || depth >= maxAliasDepth {
		return verdict{kind: may, where: "assigned to " + name.Name + ", which the analyzer does not follow further"}
	}
	li := slices.Index(path, ast.Node(lv.loop))
	if li < 0 {
		return verdict{kind: may, where: "assigned to " + name.Name}
	}
	// A use of the alias is a capture only if it lies in a func literal
	// below the function that declares the alias: in a t.Run body, a
	// helper f := func() { … v … } called there as f() is a call in
	// place, as it would be in the loop body itself (prometheus v2.45.0
	// tsdb/compact_test.go:1317). The enclosing literal's own capture of
	// v is a leak of its own.
	from := li
	for j := len(path) - 1; j > li; j-- {
		if fl, ok := path[j].(*ast.FuncLit); ok && within(name.Pos(), fl) {
			from = j + 1
			break
		}
	}
	best := verdict{kind: none, where: "assigned to " + name.Name + ", which is not used further"}
	found := false
	inspectPath(lv.loop, path[:li], func(n ast.Node, stack []ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || p.TypesInfo.Uses[id] != obj {
			return true
		}
		// A reassignment of the alias is not a use of the value.
		if as, ok := stack[len(stack)-2].(*ast.AssignStmt); ok && slices.Contains(as.Lhs, ast.Expr(id)) {
			return true
		}
		var v verdict
		if inFuncLit(stack, from) {
			v = verdict{kind: may, where: "captured by another func literal"}
		} else {
			v = p.context(lv, stack, len(stack)-1, depth+1)
		}
		if !found || v.kind > best.kind {
			best, found = v, true
		}
		best.writes = best.writes || v.writes
		return true
	})
	best.where = "assigned to " + name.Name + ", which is " + strings.TrimPrefix(best.where, "which is ")
	if derefWritten(lv.loop, obj, p.TypesInfo) {
		best.writes = true
	}
	return best
}

func inFuncLit(stack []ast.Node, from int) bool {
	for _, n := range stack[from:] {
		if _, ok := n.(*ast.FuncLit); ok {
			return true
		}
	}
	return false
}

func within(pos token.Pos, n ast.Node) bool {
	return pos >= n.Pos() && pos < n.End()
}

// laterRunners are functions that run a func argument (or keep a
// pointer argument) after they return.
var laterRunners = map[string]string{
	"time.AfterFunc":                             "runs it on another goroutine later",
	"context.AfterFunc":                          "runs it on another goroutine later",
	"(*sync.WaitGroup).Go":                       "runs it on another goroutine",
	"(*golang.org/x/sync/errgroup.Group).Go":     "runs it on another goroutine",
	"(*golang.org/x/sync/errgroup.Group).TryGo":  "runs it on another goroutine",
	"(*testing.common).Cleanup":                  "runs it when the test ends, after the loop",
	"runtime.SetFinalizer":                       "keeps it until the object is collected",
	"runtime.AddCleanup":                         "keeps it until the object is collected",
	"(*golang.org/x/sync/singleflight.Group).Do": "may run it on another goroutine",
}

// nonRetainingStd are standard packages whose functions and methods use
// pointer and func arguments (and pointer receivers) only during the call:
// func arguments of sort.Slice and strings.Map, json.Unmarshal and
// errors.As targets, sync.Mutex.Lock receivers, the walk functions of
// filepath.Walk and WalkDir (called only during the walk; the compiler's
// escape analysis keeps such a func literal on the stack) … The
// exceptions that do keep a func argument are listed in laterRunners,
// which is consulted first.
var nonRetainingStd = map[string]bool{
	"bufio": true, "bytes": true, "encoding/base64": true, "encoding/binary": true,
	"encoding/csv": true, "encoding/gob": true, "encoding/hex": true, "encoding/json": true,
	"encoding/xml": true, "errors": true, "fmt": true, "io": true, "maps": true,
	"math": true, "math/big": true, "math/bits": true, "path/filepath": true, "regexp": true, "slices": true,
	"sort": true, "strconv": true, "strings": true, "sync": true, "sync/atomic": true,
	"unicode": true, "unicode/utf16": true, "unicode/utf8": true,
}

// readOnlyBeforeParallel reports whether every use of lv in the subtest
// fl comes before a t.Parallel() statement at the top level of fl's
// body, outside any nested func literal, and takes no address: t.Run
// "blocks until f returns or calls t.Parallel to become a parallel test"
// (testing.T.Run's documentation), so those reads happen within the
// iteration, as in tt := tt; t.Parallel() (issue 11, class 3).
func (p *pass) readOnlyBeforeParallel(lv *loopVar, fl *ast.FuncLit) bool {
	par := token.NoPos
	for _, st := range fl.Body.List {
		if es, ok := st.(*ast.ExprStmt); ok {
			if call, ok := es.X.(*ast.CallExpr); ok {
				if fn, ok := typeutil.Callee(p.TypesInfo, call).(*types.Func); ok && fn.FullName() == "(*testing.T).Parallel" {
					par = st.Pos()
					break
				}
			}
		}
	}
	if !par.IsValid() {
		return false
	}
	for _, path := range lv.uses {
		i := slices.Index(path, ast.Node(fl))
		if i < 0 {
			continue
		}
		if path[len(path)-1].Pos() >= par || inFuncLit(path, i+1) {
			return false
		}
		if k, _ := p.addressTaken(path); k >= 0 {
			return false
		}
	}
	return true
}

// nonRetainingFuncs are standard-library methods, in packages not listed
// whole in nonRetainingStd, that use their pointer receiver only during
// the call, each with where that is seen (Go's source, src/…, as of
// go1.26). TestNonRetainingByEscapeAnalysis checks every one against
// the compiler's escape analysis: a loop variable whose address only
// goes to the method stays on the stack.
var nonRetainingFuncs = map[string]string{
	"(*net.Interface).Addrs":          "net/interface.go: reads ifi to query the interface's address table, returns new Addrs",
	"(*net.Interface).MulticastAddrs": "net/interface.go: reads ifi to query the multicast table, returns new Addrs",
	"(*net.IPNet).Contains":           "net/ip.go: reads n's IP and Mask",
	"(*net.IPNet).String":             "net/ip.go: formats n into a new string",
	"(*net.IPNet).Network":            "net/ip.go: returns a constant",
	"(*net.TCPAddr).String":           "net/tcpsock.go: formats a into a new string",
	"(*net.TCPAddr).Network":          "net/tcpsock.go: returns a constant",
	"(*net.TCPAddr).AddrPort":         "net/tcpsock.go: builds a netip.AddrPort value from a's fields",
	"(*net.UDPAddr).String":           "net/udpsock.go: formats a into a new string",
	"(*net.UDPAddr).Network":          "net/udpsock.go: returns a constant",
	"(*net.UDPAddr).AddrPort":         "net/udpsock.go: builds a netip.AddrPort value from a's fields",
	"(*net/url.URL).String":           "net/url/url.go: builds a new string from u's fields",
	"(*net/url.URL).Redacted":         "net/url/url.go: formats a copy of u (ru := *u)",
	"(*net/url.URL).EscapedPath":      "net/url/url.go: reads u.RawPath and u.Path",
	"(*net/url.URL).EscapedFragment":  "net/url/url.go: reads u.RawFragment and u.Fragment",
	"(*net/url.URL).IsAbs":            "net/url/url.go: reads u.Scheme",
	"(*net/url.URL).Query":            "net/url/url.go: parses u.RawQuery into new Values",
	"(*net/url.URL).RequestURI":       "net/url/url.go: builds a new string from u's fields",
	"(*net/url.URL).Hostname":         "net/url/url.go: splits u.Host",
	"(*net/url.URL).Port":             "net/url/url.go: splits u.Host",
}

// nonRetaining reports whether the standard-library fn is known to use
// its pointer and func arguments, and its receiver, only during the call.
func nonRetaining(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	if nonRetainingStd[fn.Pkg().Path()] {
		return true
	}
	_, ok := nonRetainingFuncs[fn.Origin().FullName()]
	return ok
}

// subtestRun reports whether fn is (*testing.T).Run or (*testing.B).Run,
// which run their func argument as a subtest and wait for it unless it
// calls Parallel (facts.SrcTestingRun).
func subtestRun(fn *types.Func) bool {
	full := fn.Origin().FullName()
	return full == "(*testing.T).Run" || full == "(*testing.B).Run"
}

func callsParallel(fl *ast.FuncLit, info *types.Info) bool {
	found := false
	ast.Inspect(fl.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if fn, ok := typeutil.Callee(info, call).(*types.Func); ok && fn.FullName() == "(*testing.T).Parallel" {
				found = true
			}
		}
		return !found
	})
	return found
}

// funcDecl finds the declaration of fn in the package being analysed.
func (p *pass) funcDecl(fn *types.Func) *ast.FuncDecl {
	fn = fn.Origin()
	if fn.Pkg() != p.Pkg {
		return nil
	}
	if p.funcs == nil {
		p.funcs = map[*types.Func]*ast.FuncDecl{}
		for _, f := range p.Files {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
					if o, ok := p.TypesInfo.Defs[fd.Name].(*types.Func); ok {
						p.funcs[o] = fd
					}
				}
			}
		}
	}
	return p.funcs[fn]
}

// recvName returns the name of the receiver declared by fd, or nil when
// fd is nil, not a method, or leaves its receiver unnamed.
func recvName(fd *ast.FuncDecl) *ast.Ident {
	if fd == nil || fd.Recv == nil || len(fd.Recv.List) == 0 || len(fd.Recv.List[0].Names) == 0 {
		return nil
	}
	return fd.Recv.List[0].Names[0]
}

func paramAt(info *types.Info, fd *ast.FuncDecl, idx int) *types.Var {
	i := 0
	for _, f := range fd.Type.Params.List {
		if _, variadic := f.Type.(*ast.Ellipsis); variadic {
			return nil
		}
		names := f.Names
		if len(names) == 0 {
			if i == idx {
				return nil
			}
			i++
			continue
		}
		for _, n := range names {
			if i == idx {
				v, _ := info.Defs[n].(*types.Var)
				return v
			}
			i++
		}
	}
	return nil
}

// paramUse reports whether fd lets the parameter (or receiver) v escape,
// and whether it returns it. Only uses that plainly end in fd count as
// not escaping: dereference, field access, indexing, calling it, len,
// comparison, and pointer-receiver methods that themselves do not let it
// escape.
func (p *pass) paramUse(fd *ast.FuncDecl, v *types.Var, seen map[*types.Func]bool) (escapes, returned bool) {
	if v == nil {
		return false, false
	}
	if o, ok := p.TypesInfo.Defs[fd.Name].(*types.Func); ok {
		if seen[o] {
			return false, false
		}
		seen[o] = true
	}
	inspectPath(fd.Body, nil, func(n ast.Node, stack []ast.Node) bool {
		if escapes {
			return false
		}
		id, ok := n.(*ast.Ident)
		if !ok || p.TypesInfo.Uses[id] != v {
			return true
		}
		if inFuncLit(stack, 0) {
			escapes = true
			return false
		}
		parent := stack[len(stack)-2]
		switch par := parent.(type) {
		case *ast.StarExpr, *ast.IndexExpr, *ast.BinaryExpr, *ast.IncDecStmt:
		case *ast.ReturnStmt:
			returned = true
		case *ast.AssignStmt:
			if !slices.Contains(par.Lhs, ast.Expr(id)) {
				escapes = true
			}
		case *ast.CallExpr:
			if par.Fun == ast.Expr(id) {
				break
			}
			if fid, ok := ast.Unparen(par.Fun).(*ast.Ident); ok {
				if b, ok := p.TypesInfo.Uses[fid].(*types.Builtin); ok && (b.Name() == "len" || b.Name() == "cap") {
					break
				}
			}
			escapes = true
		case *ast.SelectorExpr:
			sel := p.TypesInfo.Selections[par]
			if sel == nil {
				escapes = true
				break
			}
			if sel.Kind() == types.FieldVal {
				if len(stack) >= 3 {
					if u, ok := stack[len(stack)-3].(*ast.UnaryExpr); ok && u.Op == token.AND {
						escapes = true
					}
				}
				break
			}
			// A method: value receivers get a copy; pointer receivers
			// are followed once more.
			if !pointerRecv(sel) {
				break
			}
			m, _ := sel.Obj().(*types.Func)
			called := len(stack) >= 3
			if called {
				c, ok := stack[len(stack)-3].(*ast.CallExpr)
				called = ok && c.Fun == ast.Expr(par)
			}
			md := (*ast.FuncDecl)(nil)
			if m != nil {
				md = p.funcDecl(m)
			}
			name := recvName(md)
			if !called || name == nil {
				if nonRetaining(m) && called {
					break
				}
				if md != nil && called {
					break // receiver unnamed: unused
				}
				escapes = true
				break
			}
			r, _ := p.TypesInfo.Defs[name].(*types.Var)
			if e, ret := p.paramUse(md, r, seen); e || ret {
				escapes = true
			}
		default:
			escapes = true
		}
		return true
	})
	return escapes, returned
}

// writesVar reports whether n assigns to obj (or a field or element of
// it).
func writesVar(n ast.Node, obj *types.Var, info *types.Info) bool {
	isObj := func(e ast.Expr) bool {
		for {
			switch x := ast.Unparen(e).(type) {
			case *ast.Ident:
				return info.Uses[x] == obj
			case *ast.SelectorExpr:
				if sel := info.Selections[x]; sel == nil || sel.Kind() != types.FieldVal || sel.Indirect() {
					return false
				}
				e = x.X
			case *ast.IndexExpr:
				if !isArray(info.TypeOf(x.X)) {
					return false
				}
				e = x.X
			default:
				return false
			}
		}
	}
	return assigns(n, isObj)
}

// derefWritten reports whether n writes through the pointer variable
// obj (*p = …, *p += …, (*p)++).
func derefWritten(n ast.Node, obj types.Object, info *types.Info) bool {
	return assigns(n, func(e ast.Expr) bool {
		st, ok := ast.Unparen(e).(*ast.StarExpr)
		if !ok {
			return false
		}
		id, ok := ast.Unparen(st.X).(*ast.Ident)
		return ok && info.Uses[id] == obj
	})
}

// assigns reports whether n holds an assignment (=, op=, not :=) or an
// increment or decrement whose target satisfies target.
func assigns(n ast.Node, target func(ast.Expr) bool) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.AssignStmt:
			if s.Tok != token.DEFINE && slices.ContainsFunc(s.Lhs, target) {
				found = true
			}
		case *ast.IncDecStmt:
			found = target(s.X)
		}
		return !found
	})
	return found
}

// inSerialSubtest reports whether the statement path[i] runs in a
// serial subtest declared in lv's loop: the nearest func literal around
// it is passed to t.Run, never calls t.Parallel, and lies in the loop
// body outside any other func literal, go or defer statement. t.Run
// returns only when that literal has returned (facts.SrcTestingRun), so
// its deferred calls run within the iteration (telegraf v1.27.0
// plugins/outputs/prometheus_client/prometheus_client_v1_test.go:274).
func (p *pass) inSerialSubtest(lv *loopVar, path []ast.Node, i int) bool {
	li := slices.Index(path, ast.Node(lv.loop))
	if li < 0 {
		return false
	}
	for j := i - 1; j > li; j-- {
		if _, ok := path[j].(*ast.FuncLit); !ok {
			continue
		}
		if fl, _ := p.serialSubtest(path, j); fl == nil || j-2 <= li {
			return false
		}
		for _, n := range path[li+1 : j-2] {
			switch n.(type) {
			case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
				return false
			}
		}
		return true
	}
	return false
}

// localStruct returns the variable at the root of the field selection
// lhs when it is declared inside lv's loop and the selection reaches into
// the variable itself, through no pointer: a store there is kept by a
// variable of the iteration, not by one that outlives it (telegraf
// v1.27.0 plugins/inputs/docker/docker_test.go:553, client := baseClient;
// client.ContainerListF = func…).
func (p *pass) localStruct(lv *loopVar, lhs *ast.SelectorExpr) types.Object {
	x := ast.Expr(lhs)
	for {
		s, ok := ast.Unparen(x).(*ast.SelectorExpr)
		if !ok {
			break
		}
		sel := p.TypesInfo.Selections[s]
		if sel == nil || sel.Kind() != types.FieldVal || sel.Indirect() {
			return nil
		}
		x = s.X
	}
	id, ok := ast.Unparen(x).(*ast.Ident)
	if !ok {
		return nil
	}
	obj, ok := p.TypesInfo.Uses[id].(*types.Var)
	if !ok || obj.IsField() || !within(obj.Pos(), lv.loop) {
		return nil
	}
	if _, isPtr := obj.Type().Underlying().(*types.Pointer); isPtr {
		return nil
	}
	return obj
}

// returnedFrom returns the func literal inside lv's loop that the return
// statement path[i] returns from, or nil when it returns from the
// function around the loop.
func (p *pass) returnedFrom(lv *loopVar, path []ast.Node, i int) *ast.FuncLit {
	for j := i - 1; j >= 0; j-- {
		switch n := path[j].(type) {
		case *ast.FuncLit:
			if within(n.Pos(), lv.loop) {
				return n
			}
			return nil
		case *ast.FuncDecl:
			return nil
		}
	}
	return nil
}
