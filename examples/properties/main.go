// properties reads what the gateway knows about a request beyond its headers (the client's address,
// the route it matched) and leaves a value of its own on the stream for later callbacks, other
// filters and the access log.
package main

import (
	"net"
	"net/netip"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"properties",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
	)
}

type Config struct {
	partners []netip.Prefix
}

func parseConfig(json gjson.Result, c *Config) error {
	for _, cidr := range json.Get("partner_networks").Array() {
		prefix, err := netip.ParsePrefix(cidr.String())
		if err != nil {
			return err
		}
		c.partners = append(c.partners, prefix)
	}
	return nil
}

// A name of our own: it lives in the stream's filter state, next to Envoy's.
var tierProperty = []string{"playground", "client_tier"}

func onHttpRequestHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	// The client's address as the gateway decided it ("ip:port", from the connection or from as much
	// of x-forwarded-for as the gateway trusts): a header the client sends cannot change it.
	source, err := proxywasm.GetProperty([]string{"source", "address"})
	if err != nil {
		log.Warnf("no source address: %v", err)
		return types.ActionContinue
	}
	route, _ := proxywasm.GetProperty([]string{"route_name"})
	tier := "public"
	if host, _, err := net.SplitHostPort(string(source)); err == nil {
		if ip, err := netip.ParseAddr(host); err == nil {
			for _, p := range c.partners {
				if p.Contains(ip) {
					tier = "partner"
				}
			}
		}
		proxywasm.ReplaceHttpRequestHeader("x-client-ip", host)
	}
	log.Infof("client %s on route %s: %s", source, route, tier)
	// Unlike ctx.SetContext, a property is visible outside this plugin: other filters and Envoy's
	// access log (%FILTER_STATE(...)%) can read it.
	if err := proxywasm.SetProperty(tierProperty, []byte(tier)); err != nil {
		log.Warnf("could not set the tier: %v", err)
	}
	proxywasm.ReplaceHttpRequestHeader("x-client-tier", tier)
	return types.ActionContinue
}

func onHttpResponseHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	// Read back from the stream, not from a Go variable: each request has its own value.
	if tier, err := proxywasm.GetProperty(tierProperty); err == nil {
		proxywasm.AddHttpResponseHeader("x-client-tier", string(tier))
	}
	return types.ActionContinue
}
