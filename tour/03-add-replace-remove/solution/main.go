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
	// Replace sets the one value, whatever the client sent.
	_ = proxywasm.ReplaceHttpRequestHeader("x-env", "prod")
	_ = proxywasm.RemoveHttpRequestHeader("x-debug")
	if user, err := proxywasm.GetHttpRequestHeader("x-user"); err == nil && user != "" {
		_ = proxywasm.ReplaceHttpRequestHeader("x-user-id", user)
		_ = proxywasm.RemoveHttpRequestHeader("x-user")
		log.Infof("user %s", user)
	}
	return types.ActionContinue
}
