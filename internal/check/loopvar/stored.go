package loopvar

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
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
