// response-callout records every response with an audit service before the client gets it: it holds
// the response headers, POSTs a record to the service, puts the ticket it answers on the response,
// and lets the response go on.
package main

import (
	"encoding/json"
	"net/http"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"response-callout",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
	)
}

type Config struct {
	client  wrapper.HttpClient
	path    string
	timeout uint32
}

func parseConfig(json gjson.Result, c *Config) error {
	// A service registered in the gateway by DNS name: the cluster is outbound|<port>||<name>.dns,
	// and the callout's Host header is the domain.
	c.client = wrapper.NewClusterClient(wrapper.DnsCluster{
		ServiceName: json.Get("service.name").String(),
		Domain:      json.Get("service.domain").String(),
		Port:        json.Get("service.port").Int(),
	})
	c.path = json.Get("service.path").String()
	c.timeout = uint32(json.Get("service.timeout_ms").Int())
	return nil
}

type record struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Status string `json:"status"`
}

func onHttpResponseHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	status, _ := proxywasm.GetHttpResponseHeader(":status")
	body, _ := json.Marshal(record{ctx.Method(), ctx.Path(), status})
	err := c.client.Post(c.path, [][2]string{{"content-type", "application/json"}}, body,
		func(code int, headers http.Header, answer []byte) {
			if code == http.StatusOK {
				ticket := gjson.GetBytes(answer, "ticket").String()
				log.Infof("audited %s as %s", body, ticket)
				// Before resuming: once the response goes on, its headers can no longer change.
				proxywasm.AddHttpResponseHeader("x-audit-ticket", ticket)
			} else {
				log.Warnf("audit service answered %d: response not audited", code)
			}
			proxywasm.ResumeHttpResponse()
		}, c.timeout)
	if err != nil {
		log.Errorf("audit call not sent: %v", err)
		return types.ActionContinue
	}
	// Hold the response (headers and body) until the callback resumes it.
	return types.HeaderStopAllIterationAndWatermark
}
