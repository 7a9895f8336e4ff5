// streaming-response passes a streamed answer to the client chunk by chunk, counting as it goes, and
// adds one summary line after the last chunk.
package main

import (
	"fmt"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"streaming-response",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
		wrapper.ProcessStreamingResponseBody(onStreamingResponseBody),
	)
}

type Config struct {
	summary bool
}

func parseConfig(json gjson.Result, c *Config) error {
	c.summary = json.Get("summary").Bool()
	return nil
}

type progress struct {
	chunks, bytes int
	endsLine      bool // the last byte passed on was a newline
}

func onHttpResponseHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	ctx.SetContext("progress", &progress{})
	if c.summary {
		// The summary makes the body longer than the upstream announced, and the headers go out
		// before the first chunk: the length has to go now.
		proxywasm.RemoveHttpResponseHeader("content-length")
	}
	return types.ActionContinue
}

// Called once per chunk as it arrives from the upstream; the returned bytes go on to the client at once.
func onStreamingResponseBody(ctx wrapper.HttpContext, c Config, chunk []byte, isLastChunk bool) []byte {
	p := ctx.GetContext("progress").(*progress)
	if len(chunk) > 0 {
		p.chunks++
		p.bytes += len(chunk)
		p.endsLine = chunk[len(chunk)-1] == '\n'
		log.Debugf("chunk %d: %d bytes", p.chunks, len(chunk))
	}
	if !isLastChunk {
		return chunk
	}
	log.Infof("stream done: %d chunks, %d bytes", p.chunks, p.bytes)
	if !c.summary {
		return chunk
	}
	line := fmt.Sprintf("{\"gateway\":{\"chunks\":%d,\"bytes\":%d}}\n", p.chunks, p.bytes)
	if !p.endsLine {
		line = "\n" + line
	}
	return append(chunk, line...)
}
