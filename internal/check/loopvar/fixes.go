package loopvar

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/fsread"
)

// src returns the bytes of file, or nil. It reads each file once: a
// file may need them for many fixes.
func (p *pass) src(file *ast.File) []byte {
	if b, ok := p.srcs[file]; ok {
		return b
	}
	var b []byte
	if tf := p.Fset.File(file.Pos()); tf != nil {
		if data, err := p.ReadFile(tf.Name()); err == nil {
			b = data
		}
	}
	if p.srcs == nil {
		p.srcs = map[*ast.File][]byte{}
	}
	p.srcs[file] = b
	return b
}

// indentOf returns the leading white space of the line holding pos.
func (p *pass) indentOf(src []byte, pos token.Pos) string {
	tf := p.Fset.File(pos)
	off := tf.Offset(pos)
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	i := start
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	return string(src[start:i])
}

// copyFix inserts v := v at the top of the loop body, which gives a file
// below go1.22 the per-iteration behaviour now; ls are lv's leaks. For
// 3-clause loops it is offered only when nothing in the body writes the
// variable, since the copy would otherwise split the counter.
func (p *pass) copyFix(file *ast.File, lv *loopVar, ls []leak) (analysis.SuggestedFix, bool) {
	var body *ast.BlockStmt
	switch l := lv.loop.(type) {
	case *ast.RangeStmt:
		body = l.Body
	case *ast.ForStmt:
		body = l.Body
		if writesVar(l.Body, lv.obj, p.TypesInfo) {
			return analysis.SuggestedFix{}, false
		}
		for _, path := range lv.uses {
			if k, _ := p.addressTaken(path); k >= 0 {
				return analysis.SuggestedFix{}, false
			}
		}
	}
	src := p.src(file)
	if body == nil || src == nil {
		return analysis.SuggestedFix{}, false
	}
	// A copy in the body helps only uses in the body (not a 3-clause
	// loop's condition or post statement), and there must be one.
	for _, l := range ls {
		if !slices.Contains(l.path, ast.Node(body)) {
			return analysis.SuggestedFix{}, false
		}
	}
	name := lv.decl.Name
	indent := p.indentOf(src, lv.loop.Pos()) + "\t"
	// Insert after the line of the opening brace, so that a comment
	// after the brace stays where it is.
	at := body.Lbrace + 1
	tf := p.Fset.File(at)
	off := tf.Offset(at)
	if nl := bytes.IndexByte(src[off:], '\n'); nl >= 0 {
		rest := strings.TrimSpace(string(src[off : off+nl]))
		if rest == "" || strings.HasPrefix(rest, "//") {
			at = tf.Pos(off + nl)
		}
	}
	return analysis.SuggestedFix{
		Message: fmt.Sprintf("Add %s := %s to give each iteration its own %s now", name, name, name),
		TextEdits: []analysis.TextEdit{{
			Pos: at, End: at,
			NewText: []byte("\n" + indent + name + " := " + name),
		}},
	}, true
}

// hoistFix moves the init statement of a 3-clause loop into a block
// around the loop, so the variable stays shared by all iterations at
// go1.22 and later: { i := 0; for ; i < n; i++ { … } }.
func (p *pass) hoistFix(file *ast.File, lv *loopVar) (analysis.SuggestedFix, bool) {
	fs, ok := lv.loop.(*ast.ForStmt)
	if !ok || fs.Init == nil {
		return analysis.SuggestedFix{}, false
	}
	src := p.src(file)
	if src == nil {
		return analysis.SuggestedFix{}, false
	}
	tf := p.Fset.File(fs.Pos())
	init := string(src[tf.Offset(fs.Init.Pos()):tf.Offset(fs.Init.End())])
	// The loop moves one level in: indent every following line by a tab,
	// unless a raw string spans lines (its text must not change).
	if rawMultiline(fs) {
		return analysis.SuggestedFix{}, false
	}
	start := ast.Node(fs)
	// Keep a label on the loop: wrap the labeled statement. Every use of
	// the variable has the path from the file through the loop.
	if len(lv.uses) > 0 {
		path := lv.uses[0]
		if i := slices.Index(path, ast.Node(fs)); i > 0 {
			if ls, ok := path[i-1].(*ast.LabeledStmt); ok {
				start = ls
			}
		}
	}
	indent := p.indentOf(src, start.Pos())
	lead, pad := "", indent+"\t"
	if start != ast.Node(fs) && tf.Line(start.Pos()) != tf.Line(fs.Pos()) {
		// gofmt sets a label on its own line one tab left of its loop:
		// the block opens at the loop's indent, and in it the label
		// stays one tab left of the loop.
		loopIndent := p.indentOf(src, fs.Pos())
		lead = strings.TrimPrefix(loopIndent, indent)
		indent, pad = loopIndent, loopIndent
	}
	so, eo := tf.Offset(start.Pos()), tf.Offset(fs.End())
	io, ie := tf.Offset(fs.Init.Pos()), tf.Offset(fs.Init.End())
	loopText := string(src[so:io]) + string(src[ie:eo])
	loopText = strings.ReplaceAll(loopText, "\n", "\n\t")
	loopText = strings.ReplaceAll(loopText, "\n\t\n", "\n\n")
	text := lead + "{\n" + indent + "\t" + init + "\n" + pad + loopText + "\n" + indent + "}"
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Declare %s before the loop to keep one %s shared by all iterations", lv.decl.Name, lv.decl.Name),
		TextEdits: []analysis.TextEdit{{Pos: start.Pos(), End: fs.End(), NewText: []byte(text)}},
	}, true
}

func rawMultiline(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING && strings.HasPrefix(bl.Value, "`") && strings.Contains(bl.Value, "\n") {
			found = true
		}
		return !found
	})
	return found
}

// redundantCopies reports v := v copies of per-iteration loop variables
// in a file at go1.22 or later.
func (p *pass) redundantCopies(file *ast.File, fi fileInfo, vars map[*types.Var]*loopVar) []Record {
	var out []Record
	src := p.src(file)
	ast.Inspect(file, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		var names []string
		for i := range as.Lhs {
			l, ok1 := as.Lhs[i].(*ast.Ident)
			r, ok2 := as.Rhs[i].(*ast.Ident)
			if !ok1 || !ok2 || l.Name != r.Name {
				return true
			}
			v, _ := p.TypesInfo.Uses[r].(*types.Var)
			lv := vars[v]
			if lv == nil || !within(as.Pos(), lv.loop) {
				return true
			}
			if !p.copyRedundant(file, as, l, lv) {
				return true
			}
			names = append(names, l.Name)
		}
		copyText := strings.Join(names, ", ") + " := " + strings.Join(names, ", ")
		c := RedundantCopy
		r := Record{
			Check: c.ID, Severity: c.Severity, Pos: as.Pos(), End: as.End(),
			Message: fmt.Sprintf("%s is redundant: this file is at %s (from %s), so each iteration already has its own %s (since %s)",
				copyText, fi.version, fi.source, strings.Join(names, " and "), facts.LoopvarVersion),
			Fix:     "Delete the copy.",
			Details: map[string]string{"variable": strings.Join(names, ","), "version": fi.version, "version-source": fi.source},
		}
		if src != nil {
			r.Suggested = []analysis.SuggestedFix{{
				Message:   "Remove the redundant " + copyText,
				TextEdits: []analysis.TextEdit{p.deleteLine(src, as)},
			}}
		}
		out = append(out, r)
		return true
	})
	return out
}

// copyRedundant reports whether deleting the copy l := v (as, in the
// loop of lv) provably leaves the program's behaviour alone: the copy and
// the loop variable then always hold the same value wherever either is
// read.
//
//   - The loop variable must not be written, nor its address taken, in
//     the loop body: the copy keeps the value of the moment it was made
//     (a copy in a nested block, with v = … or v++ after the block).
//   - If the copy is written or its address taken, those writes reach the
//     loop variable once the copy is gone. In a 3-clause loop that changes
//     the counter; in a range loop it is safe only when nothing reads the
//     loop variable afterwards: the copy is a statement of the body itself
//     (not of a nested block the body goes on after), no func literal of
//     the body reads the loop variable, and no goto leads back before the
//     copy.
func (p *pass) copyRedundant(file *ast.File, as *ast.AssignStmt, l *ast.Ident, lv *loopVar) bool {
	c, _ := p.TypesInfo.Defs[l].(*types.Var)
	if c == nil {
		return false
	}
	body := loopBody(lv.loop)
	if body == nil || writesVar(body, lv.obj, p.TypesInfo) {
		return false
	}
	for _, path := range lv.uses {
		if within(path[len(path)-1].Pos(), body) {
			if k, _ := p.addressTaken(path); k >= 0 {
				return false
			}
		}
	}
	if !p.copyWritten(file, c) {
		return true
	}
	if lv.threeClause || !slices.Contains(body.List, ast.Stmt(as)) {
		return false
	}
	gotoBack := false
	ast.Inspect(body, func(n ast.Node) bool {
		if br, ok := n.(*ast.BranchStmt); ok && br.Tok == token.GOTO {
			gotoBack = true
		}
		return !gotoBack
	})
	if gotoBack {
		return false
	}
	for _, path := range lv.uses {
		id := path[len(path)-1]
		if !within(id.Pos(), body) || within(id.Pos(), as) {
			continue
		}
		for _, n := range path {
			if lit, ok := n.(*ast.FuncLit); ok && within(lit.Pos(), body) {
				return false
			}
		}
	}
	return true
}

// loopBody returns the body of a *ast.RangeStmt or *ast.ForStmt.
func loopBody(loop ast.Stmt) *ast.BlockStmt {
	switch l := loop.(type) {
	case *ast.RangeStmt:
		return l.Body
	case *ast.ForStmt:
		return l.Body
	}
	return nil
}

// copyWritten reports whether the copy c is assigned, incremented or has
// its address taken anywhere in the file.
func (p *pass) copyWritten(file *ast.File, c *types.Var) bool {
	if writesVar(file, c, p.TypesInfo) {
		return true
	}
	found := false
	inspectPath(file, nil, func(n ast.Node, stack []ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && p.TypesInfo.Uses[id] == c {
			if k, _ := p.addressTaken(stack); k >= 0 {
				found = true
			}
		}
		return !found
	})
	return found
}

// deleteLine removes the statement n and, when it stands alone on its
// line (a trailing comment included), the whole line.
func (p *pass) deleteLine(src []byte, n ast.Node) analysis.TextEdit {
	tf := p.Fset.File(n.Pos())
	start, end := tf.Offset(n.Pos()), tf.Offset(n.End())
	ls := bytes.LastIndexByte(src[:start], '\n') + 1
	le := bytes.IndexByte(src[end:], '\n')
	if le < 0 {
		le = len(src)
	} else {
		le += end
	}
	before := strings.TrimSpace(string(src[ls:start]))
	after := strings.TrimSpace(string(src[end:le]))
	if before == "" && (after == "" || strings.HasPrefix(after, "//")) {
		stop := le
		if stop < len(src) {
			stop++ // the newline
		}
		return analysis.TextEdit{Pos: tf.Pos(ls), End: tf.Pos(stop)}
	}
	if strings.HasPrefix(after, ";") {
		end++
	}
	return analysis.TextEdit{Pos: n.Pos(), End: tf.Pos(end)}
}

// maxSourceSize bounds the read of the file cgo rewrote, which fileEdits
// reads to map a fix back into it. Go source files are far smaller.
const maxSourceSize = 16 << 20

// cgoHeader is the first comment of every Go file cmd/cgo writes.
var cgoHeader = []byte("// Code generated by cmd/cgo; DO NOT EDIT.")

// fileEdits turns fix into byte edits of the files that hold the bytes.
//
// A position's file and offset come from the token.File unadjusted
// (PositionFor(pos, false)): a //line directive renames the file and
// renumbers its lines for messages, but the bytes stay where they are.
// A cgo file is different: the go command hands the analyzer cmd/cgo's
// rewrite of it (C.f becomes _Cfunc_f), whose //line directives lead
// back to the original. There the edit is mapped through the adjusted
// line and column to the original file, and kept only if the original
// holds the same bytes from the start of the line to the end of the
// edit; otherwise the fix is refused, with the reason.
func (p *pass) fileEdits(fix analysis.SuggestedFix, check string) ([]Edit, string) {
	var out []Edit
	for _, te := range fix.TextEdits {
		end := te.End
		if !end.IsValid() {
			end = te.Pos
		}
		tf := p.Fset.File(te.Pos)
		if tf == nil {
			return nil, "the edit has no position"
		}
		s, e := tf.PositionFor(te.Pos, false), tf.PositionFor(end, false)
		ed := Edit{File: s.Filename, Start: s.Offset, End: e.Offset, New: string(te.NewText), Check: check}
		src := p.srcOf(tf)
		if src == nil || !isCgoOutput(src) {
			out = append(out, ed)
			continue
		}
		mapped, why := p.cgoEdit(src, tf, te.Pos, end, ed)
		if why != "" {
			return nil, why
		}
		out = append(out, mapped)
	}
	return out, ""
}

// cgoEdit maps ed, an edit of cmd/cgo's rewrite src of a file, to the
// original file.
func (p *pass) cgoEdit(src []byte, tf *token.File, pos, end token.Pos, ed Edit) (Edit, string) {
	as, ae := tf.PositionFor(pos, true), tf.PositionFor(end, true)
	const refuse = "this is a cgo file, and the fix was computed on cmd/cgo's rewrite of it, which differs from the file here; apply it by hand"
	if as.Filename == "" || as.Filename != ae.Filename || as.Line < 1 || as.Column < 1 || ae.Line < 1 || ae.Column < 1 {
		return Edit{}, refuse
	}
	orig, err := fsread.ReadFile(as.Filename, maxSourceSize)
	if err != nil {
		return Edit{}, "this is a cgo file, and its source cannot be read to map the fix to it: " + err.Error()
	}
	ms, ok1 := offsetOf(orig, as.Line, as.Column)
	me, ok2 := offsetOf(orig, ae.Line, ae.Column)
	if !ok1 || !ok2 || me < ms {
		return Edit{}, refuse
	}
	rls := bytes.LastIndexByte(src[:ed.Start], '\n') + 1
	ols := bytes.LastIndexByte(orig[:ms], '\n') + 1
	if !bytes.Equal(src[rls:ed.End], orig[ols:me]) || ed.Start-rls != ms-ols {
		return Edit{}, refuse
	}
	return Edit{File: as.Filename, Start: ms, End: me, New: ed.New, Check: ed.Check}, ""
}

// offsetOf returns the byte offset of line:column (1-based, column in
// bytes) in src.
func offsetOf(src []byte, line, col int) (int, bool) {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return 0, false
		}
		off += i + 1
	}
	eol := bytes.IndexByte(src[off:], '\n')
	if eol < 0 {
		eol = len(src) - off
	}
	if col-1 > eol {
		return 0, false
	}
	return off + col - 1, true
}

// isCgoOutput reports whether src is a Go file written by cmd/cgo: its
// header comes before the package clause.
func isCgoOutput(src []byte) bool {
	head := src
	if i := bytes.Index(src, []byte("\npackage ")); i >= 0 {
		head = src[:i]
	}
	return bytes.Contains(head, cgoHeader)
}

// srcOf returns the bytes of tf's file (unadjusted name), or nil.
func (p *pass) srcOf(tf *token.File) []byte {
	for _, f := range p.Files {
		if p.Fset.File(f.Pos()) == tf {
			return p.src(f)
		}
	}
	return nil
}
