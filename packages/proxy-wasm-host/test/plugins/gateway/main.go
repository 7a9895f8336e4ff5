// A plugin on the bare proxy-wasm Go SDK whose configuration picks one gateway behaviour to
// exercise, for the conformance tests (test/conformance.test.ts): what Envoy does with buffered
// bodies, stale content-length, released header maps, properties, callouts to unknown clusters,
// VM failures, worker VMs, streaming and local replies. It reports what it saw in response
// headers (x-seen-*) and log lines.
package main

import (
	"encoding/binary"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/tidwall/gjson"
)

func main() {}

func init() { proxywasm.SetVMContext(&vm{}) }

// proxy_record_metric, which the SDK only exposes for histograms and gauges.
//
//go:wasmimport env proxy_record_metric
func recordMetric(id uint32, value uint64) uint32

type vm struct{ types.DefaultVMContext }

func (*vm) NewPluginContext(uint32) types.PluginContext { return &plugin{} }

// Go globals: one copy per VM, so per gateway worker.
var (
	configures int
	requests   int
	ticks      int
)

type plugin struct {
	types.DefaultPluginContext
	cfg gjson.Result
}

func (p *plugin) OnPluginStart(int) types.OnPluginStartStatus {
	data, _ := proxywasm.GetPluginConfiguration()
	p.cfg = gjson.ParseBytes(data)
	configures++
	proxywasm.LogInfof("configured (%d)", configures)
	if p.cfg.Get("tick").Bool() {
		period := uint32(p.cfg.Get("tickMs").Int())
		if period == 0 {
			period = 100
		}
		_ = proxywasm.SetTickPeriodMilliSeconds(period)
	}
	if p.cfg.Get("reject").Bool() {
		proxywasm.LogError("rejecting the config")
		return types.OnPluginStartStatusFailed
	}
	if p.cfg.Get("mode").String() == "root_callout" {
		_, err := proxywasm.DispatchHttpCall("outbound|80||token.static", [][2]string{{":method", "GET"}, {":path", "/token"}, {":authority", "token"}}, nil, nil, 1000,
			func(int, int, int) { proxywasm.LogInfo("root callout answered") })
		proxywasm.LogInfof("root callout: %v", errString(err))
	}
	if p.cfg.Get("mode").String() == "root_set_property" {
		err := proxywasm.SetProperty([]string{"from_root"}, []byte("x"))
		proxywasm.LogInfof("root set_property: %v", errString(err))
	}
	return types.OnPluginStartStatusOK
}

func (p *plugin) OnTick() {
	ticks++
	proxywasm.LogInfof("tick %d", ticks)
	// Busy work, for the tick budget: spin on the clock for tickWorkMs.
	if work := p.cfg.Get("tickWorkMs").Int(); work > 0 {
		for end := time.Now().Add(time.Duration(work) * time.Millisecond); time.Now().Before(end); {
		}
	}
}

func (p *plugin) NewHttpContext(uint32) types.HttpContext {
	return &stream{mode: p.cfg.Get("mode").String(), cfg: p.cfg, seen: map[string]string{}}
}

type stream struct {
	types.DefaultHttpContext
	mode    string
	cfg     gjson.Result
	seen    map[string]string
	dropped bool
}

func errString(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

func prop(path ...string) string {
	v, err := proxywasm.GetProperty(path)
	if err != nil {
		return "err:" + err.Error()
	}
	return string(v)
}

func propInt(path ...string) string {
	v, err := proxywasm.GetProperty(path)
	if err != nil {
		return "err:" + err.Error()
	}
	if len(v) != 8 {
		return "len:" + strconv.Itoa(len(v))
	}
	return strconv.FormatInt(int64(binary.LittleEndian.Uint64(v)), 10)
}

func (s *stream) OnHttpRequestHeaders(n int, eos bool) types.Action {
	requests++
	switch s.mode {
	case "buffer_request":
		// Raise the stream's buffer limit first when asked (wasm-go SetRequestBodyBufferLimit).
		if limit := s.cfg.Get("raiseLimit").Int(); limit > 0 {
			_ = proxywasm.SetProperty([]string{"set_decoder_buffer_limit"}, []byte(strconv.FormatInt(limit, 10)))
		}
	case "rewrite_request_body":
		if s.cfg.Get("removeLength").Bool() {
			_ = proxywasm.RemoveHttpRequestHeader("content-length")
		}
	case "props":
		_ = proxywasm.ReplaceHttpRequestHeader(":path", "/rewritten?x=1")
		s.seen["headers.path"] = prop("request", "path")
		s.seen["headers.url_path"] = prop("request", "url_path")
		s.seen["headers.query"] = prop("request", "query")
		s.seen["headers.host"] = prop("request", "host")
		s.seen["headers.repeated"] = prop("request", "headers", "x-repeated")
		s.seen["headers.useragent"] = prop("request", "useragent")
		s.seen["headers.referer"] = prop("request", "referer")
		s.seen["headers.size"] = propInt("request", "size")
		s.seen["headers.total_size"] = propInt("request", "total_size")
		s.seen["headers.source.address"] = prop("source", "address")
		s.seen["headers.source.port"] = propInt("source", "port")
		s.seen["headers.destination.port"] = propInt("destination", "port")
		s.seen["headers.connection.id"] = propInt("connection", "id")
		s.seen["headers.xds.route_name"] = prop("xds", "route_name")
		s.seen["headers.xds.cluster_name"] = prop("xds", "cluster_name")
		s.seen["headers.node.metadata.NAMESPACE"] = prop("node", "metadata", "NAMESPACE")
		s.seen["headers.route_metadata"] = "len:" + strconv.Itoa(len(prop("route_metadata")))
		s.seen["headers.upstream.address"] = prop("upstream", "address")
		s.seen["headers.duration"] = propInt("request", "duration")
	case "add_after_resume":
		_, err := proxywasm.DispatchHttpCall(s.cfg.Get("cluster").String(), [][2]string{{":method", "GET"}, {":path", "/token"}, {":authority", "token"}}, nil, nil, 1000,
			func(int, int, int) {
				before := proxywasm.AddHttpRequestHeader("x-before-resume", "1")
				_ = proxywasm.ResumeHttpRequest()
				after := proxywasm.AddHttpRequestHeader("x-after-resume", "1")
				proxywasm.LogInfof("add before resume: %s, after: %s", errString(before), errString(after))
			})
		if err != nil {
			proxywasm.LogErrorf("dispatch: %v", err)
			return types.ActionContinue
		}
		return types.ActionPause
	case "callout":
		_, err := proxywasm.DispatchHttpCall(s.cfg.Get("cluster").String(), [][2]string{{":method", "GET"}, {":path", "/status/200"}, {":authority", "svc"}}, nil, nil, 1000,
			func(nh, bs, nt int) {
				status, _ := proxywasm.GetHttpCallResponseHeaders()
				proxywasm.LogInfof("callout answered: %v", status)
				_ = proxywasm.ResumeHttpRequest()
			})
		proxywasm.LogInfof("dispatch: %s", errString(err))
		if err == nil {
			return types.ActionPause
		}
		_ = proxywasm.AddHttpRequestHeader("x-dispatch-error", errString(err))
	case "trap":
		if int64(requests) == s.cfg.Get("trapAt").Int() {
			var m map[string]int
			m["boom"] = 1 // no wrapper: the panic kills the VM
		}
	case "hop_by_hop":
		for _, h := range []string{"connection", "keep-alive", "transfer-encoding", "x-forwarded-for", "x-envoy-internal", "x-envoy-external-address", "x-request-id", "x-envoy-original-host"} {
			v, err := proxywasm.GetHttpRequestHeader(h)
			if err != nil {
				v = "absent"
			}
			s.seen["req."+h] = v
		}
		s.seen["source.address"] = prop("source", "address")
	case "record_counter":
		id := uint32(proxywasm.DefineCounterMetric("records_total"))
		recordMetric(id, 5)
		recordMetric(id, 5)
	case "pause_forever":
		return types.ActionPause
	case "local_reply_empty":
		_ = proxywasm.SendHttpResponse(403, [][2]string{{"content-type", "application/json"}}, nil, -1)
		return types.ActionContinue
	}
	s.seen["worker.requests"] = strconv.Itoa(requests)
	s.seen["worker.configures"] = strconv.Itoa(configures)
	s.seen["worker.ticks"] = strconv.Itoa(ticks)
	if s.cfg.Get("shared").Bool() {
		s.seen["shared.count"] = strconv.Itoa(sharedIncrement("count"))
	}
	return types.ActionContinue
}

// sharedIncrement adds one to a shared-data counter with compare-and-swap, retrying on conflicts.
func sharedIncrement(key string) int {
	for {
		v, cas, err := proxywasm.GetSharedData(key)
		n := 0
		if err == nil {
			n, _ = strconv.Atoi(string(v))
		}
		if proxywasm.SetSharedData(key, []byte(strconv.Itoa(n+1)), cas) == nil {
			return n + 1
		}
	}
}

func (s *stream) OnHttpRequestBody(size int, eos bool) types.Action {
	switch s.mode {
	case "buffer_request":
		if !eos {
			return types.ActionPause
		}
		body, _ := proxywasm.GetHttpRequestBody(0, size)
		proxywasm.LogInfof("request body %d bytes", len(body))
	case "rewrite_request_body":
		if !eos {
			return types.ActionPause
		}
		_ = proxywasm.ReplaceHttpRequestBody([]byte(s.cfg.Get("body").String()))
	case "props":
		s.seen["body.path"] = prop("request", "path")
		s.seen["body.size"] = propInt("request", "size")
	case "request_chunks":
		body, _ := proxywasm.GetHttpRequestBody(0, size)
		proxywasm.LogInfof("request chunk %d bytes eos=%v: %s", size, eos, body)
	}
	return types.ActionContinue
}

func (s *stream) OnHttpResponseHeaders(n int, eos bool) types.Action {
	switch s.mode {
	case "props":
		s.seen["response.path"] = prop("request", "path")
		s.seen["response.code"] = propInt("response", "code")
		s.seen["response.time"] = propInt("request", "time")
		s.seen["response.upstream.address"] = prop("upstream", "address")
	case "local_reply_empty":
		ct, err := proxywasm.GetHttpResponseHeader("content-type")
		s.seen["reply.content-type"] = ct + errString(err)
		cl, err := proxywasm.GetHttpResponseHeader("content-length")
		s.seen["reply.content-length"] = cl + errString(err)
		s.seen["reply.code_details"] = "[" + prop("response", "code_details") + "]"
	case "buffer_response", "rewrite_response_body":
		if s.mode == "buffer_response" {
			if limit := s.cfg.Get("raiseLimit").Int(); limit > 0 {
				_ = proxywasm.SetProperty([]string{"set_encoder_buffer_limit"}, []byte(strconv.FormatInt(limit, 10)))
			}
		}
		if s.cfg.Get("removeLength").Bool() {
			_ = proxywasm.RemoveHttpResponseHeader("content-length")
		}
	}
	if len(s.seen) > 0 {
		out, _ := json.Marshal(s.seen)
		_ = proxywasm.AddHttpResponseHeader("x-seen", string(out))
	}
	return types.ActionContinue
}

func (s *stream) OnHttpResponseBody(size int, eos bool) types.Action {
	switch s.mode {
	case "buffer_response":
		if !eos {
			return types.ActionPause
		}
	case "rewrite_response_body":
		if !eos {
			return types.ActionPause
		}
		_ = proxywasm.ReplaceHttpResponseBody([]byte(s.cfg.Get("body").String()))
	case "response_chunks":
		body, _ := proxywasm.GetHttpResponseBody(0, size)
		proxywasm.LogInfof("response chunk %d bytes eos=%v", size, eos)
		_ = proxywasm.ReplaceHttpResponseBody([]byte(strings.ToUpper(string(body))))
	case "drop_first_chunk":
		if !s.dropped && size > 0 {
			s.dropped = true
			return types.DataStopIterationNoBuffer
		}
	}
	return types.ActionContinue
}

func (s *stream) OnHttpStreamDone() {
	if s.mode == "local_reply_empty" || s.mode == "props" {
		proxywasm.LogInfof("done: response.code=%s code_details=[%s] path=%s", propInt("response", "code"), prop("response", "code_details"), prop("request", "path"))
	}
}
