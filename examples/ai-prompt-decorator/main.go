// ai-prompt-decorator adds messages around every chat request before it reaches the model: a
// system prompt in front, and an instruction after the user's own messages.
package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"
)

func main() {}

func init() {
	wrapper.SetCtx(
		"ai-prompt-decorator",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessRequestBody(onHttpRequestBody),
	)
}

type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type Config struct {
	prepend, append []message
}

func parseConfig(cfg gjson.Result, c *Config) error {
	for _, part := range []struct {
		key string
		to  *[]message
	}{{"prepend", &c.prepend}, {"append", &c.append}} {
		for i, m := range cfg.Get(part.key).Array() {
			msg := message{m.Get("role").String(), m.Get("content").String()}
			if msg.Role == "" || msg.Content == "" {
				return fmt.Errorf("%s[%d] needs a role and a content", part.key, i)
			}
			*part.to = append(*part.to, msg)
		}
	}
	if len(c.prepend)+len(c.append) == 0 {
		return errors.New("nothing to add: set prepend and/or append")
	}
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, c Config) types.Action {
	// The body will change size: a content-length left in place would cut or stall it (Envoy never
	// recomputes it). Remove it now, while the headers can still change.
	proxywasm.RemoveHttpRequestHeader("content-length")
	return types.ActionContinue
}

func onHttpRequestBody(ctx wrapper.HttpContext, c Config, body []byte) types.Action {
	messages := gjson.GetBytes(body, "messages")
	if !messages.IsArray() {
		log.Debug("not a chat request (no messages array): passed on unchanged")
		return types.ActionContinue
	}
	// The user's messages go on as they came (content may be text or a list of parts).
	all := []json.RawMessage{}
	for _, m := range c.prepend {
		encoded, _ := json.Marshal(m)
		all = append(all, encoded)
	}
	for _, m := range messages.Array() {
		all = append(all, json.RawMessage(m.Raw))
	}
	for _, m := range c.append {
		encoded, _ := json.Marshal(m)
		all = append(all, encoded)
	}
	encoded, _ := json.Marshal(all)
	decorated, err := sjson.SetRawBytes(body, "messages", encoded)
	if err != nil {
		log.Warnf("could not rewrite the messages: %v", err)
		return types.ActionContinue
	}
	log.Infof("%d messages in, %d to the model", len(messages.Array()), len(all))
	if err := proxywasm.ReplaceHttpRequestBody(decorated); err != nil {
		log.Warnf("could not replace the body: %v", err)
	}
	return types.ActionContinue
}
