// no-config needs no configuration: its config type is an empty struct, and it answers every
// request itself.
package main

import (
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"no-config",
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type MyConfig struct{}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config MyConfig, log logs.Log) types.Action {
	log.Info("answering locally")
	proxywasm.SendHttpResponse(200, [][2]string{{"content-type", "text/plain"}}, []byte("hello world"), -1)
	return types.ActionContinue
}
