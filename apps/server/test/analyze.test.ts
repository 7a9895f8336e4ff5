import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server.js';
import { example, testPlugin } from './support/plugins.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const analyze = async (files: Record<string, string>) => (await server.post('/api/analyze', { files })).json;
const lint = (code: string, body: string, imports = '') => ({
  'main.go': `package main

import (
${imports}
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
)

func main() {}

func init() { wrapper.SetCtx("${code}", wrapper.ProcessRequestHeadersBy(onHeaders)) }

type C struct{}

func onHeaders(ctx wrapper.HttpContext, c C, log logs.Log) types.Action {
${body}
}
`,
});

describe('POST /api/analyze: config keys', () => {
  it('finds the keys the http-call example reads, with their types, and builds a schema', async () => {
    const a = await analyze((await example('http-call')).files);
    const byPath = Object.fromEntries(a.configKeys.map((k: { path: string }) => [k.path, k]));
    expect(byPath.requestPath).toMatchObject({ accessor: 'String', type: 'string', file: 'main.go' });
    expect(byPath.servicePort).toMatchObject({ accessor: 'Int', type: 'integer' });
    expect(a.schema.properties.servicePort).toMatchObject({ type: 'integer' });
    expect(a.schema.properties.servicePort.description).toMatch(/read by main\.go:\d+ as \.Int\(\)/);
    expect(a.schema.additionalProperties).toBe(false);
    expect(a.schema.properties._rules_.items.properties._match_route_).toBeDefined();
    expect(a.configErrors.map((e: { message: string }) => e.message)).toContain('missing requestPath in config');
  });

  it('follows nested paths and variables holding a sub-result', async () => {
    const a = await analyze({
      'main.go': `package main

import "github.com/tidwall/gjson"

func parse(json gjson.Result) {
	limits := json.Get("limits")
	_ = limits.Get("perMinute").Int()
	_ = json.Get("auth.header").String()
}

func main() {}
`,
    });
    expect(a.configKeys.map((k: { path: string; type: string }) => `${k.path}:${k.type}`)).toEqual([
      'limits:any',
      'limits.perMinute:integer',
      'auth.header:string',
    ]);
    expect(a.schema.properties.auth.properties.header.type).toBe('string');
  });
});

describe('POST /api/analyze: proxy-wasm lints', () => {
  const codes = (a: { diagnostics: { code: string }[] }) => a.diagnostics.map((d) => d.code);

  it('flags wrapper.SetCtx in main() with a quick fix that moves it into init()', async () => {
    const src = (await example('hello-world')).files['main.go'].replace('func main() {}\n', '').replace('func init() {', 'func main() {');
    const a = await analyze({ 'main.go': src });
    const d = a.diagnostics.find((x: { code: string }) => x.code === 'setctx-in-main');
    expect(d).toMatchObject({ severity: 'warning', file: 'main.go', line: src.split('\n').findIndex((l) => l.includes('wrapper.SetCtx(')) + 1 });
    expect(d.fix.edits.map((e: { text: string }) => e.text)).toEqual(['init', '\n\nfunc main() {}']);
  });

  it('flags the tetratelabs SDK with a fix to the Higress fork', async () => {
    const src = (await example('hello-world')).files['main.go'].replaceAll('github.com/higress-group/proxy-wasm-go-sdk', 'github.com/tetratelabs/proxy-wasm-go-sdk');
    const d = (await analyze({ 'main.go': src })).diagnostics.find((x: { code: string }) => x.code === 'tetratelabs-sdk');
    expect(d.fix.edits[0].text).toMatch(/^"github\.com\/higress-group\/proxy-wasm-go-sdk\/proxywasm/);
  });

  it('flags net/http clients', async () => {
    expect(codes(await analyze(lint('http', '\thttp.Get("http://example.com")\n\treturn types.ActionContinue', '\t"net/http"')))).toContain('net-http-client');
  });

  it('flags a pause nothing resumes, and not the http-call example that resumes in its callback', async () => {
    expect(codes(await analyze(await testPlugin('hostile')))).toContain('pause-without-resume');
    expect(codes(await analyze((await example('http-call')).files))).not.toContain('pause-without-resume');
  });

  it('flags blocking calls in callbacks', async () => {
    expect(codes(await analyze(lint('sleep', '\ttime.Sleep(time.Second)\n\treturn types.ActionContinue', '\t"time"')))).toContain('blocking-call');
  });

  it('reports lints with a successful build too', async () => {
    const { json } = await server.post('/api/build', { files: lint('sleep2', '\ttime.Sleep(time.Millisecond)\n\treturn types.ActionContinue', '\t"time"') });
    expect(json.ok).toBe(true);
    expect(json.diagnostics.map((d: { code: string }) => d.code)).toContain('blocking-call');
  });
});

describe('a config the plugin rejects', () => {
  it('points at the YAML line of the key the error names', async () => {
    const { files } = await example('http-call');
    const built = await server.post('/api/build', { files });
    const config = 'serviceSource: ip\nserviceName: ""\nservicePort: 80\nrequestPath: /get\ntokenHeader: x-token\n';
    const { status, json } = await server.post('/api/sessions', { buildId: built.json.buildId, config });
    expect(status).toBe(422);
    expect(json).toMatchObject({ line: 2, column: 1 });
    expect(json.error).toMatch(/line 2 \(serviceName\)/);
  });
});
