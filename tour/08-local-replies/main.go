// A plugin that keeps callers without an API key away from the upstream.
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
		"tour-local-replies",
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type Config struct{}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	key, _ := proxywasm.GetHttpRequestHeader("x-api-key")
	if key == "" {
		log.Info("no api key")
		// TODO: answer 401 here instead of letting the request through.
	}
	return types.ActionContinue
}
