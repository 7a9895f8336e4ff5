// A hostile plugin for the session tests: it panics while the VM starts, before any request.
package main

import (
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
)

func main() {}

func init() {
	wrapper.SetCtx("panic-in-init", wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders))
	panic("boom at start")
}

type Config struct{}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	return types.ActionContinue
}
