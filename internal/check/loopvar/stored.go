package loopvar

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// outerStore classifies a leak stored by as (path[k-1]) in the variable
// obj (named by lhs), declared outside lv's loop (issue 11, class 1).
// The store changes behaviour only if the variable is read after the
// iteration. The analyzer sees every read of a local variable and of an
// unexported package variable in the package; a read is within the
// iteration when it comes after the store in the statement list that
// holds the store (or in a statement nested there): such reads are
// followed like those of a local alias. Any other read in the loop's
// function (before the store, in the loop's condition, after the loop,
// in a func literal declared elsewhere) is after the iteration: ok is
// false, and the caller says "changes". Reads in other functions (or an
// exported package variable) happen at times the analyzer cannot order
// with the loop: at most "may".
func (p *pass) outerStore(lv *loopVar, path []ast.Node, k int, as *ast.AssignStmt, lhs *ast.Ident, obj types.Object, depth int) (verdict, bool) {
	if k < 2 || as.Tok != token.ASSIGN {
		return verdict{}, false
	}
	list := stmtList(path[k-2])
	if !slices.Contains(list, ast.Stmt(as)) {
		return verdict{}, false
	}
	listEnd := list[len(list)-1].End()
	li := slices.Index(path, ast.Node(lv.loop))
	var fn ast.Node // the function holding the loop
	fi := -1
	for j := li - 1; j >= 0 && fn == nil; j-- {
		switch path[j].(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			fn, fi = path[j], j
		}
	}
	if fn == nil {
		return verdict{}, false
	}
	pkgLevel := obj.Parent() == p.Pkg.Scope()
	// Each root is walked with the path to it, so that a use's stack
	// runs from its file.
	type root struct {
		n      ast.Node
		prefix []ast.Node
	}
	roots := []root{{fn, path[:fi]}}
	if pkgLevel {
		roots = nil
		for _, f := range p.Files {
			roots = append(roots, root{f, nil})
		}
	}
	best := verdict{kind: none, where: "not read after it"}
	found, outside, elsewhere := false, false, pkgLevel && obj.Exported()
	for _, r := range roots {
		inspectPath(r.n, r.prefix, func(n ast.Node, stack []ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok || id == lhs || p.TypesInfo.Uses[id] != obj {
				return true
			}
			if len(stack) >= 2 {
				if a, ok := stack[len(stack)-2].(*ast.AssignStmt); ok && a.Tok == token.ASSIGN && slices.Contains(a.Lhs, ast.Expr(id)) {
					return true // a write, not a read
				}
			}
			switch {
			case id.Pos() > as.End() && id.Pos() < listEnd:
				var v verdict
				if inFuncLit(stack, slices.Index(stack, path[k-2])) {
					v = verdict{kind: may, where: "captured by a func literal"}
				} else {
					v = p.context(lv, stack, len(stack)-1, depth+1)
				}
				if !found || v.kind > best.kind {
					best, found = v, true
				}
			case id.Pos() >= fn.Pos() && id.Pos() < fn.End():
				outside = true
			default:
				elsewhere = true
			}
			return true
		})
	}
	if outside {
		return verdict{}, false
	}
	name := lhs.Name
	if elsewhere && best.kind < may {
		return verdict{kind: may, where: "stored in the package variable " + name + ", which this function reads only after the store within the iteration, but other code of the package reads it too"}, true
	}
	if !found {
		return verdict{kind: none, where: "assigned to " + name + ", declared outside the loop but never read"}, true
	}
	best.where = "assigned to " + name + ", declared outside the loop but read only after this assignment within the iteration, where it is " + best.where
	return best, true
}

// overwrittenField classifies a leak of a range loop variable stored by
// as (path[k-1]) in the field lhs (x.f, x.f.g) of a variable x declared
// outside the loop, when every iteration overwrites that field before
// anything in it names x: coredns v1.10.1 plugin/cache/cache_test.go:384,
// c.now = func() time.Time { … tt.futureMinutes … } and then
// c.ServeDNS(…), which calls c.now(). The closure stored in one
// iteration is replaced early in the next, and after the loop the
// variable holds the last element under either semantics, so the
// upgrade shows only to code that keeps the stored value, or calls it
// from another goroutine across the start of the next iteration: "may",
// not "changes". It does not apply (ok is false) when the store may be
// skipped (a branch before it), when x or a field on the way is
// assigned elsewhere in the loop, or when a goroutine, a deferred call
// or a func literal of the loop names x.
func (p *pass) overwrittenField(lv *loopVar, path []ast.Node, k int, as *ast.AssignStmt, lhs *ast.SelectorExpr) (verdict, bool) {
	rs, ok := lv.loop.(*ast.RangeStmt)
	if !ok || k < 2 || as.Tok != token.ASSIGN || len(as.Lhs) != 1 {
		return verdict{}, false
	}
	// The store is a statement of the loop body, or of a serial subtest
	// that is the body's statement: t.Run waits for it, so its statements
	// run within the iteration (telegraf v1.27.0
	// plugins/inputs/aurora/aurora_test.go:195).
	body := rs.Body
	var sub *ast.FuncLit
	var run ast.Stmt
	if path[k-2] != ast.Node(rs.Body) {
		if k < 6 || path[k-6] != ast.Node(rs.Body) {
			return verdict{}, false
		}
		if sub, run = p.serialSubtest(path, k-3); sub == nil || path[k-2] != ast.Node(sub.Body) {
			return verdict{}, false
		}
		body = sub.Body
	}
	key, root := exprKey(lhs), p.rootObj(lhs)
	if key == "" || root == nil || within(root.Pos(), lv.loop) {
		return verdict{}, false
	}
	for x := ast.Expr(lhs); ; {
		s, isSel := ast.Unparen(x).(*ast.SelectorExpr)
		if !isSel {
			if _, isIdent := ast.Unparen(x).(*ast.Ident); !isIdent {
				return verdict{}, false
			}
			break
		}
		if sel := p.TypesInfo.Selections[s]; sel == nil || sel.Kind() != types.FieldVal {
			return verdict{}, false
		}
		x = s.X
	}
	at := slices.Index(body.List, ast.Stmt(as))
	for _, st := range body.List[:at] {
		if p.names(st, root) || branchLeaves(st, false, false) || (sub != nil && returns(st)) {
			return verdict{}, false
		}
	}
	if sub != nil {
		// A subtest that stops before its store (a return, a failed
		// require) leaves the previous iteration's value in the field:
		// nothing else in the loop body may use the variable.
		ri := slices.Index(rs.Body.List, run)
		for i, st := range rs.Body.List {
			if st != run && (p.names(st, root) || (i < ri && branchLeaves(st, false, false))) {
				return verdict{}, false
			}
		}
	}
	bad := false
	ast.Inspect(rs.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n == as {
				return true
			}
			for _, l := range n.Lhs {
				lk := exprKey(l)
				if lk != "" && (lk == key || strings.HasPrefix(key, lk+".")) && p.rootObj(l) == root {
					bad = true
				}
			}
		case *ast.GoStmt, *ast.DeferStmt, *ast.FuncLit:
			if n != path[k] && n != ast.Node(sub) && p.names(n, root) {
				bad = true
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && p.rootObj(n.X) == root {
				bad = true // &x.f: a pointer to the field may be kept
			}
		}
		return !bad
	})
	if bad {
		return verdict{}, false
	}
	return verdict{kind: may, where: "stored in the field " + exprString(lhs) + ", which each iteration overwrites before it uses " + root.Name() + ": the stored value differs after the upgrade only where something keeps it, or calls it from another goroutine, past the start of the next iteration"}, true
}

// serialSubtest reports whether path[i] is a func literal passed to
// (*testing.T).Run or (*testing.B).Run that never calls t.Parallel, in a
// call that is a statement of its own: t.Run blocks until it returns
// (facts.SrcTestingRun). It returns the literal and that statement.
func (p *pass) serialSubtest(path []ast.Node, i int) (*ast.FuncLit, ast.Stmt) {
	if i < 2 {
		return nil, nil
	}
	fl, ok := path[i].(*ast.FuncLit)
	if !ok {
		return nil, nil
	}
	call, ok := path[i-1].(*ast.CallExpr)
	if !ok || !slices.Contains(call.Args, ast.Expr(fl)) {
		return nil, nil
	}
	st, ok := path[i-2].(*ast.ExprStmt)
	if !ok || st.X != ast.Expr(call) {
		return nil, nil
	}
	fn, ok := typeutil.Callee(p.TypesInfo, call).(*types.Func)
	if !ok {
		return nil, nil
	}
	if !subtestRun(fn) {
		return nil, nil
	}
	if callsParallel(fl, p.TypesInfo) {
		return nil, nil
	}
	return fl, st
}

// returns reports whether st holds a return statement outside any func
// literal.
func returns(st ast.Stmt) bool {
	found := false
	ast.Inspect(st, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			found = true
		}
		return !found
	})
	return found
}

// names reports whether n uses obj.
func (p *pass) names(n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if id, ok := m.(*ast.Ident); ok && p.TypesInfo.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}
