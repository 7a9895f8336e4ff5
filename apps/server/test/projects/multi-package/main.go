// A plugin split into packages of its own module, as real Higress plugins are.
package main

import (
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"

	"example.com/headerkit/config"
	"example.com/headerkit/provider"
)

func main() {}

func init() {
	wrapper.SetCtx("headerkit",
		wrapper.ParseConfigBy(parseConfig),
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

func parseConfig(json gjson.Result, c *config.Config, log logs.Log) error {
	return c.FromJSON(json)
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, c config.Config, log logs.Log) types.Action {
	greeting := provider.Greeting(c.Language)
	proxywasm.AddHttpRequestHeader("x-greeting", greeting)
	log.Infof("greeting in %s: %s", c.Language, greeting)
	return types.ActionContinue
}
