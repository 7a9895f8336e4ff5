// per-route-config behaves differently per route and per domain: the global config applies
// everywhere, and each entry of `_rules_` overrides it where it matches, inheriting what it does not
// set.
package main

import (
	"errors"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"per-route-config",
		// Two parsers: one for the global config, one for each rule, which also gets the global.
		wrapper.ParseOverrideConfig(parseGlobal, parseRule),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
	)
}

type Config struct {
	tier        string
	maintenance bool
	message     string
}

// apply sets the fields the JSON has and leaves the others alone.
func apply(json gjson.Result, c *Config) {
	if v := json.Get("tier"); v.Exists() {
		c.tier = v.String()
	}
	if v := json.Get("maintenance"); v.Exists() {
		c.maintenance = v.Bool()
	}
	if v := json.Get("message"); v.Exists() {
		c.message = v.String()
	}
}

func parseGlobal(json gjson.Result, c *Config) error {
	c.message = "temporarily unavailable"
	apply(json, c)
	if c.tier == "" {
		return errors.New("tier is required")
	}
	return nil
}

// A rule starts from the global config, so it only has to say what differs.
func parseRule(json gjson.Result, global Config, c *Config) error {
	*c = global
	apply(json, c)
	return nil
}

// The wrapper has already picked the config that matches this request's route and domain.
func onHttpRequestHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	if c.maintenance {
		log.Infof("%s%s is in maintenance", ctx.Host(), ctx.Path())
		proxywasm.SendHttpResponse(503, [][2]string{{"content-type", "text/plain"}, {"retry-after", "600"}}, []byte(c.message+"\n"), -1)
		return types.ActionContinue
	}
	log.Infof("tier %s for %s", c.tier, ctx.Host())
	proxywasm.ReplaceHttpRequestHeader("x-tier", c.tier)
	return types.ActionContinue
}
