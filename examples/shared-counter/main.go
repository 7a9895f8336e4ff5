// shared-counter numbers requests across all of the gateway's workers. Each worker has its own VM
// and its own Go globals, so a Go variable counts only that worker's requests; shared data is one
// store for all of them.
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
		"shared-counter",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
	)
}

type Config struct {
	key string
}

func parseConfig(json gjson.Result, c *Config) error {
	c.key = json.Get("key").String()
	if c.key == "" {
		return errors.New("key is required: the shared-data key that holds the count")
	}
	return nil
}

// Counts only what this worker's VM has seen.
var thisWorker int

// increment adds one to the shared count and returns the new value.
func increment(key string) (int, error) {
	for attempt := 0; attempt < 8; attempt++ {
		value, cas, err := proxywasm.GetSharedData(key)
		if err != nil && !errors.Is(err, types.ErrorStatusNotFound) {
			return 0, err
		}
		n, _ := strconv.Atoi(string(value)) // a missing key counts from 0
		// The cas says which version we read. If another worker wrote in between, the write is
		// refused with CasMismatch and we read again, so no increment is ever lost.
		err = proxywasm.SetSharedData(key, []byte(strconv.Itoa(n+1)), cas)
		if err == nil {
			return n + 1, nil
		}
		if !errors.Is(err, types.ErrorStatusCasMismatch) {
			return 0, err
		}
		log.Debugf("another worker counted first; trying again")
	}
	return 0, errors.New("too much contention")
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	n, err := increment(c.key)
	if err != nil {
		log.Warnf("not counted: %v", err)
		return types.ActionContinue
	}
	thisWorker++
	log.Infof("request %d in all, %d on this worker", n, thisWorker)
	ctx.SetContext("n", n)
	return types.ActionContinue
}

func onHttpResponseHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	if n, ok := ctx.GetContext("n").(int); ok {
		proxywasm.AddHttpResponseHeader("x-request-number", strconv.Itoa(n))
		proxywasm.AddHttpResponseHeader("x-worker-requests", strconv.Itoa(thisWorker))
	}
	return types.ActionContinue
}
