// src/exports: the host calls as wasm-go uses them: header/body edits, local replies from each
// phase, properties, metrics, shared data, rules, config rejection and recovered panics.
import { describe, expect, it } from 'vitest';
import { GatewayPlugin, type HttpRequest } from '../src/index.js';
import { buildPlugin } from './support/build-plugin.js';
import { dec, echoIo, enc, get, header, ONE_WORKER } from './support/harness.js';

async function start(config: object, extra: Partial<Parameters<typeof GatewayPlugin.start>[1]> = {}) {
  const r = await GatewayPlugin.start(await buildPlugin('features'), { pluginConfig: JSON.stringify(config), ...ONE_WORKER, ...extra });
  expect(r.error).toBeUndefined();
  return r.vm;
}

const post = (body: string | string[], headers: [string, string][] = []): HttpRequest => ({
  method: 'POST',
  path: '/post',
  authority: 'example.com',
  headers: [['content-type', 'text/plain'], ...headers],
  ...(Array.isArray(body) ? { bodyChunks: body.map((c) => ({ data: enc(c) })) } : { body: enc(body) }),
});

describe('headers', () => {
  it('add / replace / remove in request and response headers', async () => {
    const vm = await start({
      reqHeaders: { add: { 'x-added': '1' }, replace: { 'user-agent': 'plugin' }, remove: ['x-secret'] },
      respHeaders: { add: { 'x-resp-added': 'yes' }, replace: { 'content-type': 'text/x-replaced' }, remove: ['x-upstream-secret'] },
    });
    const io = echoIo((req) => ({
      status: 201,
      headers: [['content-type', 'application/json'], ['x-upstream-secret', 's']],
      body: enc(JSON.stringify(Object.fromEntries(req.headers))),
    }));
    const rec = await vm.handle(get('/a', [['user-agent', 'curl'], ['x-secret', 'p'], ['x-other', 'o']]), io);
    const up = rec.upstreamRequest!.headers;
    expect(header(up, 'x-added')).toBe('1');
    expect(header(up, 'user-agent')).toBe('plugin');
    expect(header(up, 'x-secret')).toBeUndefined();
    expect(header(up, 'x-other')).toBe('o');
    const res = rec.response;
    expect(res.status).toBe(201);
    expect(header(res.headers, 'x-resp-added')).toBe('yes');
    expect(header(res.headers, 'content-type')).toBe('text/x-replaced');
    expect(header(res.headers, 'x-upstream-secret')).toBeUndefined();
    expect(header(res.headers, 'x-seen-status')).toBe('201');
  });
});

describe('bodies', () => {
  it('replaces the request body after buffering a chunked body, with content-length removed in the headers phase', async () => {
    const vm = await start({ reqBody: { op: 'replace', data: 'NEW' }, bodyNoLength: true });
    const rec = await vm.handle(post(['ab', 'cd', 'ef'], [['content-length', '6']]), echoIo());
    expect(dec(rec.upstreamRequest!.body)).toBe('NEW');
    expect(header(rec.upstreamRequest!.headers, 'content-length')).toBeUndefined();
    // Only the plugin's late header write is noted, not a stale length.
    expect(rec.notes.map((n) => n.code)).toEqual(['header_map_unavailable']);
    // wasm-go pauses every chunk until end of stream, then sees the whole body once.
    const bodyPhases = rec.timeline.filter((t) => t.phase === 'request_body').map((t) => t.action);
    expect(bodyPhases).toEqual(['Pause', 'Pause', 'Continue']);
    expect(rec.logs.some((l) => l.message.includes('request body 6 bytes: abcdef'))).toBe(true);
    // Request headers are no longer writable once forwarded (Envoy drops them after Continue).
    expect(header(rec.upstreamRequest!.headers, 'x-never')).toBeUndefined();
  });

  it('appends and prepends', async () => {
    const a = await start({ reqBody: { op: 'append', data: '+tail' }, bodyNoLength: true, respBody: { op: 'prepend', data: 'head+' }, respHeaders: { remove: ['content-length'] } });
    const io = echoIo((req) => ({ status: 200, headers: [['content-length', String(req.body!.length)]], body: req.body! }));
    const rec = await a.handle(post('body', [['content-length', '4']]), io);
    expect(dec(rec.upstreamRequest!.body)).toBe('body+tail');
    expect(dec(rec.response.body)).toBe('head+body+tail');
    expect(header(rec.response.headers, 'content-length')).toBeUndefined();
    const p = await start({ reqBody: { op: 'prepend', data: 'head+' } });
    const rec2 = await p.handle(post(['x', 'y']), echoIo());
    expect(dec(rec2.upstreamRequest!.body)).toBe('head+xy');
  });

  it('keeps a correct content-length when the body is unchanged', async () => {
    const vm = await start({ reqBody: { op: 'none' } });
    const rec = await vm.handle(post('same', [['content-length', '4']]), echoIo());
    expect(header(rec.upstreamRequest!.headers, 'content-length')).toBe('4');
  });

  it('transforms the response body (upper)', async () => {
    const vm = await start({ respBody: { op: 'upper' } });
    const io = echoIo(() => ({ status: 200, headers: [['content-type', 'text/plain']], body: enc('hello') }));
    const rec = await vm.handle(get(), io);
    expect(dec(rec.response.body)).toBe('HELLO');
  });
});

describe('local replies', () => {
  it('from request headers: upstream never called, response callbacks run on the reply', async () => {
    const vm = await start({ replyIn: 'request_headers', replyStatus: 401, replyBody: 'nope', respHeaders: { add: { 'x-on-reply': '1' } } });
    const io = echoIo();
    const rec = await vm.handle(get(), io);
    expect(io.upstreamCalls).toHaveLength(0);
    expect(rec.localReply).toBe(true);
    expect(rec.response.status).toBe(401);
    expect(dec(rec.response.body)).toBe('nope');
    expect(header(rec.response.headers, 'x-reply-phase')).toBe('request_headers');
    expect(header(rec.response.headers, 'x-on-reply')).toBe('1');
    expect(header(rec.response.headers, 'x-seen-status')).toBe('401');
    expect(rec.timeline.filter((t) => t.phase === 'request_body')).toHaveLength(0);
  });

  it('from the request body', async () => {
    const vm = await start({ replyIn: 'request_body', replyStatus: 413, replyBody: 'too big' });
    const io = echoIo();
    const rec = await vm.handle(post(['a', 'b']), io);
    expect(io.upstreamCalls).toHaveLength(0);
    expect(rec.response.status).toBe(413);
    expect(dec(rec.response.body)).toBe('too big');
  });

  it('from response headers replaces the upstream response', async () => {
    const vm = await start({ replyIn: 'response_headers', replyStatus: 502, replyBody: 'bad upstream' });
    const io = echoIo();
    const rec = await vm.handle(get(), io);
    expect(io.upstreamCalls).toHaveLength(1);
    expect(rec.upstreamResponse!.status).toBe(200);
    expect(rec.response.status).toBe(502);
    expect(dec(rec.response.body)).toBe('bad upstream');
    expect(rec.timeline.filter((t) => t.phase === 'response_body')).toHaveLength(0);
  });

  it('from the response body while response headers are held: the reply replaces the response', async () => {
    const vm = await start({ replyIn: 'response_body', replyStatus: 500, replyBody: 'blocked', pauseResponseHeaders: true });
    const rec = await vm.handle(get(), echoIo());
    expect(rec.error).toBeUndefined();
    expect(rec.response.status).toBe(500);
    expect(dec(rec.response.body)).toBe('blocked');
    expect(header(rec.response.headers, 'x-reply-phase')).toBe('response_body');
  });

  it('from the response body after the headers were sent: Envoy resets the stream', async () => {
    const vm = await start({ replyIn: 'response_body', replyStatus: 500, replyBody: 'blocked' });
    const rec = await vm.handle(get(), echoIo());
    expect(rec.error).toMatch(/local reply after the response headers were sent/);
    expect(rec.reset).toBeDefined();
    expect(rec.response.status).toBe(200);
    expect(rec.notes.map((n) => n.code)).toContain('local_reply_after_headers');
  });
});

describe('properties, metrics, shared data', () => {
  it('serves the properties wasm-go reads, and set/get round-trips', async () => {
    const vm = await start({ properties: true }, { pluginName: 'my-features', properties: { custom_prop: 'cv' }, logLevel: 'debug' });
    const req = get('/p?q=1');
    req.properties = { route_name: 'r-1' };
    const rec = await vm.handle(req, echoIo());
    const h = rec.upstreamRequest!.headers;
    expect(header(h, 'x-route-name')).toBe('r-1');
    expect(header(h, 'x-cluster-name')).toBe('outbound|80||httpbin.dns');
    expect(header(h, 'x-plugin-name')).toBe('my-features');
    expect(header(h, 'x-prop-request-id')).toBe(rec.requestId);
    expect(header(h, 'x-prop-path')).toBe('/p?q=1');
    expect(header(h, 'x-prop-custom')).toBe('cv');
    expect(header(h, 'x-prop-missing')).toMatch(/^err:.*not ?found/i);
    expect(header(h, 'x-prop-roundtrip')).toBe('round-trip');
    expect(Number(header(h, 'x-vm-memory'))).toBe(vm.vms[rec.worker]!.memoryBytes());
    expect(header(h, 'x-log-level')).toBe('1');
    expect(header(h, 'x-foreign-unknown')).toMatch(/not ?found/i);
    // wasm-go's log prefix carries the request id it read back through x_request_id.
    const line = rec.logs.find((l) => l.message.includes('properties read'))!;
    expect(line.requestId).toBe(rec.requestId);
    expect(line.plugin).toBe('features');
    expect(rec.logs.some((l) => l.level === 'debug')).toBe(true);
    expect(rec.logs.some((l) => l.source === 'host' && l.message.includes('no_such_function'))).toBe(true);
  });

  it('filters plugin logs below the configured level', async () => {
    const vm = await start({}, { logLevel: 'warn' });
    const rec = await vm.handle(get(), echoIo());
    expect(rec.logs.filter((l) => l.source === 'plugin')).toEqual([]);
  });

  it('counts metrics', async () => {
    const vm = await start({ metrics: true });
    await vm.handle(post('12345'), echoIo());
    await vm.handle(post('123'), echoIo());
    const m = Object.fromEntries(vm.metrics().map((x) => [x.name, x]));
    expect(m.features_requests_total).toMatchObject({ type: 'counter', value: 2 });
    expect(m.features_gauge).toMatchObject({ type: 'gauge', value: 6 });
    expect(m.features_body_bytes).toMatchObject({ type: 'histogram', value: 3, count: 2, sum: 8 });
  });

  it('shared data: NotFound, CAS conflict', async () => {
    const vm = await start({ shared: true });
    const rec = await vm.handle(get(), echoIo());
    const h = rec.upstreamRequest!.headers;
    expect(header(h, 'x-shared-initial')).toBe('notfound');
    expect(header(h, 'x-shared-read')).toBe('v1');
    expect(header(h, 'x-shared-stale')).toMatch(/cas ?mismatch/i);
    expect(header(h, 'x-shared-final')).toBe('v2');
  });
});

describe('configuration', () => {
  it('_rules_ override: route_name selects the rule config, others use the global one', async () => {
    const vm = await start({ ruleTag: 'global', _rules_: [{ _match_route_: ['special'], ruleTag: 'special-rule' }, { _match_domain_: ['*.internal'], ruleTag: 'domain-rule' }] });
    const a = get();
    a.properties = { route_name: 'special' };
    expect(header((await vm.handle(a, echoIo())).upstreamRequest!.headers, 'x-rule')).toBe('special-rule');
    expect(header((await vm.handle(get(), echoIo())).upstreamRequest!.headers, 'x-rule')).toBe('global');
    const c = { ...get(), authority: 'api.internal:8080' };
    expect(header((await vm.handle(c, echoIo())).upstreamRequest!.headers, 'x-rule')).toBe('domain-rule');
  });

  it('rule-only config: requests matching no rule pass untouched', async () => {
    const vm = await start({ _rules_: [{ _match_route_: ['special'], ruleTag: 'r' }] });
    const rec = await vm.handle(get(), echoIo());
    expect(header(rec.upstreamRequest!.headers, 'x-rule')).toBeUndefined();
  });

  it('a plugin that rejects its configuration: configured=false with its logs', async () => {
    const r = await GatewayPlugin.start(await buildPlugin('features'), { pluginConfig: '{"reject":true}' });
    expect(r.configured).toBe(false);
    expect(r.logs.some((l) => l.message.includes('config rejected'))).toBe(true);
    expect(r.timeline.find((t) => t.phase === 'configure')!.action).toBe('false');
  });

  it('invalid JSON fails the start', async () => {
    const r = await GatewayPlugin.start(await buildPlugin('features'), { pluginConfig: '{not json' });
    expect(r.configured).toBe(false);
  });
});

describe('recovered panic', () => {
  it('wasm-go recovers a panic in a callback and logs message and stack; the stream continues', async () => {
    const vm = await start({ panicIn: 'request_headers' });
    const rec = await vm.handle(get(), echoIo());
    expect(rec.error).toBeUndefined();
    const l = rec.logs.find((x) => x.message.includes('recovered from panic'))!;
    expect(l.level).toBe('error');
    expect(l.message).toContain('assignment to entry in nil map');
    expect(rec.response.status).toBe(200);
  });
});
