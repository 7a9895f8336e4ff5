// A wasm-go plugin whose behaviour is chosen by its configuration, to exercise the host:
// header edits per phase, body edits with buffering, local replies from any phase, properties,
// metrics, shared data CAS, foreign functions, `_rules_` and config rejection.
package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"features",
		wrapper.ParseConfigBy(parseConfig),
		wrapper.ProcessRequestHeadersBy(onRequestHeaders),
		wrapper.ProcessRequestBodyBy(onRequestBody),
		wrapper.ProcessResponseHeadersBy(onResponseHeaders),
		wrapper.ProcessResponseBodyBy(onResponseBody),
		wrapper.ProcessStreamDoneBy(onStreamDone),
	)
}

type Config struct {
	raw string
}

func (c Config) get(path string) gjson.Result { return gjson.Get(c.raw, path) }

var requests proxywasm.MetricCounter
var gauge proxywasm.MetricGauge
var hist proxywasm.MetricHistogram

func parseConfig(json gjson.Result, config *Config, log logs.Log) error {
	if json.Get("reject").Bool() {
		return errors.New("config rejected: reject=true")
	}
	config.raw = json.Raw
	if json.Get("metrics").Bool() {
		requests = proxywasm.DefineCounterMetric("features_requests_total")
		gauge = proxywasm.DefineGaugeMetric("features_gauge")
		hist = proxywasm.DefineHistogramMetric("features_body_bytes")
	}
	log.Infof("configured with %s", json.Raw)
	return nil
}

func editHeaders(c Config, key string, add, replace func(k, v string) error, remove func(k string) error) {
	c.get(key + ".add").ForEach(func(k, v gjson.Result) bool { _ = add(k.String(), v.String()); return true })
	c.get(key + ".replace").ForEach(func(k, v gjson.Result) bool { _ = replace(k.String(), v.String()); return true })
	c.get(key + ".remove").ForEach(func(_, v gjson.Result) bool { _ = remove(v.String()); return true })
}

func editBody(c Config, key string, body []byte, replace, app, prep func([]byte) error) {
	data := []byte(c.get(key + ".data").String())
	switch c.get(key + ".op").String() {
	case "replace":
		_ = replace(data)
	case "append":
		_ = app(data)
	case "prepend":
		_ = prep(data)
	case "upper":
		out := make([]byte, len(body))
		for i, b := range body {
			if b >= 'a' && b <= 'z' {
				b -= 32
			}
			out[i] = b
		}
		_ = replace(out)
	}
}

func reply(c Config, phase string) bool {
	if c.get("replyIn").String() != phase {
		return false
	}
	status := c.get("replyStatus").Int()
	if status == 0 {
		status = 403
	}
	_ = proxywasm.SendHttpResponseWithDetail(uint32(status), "features_"+phase, [][2]string{{"x-reply-phase", phase}}, []byte(c.get("replyBody").String()), -1)
	return true
}

func onRequestHeaders(ctx wrapper.HttpContext, c Config, log logs.Log) types.Action {
	if c.get("panicIn").String() == "request_headers" {
		var m map[string]int
		m["boom"] = 1 // nil map write: the wrapper recovers and logs the panic
	}
	if c.get("ruleTag").Exists() {
		_ = proxywasm.AddHttpRequestHeader("x-rule", c.get("ruleTag").String())
	}
	editHeaders(c, "reqHeaders", proxywasm.AddHttpRequestHeader, proxywasm.ReplaceHttpRequestHeader, proxywasm.RemoveHttpRequestHeader)
	if c.get("properties").Bool() {
		props(log)
	}
	if c.get("metrics").Bool() {
		requests.Increment(1)
		gauge.Add(5)
		gauge.Add(-2)
	}
	if c.get("shared").Bool() {
		sharedCas()
	}
	if c.get("bodyNoLength").Bool() {
		_ = proxywasm.RemoveHttpRequestHeader("content-length")
	}
	log.Debugf("request headers done, path %s", ctx.Path())
	if reply(c, "request_headers") {
		return types.ActionContinue
	}
	return types.ActionContinue
}

func props(log logs.Log) {
	get := func(path ...string) string {
		v, err := proxywasm.GetProperty(path)
		if err != nil {
			return "err:" + err.Error()
		}
		return string(v)
	}
	_ = proxywasm.AddHttpRequestHeader("x-route-name", get("route_name"))
	_ = proxywasm.AddHttpRequestHeader("x-cluster-name", get("cluster_name"))
	_ = proxywasm.AddHttpRequestHeader("x-plugin-name", get("plugin_name"))
	_ = proxywasm.AddHttpRequestHeader("x-prop-request-id", get("x_request_id"))
	_ = proxywasm.AddHttpRequestHeader("x-prop-path", get("request", "path"))
	_ = proxywasm.AddHttpRequestHeader("x-prop-custom", get("custom_prop"))
	_ = proxywasm.AddHttpRequestHeader("x-prop-missing", get("no_such_property"))
	mem, err := proxywasm.GetProperty([]string{"plugin_vm_memory"})
	if err == nil && len(mem) == 8 {
		_ = proxywasm.AddHttpRequestHeader("x-vm-memory", strconv.FormatUint(binary.LittleEndian.Uint64(mem), 10))
	}
	_ = proxywasm.SetProperty([]string{"my_state"}, []byte("round-trip"))
	_ = proxywasm.AddHttpRequestHeader("x-prop-roundtrip", get("my_state"))
	lvl, err := proxywasm.CallForeignFunction("get_log_level", nil)
	if err == nil && len(lvl) == 4 {
		_ = proxywasm.AddHttpRequestHeader("x-log-level", strconv.Itoa(int(binary.LittleEndian.Uint32(lvl))))
	}
	_, err = proxywasm.CallForeignFunction("no_such_function", nil)
	_ = proxywasm.AddHttpRequestHeader("x-foreign-unknown", fmt.Sprint(err))
	log.Info("properties read")
}

func sharedCas() {
	_, _, err := proxywasm.GetSharedData("k")
	if errors.Is(err, types.ErrorStatusNotFound) {
		_ = proxywasm.AddHttpRequestHeader("x-shared-initial", "notfound")
	}
	_ = proxywasm.SetSharedData("k", []byte("v1"), 0)
	v, cas, _ := proxywasm.GetSharedData("k")
	// Someone else writes in between: our cas is stale.
	_ = proxywasm.SetSharedData("k", []byte("v2"), cas)
	err = proxywasm.SetSharedData("k", []byte("v3"), cas)
	_ = proxywasm.AddHttpRequestHeader("x-shared-read", string(v))
	_ = proxywasm.AddHttpRequestHeader("x-shared-stale", fmt.Sprint(err))
	v, _, _ = proxywasm.GetSharedData("k")
	_ = proxywasm.AddHttpRequestHeader("x-shared-final", string(v))
}

func onRequestBody(ctx wrapper.HttpContext, c Config, body []byte, log logs.Log) types.Action {
	_ = proxywasm.AddHttpRequestHeader("x-never", "request headers are gone in the body phase")
	editBody(c, "reqBody", body, proxywasm.ReplaceHttpRequestBody, proxywasm.AppendHttpRequestBody, proxywasm.PrependHttpRequestBody)
	if c.get("metrics").Bool() {
		hist.Record(uint64(len(body)))
	}
	log.Infof("request body %d bytes: %s", len(body), body)
	reply(c, "request_body")
	return types.ActionContinue
}

func onResponseHeaders(ctx wrapper.HttpContext, c Config, log logs.Log) types.Action {
	editHeaders(c, "respHeaders", proxywasm.AddHttpResponseHeader, proxywasm.ReplaceHttpResponseHeader, proxywasm.RemoveHttpResponseHeader)
	status, _ := proxywasm.GetHttpResponseHeader(":status")
	_ = proxywasm.AddHttpResponseHeader("x-seen-status", status)
	if reply(c, "response_headers") {
		return types.ActionContinue
	}
	if c.get("pauseResponseHeaders").Bool() {
		return types.HeaderStopIteration
	}
	return types.ActionContinue
}

func onResponseBody(ctx wrapper.HttpContext, c Config, body []byte, log logs.Log) types.Action {
	editBody(c, "respBody", body, proxywasm.ReplaceHttpResponseBody, proxywasm.AppendHttpResponseBody, proxywasm.PrependHttpResponseBody)
	log.Infof("response body %d bytes", len(body))
	reply(c, "response_body")
	return types.ActionContinue
}

func onStreamDone(ctx wrapper.HttpContext, c Config, log logs.Log) {
	log.Info("stream done")
}
