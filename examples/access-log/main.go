// access-log writes one line per request when the stream is done: method, URL, status and time
// taken, at a log level that follows the status (errors stand out in the logs).
package main

import (
	"encoding/binary"
	"time"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"access-log",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessStreamDone(onStreamDone),
	)
}

type Config struct {
	slow time.Duration
}

func parseConfig(json gjson.Result, c *Config) error {
	c.slow = time.Duration(json.Get("slow_ms").Int()) * time.Millisecond
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	ctx.SetContext("start", time.Now())
	// The request headers are gone by the time the stream is done: keep what the log line needs.
	userAgent, _ := proxywasm.GetHttpRequestHeader("user-agent")
	ctx.SetContext("user-agent", userAgent)
	return types.ActionContinue
}

// Envoy encodes integer properties as 8 little-endian bytes.
func intProperty(path ...string) uint64 {
	raw, err := proxywasm.GetProperty(path)
	if err != nil || len(raw) != 8 {
		return 0
	}
	return binary.LittleEndian.Uint64(raw)
}

// Runs once, after the response has gone to the client (or the stream was reset): the one place
// that sees every request, whichever callback answered it.
func onStreamDone(ctx wrapper.HttpContext, c Config) {
	took := time.Since(ctx.GetContext("start").(time.Time))
	// The status the client got, whoever answered (the upstream or a local reply).
	code := intProperty("response", "code")
	// Scheme, Host, Path and Method are the wrapper's copies, taken when the request headers arrived.
	line := "%s %s://%s%s -> %d in %d ms"
	args := []interface{}{ctx.Method(), ctx.Scheme(), ctx.Host(), ctx.Path(), code, took.Milliseconds()}
	switch {
	case code >= 500 || code == 0:
		log.Errorf(line, args...)
	case code >= 400:
		log.Warnf(line, args...)
	case c.slow > 0 && took > c.slow:
		log.Warnf(line+" (slow)", args...)
	default:
		log.Infof(line, args...)
	}
	log.Debugf("%d response bytes, user-agent %q", intProperty("response", "size"), ctx.GetContext("user-agent"))
}
