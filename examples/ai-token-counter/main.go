// ai-token-counter reads the token usage an OpenAI-style model reports and makes it visible: in the
// logs, in counters per model, and to the client: as headers on a JSON answer, or as a final SSE
// comment on a streamed one (whose headers left long before the usage arrived).
package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"ai-token-counter",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
		wrapper.ProcessResponseBody(onHttpResponseBody),
		wrapper.ProcessStreamingResponseBody(onStreamingResponseBody),
	)
}

type Config struct {
	// Adds the counts to the response (headers, or a final SSE comment).
	annotate bool
}

// Counters are defined once per VM; Envoy adds up the VMs of all workers.
var promptTokens, completionTokens = map[string]proxywasm.MetricCounter{}, map[string]proxywasm.MetricCounter{}

func parseConfig(json gjson.Result, c *Config) error {
	c.annotate = !json.Get("annotate").Exists() || json.Get("annotate").Bool()
	return nil
}

type usage struct {
	model                  string
	prompt, completion, total int64
}

func (u usage) String() string {
	return fmt.Sprintf("prompt=%d completion=%d total=%d", u.prompt, u.completion, u.total)
}

// record logs the usage and adds it to the model's counters.
func record(u usage) {
	log.Infof("model %s used %s tokens", u.model, u)
	if promptTokens[u.model] == 0 {
		promptTokens[u.model] = proxywasm.DefineCounterMetric("ai_tokens_prompt.model." + u.model)
		completionTokens[u.model] = proxywasm.DefineCounterMetric("ai_tokens_completion.model." + u.model)
	}
	promptTokens[u.model].Increment(uint64(u.prompt))
	completionTokens[u.model].Increment(uint64(u.completion))
}

func usageOf(doc gjson.Result) (usage, bool) {
	u := doc.Get("usage")
	if !u.IsObject() {
		return usage{}, false
	}
	return usage{doc.Get("model").String(), u.Get("prompt_tokens").Int(), u.Get("completion_tokens").Int(), u.Get("total_tokens").Int()}, true
}

func onHttpResponseHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	contentType, _ := proxywasm.GetHttpResponseHeader("content-type")
	if strings.Contains(contentType, "text/event-stream") {
		// Streamed: every chunk goes on to the client as it comes; we only read it on the way.
		return types.ActionContinue
	}
	// A JSON answer: read it whole, and keep the headers until then so the counts can join them.
	ctx.BufferResponseBody()
	return types.HeaderStopIteration
}

func onHttpResponseBody(ctx wrapper.HttpContext, c Config, body []byte) types.Action {
	if u, ok := usageOf(gjson.ParseBytes(body)); ok {
		record(u)
		if c.annotate {
			proxywasm.AddHttpResponseHeader("x-ai-tokens", u.String())
		}
	}
	return types.ActionContinue
}

// A chunk may end in the middle of an event: the unfinished line waits in the context for the next.
func onStreamingResponseBody(ctx wrapper.HttpContext, c Config, chunk []byte, isLastChunk bool) []byte {
	pending, _ := ctx.GetContext("pending").([]byte)
	data := append(pending, chunk...)
	cut := bytes.LastIndexByte(data, '\n')
	for _, line := range strings.Split(string(data[:cut+1]), "\n") {
		payload, ok := strings.CutPrefix(strings.TrimSpace(line), "data:")
		if !ok || strings.TrimSpace(payload) == "[DONE]" {
			continue
		}
		// Usage comes with the last chunk (or, with stream_options.include_usage, in one of its own).
		if u, ok := usageOf(gjson.Parse(payload)); ok {
			ctx.SetContext("usage", u)
		}
	}
	ctx.SetContext("pending", append([]byte(nil), data[cut+1:]...))
	if !isLastChunk {
		return chunk
	}
	u, ok := ctx.GetContext("usage").(usage)
	if !ok {
		log.Warn("the stream ended without a usage report")
		return chunk
	}
	record(u)
	if !c.annotate {
		return chunk
	}
	// SSE clients skip lines that start with ":", so this reaches curl without upsetting an SDK.
	return append(chunk, []byte(": tokens "+u.String()+"\n\n")...)
}
