// metrics publishes three kinds of statistics for the gateway's monitoring: a counter of requests,
// a gauge of requests in flight, and a histogram of how long they took.
package main

import (
	"strconv"
	"time"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"metrics",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
		wrapper.ProcessStreamDone(onStreamDone),
	)
}

type Config struct {
	requests proxywasm.MetricCounter
	inFlight proxywasm.MetricGauge
	latency  proxywasm.MetricHistogram
}

func parseConfig(json gjson.Result, c *Config) error {
	prefix := json.Get("prefix").String()
	// Envoy keeps one set of stats per process: every worker's VM that defines a name gets the same
	// metric, so the counts add up across workers.
	c.requests = proxywasm.DefineCounterMetric(prefix + "requests_total")
	c.inFlight = proxywasm.DefineGaugeMetric(prefix + "requests_in_flight")
	c.latency = proxywasm.DefineHistogramMetric(prefix + "request_duration_ms")
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	c.requests.Increment(1) // a counter only goes up
	c.inFlight.Add(1)       // a gauge goes up and down
	ctx.SetContext("start", time.Now())
	return types.ActionContinue
}

func onHttpResponseHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	// Counters and gauges can be read back; a histogram cannot (it is a distribution, not a number).
	proxywasm.AddHttpResponseHeader("x-requests-total", strconv.FormatUint(c.requests.Value(), 10))
	proxywasm.AddHttpResponseHeader("x-requests-in-flight", strconv.FormatInt(c.inFlight.Value(), 10))
	return types.ActionContinue
}

// Stream done runs for every request, including ones a local reply or a reset ended: the gauge
// always comes back down.
func onStreamDone(ctx wrapper.HttpContext, c Config) {
	c.inFlight.Add(-1)
	took := time.Since(ctx.GetContext("start").(time.Time)).Milliseconds()
	c.latency.Record(uint64(took))
	log.Infof("recorded %d ms", took)
}
