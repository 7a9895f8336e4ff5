// A hostile plugin for the session tests: see the test that uses "endless-loop".
package main

import (
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
)

func main() {}

func init() {
	wrapper.SetCtx("endless-loop", wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders))
}

type Config struct{}

var sink int

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	log.Info("about to loop forever")
	for {
		sink++
	}
}
