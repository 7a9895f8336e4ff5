// http-call fetches a token from another service before letting the request through: it pauses
// the request, calls the service, copies the token header onto the request, then resumes it.
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
		"http-call",
		wrapper.ParseConfigBy(parseConfig),
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type MyConfig struct {
	// The client that sends requests to the configured service.
	client wrapper.HttpClient
	// The path (and query) requested from the service.
	requestPath string
	// The header that carries the token in the service's response and on the forwarded request.
	tokenHeader string
}

func parseConfig(json gjson.Result, config *MyConfig, log logs.Log) error {
	config.requestPath = json.Get("requestPath").String()
	if config.requestPath == "" {
		return errors.New("missing requestPath in config")
	}
	config.tokenHeader = json.Get("tokenHeader").String()
	if config.tokenHeader == "" {
		return errors.New("missing tokenHeader in config")
	}
	// For "ip" and "dns", serviceName is the name given when the service was created in the
	// console; for "k8s" and "nacos", it is the name the service registered with.
	serviceSource := json.Get("serviceSource").String()
	serviceName := json.Get("serviceName").String()
	servicePort := json.Get("servicePort").Int()
	if serviceName == "" || servicePort == 0 {
		return errors.New("invalid service config: serviceName and servicePort are required")
	}
	switch serviceSource {
	case "k8s":
		config.client = wrapper.NewClusterClient(wrapper.K8sCluster{
			ServiceName: serviceName,
			Namespace:   json.Get("namespace").String(),
			Port:        servicePort,
		})
	case "nacos":
		config.client = wrapper.NewClusterClient(wrapper.NacosCluster{
			ServiceName: serviceName,
			NamespaceID: json.Get("namespace").String(),
			Port:        servicePort,
		})
	case "ip":
		config.client = wrapper.NewClusterClient(wrapper.StaticIpCluster{
			ServiceName: serviceName,
			Port:        servicePort,
		})
	case "dns":
		config.client = wrapper.NewClusterClient(wrapper.DnsCluster{
			ServiceName: serviceName,
			Port:        servicePort,
			Domain:      json.Get("domain").String(),
		})
	default:
		return errors.New("unknown service source: " + serviceSource)
	}
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config MyConfig, log logs.Log) types.Action {
	// The timeout is omitted, so the wrapper's default of 500 ms applies.
	err := config.client.Get(config.requestPath, nil,
		func(statusCode int, responseHeaders http.Header, responseBody []byte) {
			if statusCode != http.StatusOK {
				log.Errorf("http call failed, status: %d", statusCode)
				proxywasm.SendHttpResponse(http.StatusInternalServerError, nil, []byte("http call failed"), -1)
				return
			}
			log.Infof("get status: %d, response body: %s", statusCode, responseBody)
			if token := responseHeaders.Get(config.tokenHeader); token != "" {
				proxywasm.AddHttpRequestHeader(config.tokenHeader, token)
			}
			// Let the paused request go on to the upstream.
			proxywasm.ResumeHttpRequest()
		})
	if err != nil {
		log.Errorf("http call could not be sent: %v", err)
		return types.ActionContinue
	}
	// Wait for the callback, which resumes the request.
	return types.ActionPause
}
