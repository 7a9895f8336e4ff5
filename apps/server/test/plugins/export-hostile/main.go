// A plugin for the export tests whose strings are hostile to the files a bundle generates. It
// adds request headers whose names and values hold quotes, backslashes, `*/` and `$(...)`, sets
// and removes headers the client sent (one named like Go code), adds response headers named like
// Go code, and logs its config and the request path. pwn is what a name would smuggle into an
// exported Go test that pastes it raw: it leaves a PWNED file and prints a marker.
package main

import (
	"os"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"export-hostile",
		wrapper.ParseConfigBy(parseConfig),
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
		wrapper.ProcessResponseHeadersBy(onHttpResponseHeaders),
	)
}

func pwn() string {
	_ = os.WriteFile("PWNED", []byte("injected code ran"), 0o644)
	println("PWNED: injected code ran")
	return ""
}

type Config struct {
	tag  string
	note string
}

func parseConfig(json gjson.Result, config *Config, log logs.Log) error {
	config.tag = json.Get("tag").String()
	config.note = json.Get("note").String()
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	proxywasm.AddHttpRequestHeader("x-q'`$|&*#~!%^+.", `back\slash "quoted" "+pwn()+" */ $(id) 'single'`)
	proxywasm.AddHttpRequestHeader("x-tag", config.tag)
	proxywasm.ReplaceHttpRequestHeader("x-user", `changed\"+pwn()+"'`)
	proxywasm.RemoveHttpRequestHeader(`z"+pwn()+"`)
	log.Infof("note: %s", config.note)
	path, _ := proxywasm.GetHttpRequestHeader(":path")
	log.Infof("path: %s", path)
	return types.ActionContinue
}

func onHttpResponseHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	proxywasm.AddHttpResponseHeader(`y"+pwn()+"`, `r"+pwn()+"\`)
	proxywasm.AddHttpResponseHeader("y-nl\n// */\"+pwn()+\"", "v")
	return types.ActionContinue
}
