// jsonp turns a JSON response into a JSONP script when the request names a callback
// (`?callback=show`): the client gets `show(<the JSON>);` as application/javascript.
package main

import (
	"net/url"
	"regexp"
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
		"jsonp",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
		wrapper.ProcessResponseBodyBy(onHttpResponseBody),
	)
}

type Config struct {
	param string
}

func parseConfig(json gjson.Result, c *Config) error {
	c.param = json.Get("param").String()
	if c.param == "" {
		c.param = "callback"
	}
	return nil
}

// The callback name ends up in a script the browser runs: only plain identifiers may pass.
var identifier = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$`)

func onHttpRequestHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	u, err := url.Parse(ctx.Path())
	if err != nil {
		return types.ActionContinue
	}
	callback := u.Query().Get(c.param)
	if callback == "" {
		return types.ActionContinue
	}
	if !identifier.MatchString(callback) {
		proxywasm.SendHttpResponse(400, [][2]string{{"content-type", "text/plain"}}, []byte("invalid callback name\n"), -1)
		return types.ActionContinue
	}
	// The response callbacks run later, on the same HttpContext: the name waits there.
	ctx.SetContext("callback", callback)
	return types.ActionContinue
}

func onHttpResponseHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	contentType, _ := proxywasm.GetHttpResponseHeader("content-type")
	if ctx.GetContext("callback") == nil || !strings.Contains(contentType, "json") {
		// Nothing to wrap: don't buffer the body, let it stream to the client.
		ctx.DontReadResponseBody()
		return types.ActionContinue
	}
	// The headers go out when this returns, before the body is wrapped: fix them now.
	proxywasm.RemoveHttpResponseHeader("content-length")
	proxywasm.ReplaceHttpResponseHeader("content-type", "application/javascript; charset=utf-8")
	return types.ActionContinue
}

func onHttpResponseBody(ctx wrapper.HttpContext, c Config, body []byte, log logs.Log) types.Action {
	callback := ctx.GetContext("callback").(string)
	proxywasm.PrependHttpResponseBody([]byte(callback + "("))
	proxywasm.AppendHttpResponseBody([]byte(");\n"))
	start, _ := proxywasm.GetHttpResponseBody(0, len(callback)+8)
	log.Infof("wrapped %d bytes of JSON in %s(...): starts %q", len(body), callback, start)
	return types.ActionContinue
}
