// A hostile plugin for the session tests. Its config picks the misbehaviour:
// loop (never returns), sleep (time.Sleep for an hour), panic (wasm-go recovers it), bomb
// (allocates until memory runs out) or pause (pauses the request and never resumes it).
package main

import (
	"time"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx("hostile",
		wrapper.ParseConfigBy(parseConfig),
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type Config struct {
	mode string
}

func parseConfig(json gjson.Result, config *Config, log logs.Log) error {
	config.mode = json.Get("mode").String()
	return nil
}

var (
	sink  int
	hoard [][]byte
)

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	switch config.mode {
	case "loop":
		log.Info("about to loop forever")
		for {
			sink++
		}
	case "sleep":
		time.Sleep(time.Hour)
	case "panic":
		var m map[string]int
		m["boom"] = 1 // assignment to a nil map panics
	case "bomb":
		for {
			hoard = append(hoard, make([]byte, 16<<20))
		}
	case "pause":
		log.Info("pausing and never resuming")
		return types.ActionPause
	}
	return types.ActionContinue
}
