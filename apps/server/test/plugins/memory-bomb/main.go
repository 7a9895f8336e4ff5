// A hostile plugin for the session tests: see the test that uses "memory-bomb".
package main

import (
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
)

func main() {}

func init() {
	wrapper.SetCtx("memory-bomb", wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders))
}

type Config struct{}

var hoard [][]byte

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	for {
		hoard = append(hoard, make([]byte, 16<<20))
	}
}
