// A plugin that labels each request with the tier its config assigns.
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
		"tour-rules",
		// The global config, then each rule starting from a copy of it.
		wrapper.ParseOverrideConfigBy(parseGlobal, parseRule),
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type Config struct {
	header string
	tier   string
}

func parseGlobal(json gjson.Result, config *Config, log logs.Log) error {
	config.header = json.Get("header").String()
	if config.header == "" {
		config.header = "x-tier"
	}
	config.tier = json.Get("tier").String()
	return nil
}

func parseRule(json gjson.Result, global Config, config *Config, log logs.Log) error {
	*config = global
	if h := json.Get("header").String(); h != "" {
		config.header = h
	}
	if t := json.Get("tier").String(); t != "" {
		config.tier = t
	}
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	log.Infof("%s is %s", ctx.Host(), config.tier)
	_ = proxywasm.ReplaceHttpRequestHeader(config.header, config.tier)
	return types.ActionContinue
}
