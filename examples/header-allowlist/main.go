// header-allowlist lets only the request headers named in the config reach the upstream. It reads
// the whole header map once and writes it back once, instead of removing names one by one (which
// would need to know every name a client might send).
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

// The older *By options pass a logger to every callback; the newer ones use the log package.
func init() {
	wrapper.SetCtx(
		"header-allowlist",
		wrapper.ParseConfigBy(parseConfig),
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type Config struct {
	allow map[string]bool
}

func parseConfig(json gjson.Result, c *Config, log logs.Log) error {
	c.allow = map[string]bool{}
	for _, name := range json.Get("allow").Array() {
		// Header names reach the plugin in lower case.
		c.allow[strings.ToLower(name.String())] = true
	}
	log.Infof("allowing %d headers", len(c.allow))
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, c Config, log logs.Log) types.Action {
	headers, err := proxywasm.GetHttpRequestHeaders()
	if err != nil {
		log.Warnf("could not read the headers: %v", err)
		return types.ActionContinue
	}
	var kept [][2]string
	for _, h := range headers {
		// Pseudo-headers (:method, :path, :authority, :scheme) are the request line: dropping one
		// leaves a request the router cannot send.
		if strings.HasPrefix(h[0], ":") || c.allow[h[0]] {
			kept = append(kept, h)
			continue
		}
		log.Debugf("dropped %s", h[0])
	}
	if len(kept) < len(headers) {
		// Replaces the whole map: anything not in `kept` is gone.
		proxywasm.ReplaceHttpRequestHeaders(kept)
	}
	log.Infof("kept %d of %d headers", len(kept), len(headers))
	return types.ActionContinue
}
