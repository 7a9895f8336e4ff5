// A plugin that asks an auth service whether the caller may pass.
package main

import (
	"errors"
	"net/http"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"tour-callouts",
		wrapper.ParseConfigBy(parseConfig),
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type Config struct {
	client    wrapper.HttpClient
	checkPath string
}

func parseConfig(json gjson.Result, config *Config, log logs.Log) error {
	name := json.Get("serviceName").String()
	port := json.Get("servicePort").Int()
	config.checkPath = json.Get("checkPath").String()
	if name == "" || port == 0 || config.checkPath == "" {
		return errors.New("serviceName, servicePort and checkPath are required")
	}
	config.client = wrapper.NewClusterClient(wrapper.StaticIpCluster{ServiceName: name, Port: port})
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	auth, _ := proxywasm.GetHttpRequestHeader("authorization")
	err := config.client.Get(config.checkPath, [][2]string{{"authorization", auth}},
		func(status int, headers http.Header, body []byte) {
			log.Infof("auth service answered %d", status)
			if status != http.StatusOK {
				_ = proxywasm.SendHttpResponse(401, [][2]string{{"content-type", "text/plain"}}, []byte("unauthorized"), -1)
				return
			}
			_ = proxywasm.ReplaceHttpRequestHeader("x-auth-user", gjson.GetBytes(body, "user").String())
			// Changes first, then resume: the request leaves with them.
			_ = proxywasm.ResumeHttpRequest()
		}, 2000)
	if err != nil {
		log.Errorf("could not call the auth service: %v", err)
		_ = proxywasm.SendHttpResponse(503, nil, []byte("auth service unavailable"), -1)
		return types.ActionContinue
	}
	// Hold the request; the callback above resumes it or answers it.
	return types.ActionPause
}
