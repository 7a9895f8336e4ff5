// A hostile plugin for the session tests: see the test that uses "panic".
package main

import (
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
)

func main() {}

func init() {
	wrapper.SetCtx("panic", wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders))
}

type Config struct{}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	var m map[string]int
	m["boom"] = 1 // assignment to a nil map panics
	return types.ActionContinue
}
