package module

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"strconv"
	"strings"
)

// File is what one Go source file holds that checks ask about.
type File struct {
	// Name is the file's path as given to ScanFile.
	Name    string
	Package string
	// Test is true for _test.go files.
	Test bool
	// Directives are the //go:debug lines before the package clause; the
	// go command honours them only in main packages and test files.
	Directives []Directive
	Imports    []Import
	Calls      []Call
	// Funcs are the top-level functions (not methods), with their lines.
	Funcs []Func
}

// Func is a top-level function declaration.
type Func struct {
	Name string
	Line int
}

// Import is one import spec.
type Import struct {
	Path string
	// Name is the local name the file uses ("" when the default).
	Name string
	Line int
	Col  int
}

// Call is a call through a selector, x.F(…): a package-level function of
// an imported package (Pkg set) or a method or field of a value (Recv set
// to the source text of x).
type Call struct {
	Pkg  string
	Recv string
	Name string
	Line int
	Col  int
	// StringArg is the first argument when it is a string literal.
	StringArg    string
	HasStringArg bool
}

// ScanFile parses one Go source file. name is used in errors and kept in
// File.Name.
func ScanFile(name string, src []byte) (*File, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	out := &File{Name: name, Package: f.Name.Name, Test: strings.HasSuffix(name, "_test.go")}
	for _, cg := range f.Comments {
		if cg.Pos() >= f.Package {
			break
		}
		for _, c := range cg.List {
			text, ok := strings.CutPrefix(c.Text, "//go:debug")
			if !ok || text != "" && text[0] != ' ' && text[0] != '\t' {
				continue
			}
			k, v, _ := strings.Cut(strings.TrimSpace(text), "=")
			out.Directives = append(out.Directives, Directive{Key: strings.TrimSpace(k), Value: strings.TrimSpace(v), Line: fset.Position(c.Pos()).Line})
		}
	}
	names := map[string]string{} // local name -> import path
	for _, is := range f.Imports {
		p, err := strconv.Unquote(is.Path.Value)
		if err != nil {
			continue
		}
		pos := fset.Position(is.Pos())
		imp := Import{Path: p, Line: pos.Line, Col: pos.Column}
		local := path.Base(p)
		if is.Name != nil {
			imp.Name = is.Name.Name
			local = is.Name.Name
		}
		out.Imports = append(out.Imports, imp)
		if local != "_" && local != "." {
			names[local] = p
		}
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
			out.Funcs = append(out.Funcs, Func{Name: fd.Name.Name, Line: fset.Position(fd.Pos()).Line})
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		ce, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := ce.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		pos := fset.Position(sel.Sel.Pos())
		c := Call{Name: sel.Sel.Name, Line: pos.Line, Col: pos.Column}
		if id, ok := sel.X.(*ast.Ident); ok && names[id.Name] != "" {
			c.Pkg = names[id.Name]
		} else {
			c.Recv = exprText(sel.X)
		}
		if len(ce.Args) > 0 {
			if bl, ok := ce.Args[0].(*ast.BasicLit); ok && bl.Kind == token.STRING {
				if s, err := strconv.Unquote(bl.Value); err == nil {
					c.StringArg, c.HasStringArg = s, true
				}
			}
		}
		out.Calls = append(out.Calls, c)
		return true
	})
	return out, nil
}

// exprText renders simple receiver expressions (a, a.b, a[i], f()) and
// "…" for anything else.
func exprText(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprText(x.X) + "." + x.Sel.Name
	case *ast.ParenExpr:
		return "(" + exprText(x.X) + ")"
	case *ast.StarExpr:
		return "*" + exprText(x.X)
	case *ast.IndexExpr:
		return exprText(x.X) + "[…]"
	case *ast.CallExpr:
		return exprText(x.Fun) + "(…)"
	}
	return "…"
}
