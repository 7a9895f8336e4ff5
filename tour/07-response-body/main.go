// A plugin that rewrites what the upstream answers.
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
		"tour-response-body",
		wrapper.ProcessResponseHeadersBy(onHttpResponseHeaders),
		wrapper.ProcessResponseBodyBy(onHttpResponseBody),
	)
}

type Config struct{}

func onHttpResponseHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	// The body may change size below: the old length must not reach the client.
	_ = proxywasm.RemoveHttpResponseHeader("content-length")
	return types.ActionContinue
}

func onHttpResponseBody(ctx wrapper.HttpContext, config Config, body []byte, log logs.Log) types.Action {
	log.Infof("response body: %d bytes", len(body))
	// TODO: replace every sk-... key with sk-*** and replace the body.
	return types.ActionContinue
}
