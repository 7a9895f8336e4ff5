// A wasm-go plugin that talks to Redis through the SDK's RedisClusterClient, for the Redis tests
// (test/redis.test.ts). Its configuration names the cluster, the Init arguments and what to send;
// the reply (or the error) comes back in response headers x-redis-*.
package main

import (
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
	"github.com/tidwall/resp"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"redis-test",
		wrapper.ParseConfigBy(parseConfig),
		wrapper.ProcessRequestHeadersBy(onRequestHeaders),
		wrapper.ProcessResponseHeadersBy(onResponseHeaders),
	)
}

type Config struct {
	client  wrapper.RedisClient
	cluster string
	mode    string
	command []interface{}
	raw     string
}

func parseConfig(json gjson.Result, c *Config, log logs.Log) error {
	c.cluster = json.Get("cluster").String()
	c.mode = json.Get("mode").String()
	c.raw = json.Get("raw").String()
	for _, a := range json.Get("command").Array() {
		c.command = append(c.command, a.String())
	}
	c.client = wrapper.NewRedisClusterClient(wrapper.FQDNCluster{FQDN: c.cluster, Port: 6379})
	user, pass, timeout := json.Get("username").String(), json.Get("password").String(), json.Get("timeout").Int()
	if db := json.Get("db").Int(); db != 0 {
		return c.client.Init(user, pass, timeout, wrapper.WithDataBase(int(db)))
	}
	return c.client.Init(user, pass, timeout)
}

func onRequestHeaders(ctx wrapper.HttpContext, c Config, log logs.Log) types.Action {
	answer := func(v resp.Value) {
		if v.Error() != nil {
			ctx.SetContext("error", v.Error().Error())
		} else {
			ctx.SetContext("reply", v.String())
		}
		proxywasm.ResumeHttpRequest()
	}
	var err error
	if c.mode == "raw" {
		err = wrapper.RedisCall(wrapper.FQDNCluster{FQDN: c.cluster, Port: 6379}, []byte(c.raw), answer)
	} else {
		err = c.client.Command(c.command, answer)
	}
	if err != nil {
		ctx.SetContext("error", "dispatch: "+err.Error())
		return types.ActionContinue
	}
	return types.HeaderStopAllIterationAndWatermark
}

func onResponseHeaders(ctx wrapper.HttpContext, c Config, log logs.Log) types.Action {
	if v, ok := ctx.GetContext("reply").(string); ok {
		proxywasm.AddHttpResponseHeader("x-redis-reply", v)
	}
	if v, ok := ctx.GetContext("error").(string); ok {
		proxywasm.AddHttpResponseHeader("x-redis-error", v)
	}
	return types.ActionContinue
}
