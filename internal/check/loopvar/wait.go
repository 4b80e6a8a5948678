package loopvar

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/types/typeutil"
)

// Goroutines the iteration waits for (issue 11, class 2). A goroutine
// started in an iteration that reads the loop variable changes nothing
// when the iteration waits for it before it ends: then no goroutine of
// the iteration runs when the variable next changes. The analyzer proves
// that only for this shape:
//
//	wg.Add(1)
//	go func() { defer wg.Done(); … v … }()   // or wg.Done() as the last statement
//	…                                          // nothing that leaves the iteration
//	wg.Wait()                                  // same block or an enclosing one
//
// The Wait must be a statement of its own (or an assignment, or an if's
// init) in the block of the go statement or an enclosing block, up to
// the loop body or the nearest enclosing func literal (whose own capture
// of v is classified on its own: a serial t.Run body is within the
// iteration, a goroutine's body is not). Between the two, no
// continue, break or goto may leave that region; a return ends the
// loop, so the variable does not change after it. Not covered: a panic
// or runtime.Goexit (t.Fatal) between the two that ends a serial
// subtest early while the loop goes on; that path is a failing test.

// exprKey names a WaitGroup: a local or package variable,
// &v, or a field v.f of one; "" for anything else.
func exprKey(e ast.Expr) string {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		return x.Name
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return exprKey(x.X)
		}
	case *ast.SelectorExpr:
		if k := exprKey(x.X); k != "" {
			return k + "." + x.Sel.Name
		}
	}
	return ""
}

// sameVar reports whether a and b name the same variable by key and by
// the object of their root identifier.
func (p *pass) sameVar(a, b ast.Expr) bool {
	if exprKey(a) == "" || exprKey(a) != exprKey(b) {
		return false
	}
	return p.rootObj(a) != nil && p.rootObj(a) == p.rootObj(b)
}

func (p *pass) rootObj(e ast.Expr) types.Object {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return p.TypesInfo.ObjectOf(x)
		case *ast.UnaryExpr:
			e = x.X
		case *ast.SelectorExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// methodOn returns the receiver expression of a call of the method
// named full ("(*sync.WaitGroup).Done"), or nil.
func (p *pass) methodOn(e ast.Expr, full ...string) ast.Expr {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return nil
	}
	fn, ok := typeutil.Callee(p.TypesInfo, call).(*types.Func)
	if !ok || !slices.Contains(full, fn.Origin().FullName()) {
		return nil
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	return sel.X
}

// doneOf returns the WaitGroup whose Done the goroutine body fl surely
// calls before it returns: defer wg.Done() among its top-level
// statements, or wg.Done() as its last statement; nil if none.
func (p *pass) doneOf(fl *ast.FuncLit) ast.Expr {
	list := fl.Body.List
	for i, st := range list {
		var x ast.Expr
		switch s := st.(type) {
		case *ast.DeferStmt:
			x = p.methodOn(s.Call, "(*sync.WaitGroup).Done")
		case *ast.ExprStmt:
			if i == len(list)-1 {
				x = p.methodOn(s.X, "(*sync.WaitGroup).Done")
			}
		}
		if x != nil && exprKey(x) != "" {
			return x
		}
	}
	return nil
}

// waitFollows reports whether path[si], a statement in lv's loop, is
// followed within the iteration by ref.Wait() (see the comment above).
func (p *pass) waitFollows(lv *loopVar, path []ast.Node, si int, ref ast.Expr) bool {
	li := slices.Index(path, ast.Node(lv.loop))
	if li < 0 || si <= li {
		return false
	}
	// The region ends at the nearest func literal above the statement,
	// or at the loop.
	top := li
	for j := si - 1; j > li; j-- {
		if _, ok := path[j].(*ast.FuncLit); ok {
			top = j
			break
		}
	}
	// Walk up from the statement: in each enclosing statement list, look
	// after the child on the path for the Wait.
	for j := si - 1; j > top; j-- {
		list := stmtList(path[j])
		if list == nil {
			continue
		}
		child, _ := path[j+1].(ast.Stmt)
		at := slices.Index(list, child)
		if at < 0 {
			return false
		}
		for _, st := range list[at+1:] {
			if p.isWait(st, ref) {
				return p.noEscape(path, j, si, list[at+1:], st)
			}
		}
	}
	return false
}

var waitMethods = []string{"(*sync.WaitGroup).Wait"}

// isWait reports whether st calls ref.Wait() unconditionally: as the
// statement's expression (an argument included), the right of an
// assignment, or an if statement's init.
func (p *pass) isWait(st ast.Stmt, ref ast.Expr) bool {
	var exprs []ast.Expr
	switch s := st.(type) {
	case *ast.ExprStmt:
		exprs = []ast.Expr{s.X}
	case *ast.AssignStmt:
		exprs = s.Rhs
	case *ast.IfStmt:
		if s.Init != nil {
			return p.isWait(s.Init, ref)
		}
	}
	found := false
	for _, e := range exprs {
		ast.Inspect(e, func(n ast.Node) bool {
			if found {
				return false
			}
			if _, ok := n.(*ast.FuncLit); ok {
				return false
			}
			if x, ok := n.(ast.Expr); ok {
				if r := p.methodOn(x, waitMethods...); r != nil && p.sameVar(r, ref) {
					found = true
				}
			}
			return true
		})
	}
	return found
}

// noEscape reports whether nothing in the statements between the go
// statement and the Wait leaves the region: stmts (up to wait) at level
// j, and the statements after the path's child at each level below j.
func (p *pass) noEscape(path []ast.Node, j, si int, after []ast.Stmt, wait ast.Stmt) bool {
	// Loops and switches on the path below level j: an unlabeled
	// branch targets the nearest, which stays in the region.
	for _, st := range after {
		if st == wait {
			break
		}
		if branchLeaves(st, false, false) {
			return false
		}
	}
	for l := j + 1; l < si; l++ {
		list := stmtList(path[l])
		if list == nil || l+1 >= len(path) {
			continue
		}
		child, ok := path[l+1].(ast.Stmt)
		if !ok {
			continue
		}
		at := slices.Index(list, child)
		if at < 0 {
			continue
		}
		inLoop, inBreakable := enclosing(path[j+1 : l+1])
		for _, st := range list[at+1:] {
			if branchLeaves(st, inLoop, inBreakable) {
				return false
			}
		}
		if _, ok := path[l].(*ast.FuncLit); ok {
			break
		}
	}
	return true
}

// enclosing says whether nodes hold a loop (a continue target) or a
// loop, switch or select (a break target).
func enclosing(nodes []ast.Node) (loop, breakable bool) {
	for _, n := range nodes {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			loop, breakable = true, true
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			breakable = true
		}
	}
	return loop, breakable
}

// branchLeaves reports whether st holds a branch that may leave the
// region: goto, a labeled branch, or an unlabeled continue or break
// whose target is not inside st (nor, by inLoop and inBreakable, inside
// the region).
func branchLeaves(st ast.Stmt, inLoop, inBreakable bool) bool {
	leaves := false
	var walk func(n ast.Node, loop, breakable bool)
	walk = func(n ast.Node, loop, breakable bool) {
		ast.Inspect(n, func(m ast.Node) bool {
			if leaves || m == nil {
				return false
			}
			switch x := m.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt, *ast.RangeStmt:
				if m != n {
					walk(m, true, true)
					return false
				}
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				if m != n {
					walk(m, loop, true)
					return false
				}
			case *ast.BranchStmt:
				switch {
				case x.Tok == token.GOTO || x.Label != nil:
					leaves = true
				case x.Tok == token.CONTINUE && !loop:
					leaves = true
				case x.Tok == token.BREAK && !breakable:
					leaves = true
				}
			}
			return true
		})
	}
	walk(st, inLoop, inBreakable)
	return leaves
}

// stmtList returns the statements of a block-like node.
func stmtList(n ast.Node) []ast.Stmt {
	switch x := n.(type) {
	case *ast.BlockStmt:
		return x.List
	case *ast.CaseClause:
		return x.Body
	case *ast.CommClause:
		return x.Body
	}
	return nil
}
