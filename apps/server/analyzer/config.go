package main

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
)

// ConfigKey is one path the plugin reads from its JSON configuration, e.g. `json.Get("a.b").Int()`.
type ConfigKey struct {
	Path     string `json:"path"`
	Accessor string `json:"accessor,omitempty"`
	Type     string `json:"type"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
}

// ConfigError is a message a config parser can return, for pointing at the key it names.
type ConfigError struct {
	Message string `json:"message"`
	File    string `json:"file"`
	Line    int    `json:"line"`
}

// gjson accessors and the JSON type they expect.
var accessorTypes = map[string]string{
	"Bool": "boolean", "Int": "integer", "Uint": "integer", "Float": "number", "Num": "number",
	"String": "string", "Str": "string", "Array": "array", "Map": "object", "ForEach": "object",
	"Exists": "any", "Raw": "any", "Value": "any", "IsArray": "array", "IsObject": "object", "IsBool": "boolean",
}

type positioner func(rel string, p token.Pos) (int, int)

// gjsonParams names the parameters and variables of type gjson.Result in a function, with the
// path prefix each stands for ("" for the whole config).
func gjsonParams(fn *ast.FuncType) map[string]string {
	vars := map[string]string{}
	if fn.Params == nil {
		return vars
	}
	for _, field := range fn.Params.List {
		if sel, ok := field.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Result" {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "gjson" {
				for _, n := range field.Names {
					vars[n.Name] = ""
				}
			}
		}
	}
	return vars
}

// getPath reads `x.Get("a").Get("b")` back to the variable x and the path "a.b".
func getPath(e ast.Expr, vars map[string]string) (string, bool) {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		if id, ok := e.(*ast.Ident); ok {
			p, known := vars[id.Name]
			return p, known
		}
		return "", false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Get" || len(call.Args) != 1 {
		return "", false
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	key, err := strconv.Unquote(lit.Value)
	if err != nil {
		return "", false
	}
	prefix, ok := getPath(sel.X, vars)
	if !ok {
		return "", false
	}
	if prefix == "" {
		return key, true
	}
	return prefix + "." + key, true
}

func configKeys(s source, pos positioner) []ConfigKey {
	var keys []ConfigKey
	seen := map[string]int{}
	ast.Inspect(s.file, func(n ast.Node) bool {
		var ftype *ast.FuncType
		var body *ast.BlockStmt
		switch f := n.(type) {
		case *ast.FuncDecl:
			ftype, body = f.Type, f.Body
		case *ast.FuncLit:
			ftype, body = f.Type, f.Body
		default:
			return true
		}
		vars := gjsonParams(ftype)
		if len(vars) == 0 || body == nil {
			return true
		}
		ast.Inspect(body, func(m ast.Node) bool {
			switch x := m.(type) {
			case *ast.AssignStmt:
				// v := json.Get("a") makes v stand for "a".
				for i, rhs := range x.Rhs {
					if p, ok := getPath(rhs, vars); ok && i < len(x.Lhs) {
						if id, ok := x.Lhs[i].(*ast.Ident); ok && p != "" {
							vars[id.Name] = p
						}
					}
				}
			case *ast.CallExpr:
				sel, ok := x.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				record := func(p, accessor, typ string, at token.Pos) {
					if i, found := seen[p]; found {
						if keys[i].Accessor == "" && accessor != "" {
							keys[i].Accessor, keys[i].Type = accessor, typ
						}
						return
					}
					line, col := pos(s.rel, at)
					seen[p] = len(keys)
					keys = append(keys, ConfigKey{Path: p, Accessor: accessor, Type: typ, File: s.rel, Line: line, Column: col})
				}
				// The outer call (the accessor) is seen before the Get inside it.
				if t, isAccessor := accessorTypes[sel.Sel.Name]; isAccessor {
					if p, ok := getPath(sel.X, vars); ok && p != "" {
						record(p, sel.Sel.Name, t, sel.X.Pos())
					}
				} else if sel.Sel.Name == "Get" {
					if p, ok := getPath(x, vars); ok {
						record(p, "", "any", x.Pos())
					}
				}
			}
			return true
		})
		return true
	})
	return keys
}

// configErrors collects the literal messages of errors.New / fmt.Errorf in functions that take
// a gjson.Result, where a config parser says what is wrong.
func configErrors(s source, pos positioner) []ConfigError {
	var out []ConfigError
	for _, decl := range s.file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil || len(gjsonParams(fn.Type)) == 0 {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, _ := sel.X.(*ast.Ident)
			if pkg == nil || !((pkg.Name == "errors" && sel.Sel.Name == "New") || (pkg.Name == "fmt" && sel.Sel.Name == "Errorf")) {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if msg, err := strconv.Unquote(lit.Value); err == nil {
					line, _ := pos(s.rel, call.Pos())
					out = append(out, ConfigError{Message: strings.TrimSpace(msg), File: s.rel, Line: line})
				}
			}
			return true
		})
	}
	return out
}
