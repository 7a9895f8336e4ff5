// A plugin that calls the gateway while its VM initializes: a package-level metric. The gateway
// allows only logging during _initialize (CPPH WasmBase::startVm), so the VM traps and the plugin
// never starts.
package main

import (
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
)

var hits = proxywasm.DefineCounterMetric("hits")

func main() {}

func init() {
	wrapper.SetCtx("metric-in-init", wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders))
}

type Config struct{}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	hits.Increment(1)
	return types.ActionContinue
}
