// A plugin on the bare proxy-wasm Go SDK (no wrapper, so panics are not recovered), for
// containment tests and root-context features: panic, endless loop, memory bomb, ticks,
// queues, trailers, a stream that never resumes, and a plugin that refuses to start.
package main

import (
	"strings"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/tidwall/gjson"
)

func main() {}

func init() { proxywasm.SetVMContext(&vm{}) }

type vm struct{ types.DefaultVMContext }

func (*vm) NewPluginContext(uint32) types.PluginContext { return &plugin{} }

type plugin struct {
	types.DefaultPluginContext
	mode    string
	queue   uint32
	ticks   int
	tickCnt proxywasm.MetricCounter
}

func (p *plugin) OnPluginStart(int) types.OnPluginStartStatus {
	data, _ := proxywasm.GetPluginConfiguration()
	p.mode = gjson.GetBytes(data, "mode").String()
	switch p.mode {
	case "reject":
		proxywasm.LogError("refusing to start: mode=reject")
		return types.OnPluginStartStatusFailed
	case "panic_start":
		panic("panic during start")
	case "tick":
		p.tickCnt = proxywasm.DefineCounterMetric("ticks_total")
		_ = proxywasm.SetTickPeriodMilliSeconds(20)
	case "queue":
		id, err := proxywasm.RegisterSharedQueue("jobs")
		if err != nil {
			proxywasm.LogErrorf("register queue: %v", err)
		}
		p.queue = id
	}
	return types.OnPluginStartStatusOK
}

func (p *plugin) OnTick() {
	p.ticks++
	p.tickCnt.Increment(1)
	proxywasm.LogInfof("tick %d", p.ticks)
}

func (p *plugin) OnQueueReady(id uint32) {
	data, err := proxywasm.DequeueSharedQueue(id)
	if err != nil {
		proxywasm.LogErrorf("dequeue: %v", err)
		return
	}
	proxywasm.LogInfof("queue received: %s", data)
	_, err = proxywasm.DequeueSharedQueue(id)
	proxywasm.LogInfof("queue then: %v", err)
}

func (p *plugin) NewHttpContext(id uint32) types.HttpContext { return &stream{mode: p.mode} }

type stream struct {
	types.DefaultHttpContext
	mode string
}

var sink [][]byte

func (s *stream) OnHttpRequestHeaders(n int, eos bool) types.Action {
	switch s.mode {
	case "panic":
		panic("boom from request headers")
	case "loop":
		x := 0
		for {
			x++
		}
	case "bomb":
		for {
			sink = append(sink, make([]byte, 1<<20))
		}
	case "pause_forever":
		return types.ActionPause
	case "log_flood":
		big := strings.Repeat("x", 1<<20)
		for i := 0; i < 5000; i++ {
			proxywasm.LogInfo(big)
		}
	case "queue":
		id, err := proxywasm.ResolveSharedQueue("", "jobs")
		if err != nil {
			proxywasm.LogErrorf("resolve: %v", err)
		}
		_ = proxywasm.EnqueueSharedQueue(id, []byte("hello-queue"))
		_, err = proxywasm.ResolveSharedQueue("", "nope")
		_ = proxywasm.AddHttpRequestHeader("x-resolve-unknown", errString(err))
	case "stopall":
		// Holds headers and body until proxy_continue_stream, which never comes: the stream times out.
		return types.HeaderStopAllIterationAndBuffer
	case "headers_pause_body_continue":
		return types.HeaderStopIteration
	}
	return types.ActionContinue
}

func (s *stream) OnHttpRequestBody(size int, eos bool) types.Action {
	if s.mode == "headers_pause_body_continue" {
		_ = proxywasm.ReplaceHttpRequestHeader("x-body-seen", "yes")
		return types.ActionContinue
	}
	if s.mode == "body_chunks" {
		body, _ := proxywasm.GetHttpRequestBody(0, size)
		proxywasm.LogInfof("body callback size=%d eos=%v body=%s", size, eos, body)
		if !eos {
			return types.ActionPause
		}
		_ = proxywasm.AppendHttpRequestBody([]byte("|end"))
	}
	return types.ActionContinue
}

func (s *stream) OnHttpRequestTrailers(n int) types.Action {
	if s.mode == "trailers" {
		_ = proxywasm.AddHttpRequestTrailer("x-trailer-added", "1")
		_ = proxywasm.RemoveHttpRequestTrailer("x-drop")
		_ = proxywasm.ReplaceHttpRequestTrailer("x-keep", "replaced")
	}
	return types.ActionContinue
}

func (s *stream) OnHttpResponseTrailers(n int) types.Action {
	if s.mode == "trailers" {
		_ = proxywasm.AddHttpResponseTrailer("x-resp-trailer", "added")
	}
	return types.ActionContinue
}

func (s *stream) OnHttpResponseHeaders(n int, eos bool) types.Action {
	if s.mode == "panic_response" {
		panic("boom from response headers")
	}
	return types.ActionContinue
}

func errString(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}
