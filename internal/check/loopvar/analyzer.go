package loopvar

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/gocompat/gocompat/internal/facts"
	"github.com/gocompat/gocompat/internal/finding"
)

const doc = `report loops whose behaviour depends on Go 1.22 per-iteration loop variables

In files below go1.22 it reports every loop variable that the compiler
would make per-iteration on an upgrade (captured by a func literal, or
its address taken, also by a pointer-receiver method call or method
value), at the variable's declaration, and classifies the change. In
files at go1.22 or later it reports redundant v := v copies, and files
that a //go:build go1.21 (or lower) line keeps on the old semantics.`

// Analyzer is the loopvar analyzer. Its diagnostics carry the check ID in
// Category; its result ([]Record) carries severity and evidence as well.
// With its flag -records (-loopvar.records under go vet) the Category
// carries the rest of the Record too, so that a driver reading go vet
// -json output gets whole findings (see analyzeVet).
var Analyzer = &analysis.Analyzer{
	Name:       "loopvar",
	Doc:        doc,
	URL:        "https://github.com/gocompat/gocompat/tree/main/docs/checks/loopvar",
	Run:        run,
	ResultType: reflect.TypeFor[[]Record](),
}

// Record is one finding of the analyzer with what a report needs beyond
// an analysis.Diagnostic.
type Record struct {
	Check    string
	Severity finding.Severity
	Pos, End token.Pos
	Message  string
	// Fix says in words what to do.
	Fix string
	// Details is structured evidence: variable, version, version-source,
	// direction, compiler (why the compiler may not list it).
	Details map[string]string
	// Suggested are the edits offered; the first one is what --fix
	// applies.
	Suggested []analysis.SuggestedFix
	// Edits are the first suggested fix's edits in bytes of the files
	// that hold them: not the //line-adjusted file, and for a cgo file
	// the file cgo rewrote (see fileEdits).
	Edits []Edit
	// Sources are cited beyond the check's, for a fact the message
	// states.
	Sources []finding.Source
}

// loopVar is one variable declared with := in a loop header.
type loopVar struct {
	obj         *types.Var
	decl        *ast.Ident
	loop        ast.Stmt // *ast.RangeStmt or *ast.ForStmt
	threeClause bool
	rangeFunc   bool
	uses        [][]ast.Node // root-to-ident paths of every use
}

type fileInfo struct {
	version string // the file's language version
	source  string // where version comes from, in words
	tag     string // the file's own //go:build version, or ""
	// cites are the sources of the fact source states, if any.
	cites []finding.Source
}

type pass struct {
	*analysis.Pass
	funcs map[*types.Func]*ast.FuncDecl
	srcs  map[*ast.File][]byte // see src
}

func run(p *analysis.Pass) (_ any, err error) {
	// checker runs passes on their own goroutines, where a panic would
	// end the process with a stack trace: report it as an error instead.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error analysing %s: %v (please report this)", p.Pkg.Path(), r)
		}
	}()
	ps := &pass{Pass: p}
	var out []Record
	for _, file := range p.Files {
		fi := ps.fileVersion(file)
		vars, order := ps.collect(file)
		switch {
		case facts.PerIterationLoopVars(fi.version):
			out = append(out, ps.redundantCopies(file, fi, vars)...)
		default:
			for _, lv := range order {
				if lv.rangeFunc {
					continue
				}
				if r, ok := ps.leakRecord(file, fi, lv); ok {
					out = append(out, r)
				}
			}
		}
	}
	for i := range out {
		r := &out[i]
		if len(r.Suggested) > 0 {
			edits, refused := ps.fileEdits(r.Suggested[0], r.Check)
			if refused != "" {
				r.Suggested = nil
				r.Details["fix-refused"] = refused
			}
			r.Edits = edits
		}
	}
	for _, r := range out {
		category := r.Check
		if withRecords {
			category = encodeCategory(r)
		}
		p.Report(analysis.Diagnostic{
			Pos: r.Pos, End: r.End, Category: category,
			Message: r.Message, SuggestedFixes: r.Suggested,
		})
	}
	return out, nil
}

// fileVersion returns the file's language version as go/types computed
// it and says where it comes from.
func (p *pass) fileVersion(file *ast.File) fileInfo {
	v := p.TypesInfo.FileVersions[file]
	pkgV := p.Pkg.GoVersion()
	if v == "" && pkgV == "" && p.Module != nil && p.Module.Path != "" {
		// A module whose go.mod has no go line is go1.16 to the compiler.
		return fileInfo{version: facts.DefaultGoLine, source: "go.mod has no go directive, which means " + facts.DefaultGoLine,
			cites: []finding.Source{facts.SrcGoLineDefault}}
	}
	if file.GoVersion != "" {
		src := "its //go:build " + file.GoVersion + " line"
		if v != file.GoVersion {
			src += ", raised to the " + facts.MinTaggedFileVersion + " minimum of build lines"
		}
		return fileInfo{version: v, source: src, tag: file.GoVersion}
	}
	if p.Module != nil && p.Module.GoVersion != "" {
		fi := fileInfo{version: v, source: "the go directive in " + p.Module.Path + "'s go.mod"}
		// go/packages reports the version as "1.16", go vet as "go1.16".
		if "go"+strings.TrimPrefix(p.Module.GoVersion, "go") == facts.DefaultGoLine {
			// The go command reports a go.mod without a go directive
			// as go 1.16 too; the analyzer cannot tell the two apart.
			fi.source += ", or the lack of one, which means " + facts.DefaultGoLine
			fi.cites = []finding.Source{facts.SrcGoLineDefault}
		}
		return fi
	}
	return fileInfo{version: v, source: "the package's language version (-lang)"}
}

// collect finds every loop variable declared with := in a loop header and
// every use of it, with the path from the file to the use.
func (p *pass) collect(file *ast.File) (map[*types.Var]*loopVar, []*loopVar) {
	vars := map[*types.Var]*loopVar{}
	var order []*loopVar
	add := func(id ast.Expr, loop ast.Stmt, three, rangeFunc bool) {
		ident, ok := id.(*ast.Ident)
		if !ok || ident.Name == "_" {
			return
		}
		v, ok := p.TypesInfo.Defs[ident].(*types.Var)
		if !ok || v == nil {
			return
		}
		lv := &loopVar{obj: v, decl: ident, loop: loop, threeClause: three, rangeFunc: rangeFunc}
		vars[v] = lv
		order = append(order, lv)
	}
	inspectPath(file, nil, func(n ast.Node, stack []ast.Node) bool {
		switch n := n.(type) {
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				rf := false
				if t := p.TypesInfo.TypeOf(n.X); t != nil {
					_, rf = t.Underlying().(*types.Signature)
				}
				add(n.Key, n, false, rf)
				if n.Value != nil {
					add(n.Value, n, false, rf)
				}
			}
		case *ast.ForStmt:
			if as, ok := n.Init.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
				for _, l := range as.Lhs {
					add(l, n, true, false)
				}
			}
		case *ast.Ident:
			if v, ok := p.TypesInfo.Uses[n].(*types.Var); ok {
				if lv := vars[v]; lv != nil {
					lv.uses = append(lv.uses, slices.Clone(stack))
				}
			}
		}
		return true
	})
	return vars, order
}

// leak is one place where a loop variable escapes its iteration
// syntactically, the way the compiler sees it.
type leak struct {
	path []ast.Node // root to the leaking expression
	how  string     // "is captured by a func literal", "has its address taken" …
	verdict
	// compiler says why the compiler may leave this one out of its log.
	compiler string
}

// leaks returns the syntactic leaks of lv: one per func literal that
// captures it (nested ones too: a literal called in place may hold one
// that escapes) and one per address-taking use.
func (p *pass) leaks(lv *loopVar) []leak {
	var out []leak
	seenLit := map[ast.Node]bool{}
	for _, path := range lv.uses {
		li := slices.Index(path, ast.Node(lv.loop))
		if li < 0 {
			continue
		}
		outer := -1
		for j := li + 1; j < len(path); j++ {
			if _, ok := path[j].(*ast.FuncLit); !ok {
				continue
			}
			if outer < 0 {
				outer = j
			}
			if seenLit[path[j]] {
				continue
			}
			seenLit[path[j]] = true
			l := leak{path: path[:j+1], how: "is captured by a func literal"}
			if underReturn(path, li, outer) {
				l.compiler = "under-return"
			}
			out = append(out, l)
		}
		if k, how := p.addressTaken(path); k >= 0 {
			l := leak{path: path[:k+1], how: how}
			if outer < 0 {
				outer = k
			}
			if underReturn(path, li, outer) {
				l.compiler = "under-return"
			}
			out = append(out, l)
		}
	}
	return out
}

// underReturn reports whether path[k] lies in a return statement with no
// loop between the return and it (after path[li], the loop): the compiler
// does not count such captures (cmd/compile/internal/loopvar).
func underReturn(path []ast.Node, li, k int) bool {
	ret := false
	for j := li + 1; j < k; j++ {
		switch n := path[j].(type) {
		case *ast.ReturnStmt:
			ret = true
		case *ast.ForStmt:
			ret = false
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				ret = false
			}
		}
	}
	return ret
}

// addressTaken looks at the use at the end of path and reports the index
// of the expression that takes the variable's address, if any: &v, &v.f,
// &v[i] of an array, v[:] of an array, and the implicit &v of a
// pointer-receiver method call or method value.
func (p *pass) addressTaken(path []ast.Node) (int, string) {
	j := len(path) - 1
	e := path[j].(ast.Expr)
	for j > 0 {
		switch parent := path[j-1].(type) {
		case *ast.ParenExpr:
			e, j = parent, j-1
			continue
		case *ast.SelectorExpr:
			if parent.X != e {
				return -1, ""
			}
			sel := p.TypesInfo.Selections[parent]
			if sel == nil || sel.Indirect() {
				return -1, ""
			}
			switch sel.Kind() {
			case types.FieldVal:
				e, j = parent, j-1
				continue
			case types.MethodVal:
				if !pointerRecv(sel) || isPointerOrInterface(p.TypesInfo.TypeOf(e)) {
					return -1, ""
				}
				if j >= 2 {
					if call, ok := path[j-2].(*ast.CallExpr); ok && call.Fun == parent {
						return j - 2, "has its address taken by the pointer-receiver method call " + exprString(parent) + "()"
					}
				}
				return j - 1, "has its address taken by the pointer-receiver method value " + exprString(parent)
			}
			return -1, ""
		case *ast.IndexExpr:
			if parent.X != e || !isArray(p.TypesInfo.TypeOf(e)) {
				return -1, ""
			}
			e, j = parent, j-1
			continue
		case *ast.UnaryExpr:
			if parent.Op == token.AND {
				return j - 1, "has its address taken (" + exprString(parent) + ")"
			}
			return -1, ""
		case *ast.SliceExpr:
			if parent.X == e && isArray(p.TypesInfo.TypeOf(e)) {
				return j - 1, "has its address taken by slicing the array (" + exprString(parent) + ")"
			}
			return -1, ""
		}
		return -1, ""
	}
	return -1, ""
}

func pointerRecv(sel *types.Selection) bool {
	sig, ok := sel.Obj().Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return false
	}
	_, ptr := sig.Recv().Type().(*types.Pointer)
	return ptr
}

func isPointerOrInterface(t types.Type) bool {
	if t == nil {
		return true
	}
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface:
		return true
	}
	return false
}

func isArray(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Array)
	return ok
}

// leakRecord turns the leaks of one variable of a file below go1.22 into
// a record, or nothing if the variable does not leak.
func (p *pass) leakRecord(file *ast.File, fi fileInfo, lv *loopVar) (Record, bool) {
	ls := p.leaks(lv)
	if len(ls) == 0 {
		return Record{}, false
	}
	worst := -1
	writes := false
	for i := range ls {
		ls[i].verdict = p.classify(lv, ls[i].path, len(ls[i].path)-1, 0)
		if ls[i].kind == changes && lv.threeClause && ls[i].writes {
			writes = true
		}
		if worst < 0 || ls[i].kind > ls[worst].kind {
			worst = i
		}
	}
	l := ls[worst]
	name := lv.decl.Name
	// The compiler leaves a variable out of its log when every leak is
	// under a return, or is a func literal called in place that inlining
	// removes first.
	var reasons []string
	for _, x := range ls {
		why := x.compiler
		if why == "" && x.kind == none && x.syncCall {
			why = "inlined-call"
		}
		if why == "" {
			reasons = nil
			break
		}
		if !slices.Contains(reasons, why) {
			reasons = append(reasons, why)
		}
	}
	if p.inGeneric(file, lv) {
		// The compiler compiles generic code per instantiation only.
		reasons = []string{"generic"}
	}
	compiler := strings.Join(reasons, ",")
	loopKind := "range loop"
	if lv.threeClause {
		loopKind = "3-clause for loop"
	}
	det := map[string]string{
		"variable":       name,
		"loop":           loopKind,
		"version":        fi.version,
		"version-source": fi.source,
		"leak":           strings.TrimPrefix(l.how, "is ") + ", " + l.where,
	}
	if compiler != "" {
		det["compiler"] = compiler
	}
	r := Record{Pos: lv.decl.Pos(), End: lv.decl.End(), Details: det, Sources: append(slices.Clone(fi.cites), l.cite...)}
	today := fmt.Sprintf("this file is at %s (from %s)", fi.version, fi.source)
	if fi.tag != "" {
		// A //go:build line pins the file: raising the go line does not
		// change this loop; removing or raising the build line does.
		c := PinnedOldSemantics
		r.Check, r.Severity = c.ID, c.Severity
		r.Message = fmt.Sprintf("loop variable %s %s, %s; %s, so it keeps one %s shared by all iterations whatever the go line says, and would become per-iteration only if the build line is raised to go1.22 or removed (%s)",
			name, l.how, l.where, today, name, kindWords[l.kind])
		r.Fix = "Raise or drop the //go:build go version when the loop is ready for per-iteration variables; until then the go line does not affect this file."
		det["change"] = kindName[l.kind]
		return r, true
	}
	switch l.kind {
	case changes:
		c := ChangesBehaviour
		r.Check, r.Severity = c.ID, c.Severity
		if writes {
			det["direction"] = "breaks-shared-use"
			r.Message = fmt.Sprintf("loop variable %s %s, %s, and %s is written through it, so the loop relies on one %s shared by all iterations; %s; at %s each iteration gets its own %s and those writes no longer reach the loop: the upgrade breaks this loop",
				name, l.how, l.where, name, name, today, facts.LoopvarVersion, name)
			r.Fix = fmt.Sprintf("Keep the shared variable explicitly by declaring %s before the loop (var %s …; for %s = …), or rewrite the loop so it does not write the variable through the capture.", name, name, name)
			if fix, ok := p.hoistFix(file, lv); ok {
				r.Suggested = []analysis.SuggestedFix{fix}
			}
		} else {
			det["direction"] = "fixes-latent-bug"
			r.Severity = finding.Warning
			r.Message = fmt.Sprintf("loop variable %s %s, %s; %s, so today every iteration shares one %s and what runs later sees its last value; at %s each iteration gets its own %s: the upgrade fixes this latent bug and changes what the program does",
				name, l.how, l.where, today, name, facts.LoopvarVersion, name)
			r.Fix = fmt.Sprintf("Add %s := %s as the first statement of the loop body to get the per-iteration behaviour today, or raise the go line to %s.", name, name, facts.LoopvarVersion)
			if fix, ok := p.copyFix(file, lv, ls); ok {
				r.Suggested = []analysis.SuggestedFix{fix}
			}
		}
	case may:
		c := MayChangeBehaviour
		r.Check, r.Severity = c.ID, c.Severity
		r.Message = fmt.Sprintf("loop variable %s %s, %s; %s: if it is kept, today every iteration shares one %s, and at %s each iteration gets its own",
			name, l.how, l.where, today, name, facts.LoopvarVersion)
		r.Fix = fmt.Sprintf("Check whether the callee keeps the value after it returns; if it does, add %s := %s at the top of the loop body to get the per-iteration behaviour today.", name, name)
		if qs := escapeRefinable(ls); len(qs) > 0 && l.ifNotKept != "" {
			det["escape-check"] = strings.Join(qs, "\n")
			det["leak-if-not-kept"] = l.how + ", " + l.ifNotKept
		}
	default:
		c := NoChange
		r.Check, r.Severity = c.ID, c.Severity
		r.Message, r.Fix = noChangeText(name, l.how+", "+l.where, today)
	}
	return r, true
}

var kindName = map[kind]string{none: "no-change", may: "may-change", changes: "changes"}
var kindWords = map[kind]string{
	none:    "its behaviour would not change",
	may:     "its behaviour may change",
	changes: "its behaviour would change",
}

// exprString renders a short expression for messages.
func exprString(e ast.Expr) string {
	var b strings.Builder
	writeExpr(&b, e)
	return b.String()
}

func writeExpr(b *strings.Builder, e ast.Expr) {
	switch e := e.(type) {
	case *ast.Ident:
		b.WriteString(e.Name)
	case *ast.SelectorExpr:
		writeExpr(b, e.X)
		b.WriteString(".")
		b.WriteString(e.Sel.Name)
	case *ast.UnaryExpr:
		b.WriteString(e.Op.String())
		writeExpr(b, e.X)
	case *ast.StarExpr:
		b.WriteString("*")
		writeExpr(b, e.X)
	case *ast.ParenExpr:
		b.WriteString("(")
		writeExpr(b, e.X)
		b.WriteString(")")
	case *ast.IndexExpr:
		writeExpr(b, e.X)
		b.WriteString("[…]")
	case *ast.SliceExpr:
		writeExpr(b, e.X)
		b.WriteString("[:]")
	case *ast.CallExpr:
		writeExpr(b, e.Fun)
		b.WriteString("(…)")
	case *ast.FuncLit:
		b.WriteString("func literal")
	default:
		b.WriteString("…")
	}
}

// inGeneric reports whether lv's loop is in a function with type
// parameters (or a method of a generic type).
func (p *pass) inGeneric(file *ast.File, lv *loopVar) bool {
	for _, d := range file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || !within(lv.loop.Pos(), fd) {
			continue
		}
		if fd.Type.TypeParams != nil && len(fd.Type.TypeParams.List) > 0 {
			return true
		}
		if fn, ok := p.TypesInfo.Defs[fd.Name].(*types.Func); ok && fd.Recv != nil {
			if sig := fn.Signature(); sig.RecvTypeParams().Len() > 0 {
				return true
			}
		}
	}
	return false
}

// inspectPath walks root as ast.Inspect does, giving fn each node with
// the path to it: prefix, then the nodes from root down to n, n last.
// When fn returns false, n's children are skipped and n leaves the path.
func inspectPath(root ast.Node, prefix []ast.Node, fn func(n ast.Node, stack []ast.Node) bool) {
	stack := append([]ast.Node(nil), prefix...)
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		if fn(n, stack) {
			return true
		}
		stack = stack[:len(stack)-1]
		return false
	})
}
