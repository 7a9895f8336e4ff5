// redis-rate-limit lets each caller through at most `limit` times per window and answers 429 after
// that. The count lives in Redis, so every gateway worker (each with its own VM and Go globals)
// and every gateway replica shares it; a counter in a Go variable would count per worker.
package main

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
	"github.com/tidwall/resp"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"redis-rate-limit",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
	)
}

// One round trip that counts and starts the window: INCR and PEXPIRE run atomically in Redis, so
// two workers counting at once never both see "1" and never leave a key without an expiry.
const countScript = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}
`

type Config struct {
	redis     wrapper.RedisClient
	limit     int64
	windowMs  int64
	keyHeader string
}

func parseConfig(json gjson.Result, c *Config) error {
	c.limit = json.Get("limit").Int()
	if c.limit <= 0 {
		return errors.New("limit must be a positive number of requests")
	}
	c.windowMs = json.Get("window_seconds").Int() * 1000
	if c.windowMs <= 0 {
		return errors.New("window_seconds must be a positive number")
	}
	c.keyHeader = json.Get("key_header").String()
	if c.keyHeader == "" {
		c.keyHeader = "x-api-key"
	}
	name := json.Get("redis.service_name").String()
	if name == "" {
		return errors.New("redis.service_name is required (the Redis service, e.g. redis.static)")
	}
	port := json.Get("redis.service_port").Int()
	if port == 0 {
		port = 6379
	}
	timeout := json.Get("redis.timeout").Int()
	if timeout == 0 {
		timeout = 1000
	}
	// FQDNCluster names the cluster outbound|<port>||<service_name>, as Higress names a service.
	c.redis = wrapper.NewRedisClusterClient(wrapper.FQDNCluster{FQDN: name, Port: port})
	// Init only records the settings; the connection opens with the first command.
	return c.redis.Init(json.Get("redis.username").String(), json.Get("redis.password").String(), timeout)
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	caller, _ := proxywasm.GetHttpRequestHeader(c.keyHeader)
	if caller == "" {
		caller = "anonymous"
	}
	key := "ratelimit:" + caller
	err := c.redis.Eval(countScript, 1, []interface{}{key}, []interface{}{c.windowMs}, func(reply resp.Value) {
		values := reply.Array()
		if reply.Error() != nil || len(values) != 2 {
			// Fail open: a Redis outage should not take the API down with it.
			log.Warnf("rate limit not checked for %s: %v %s", caller, reply.Error(), reply.String())
			proxywasm.ResumeHttpRequest()
			return
		}
		count, ttlMs := int64(values[0].Integer()), int64(values[1].Integer())
		remaining := c.limit - count
		if remaining < 0 {
			remaining = 0
		}
		ctx.SetContext("remaining", remaining)
		log.Infof("%s: request %d of %d in this window (%d ms left)", caller, count, c.limit, ttlMs)
		if count > c.limit {
			retry := strconv.FormatInt((ttlMs+999)/1000, 10)
			proxywasm.SendHttpResponseWithDetail(429, "redis-rate-limit.exceeded", [][2]string{
				{"content-type", "text/plain"},
				{"retry-after", retry},
				{"x-ratelimit-limit", strconv.FormatInt(c.limit, 10)},
				{"x-ratelimit-remaining", "0"},
			}, []byte(fmt.Sprintf("Too many requests: %d per %d s. Retry in %s s.\n", c.limit, c.windowMs/1000, retry)), -1)
			return // the local reply ends the request: nothing to resume
		}
		proxywasm.ResumeHttpRequest()
	})
	if err != nil {
		log.Warnf("rate limit not checked for %s: %v", caller, err)
		return types.ActionContinue
	}
	// Wait for Redis before the request goes on (the callback resumes it).
	return types.HeaderStopAllIterationAndWatermark
}

func onHttpResponseHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	if remaining, ok := ctx.GetContext("remaining").(int64); ok {
		proxywasm.AddHttpResponseHeader("x-ratelimit-limit", strconv.FormatInt(c.limit, 10))
		proxywasm.AddHttpResponseHeader("x-ratelimit-remaining", strconv.FormatInt(remaining, 10))
	}
	return types.ActionContinue
}
