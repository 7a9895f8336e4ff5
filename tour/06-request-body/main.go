// A plugin that reads the JSON request body and passes one of its fields on as a header.
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
		"tour-request-body",
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
		wrapper.ProcessRequestBodyBy(onHttpRequestBody),
	)
}

type Config struct{}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	// TODO: when the request has a body, hold the headers until the body has been read.
	return types.ActionContinue
}

// The wrapper collects the whole body and calls this once, at the end of the stream.
func onHttpRequestBody(ctx wrapper.HttpContext, config Config, body []byte, log logs.Log) types.Action {
	user := gjson.GetBytes(body, "user").String()
	log.Infof("body of %d bytes, user %q", len(body), user)
	if user != "" {
		if err := proxywasm.ReplaceHttpRequestHeader("x-user", user); err != nil {
			log.Warnf("could not set x-user: %v", err)
		}
	}
	return types.ActionContinue
}
