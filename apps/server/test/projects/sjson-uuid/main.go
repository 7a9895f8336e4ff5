// Stamps every JSON request body with an id, using two third-party modules: uuid and sjson.
package main

import (
	"github.com/google/uuid"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/sjson"
)

func main() {}

func init() {
	wrapper.SetCtx("stamp",
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
		wrapper.ProcessRequestBodyBy(onHttpRequestBody),
	)
}

type Config struct{}

func onHttpRequestHeaders(ctx wrapper.HttpContext, c Config, log logs.Log) types.Action {
	// The body changes size, so the old length must go.
	proxywasm.RemoveHttpRequestHeader("content-length")
	return types.ActionContinue
}

func onHttpRequestBody(ctx wrapper.HttpContext, c Config, body []byte, log logs.Log) types.Action {
	id := uuid.NewString()
	stamped, err := sjson.SetBytes(body, "stamp.id", id)
	if err != nil {
		log.Errorf("body is not JSON: %v", err)
		return types.ActionContinue
	}
	proxywasm.ReplaceHttpRequestBody(stamped)
	log.Infof("stamped request with %s", id)
	return types.ActionContinue
}
