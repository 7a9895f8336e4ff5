// A plugin whose timer counts ticks, and whose requests report whether the timer ran.
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
		"tour-ticks",
		wrapper.ParseConfigBy(parseConfig),
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

// Go globals belong to one worker VM; each VM counts its own ticks.
var ticks int

func onTick() {
	ticks++
}

type Config struct{}

func parseConfig(json gjson.Result, config *Config, log logs.Log) error {
	// wasm-go clears its tick list just before calling this: register here.
	wrapper.RegisterTickFunc(100, onTick)
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	log.Infof("ticks so far: %d", ticks)
	ticked := "no"
	if ticks > 0 {
		ticked = "yes"
	}
	_ = proxywasm.ReplaceHttpRequestHeader("x-ticked", ticked)
	return types.ActionContinue
}
