// A plugin that fetches a token from a token service and passes it on with the request, using
// the SDK's own DispatchHttpCall (what wasm-go's HttpClient calls underneath).
package main

import (
	"errors"
	"strings"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"tour-pause-and-resume",
		wrapper.ParseConfigBy(parseConfig),
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type Config struct {
	cluster   string
	authority string
	tokenPath string
}

func parseConfig(json gjson.Result, config *Config, log logs.Log) error {
	config.cluster = json.Get("cluster").String()
	config.authority = json.Get("authority").String()
	config.tokenPath = json.Get("tokenPath").String()
	if config.cluster == "" || config.tokenPath == "" {
		return errors.New("cluster and tokenPath are required")
	}
	return nil
}

// callResponse reads the status and one header of the callout's answer.
func callResponse(name string) (status, value string) {
	headers, _ := proxywasm.GetHttpCallResponseHeaders()
	for _, h := range headers {
		switch strings.ToLower(h[0]) {
		case ":status":
			status = h[1]
		case name:
			value = h[1]
		}
	}
	return status, value
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	request := [][2]string{{":method", "GET"}, {":path", config.tokenPath}, {":authority", config.authority}}
	_, err := proxywasm.DispatchHttpCall(config.cluster, request, nil, nil, 2000, func(numHeaders, bodySize, numTrailers int) {
		// Let the request go as soon as the answer is here...
		_ = proxywasm.ResumeHttpRequest()
		status, token := callResponse("x-token")
		if status != "200" || token == "" {
			log.Warnf("no token (status %s)", status)
			return
		}
		log.Infof("token received")
		if err := proxywasm.AddHttpRequestHeader("x-token", token); err != nil {
			log.Warnf("could not add x-token: %v", err)
		}
	})
	if err != nil {
		log.Errorf("could not call the token service: %v", err)
		return types.ActionContinue
	}
	return types.ActionPause
}
