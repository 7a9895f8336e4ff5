// A plugin that stamps every JSON request body with where it came from.
package main

import (
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/sjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"tour-stale-content-length",
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
		wrapper.ProcessRequestBodyBy(onHttpRequestBody),
	)
}

type Config struct{}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	// The body will change size: drop the old length while the headers can still change.
	// The gateway then sends the body chunked.
	_ = proxywasm.RemoveHttpRequestHeader("content-length")
	return types.ActionContinue
}

func onHttpRequestBody(ctx wrapper.HttpContext, config Config, body []byte, log logs.Log) types.Action {
	stamped, err := sjson.SetRawBytes(body, "gateway", []byte(`{"name":"tour","checked":true}`))
	if err != nil {
		log.Warnf("not JSON, left alone: %v", err)
		return types.ActionContinue
	}
	log.Infof("body grew from %d to %d bytes", len(body), len(stamped))
	if err := proxywasm.ReplaceHttpRequestBody(stamped); err != nil {
		log.Warnf("could not replace the body: %v", err)
	}
	return types.ActionContinue
}
