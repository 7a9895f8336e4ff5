// background-queue moves work out of the request path: each request only puts an event on a shared
// queue, and a tick that runs in the background on every worker takes the events off and processes
// them.
package main

import (
	"errors"
	"strconv"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"background-queue",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
	)
}

type Config struct {
	queue uint32
}

// The tick function has no config argument: it reads the queue id from here.
var queueID uint32

const processedKey = "background-queue/processed"

func parseConfig(json gjson.Result, c *Config) error {
	// A queue belongs to a plugin (root) context, and parseConfig runs in it. Every worker's VM
	// registers the same name and gets the same queue.
	id, err := proxywasm.RegisterSharedQueue(json.Get("queue").String())
	if err != nil {
		return err
	}
	c.queue, queueID = id, id
	// Ticks must be registered here: the wrapper forgets earlier ones each time the config is parsed.
	wrapper.RegisterTickFunc(json.Get("tick_ms").Int(), drain)
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	event := ctx.Method() + " " + ctx.Path()
	// Cheap and non-blocking: the request goes on at once, whatever the processing costs later.
	if err := proxywasm.EnqueueSharedQueue(c.queue, []byte(event)); err != nil {
		log.Warnf("event dropped: %v", err)
	} else {
		log.Infof("queued %q", event)
	}
	return types.ActionContinue
}

// drain runs on every worker's tick; each event is dequeued by exactly one of them.
func drain() {
	done := 0
	for {
		event, err := proxywasm.DequeueSharedQueue(queueID)
		if err != nil { // types.ErrorStatusEmpty: nothing left
			break
		}
		log.Infof("tick: processed %q", event)
		done++
	}
	if done > 0 {
		addProcessed(done)
	}
}

// addProcessed keeps a total in shared data, which every worker can read (see shared-counter).
func addProcessed(n int) {
	for attempt := 0; attempt < 8; attempt++ {
		value, cas, err := proxywasm.GetSharedData(processedKey)
		if err != nil && !errors.Is(err, types.ErrorStatusNotFound) {
			log.Errorf("cannot read the total: %v", err)
			return
		}
		total, _ := strconv.Atoi(string(value))
		if proxywasm.SetSharedData(processedKey, []byte(strconv.Itoa(total+n)), cas) == nil {
			return
		}
	}
}

func onHttpResponseHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	total, _, _ := proxywasm.GetSharedData(processedKey)
	if len(total) == 0 {
		total = []byte("0")
	}
	proxywasm.AddHttpResponseHeader("x-events-processed", string(total))
	return types.ActionContinue
}
