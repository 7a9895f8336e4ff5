// A plugin that numbers the requests it sees and tells the upstream the number.
package main

import (
	"strconv"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"tour-shared-data",
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type Config struct{}

// A Go global lives in one worker VM: the other worker has its own.
var count int

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	count++
	log.Infof("request number %d", count)
	_ = proxywasm.ReplaceHttpRequestHeader("x-request-count", strconv.Itoa(count))
	return types.ActionContinue
}
