// A plugin that tidies the client's headers before the upstream sees them.
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
		"tour-add-replace-remove",
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type Config struct{}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	// This appends a second value when the client already sent x-env.
	_ = proxywasm.AddHttpRequestHeader("x-env", "prod")
	// TODO: remove x-debug; move x-user to x-user-id.
	return types.ActionContinue
}
