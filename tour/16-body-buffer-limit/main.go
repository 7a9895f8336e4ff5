// A plugin that scans each request body for a forbidden phrase before the upstream sees it.
package main

import (
	"bytes"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"tour-body-buffer-limit",
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
		wrapper.ProcessRequestBodyBy(onHttpRequestBody),
	)
}

type Config struct{}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	if !ctx.HasRequestBody() {
		return types.ActionContinue
	}
	// TODO: this plugin reads whole bodies of up to 1 MiB; tell the gateway so.
	return types.HeaderStopIteration
}

func onHttpRequestBody(ctx wrapper.HttpContext, config Config, body []byte, log logs.Log) types.Action {
	log.Infof("scanned %d bytes", len(body))
	if bytes.Contains(body, []byte("DROP TABLE")) {
		_ = proxywasm.SendHttpResponse(403, nil, []byte("refused"), -1)
	}
	return types.ActionContinue
}
