// redact-upload blanks out secret words in a request body while it streams to the upstream, chunk by
// chunk, without buffering the whole upload.
package main

import (
	"bytes"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"redact-upload",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessStreamingRequestBody(onStreamingRequestBody),
	)
}

type Config struct {
	words [][]byte
}

func parseConfig(json gjson.Result, c *Config) error {
	for _, w := range json.Get("words").Array() {
		if w.String() != "" {
			c.words = append(c.words, []byte(w.String()))
		}
	}
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	ctx.SetContext("bytes", 0)
	return types.ActionContinue
}

// Each chunk goes on as soon as this returns: what it returns is what the upstream gets.
func onStreamingRequestBody(ctx wrapper.HttpContext, c Config, chunk []byte, isLastChunk bool) []byte {
	total := ctx.GetContext("bytes").(int) + len(chunk)
	ctx.SetContext("bytes", total)
	log.Debugf("chunk of %d bytes (last: %t)", len(chunk), isLastChunk)
	for _, w := range c.words {
		// Same length in, same length out: the content-length the headers already announced stays
		// true, and they left long ago. (A word split across two chunks is missed: a real plugin
		// would hold back the chunk's last len(word)-1 bytes until the next one.)
		if n := bytes.Count(chunk, w); n > 0 {
			chunk = bytes.ReplaceAll(chunk, w, bytes.Repeat([]byte("*"), len(w)))
			log.Infof("redacted %d x %q", n, w)
		}
	}
	if isLastChunk {
		log.Infof("upload done: %d bytes streamed", total)
	}
	return chunk
}
