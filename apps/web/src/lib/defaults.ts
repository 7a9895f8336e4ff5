// The scenario a first visit starts with: the hello-world plugin from the
// Higress "Developing WASM Plugins with Go" guide.
import type { SavedRequest, Scenario } from '../api/types';

export const HELLO_MAIN = `package main

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
		// Plugin name
		"my-plugin",
		// Custom function for parsing plugin configuration
		wrapper.ParseConfigBy(parseConfig),
		// Custom function for processing request headers
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

// Custom plugin configuration
type MyConfig struct {
	mockEnable bool
}

// The YAML configuration is converted to JSON before it reaches the plugin.
func parseConfig(json gjson.Result, config *MyConfig, log logs.Log) error {
	config.mockEnable = json.Get("mockEnable").Bool()
	log.Infof("parsed config: mockEnable=%v", config.mockEnable)
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config MyConfig, log logs.Log) types.Action {
	proxywasm.AddHttpRequestHeader("hello", "world")
	log.Info("added request header hello: world")
	if config.mockEnable {
		proxywasm.SendHttpResponse(200, nil, []byte("hello world"), -1)
	}
	return types.ActionContinue
}
`;

export const HELLO_CONFIG = `mockEnable: false\n`;

export function defaultRequest(): SavedRequest {
  return { name: 'GET /get', method: 'GET', path: '/get', headers: [['accept', '*/*']], body: '' };
}

export function defaultScenario(): Scenario {
  return { files: { 'main.go': HELLO_MAIN }, config: HELLO_CONFIG, requests: [defaultRequest()] };
}
