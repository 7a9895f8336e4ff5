// A plugin that numbers the requests it sees and tells the upstream the number.
package main

import (
	"encoding/binary"
	"strconv"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"tour-shared-data",
		wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders),
	)
}

type Config struct{}

const counterKey = "tour-request-count"

// increment adds one to the shared counter and returns the new value. Another worker may write
// between our read and our write: the CAS makes that write fail, and we try again.
func increment() (uint64, error) {
	for attempt := 0; attempt < 10; attempt++ {
		data, cas, err := proxywasm.GetSharedData(counterKey)
		var n uint64
		if err == nil && len(data) == 8 {
			n = binary.BigEndian.Uint64(data)
		} else if err != nil && err != types.ErrorStatusNotFound {
			return 0, err
		}
		n++
		buf := make([]byte, 8)
		binary.BigEndian.PutUint64(buf, n)
		err = proxywasm.SetSharedData(counterKey, buf, cas)
		if err == nil {
			return n, nil
		}
		if err != types.ErrorStatusCasMismatch {
			return 0, err
		}
	}
	return 0, types.ErrorStatusCasMismatch
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	count, err := increment()
	if err != nil {
		log.Warnf("could not count: %v", err)
		return types.ActionContinue
	}
	log.Infof("request number %d", count)
	_ = proxywasm.ReplaceHttpRequestHeader("x-request-count", strconv.FormatUint(count, 10))
	return types.ActionContinue
}
