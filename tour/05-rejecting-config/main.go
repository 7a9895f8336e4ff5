// A plugin that turns away requests for the paths its config lists.
package main

import (
	"strings"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"tour-rejecting-config",
		wrapper.ParseConfigBy(parseConfig),
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type Config struct {
	// Path prefixes to refuse.
	denyPaths []string
}

func parseConfig(json gjson.Result, config *Config, log logs.Log) error {
	for _, p := range json.Get("denyPaths").Array() {
		config.denyPaths = append(config.denyPaths, p.String())
	}
	// TODO: a config without denyPaths makes this plugin do nothing. Refuse it:
	// return an error that names the key.
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	for _, prefix := range config.denyPaths {
		if strings.HasPrefix(ctx.Path(), prefix) {
			log.Infof("denied %s", ctx.Path())
			_ = proxywasm.SendHttpResponse(403, [][2]string{{"content-type", "text/plain"}}, []byte("forbidden by the gateway"), -1)
			return types.ActionContinue
		}
	}
	return types.ActionContinue
}
