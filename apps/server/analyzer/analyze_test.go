package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// project writes Go sources into a temporary folder and analyzes it.
func project(t *testing.T, files map[string]string) *Report {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	report, err := analyze(dir)
	if err != nil {
		t.Fatal(err)
	}
	return report
}

const plugin = `package main

import (
	"errors"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx("demo", wrapper.ParseConfig(parseConfig), wrapper.ProcessRequestHeaders(onHeaders))
}

type Config struct{ limit int64 }

func parseConfig(json gjson.Result, c *Config) error {
	c.limit = json.Get("limit").Int()
	redis := json.Get("redis")
	_ = redis.Get("service_name").String()
	if c.limit <= 0 {
		return errors.New("limit must be positive")
	}
	return nil
}

func onHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	return types.ActionPause
}
`

func TestConfigKeysFollowNestedResults(t *testing.T) {
	r := project(t, map[string]string{"main.go": plugin})
	got := map[string]string{}
	for _, k := range r.ConfigKeys {
		got[k.Path] = k.Type
		if k.File != "main.go" || k.Line == 0 {
			t.Errorf("key %s has no position: %+v", k.Path, k)
		}
	}
	if got["limit"] != "integer" || got["redis.service_name"] != "string" {
		t.Fatalf("config keys: %v", got)
	}
}

func TestConfigErrorsAreTheParserMessages(t *testing.T) {
	r := project(t, map[string]string{"main.go": plugin})
	if len(r.ConfigErrors) != 1 || r.ConfigErrors[0].Message != "limit must be positive" {
		t.Fatalf("config errors: %+v", r.ConfigErrors)
	}
}

func TestPauseWithoutResumeIsLinted(t *testing.T) {
	r := project(t, map[string]string{"main.go": plugin})
	var codes []string
	for _, l := range r.Lints {
		codes = append(codes, l.Code)
	}
	if strings.Join(codes, ",") != "pause-without-resume" {
		t.Fatalf("expected a lint for a pause nothing resumes, got %v", codes)
	}
}

func TestSetCtxInMainIsLintedWithAFix(t *testing.T) {
	src := strings.Replace(plugin, "func main() {}\n\nfunc init() {", "func main() {", 1)
	r := project(t, map[string]string{"main.go": src})
	for _, l := range r.Lints {
		if l.Code == "setctx-in-main" {
			if l.Fix == nil || len(l.Fix.Edits) == 0 {
				t.Fatalf("lint %s has no quick fix", l.Code)
			}
			return
		}
	}
	t.Fatalf("expected a lint for SetCtx in main, got %+v", r.Lints)
}

func TestSyntaxErrorsAreReportedAndOtherFilesStillRead(t *testing.T) {
	r := project(t, map[string]string{"main.go": plugin, "broken/x.go": "package broken\nfunc {"})
	if len(r.ParseErrors) != 1 || !strings.Contains(r.ParseErrors[0], "x.go") {
		t.Fatalf("parse errors: %v", r.ParseErrors)
	}
	if len(r.ConfigKeys) == 0 {
		t.Fatal("the readable file's keys were lost")
	}
}

func TestTestFilesAreIgnored(t *testing.T) {
	r := project(t, map[string]string{"main.go": plugin, "main_test.go": "package main\nfunc helper(json gjson.Result) { json.Get(\"only_in_test\").Int() }"})
	for _, k := range r.ConfigKeys {
		if k.Path == "only_in_test" {
			t.Fatal("a _test.go file was read")
		}
	}
}
