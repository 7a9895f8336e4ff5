// response-headers cleans up what the client learns from the upstream's response headers: it adds
// safe defaults, overwrites `server`, removes named headers and hides every header with an internal
// prefix.
package main

import (
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
		"response-headers",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessResponseHeadersBy(onHttpResponseHeaders),
	)
}

type Config struct {
	defaults     [][2]string
	server       string
	remove       []string
	hidePrefixes []string
}

func parseConfig(json gjson.Result, c *Config) error {
	json.Get("defaults").ForEach(func(k, v gjson.Result) bool {
		c.defaults = append(c.defaults, [2]string{k.String(), v.String()})
		return true
	})
	c.server = json.Get("server").String()
	for _, v := range json.Get("remove").Array() {
		c.remove = append(c.remove, v.String())
	}
	for _, v := range json.Get("hidePrefixes").Array() {
		c.hidePrefixes = append(c.hidePrefixes, v.String())
	}
	return nil
}

func hidden(name string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func onHttpResponseHeaders(ctx wrapper.HttpContext, c Config, log logs.Log) types.Action {
	// A prefix matches names we cannot list in advance, so read the whole map and write it back.
	headers, _ := proxywasm.GetHttpResponseHeaders()
	var kept [][2]string
	for _, h := range headers {
		if hidden(h[0], c.hidePrefixes) {
			log.Infof("hid %s: %s", h[0], h[1])
			continue
		}
		kept = append(kept, h) // :status is in the map too, and must stay
	}
	if len(kept) < len(headers) {
		proxywasm.ReplaceHttpResponseHeaders(kept)
	}
	for _, name := range c.remove {
		proxywasm.RemoveHttpResponseHeader(name)
	}
	// A default is only a default: an upstream that chose its own value keeps it.
	for _, h := range c.defaults {
		if v, err := proxywasm.GetHttpResponseHeader(h[0]); err != nil || v == "" {
			proxywasm.AddHttpResponseHeader(h[0], h[1])
		}
	}
	if c.server != "" {
		proxywasm.ReplaceHttpResponseHeader("server", c.server)
	}
	return types.ActionContinue
}
