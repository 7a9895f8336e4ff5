// mask-response hides e-mail addresses in JSON responses before they reach the client:
// alice@example.com becomes a***@example.com.
package main

import (
	"regexp"
	"strings"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"mask-response",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
		wrapper.ProcessResponseBody(onHttpResponseBody),
	)
}

type Config struct {
	mask string
}

func parseConfig(json gjson.Result, c *Config) error {
	c.mask = json.Get("mask").String()
	if c.mask == "" {
		c.mask = "***"
	}
	return nil
}

var email = regexp.MustCompile(`([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})`)

func onHttpResponseHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	contentType, _ := proxywasm.GetHttpResponseHeader("content-type")
	if !strings.Contains(contentType, "json") {
		ctx.DontReadResponseBody()
		return types.ActionContinue
	}
	// The masked body is shorter; with the old length the client would wait for bytes that never come.
	proxywasm.RemoveHttpResponseHeader("content-length")
	return types.ActionContinue
}

// The wrapper buffers the whole body before calling this, so an address is never cut in two.
func onHttpResponseBody(ctx wrapper.HttpContext, c Config, body []byte) types.Action {
	found := email.FindAll(body, -1)
	if len(found) == 0 {
		return types.ActionContinue
	}
	masked := email.ReplaceAll(body, []byte("${1}"+c.mask+"@${2}"))
	if err := proxywasm.ReplaceHttpResponseBody(masked); err != nil {
		log.Errorf("could not replace the body: %v", err)
		return types.ActionContinue
	}
	log.Infof("masked %d e-mail addresses", len(found))
	return types.ActionContinue
}
