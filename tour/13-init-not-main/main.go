// A plugin that refuses a fixed set of paths.
package main

import (
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
)

// Paths no client may reach through this gateway.
var blocked map[string]bool

func main() {
	blocked = map[string]bool{
		"/admin":       true,
		"/debug/pprof": true,
	}
}

func init() {
	wrapper.SetCtx(
		"tour-init-not-main",
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type Config struct{}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	log.Infof("%d blocked path(s)", len(blocked))
	if blocked[ctx.Path()] {
		_ = proxywasm.SendHttpResponse(403, nil, []byte("blocked"), -1)
	}
	return types.ActionContinue
}
