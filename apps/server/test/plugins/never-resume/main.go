// A hostile plugin for the session tests: see the test that uses "never-resume".
package main

import (
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
)

func main() {}

func init() {
	wrapper.SetCtx("never-resume", wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders))
}

type Config struct{}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	log.Info("pausing and never resuming")
	return types.ActionPause
}
