// A plugin that adds the request headers listed in its config.
package main

import (
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"tour-configuration",
		wrapper.ParseConfigBy(parseConfig),
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type header struct {
	name  string
	value string
}

type Config struct {
	headers []header
}

// parseConfig runs when the plugin starts, with the config as JSON.
func parseConfig(json gjson.Result, config *Config, log logs.Log) error {
	for _, item := range json.Get("headers").Array() {
		config.headers = append(config.headers, header{
			name:  item.Get("name").String(),
			value: item.Get("value").String(),
		})
	}
	log.Infof("configured %d header(s)", len(config.headers))
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	for _, h := range config.headers {
		_ = proxywasm.ReplaceHttpRequestHeader(h.name, h.value)
	}
	log.Infof("added %d header(s)", len(config.headers))
	return types.ActionContinue
}
