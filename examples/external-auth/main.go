// external-auth asks an auth service whether each request's credentials are good before the
// request may reach the upstream: 200 lets it through, anything else is refused by the gateway.
package main

import (
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
		"external-auth",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
	)
}

type Config struct {
	auth      wrapper.HttpClient
	checkPath string
}

func parseConfig(json gjson.Result, c *Config) error {
	// A Kubernetes service: the cluster is outbound|<port>||<name>.<namespace>.svc.cluster.local.
	c.auth = wrapper.NewClusterClient(wrapper.K8sCluster{
		ServiceName: json.Get("auth_service.name").String(),
		Namespace:   json.Get("auth_service.namespace").String(),
		Port:        json.Get("auth_service.port").Int(),
	})
	c.checkPath = json.Get("auth_service.check_path").String()
	return nil
}

func deny(status uint32, detail, message string, headers [][2]string) {
	// The detail shows up as the response's code details (and in the gateway's access log), which
	// tells a refusal by this plugin apart from one by the upstream.
	proxywasm.SendHttpResponseWithDetail(status, "external-auth."+detail,
		append(headers, [2]string{"content-type", "text/plain"}), []byte(message+"\n"), -1)
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	credentials, _ := proxywasm.GetHttpRequestHeader("authorization")
	if credentials == "" {
		// No need to ask anyone.
		deny(401, "no_credentials", "credentials required", [][2]string{{"www-authenticate", `Basic realm="playground"`}})
		return types.ActionContinue
	}
	err := c.auth.Get(c.checkPath, [][2]string{{"authorization", credentials}},
		func(code int, headers http.Header, body []byte) {
			switch code {
			case http.StatusOK:
				user := gjson.GetBytes(body, "user").String()
				log.Infof("auth service accepted %s", user)
				proxywasm.AddHttpRequestHeader("x-auth-user", user)
				proxywasm.ResumeHttpRequest()
			case http.StatusUnauthorized, http.StatusForbidden:
				log.Warnf("auth service refused the credentials (%d)", code)
				deny(403, "denied", "access denied", nil)
			default:
				// Fail closed: when the auth service is down, nobody gets in.
				log.Errorf("auth service answered %d", code)
				deny(503, "auth_unavailable", "cannot check credentials", nil)
			}
		}, 1000)
	if err != nil {
		log.Errorf("auth call not sent: %v", err)
		deny(503, "auth_unavailable", "cannot check credentials", nil)
		return types.ActionContinue
	}
	// Nothing goes upstream until the callback has decided.
	return types.HeaderStopAllIterationAndWatermark
}
