// Command playground-vet reads a plugin's Go sources (never compiling or running them) and prints,
// as JSON: the configuration keys the plugin reads through gjson, the messages its config parser
// can fail with, and proxy-wasm lints with quick fixes. It runs inside the build sandbox.
//
// Usage: playground-vet <dir>
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Report is what the playground's server reads.
type Report struct {
	ConfigKeys   []ConfigKey   `json:"configKeys"`
	ConfigErrors []ConfigError `json:"configErrors"`
	Lints        []Lint        `json:"lints"`
	ParseErrors  []string      `json:"parseErrors"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: playground-vet <dir>")
		os.Exit(2)
	}
	report, err := analyze(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	if err := out.Encode(report); err != nil {
		os.Exit(1)
	}
}

// source is one parsed file with the path users know it by.
type source struct {
	rel  string
	file *ast.File
}

func analyze(dir string) (*Report, error) {
	fset := token.NewFileSet()
	var files []source
	report := &Report{ConfigKeys: []ConfigKey{}, ConfigErrors: []ConfigError{}, Lints: []Lint{}, ParseErrors: []string{}}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		f, perr := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if perr != nil {
			report.ParseErrors = append(report.ParseErrors, perr.Error())
		}
		if f != nil {
			files = append(files, source{rel: filepath.ToSlash(rel), file: f})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].rel < files[j].rel })
	pos := func(rel string, p token.Pos) (int, int) {
		at := fset.Position(p)
		return at.Line, at.Column
	}
	for _, s := range files {
		report.ConfigKeys = append(report.ConfigKeys, configKeys(s, pos)...)
		report.ConfigErrors = append(report.ConfigErrors, configErrors(s, pos)...)
	}
	report.Lints = lints(files, fset)
	return report, nil
}
