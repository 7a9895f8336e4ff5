// A wasm-go plugin that depends on time, for the virtual clock: a tick function registered with
// wrapper.RegisterTickFunc that counts and logs time.Now(), and a fixed-window rate limit on
// time.Now() (limit requests per windowMs). sleepMs makes the request callback sleep first.
package main

import (
	"strconv"
	"time"

	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"clock",
		wrapper.ParseConfigBy(parseConfig),
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type Config struct {
	limit    int64
	windowMs int64
	sleepMs  int64
}

var (
	ticks     int
	started   time.Time
	curWindow int64 = -1
	count     int64
)

func parseConfig(json gjson.Result, config *Config, log logs.Log) error {
	config.limit = json.Get("limit").Int()
	if config.limit == 0 {
		config.limit = 2
	}
	config.windowMs = json.Get("windowMs").Int()
	if config.windowMs == 0 {
		config.windowMs = 1000
	}
	config.sleepMs = json.Get("sleepMs").Int()
	started = time.Now()
	tickMs := json.Get("tickMs").Int()
	if tickMs == 0 {
		tickMs = 100
	}
	wrapper.RegisterTickFunc(tickMs, func() {
		ticks++
		proxywasm.LogInfof("tick %d at %d", ticks, time.Now().UnixMilli())
	})
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	if config.sleepMs > 0 {
		t0 := time.Now()
		time.Sleep(time.Duration(config.sleepMs) * time.Millisecond)
		_ = proxywasm.AddHttpRequestHeader("x-slept-ms", strconv.FormatInt(time.Since(t0).Milliseconds(), 10))
	}
	now := time.Now()
	window := now.UnixMilli() / config.windowMs
	if window != curWindow {
		curWindow = window
		count = 0
	}
	count++
	hdrs := [][2]string{
		{"x-now-ms", strconv.FormatInt(now.UnixMilli(), 10)},
		{"x-since-start-ms", strconv.FormatInt(time.Since(started).Milliseconds(), 10)},
		{"x-ticks", strconv.Itoa(ticks)},
	}
	if count > config.limit {
		proxywasm.SendHttpResponse(429, hdrs, []byte("rate limited"), -1)
		return types.ActionContinue
	}
	for _, h := range hdrs {
		_ = proxywasm.AddHttpRequestHeader(h[0], h[1])
	}
	return types.ActionContinue
}
