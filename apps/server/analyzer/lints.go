package main

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
)

// Lint is a proxy-wasm mistake found in the source, with a quick fix where one is obvious.
type Lint struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Fix       *Fix   `json:"fix,omitempty"`
}

// Fix replaces ranges of the file (1-based lines and columns; the end is exclusive).
type Fix struct {
	Title string `json:"title"`
	Edits []Edit `json:"edits"`
}

type Edit struct {
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Text      string `json:"text"`
}

const (
	higressSDK = "github.com/higress-group/proxy-wasm-go-sdk"
	tetrateSDK = "github.com/tetratelabs/proxy-wasm-go-sdk"
)

// Calls that end a paused stream: resuming it, or answering it.
var streamEnders = map[string]bool{
	"ResumeHttpRequest": true, "ResumeHttpResponse": true, "SendHttpResponse": true,
	"SendHttpResponseWithDetail": true, "ResumeHttpRequestWithBody": true,
}

type linter struct {
	fset   *token.FileSet
	out    []Lint
	enders map[string]bool // package-level functions that end a stream somewhere in their body
}

func (l *linter) add(rel, code, msg string, from, to token.Pos, fix *Fix) {
	a, b := l.fset.Position(from), l.fset.Position(to)
	l.out = append(l.out, Lint{Code: code, Message: msg, File: rel, Line: a.Line, Column: a.Column, EndLine: b.Line, EndColumn: b.Column, Fix: fix})
}

func (l *linter) edit(from, to token.Pos, text string) Edit {
	a, b := l.fset.Position(from), l.fset.Position(to)
	return Edit{Line: a.Line, Column: a.Column, EndLine: b.Line, EndColumn: b.Column, Text: text}
}

// importNames maps import paths to the names a file uses for them.
func importNames(f *ast.File) map[string]string {
	names := map[string]string{}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		name := p[strings.LastIndex(p, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[p] = name
	}
	return names
}

// isCall reports a call of pkg.fn where pkg is the file's name for an import path.
func isCall(n ast.Node, pkgName string, fns ...string) bool {
	call, ok := n.(*ast.CallExpr)
	if !ok || pkgName == "" {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	if id, ok := sel.X.(*ast.Ident); !ok || id.Name != pkgName {
		return false
	}
	for _, fn := range fns {
		if sel.Sel.Name == fn {
			return true
		}
	}
	return false
}

// endsStream reports whether a body calls something that resumes or answers a paused stream.
func (l *linter) endsStream(body ast.Node) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				found = found || streamEnders[fn.Sel.Name]
			case *ast.Ident:
				found = found || streamEnders[fn.Name] || l.enders[fn.Name]
			}
		}
		return !found
	})
	return found
}

func lints(files []source, fset *token.FileSet) []Lint {
	l := &linter{fset: fset, enders: map[string]bool{}}
	for _, s := range files {
		for _, d := range s.file.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Body != nil && l.endsStream(fn.Body) {
				l.enders[fn.Name.Name] = true
			}
		}
	}
	for _, s := range files {
		l.file(s)
	}
	if l.out == nil {
		return []Lint{}
	}
	return l.out
}

func (l *linter) file(s source) {
	names := importNames(s.file)
	for _, imp := range s.file.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if strings.HasPrefix(p, tetrateSDK) {
			fixed := strconv.Quote(higressSDK + strings.TrimPrefix(p, tetrateSDK))
			l.add(s.rel, "tetratelabs-sdk",
				"Higress plugins use the fork "+higressSDK+" (same API); the upstream tetratelabs SDK lacks the Higress host calls",
				imp.Path.Pos(), imp.Path.End(),
				&Fix{Title: "Import the Higress fork", Edits: []Edit{l.edit(imp.Path.Pos(), imp.Path.End(), fixed)}})
		}
	}
	for _, d := range s.file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		if fn.Recv == nil && fn.Name.Name == "main" && s.file.Name.Name == "main" {
			l.setCtxInMain(s, fn)
		}
	}
	httpName := names["net/http"]
	timeName := names["time"]
	typesName := names[higressSDK+"/proxywasm/types"]
	if typesName == "" {
		typesName = names[tetrateSDK+"/proxywasm/types"]
	}
	ast.Inspect(s.file, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			if isCall(x, httpName, "Get", "Post", "Head", "PostForm", "NewRequest", "NewRequestWithContext") {
				l.add(s.rel, "net-http-client",
					"net/http cannot send requests from a plugin: call other services with wrapper.NewClusterClient(...).Get/Post, whose callback runs when the answer arrives",
					x.Pos(), x.End(), nil)
			}
			if isCall(x, timeName, "Sleep", "After", "Tick", "NewTimer", "NewTicker") {
				l.add(s.rel, "blocking-call",
					"a plugin must never block the gateway's worker: instead of waiting, return types.ActionPause and resume from a callout callback, or use a tick (wrapper.RegisterTickFunc)",
					x.Pos(), x.End(), nil)
			}
		case *ast.CompositeLit:
			if sel, ok := x.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Client" {
				if id, ok := sel.X.(*ast.Ident); ok && httpName != "" && id.Name == httpName {
					l.add(s.rel, "net-http-client",
						"an http.Client cannot connect from a plugin: use wrapper.NewClusterClient(...)", x.Pos(), x.End(), nil)
				}
			}
		case *ast.SelectStmt:
			if len(x.Body.List) == 0 {
				l.add(s.rel, "blocking-call", "an empty select blocks forever and stalls the gateway", x.Pos(), x.End(), nil)
			}
		case *ast.UnaryExpr:
			if x.Op == token.ARROW {
				l.add(s.rel, "blocking-call",
					"receiving from a channel blocks the gateway's worker until a value comes; plugin callbacks must return at once",
					x.Pos(), x.End(), nil)
			}
		case *ast.FuncDecl:
			if x.Body != nil {
				l.pauseWithoutResume(s, x.Body, typesName)
			}
		}
		return true
	})
}

func (l *linter) setCtxInMain(s source, fn *ast.FuncDecl) {
	var call *ast.CallExpr
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if sel, ok := c.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "SetCtx" && call == nil {
				call = c
			}
		}
		return call == nil
	})
	if call == nil {
		return
	}
	l.add(s.rel, "setctx-in-main",
		"wrapper.SetCtx is called in main(), which never runs in a Go 1.24 wasip1 plugin (the gateway only runs init()): register the plugin in func init()",
		call.Pos(), call.End(),
		&Fix{Title: "Move it into func init()", Edits: []Edit{
			l.edit(fn.Name.Pos(), fn.Name.End(), "init"),
			l.edit(fn.End(), fn.End(), "\n\nfunc main() {}"),
		}})
}

// pauseWithoutResume flags `return types.ActionPause` in a function from which nothing ever
// resumes or answers the stream: the request would hang until the gateway times it out.
func (l *linter) pauseWithoutResume(s source, body *ast.BlockStmt, typesName string) {
	if typesName == "" || l.endsStream(body) {
		return
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		ret, ok := n.(*ast.ReturnStmt)
		if !ok {
			return true
		}
		for _, r := range ret.Results {
			if sel, ok := r.(*ast.SelectorExpr); ok && sel.Sel.Name == "ActionPause" {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == typesName {
					l.add(s.rel, "pause-without-resume",
						"this handler pauses the stream but nothing resumes it: call proxywasm.ResumeHttpRequest() (or ResumeHttpResponse) from a callback, or answer with proxywasm.SendHttpResponse, or the request hangs until the gateway's timeout",
						r.Pos(), r.End(), nil)
				}
			}
		}
		return true
	})
}
