// A fixed-window rate limit: at most perSecond requests, the window reset by a 100 ms tick.
package main

import (
	"time"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx("rate-limit",
		wrapper.ParseConfigBy(parseConfig),
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type Config struct {
	perSecond int64
}

var (
	windowStart = time.Now()
	used        int64
)

func parseConfig(json gjson.Result, c *Config, log logs.Log) error {
	c.perSecond = json.Get("perSecond").Int()
	wrapper.RegisterTickFunc(100, func() {
		if time.Since(windowStart) >= time.Second {
			windowStart = time.Now()
			used = 0
			proxywasm.LogInfo("window reset")
		}
	})
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, c Config, log logs.Log) types.Action {
	used++
	if used > c.perSecond {
		proxywasm.SendHttpResponse(429, nil, []byte("too many requests"), -1)
	}
	return types.ActionContinue
}
