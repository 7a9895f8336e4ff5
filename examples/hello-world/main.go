// hello-world adds a `hello: world` header to every request, or, with `mockEnable: true`,
// answers the request itself with `hello world` so the upstream never sees it.
package main

import (
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

// Go 1.24 wasip1 plugins are reactors: the gateway runs init(), never main().
func init() {
	wrapper.SetCtx(
		"hello-world",
		wrapper.ParseConfigBy(parseConfig),
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type MyConfig struct {
	mockEnable bool
}

// The console's YAML config reaches the plugin as JSON.
func parseConfig(json gjson.Result, config *MyConfig, log logs.Log) error {
	config.mockEnable = json.Get("mockEnable").Bool()
	log.Infof("configured: mockEnable=%t", config.mockEnable)
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config MyConfig, log logs.Log) types.Action {
	proxywasm.AddHttpRequestHeader("hello", "world")
	if config.mockEnable {
		log.Info("mockEnable is on: answering with hello world")
		proxywasm.SendHttpResponse(200, nil, []byte("hello world"), -1)
		// The SDK's doc asks for types.ActionPause after SendHttpResponse. The Continue below, kept
		// as in the Higress guide, is harmless: the local reply has aborted the request's filter
		// chain, so the gateway sends nothing upstream whatever the callback returns.
	} else {
		log.Info("added header hello: world")
	}
	return types.ActionContinue
}
