// The repository's examples (the Higress guide's three sample plugins) behave as the guide says
// they do in the gateway.
import { describe, expect, it } from 'vitest';
import { GatewayPlugin } from '../src/index.js';
import { buildPlugin } from './support/build-plugin.js';
import { dec, echoIo, get, header } from './support/harness.js';

describe('the Higress guide: hello world', () => {
  it('mockEnable false adds hello: world to the upstream request', async () => {
    const { vm, configured, logs } = await GatewayPlugin.start(await buildPlugin('examples/hello-world'), { pluginConfig: '{"mockEnable":false}' });
    expect(configured).toBe(true);
    expect(logs.some((l) => l.message.includes('plugin start successfully'))).toBe(true);
    const io = echoIo();
    const rec = await vm.handle(get('/get', [['user-agent', 'curl/8']]), io);
    expect(rec.error).toBeUndefined();
    expect(io.upstreamCalls).toHaveLength(1);
    expect(header(rec.upstreamRequest!.headers, 'hello')).toBe('world');
    expect(header(rec.upstreamRequest!.headers, 'user-agent')).toBe('curl/8');
    // Envoy's HCM/router additions; a Higress route has no timeout, so no expected-timeout header.
    expect(header(rec.upstreamRequest!.headers, 'x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(header(rec.upstreamRequest!.headers, 'x-envoy-original-host')).toBe('example.com');
    expect(header(rec.upstreamRequest!.headers, 'req-start-time')).toMatch(/^\d{13}$/);
    expect(header(rec.upstreamRequest!.headers, 'x-envoy-expected-rq-timeout-ms')).toBeUndefined();
    expect(rec.response.status).toBe(200);
    expect(JSON.parse(dec(rec.response.body)).headers.hello).toBe('world');
    expect(rec.localReply).toBe(false);
    expect(rec.timeline.map((t) => t.phase)).toEqual(['request_headers', 'upstream', 'response_headers', 'response_body', 'log', 'done', 'delete']);
    vm.close();
  });

  it("with the guide's envoy.yaml (profile envoy): the 15 s route timeout header and scheme https, as the guide's curl output shows", async () => {
    const { vm } = await GatewayPlugin.start(await buildPlugin('examples/hello-world'), { pluginConfig: '{"mockEnable":false}', profile: 'envoy' });
    const rec = await vm.handle(get('/get'), echoIo());
    const up = rec.upstreamRequest!;
    expect(header(up.headers, 'hello')).toBe('world');
    // ENVOY router.cc setTimeoutHeaders: the route's 15 s timeout; scheme_to_overwrite: https.
    expect(header(up.headers, 'x-envoy-expected-rq-timeout-ms')).toBe('15000');
    expect(up.scheme).toBe('https');
    expect(header(up.headers, 'x-forwarded-proto')).toBe('https');
    vm.close();
  });

  it('mockEnable true answers hello world locally, upstream untouched', async () => {
    const { vm } = await GatewayPlugin.start(await buildPlugin('examples/hello-world'), { pluginConfig: '{"mockEnable":true}' });
    const io = echoIo();
    const rec = await vm.handle(get(), io);
    expect(io.upstreamCalls).toHaveLength(0);
    expect(rec.upstreamRequest).toBeNull();
    expect(rec.localReply).toBe(true);
    expect(rec.response.status).toBe(200);
    expect(dec(rec.response.body)).toBe('hello world');
    expect(header(rec.response.headers, 'content-length')).toBe('11');
    // The local reply went through this plugin's encode path.
    expect(rec.timeline.map((t) => t.phase)).toContain('response_headers');
    vm.close();
  });

  it('keeps a request id given by the client', async () => {
    const { vm } = await GatewayPlugin.start(await buildPlugin('examples/hello-world'), { pluginConfig: '{}' });
    const rec = await vm.handle(get('/', [['X-Request-Id', 'abc-1']]), echoIo());
    expect(rec.requestId).toBe('abc-1');
    expect(rec.upstreamRequest!.headers.filter(([k]) => k === 'x-request-id')).toEqual([['x-request-id', 'abc-1']]);
  });
});

describe('the Higress guide: no-config plugin', () => {
  it('always replies hello world', async () => {
    const { vm, configured } = await GatewayPlugin.start(await buildPlugin('examples/no-config'), { pluginConfig: '' });
    expect(configured).toBe(true);
    const io = echoIo();
    const rec = await vm.handle(get(), io);
    expect(io.upstreamCalls).toHaveLength(0);
    expect(rec.response.status).toBe(200);
    expect(dec(rec.response.body)).toBe('hello world');
  });
});

describe('the Higress guide: http-call plugin', () => {
  const config = JSON.stringify({ serviceSource: 'dns', serviceName: 'auth', servicePort: 8080, domain: 'auth.example.com', requestPath: '/token', tokenHeader: 'x-token' });

  it('pauses, calls out, copies the token header and resumes', async () => {
    const { vm, configured } = await GatewayPlugin.start(await buildPlugin('examples/http-call'), { pluginConfig: config });
    expect(configured).toBe(true);
    const io = echoIo(undefined, async () => {
      await new Promise((r) => setTimeout(r, 20));
      return { status: 200, headers: [['X-Token', 'secret-42']], body: new TextEncoder().encode('{"t":1}') };
    });
    const rec = await vm.handle(get('/get'), io);
    expect(rec.error).toBeUndefined();
    expect(io.calloutCalls).toHaveLength(1);
    expect(io.calloutCalls[0].cluster).toBe('outbound|8080||auth.dns');
    expect(header(io.calloutCalls[0].headers, ':path')).toBe('/token');
    expect(header(io.calloutCalls[0].headers, ':authority')).toBe('auth.example.com');
    expect(io.calloutCalls[0].timeoutMs).toBe(500);
    expect(header(rec.upstreamRequest!.headers, 'x-token')).toBe('secret-42');
    expect(rec.callouts).toHaveLength(1);
    expect(rec.callouts[0].response!.status).toBe(200);
    const phases = rec.timeline.map((t) => `${t.phase}:${t.action ?? ''}`);
    expect(phases.slice(0, 3)).toEqual(['request_headers:Pause', 'http_call_response:', 'upstream:']);
    expect(rec.logs.some((l) => l.message.includes('get status: 200'))).toBe(true);
  });

  it('a failed callout makes the plugin reply 500 and the upstream is not contacted', async () => {
    const { vm } = await GatewayPlugin.start(await buildPlugin('examples/http-call'), { pluginConfig: config });
    const io = echoIo(undefined, async () => {
      throw new Error('connection refused');
    });
    const rec = await vm.handle(get('/get'), io);
    expect(io.upstreamCalls).toHaveLength(0);
    expect(rec.response.status).toBe(500);
    expect(dec(rec.response.body)).toBe('http call failed');
    expect(rec.callouts[0].error).toContain('connection refused');
    expect(rec.logs.some((l) => l.level === 'error' && l.message.includes('status: 502'))).toBe(true);
  });

  it('a callout slower than its timeout arrives as a 504', async () => {
    const { vm } = await GatewayPlugin.start(await buildPlugin('examples/http-call'), { pluginConfig: config });
    const io = echoIo(undefined, () => new Promise((r) => setTimeout(() => r({ status: 200, headers: [], body: new Uint8Array(0) }), 1500)));
    const rec = await vm.handle(get('/get'), io);
    expect(rec.response.status).toBe(500);
    expect(rec.logs.some((l) => l.message.includes('status: 504'))).toBe(true);
  });

  it('rejects a config without requestPath (configured=false with its logs)', async () => {
    const r = await GatewayPlugin.start(await buildPlugin('examples/http-call'), { pluginConfig: '{"serviceName":"x"}' });
    expect(r.configured).toBe(false);
    expect(r.error).toBeDefined();
    expect(r.logs.some((l) => l.message.includes('missing requestPath'))).toBe(true);
  });
});
