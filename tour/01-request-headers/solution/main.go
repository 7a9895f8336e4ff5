// A plugin with one phase: it sees each request's headers before the upstream does.
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
		"tour-request-headers",
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

// This plugin reads no configuration, so its config type is empty.
type Config struct{}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	log.Infof("request for %s", ctx.Path())
	if err := proxywasm.AddHttpRequestHeader("x-greeting", "hello"); err != nil {
		log.Warnf("could not add x-greeting: %v", err)
	}
	log.Infof("greeted %s", ctx.Path())
	return types.ActionContinue
}
