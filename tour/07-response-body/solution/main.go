// A plugin that rewrites what the upstream answers.
package main

import (
	"regexp"

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

// Compiled once, when the plugin loads, not per response.
var apiKey = regexp.MustCompile(`sk-[A-Za-z0-9]+`)

func onHttpResponseHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	// The body may change size below: the old length must not reach the client.
	_ = proxywasm.RemoveHttpResponseHeader("content-length")
	return types.ActionContinue
}

func onHttpResponseBody(ctx wrapper.HttpContext, config Config, body []byte, log logs.Log) types.Action {
	log.Infof("response body: %d bytes", len(body))
	redacted := apiKey.ReplaceAll(body, []byte("sk-***"))
	if err := proxywasm.ReplaceHttpResponseBody(redacted); err != nil {
		log.Warnf("could not replace the body: %v", err)
	}
	return types.ActionContinue
}
