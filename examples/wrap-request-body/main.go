// wrap-request-body puts every JSON request body inside an envelope before it reaches the upstream:
// {"source": ..., "payload": <the original body>}. It adds bytes before and after the body instead
// of parsing and re-encoding it, so the client's JSON goes on byte for byte.
package main

import (
	"fmt"
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
		"wrap-request-body",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessRequestBodyBy(onHttpRequestBody),
	)
}

type Config struct {
	source, field string
}

func parseConfig(json gjson.Result, c *Config) error {
	c.source = json.Get("source").String()
	c.field = json.Get("field").String()
	if c.field == "" {
		c.field = "payload"
	}
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	contentType, _ := proxywasm.GetHttpRequestHeader("content-type")
	if !strings.HasPrefix(contentType, "application/json") {
		// Not ours: the body streams past without being buffered, and the body callback never runs.
		logs.Infof("%s is not JSON: body passed on as it is", contentType)
		ctx.DontReadRequestBody()
		return types.ActionContinue
	}
	// The body will grow. The headers leave when this callback returns, so the old length must go
	// now; the upstream then reads the body to its end instead of to a stale length.
	proxywasm.RemoveHttpRequestHeader("content-length")
	return types.ActionContinue
}

func onHttpRequestBody(ctx wrapper.HttpContext, c Config, body []byte, log logs.Log) types.Action {
	prefix := fmt.Sprintf(`{"source":%q,"method":%q,%q:`, c.source, ctx.Method(), c.field)
	// Prepend and Append edit the buffered body in place: no copy of the body passes through Go.
	proxywasm.PrependHttpRequestBody([]byte(prefix))
	proxywasm.AppendHttpRequestBody([]byte("}"))
	// Reading the buffer back shows what the upstream will get.
	start, _ := proxywasm.GetHttpRequestBody(0, len(prefix)+16)
	log.Debugf("the upstream body now starts with %s", start)
	log.Infof("wrapped %d bytes in %q", len(body), c.field)
	return types.ActionContinue
}
