// request-headers edits the headers a request carries to the upstream: it adds, overwrites,
// removes, and fills in defaults, all from the config.
package main

import (
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"request-headers",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
	)
}

type Config struct {
	// Name/value pairs, kept in the order of the YAML (a Go map would shuffle them).
	add, set, defaults [][2]string
	remove             []string
}

func pairs(obj gjson.Result) (out [][2]string) {
	obj.ForEach(func(k, v gjson.Result) bool {
		out = append(out, [2]string{k.String(), v.String()})
		return true
	})
	return out
}

func parseConfig(json gjson.Result, c *Config) error {
	c.add = pairs(json.Get("add"))
	c.set = pairs(json.Get("set"))
	c.defaults = pairs(json.Get("defaults"))
	for _, name := range json.Get("remove").Array() {
		c.remove = append(c.remove, name.String())
	}
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	for _, h := range c.defaults {
		// A header the request lacks comes back as an error (NotFound), not as "".
		if v, err := proxywasm.GetHttpRequestHeader(h[0]); err != nil || v == "" {
			proxywasm.ReplaceHttpRequestHeader(h[0], h[1])
			log.Infof("%s was missing: set to %s", h[0], h[1])
		}
	}
	// Add keeps what the client sent: the upstream gets both values.
	for _, h := range c.add {
		proxywasm.AddHttpRequestHeader(h[0], h[1])
	}
	// Replace overwrites every value of the name (or adds it when there was none).
	for _, h := range c.set {
		proxywasm.ReplaceHttpRequestHeader(h[0], h[1])
	}
	for _, name := range c.remove {
		proxywasm.RemoveHttpRequestHeader(name)
	}
	return types.ActionContinue
}
