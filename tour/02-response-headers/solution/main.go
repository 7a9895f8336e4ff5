// A plugin that works on the upstream's answer before it goes back to the client.
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
		"tour-response-headers",
		wrapper.ProcessResponseHeadersBy(onHttpResponseHeaders),
	)
}

type Config struct{}

func onHttpResponseHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	status, _ := proxywasm.GetHttpResponseHeader(":status")
	log.Infof("upstream answered %s", status)
	_ = proxywasm.AddHttpResponseHeader("x-served-by", "tour")
	_ = proxywasm.RemoveHttpResponseHeader("x-internal-debug")
	return types.ActionContinue
}
