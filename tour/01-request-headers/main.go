// A plugin with one phase: it sees each request's headers before the upstream does.
package main

import (
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
	// TODO: add the header x-greeting: hello, and log "greeted <path>".
	return types.ActionContinue
}
