// Conformance: the behaviours in which the host must fail where the Higress gateway fails, each
// reproduced with a compiled plugin (test/plugins/gateway) and named after the behaviour, with the
// Envoy (higress-group/envoy, branch envoy-1.27: E127) or proxy-wasm-cpp-host (CPPH) source it
// follows. The `higress` profile is the default; `envoy` differences are tested beside it.
import { describe, expect, it } from 'vitest';
import { GatewayPlugin, type HttpRequest, type VmOptions } from '../src/index.js';
import { buildPlugin } from './support/build-plugin.js';
import { dec, echoIo, enc, get, header, ONE_WORKER, recordingSink, scriptedUpstream } from './support/harness.js';

async function plugin(config: object, extra: Partial<VmOptions> = {}) {
  const r = await GatewayPlugin.start(await buildPlugin('gateway'), { pluginConfig: JSON.stringify(config), ...ONE_WORKER, ...extra });
  expect(r.configured, r.error).toBe(true);
  return r.vm;
}

const post = (size: number, headers: [string, string][] = []): HttpRequest => ({
  method: 'POST',
  path: '/post',
  authority: 'example.com',
  headers: [['content-length', String(size)], ...headers],
  body: enc('x'.repeat(size)),
});

const seen = (h: [string, string][] | undefined) => JSON.parse(header(h, 'x-seen') ?? '{}') as Record<string, string>;
const codes = (notes: { code: string }[]) => notes.map((n) => n.code);

describe('callouts to clusters the gateway does not have', () => {
  // E127 context.cc Context::httpCall: no thread-local cluster -> WasmResult::BadArgument, no callback.
  it('fail at once with BadArgument and no callback; the exchange names the fix', async () => {
    const vm = await plugin({ mode: 'callout', cluster: 'outbound|80||nope.static' }, { clusters: ['svc'] });
    const io = echoIo();
    const rec = await vm.handle(get(), io);
    expect(header(rec.upstreamRequest!.headers, 'x-dispatch-error')).toMatch(/bad ?argument/i);
    expect(io.calloutCalls).toHaveLength(0);
    expect(rec.callouts).toHaveLength(0);
    expect(rec.notes.find((n) => n.code === 'unknown_cluster')!.fix).toMatch(/declare a service named "nope"/);
  });

  it('a declared service and the route\'s own cluster are reached', async () => {
    const vm = await plugin({ mode: 'callout', cluster: 'outbound|80||svc.static' }, { clusters: ['svc'] });
    const rec = await vm.handle(get(), echoIo());
    expect(rec.callouts).toHaveLength(1);
    expect(rec.logs.map((l) => l.message).join('\n')).toMatch(/callout answered/);
    const own = await plugin({ mode: 'callout', cluster: 'outbound|80||httpbin.dns' }, { clusters: [] });
    expect((await own.handle(get(), echoIo())).callouts).toHaveLength(1);
  });
});

describe('body buffer limits', () => {
  // E127 http/filter_manager.cc ActiveStreamDecoderFilter::requestDataTooLarge: 413 once the
  // buffered data exceeds the stream's buffer limit, seeded by per_connection_buffer_limit_bytes
  // (Higress: 32768, pkg/ingress/kube/configmap/global.go constructBufferLimit).
  it('a plugin buffering a 40 KB request body gets 413 Payload Too Large under the Higress profile', async () => {
    const vm = await plugin({ mode: 'buffer_request' });
    const io = echoIo();
    const rec = await vm.handle({ ...post(40_000), bodyChunks: [0, 1, 2, 3].map(() => ({ data: enc('x'.repeat(10_000)) })) }, io);
    expect(rec.response.status).toBe(413);
    expect(dec(rec.response.body)).toBe('Payload Too Large');
    expect(rec.responseCodeDetails).toBe('request_payload_too_large');
    expect(rec.notes.find((n) => n.code === 'buffer_limit')!.fix).toMatch(/SetRequestBodyBufferLimit/);
    // The upstream had the headers (the filter continued them) but the request was reset.
    expect(io.upstreamCalls).toHaveLength(0);
  });

  // E127 context.cc Context::setProperty: set_decoder_buffer_limit -> setDecoderBufferLimit.
  it('raising the limit with set_decoder_buffer_limit (wasm-go SetRequestBodyBufferLimit) lets it through', async () => {
    const vm = await plugin({ mode: 'buffer_request', raiseLimit: 65536 });
    const rec = await vm.handle(post(40_000), echoIo());
    expect(rec.response.status).toBe(200);
    expect(rec.logs.some((l) => l.message.includes('request body 40000 bytes'))).toBe(true);
  });

  it('the envoy profile has Envoy\'s 1 MiB default, so 40 KB passes', async () => {
    const vm = await plugin({ mode: 'buffer_request' }, { profile: 'envoy' });
    expect((await vm.handle(post(40_000), echoIo())).response.status).toBe(200);
  });

  it('exactly the limit passes: Envoy trips only above it (WatermarkBuffer::checkHighAndOverflowWatermarks)', async () => {
    const vm = await plugin({ mode: 'buffer_request' });
    expect((await vm.handle(post(32_768), echoIo())).response.status).toBe(200);
    expect((await vm.handle(post(32_769), echoIo())).response.status).toBe(413);
  });

  // ActiveStreamEncoderFilter::responseDataTooLarge: 500, sent directly while the headers are held.
  it('buffering a 40 KB response body answers 500 Internal Server Error', async () => {
    const big = enc('y'.repeat(40_000));
    const respond = () => ({ status: 200, headers: [['content-length', String(big.length)]] as [string, string][], body: big });
    const vm = await plugin({ mode: 'buffer_response' });
    // The headers are continued by the plugin, so the upstream's chunks are what gets buffered.
    const io = { upstream: scriptedUpstream([{ type: 'headers', status: 200, headers: respond().headers, endOfStream: false }, ...[0, 1, 2, 3].map((i) => ({ type: 'data' as const, data: big.subarray(i * 10_000, (i + 1) * 10_000), endOfStream: i === 3 }))]) };
    const rec = await vm.handle(get(), io);
    // The headers went out before the body was buffered: Envoy can only reset the stream.
    expect(rec.reset).toBeDefined();
    expect(rec.responseCodeDetails).toBe('response_payload_too_large');
    const raised = await plugin({ mode: 'buffer_response', raiseLimit: 65536 });
    expect((await raised.handle(get(), echoIo(respond))).response.body.length).toBe(40_000);
  });
});

describe('content-length is never recomputed', () => {
  // The wasm filter leaves content-length as the plugin left it (envoyproxy/envoy-wasm #124/#146):
  // the peer reads exactly that many bytes.
  it('a shorter request body with the old content-length leaves the upstream waiting for the rest', async () => {
    const vm = await plugin({ mode: 'rewrite_request_body', body: 'short' });
    const rec = await vm.handle(post(10), echoIo());
    expect(header(rec.upstreamRequest!.headers, 'content-length')).toBe('10');
    expect(dec(rec.upstreamRequest!.body)).toBe('short');
    expect(rec.notes.find((n) => n.code === 'stale_content_length')!.message).toMatch(/waits for 5 more bytes/);
  });

  it('a longer request body is cut to the old length at the upstream', async () => {
    const vm = await plugin({ mode: 'rewrite_request_body', body: 'a much longer body than before' });
    const rec = await vm.handle(post(10), echoIo());
    expect(dec(rec.upstreamRequest!.body)).toBe('a much lon');
    expect(codes(rec.notes)).toContain('stale_content_length');
  });

  it('removing content-length in the headers phase sends the whole new body', async () => {
    const vm = await plugin({ mode: 'rewrite_request_body', body: 'a much longer body than before', removeLength: true });
    const rec = await vm.handle(post(10), echoIo());
    expect(dec(rec.upstreamRequest!.body)).toBe('a much longer body than before');
    expect(codes(rec.notes)).not.toContain('stale_content_length');
  });

  it('a longer response body reaches the client truncated to the stale length', async () => {
    const vm = await plugin({ mode: 'rewrite_response_body', body: 'HELLO, WORLD AND MORE' });
    const rec = await vm.handle(get(), echoIo(() => ({ status: 200, headers: [['content-length', '5']], body: enc('hello') })));
    expect(dec(rec.response.body)).toBe('HELLO');
    expect(rec.notes.find((n) => n.code === 'stale_content_length')!.fix).toMatch(/RemoveHttpResponseHeader\("content-length"\)/);
  });

  it('a shorter response body leaves the client waiting: the connection is dropped', async () => {
    const vm = await plugin({ mode: 'rewrite_response_body', body: 'hi' });
    const { events, sink } = recordingSink();
    const rec = await vm.handle(get(), { ...echoIo(() => ({ status: 200, headers: [['content-length', '5']], body: enc('hello') })), downstream: sink });
    expect(rec.error).toMatch(/received 2 of the 5 body bytes/);
    expect(events).toEqual(['headers 200', 'data hi', 'reset content-length announced more bytes than were sent']);
  });
});

describe('request properties read the live header map', () => {
  // E127 wasm context.cc findValue reads request_headers_, which decodeHeaders clears on Continue
  // (Context::decodeHeaders); expr/context.h joins repeated headers with ","; serializeValue
  // encodes integers as 8-byte little-endian.
  it('show a rewritten :path, are NotFound once the headers were continued, and join repeated headers', async () => {
    const vm = await plugin({ mode: 'props' }, { properties: { route_name: 'r1', cluster_name: 'outbound|80||httpbin.dns' } });
    const req: HttpRequest = {
      ...post(4, [['x-repeated', 'a'], ['x-repeated', 'b'], ['user-agent', 'curl/8'], ['referer', 'https://example.org/page']]),
      connection: { remoteAddress: '192.168.1.7:51000' },
    };
    const rec = await vm.handle(req, echoIo());
    const s = seen(rec.response.headers);
    expect(s['headers.path']).toBe('/rewritten?x=1');
    expect(s['headers.url_path']).toBe('/rewritten');
    expect(s['headers.query']).toBe('x=1');
    expect(s['headers.repeated']).toBe('a,b');
    expect(s['headers.useragent']).toBe('curl/8');
    expect(s['headers.referer']).toBe('https://example.org/page');
    expect(s['headers.size']).toBe('4');
    expect(Number(s['headers.total_size'])).toBeGreaterThan(0);
    expect(s['headers.source.address']).toBe('192.168.1.7:51000');
    expect(s['headers.source.port']).toBe('51000');
    expect(s['headers.destination.port']).toBe('10000');
    expect(Number(s['headers.connection.id'])).toBeGreaterThan(0);
    expect(s['headers.xds.route_name']).toBe('r1');
    expect(s['headers.xds.cluster_name']).toBe('outbound|80||httpbin.dns');
    expect(s['headers.node.metadata.NAMESPACE']).toBe('higress-system');
    // An empty Metadata message: Ok with zero bytes.
    expect(s['headers.route_metadata']).toBe('len:0');
    // No upstream yet, and the request is not complete before its body.
    expect(s['headers.upstream.address']).toMatch(/not ?found/i);
    expect(s['headers.duration']).toMatch(/not ?found/i);
    expect(s['body.path']).toMatch(/not ?found/i);
    expect(s['body.size']).toBe('4');
    expect(s['response.path']).toMatch(/not ?found/i);
    // response.code is set as the headers go to the client, after the encoder filters (chargeStats).
    expect(s['response.code']).toMatch(/not ?found/i);
    expect(Number(s['response.time'])).toBeGreaterThan(1.7e18);
    expect(s['response.upstream.address']).toMatch(/:\d+$/);
    // on_log reads the access log's copies: the final path and code again.
    expect(rec.logs.some((l) => l.message === 'done: response.code=200 code_details=[via_upstream] path=/rewritten?x=1')).toBe(true);
  });
});

describe('continue_stream releases the request maps at once', () => {
  // E127 context.cc Context::continueStream nulls request_headers_ right away (the continue itself
  // is an after-VM-call action), so a later add is BadArgument and never reaches the upstream.
  it('AddHttpRequestHeader after ResumeHttpRequest in the same callback is lost', async () => {
    const vm = await plugin({ mode: 'add_after_resume', cluster: 'outbound|80||token.static' }, { clusters: ['token'] });
    const rec = await vm.handle(get(), echoIo());
    const up = rec.upstreamRequest!.headers;
    expect(header(up, 'x-before-resume')).toBe('1');
    expect(header(up, 'x-after-resume')).toBeUndefined();
    expect(rec.logs.some((l) => /add before resume: ok, after: .*bad ?argument/i.test(l.message))).toBe(true);
    expect(rec.notes.find((n) => n.code === 'header_after_resume')!.fix).toMatch(/ResumeHttpRequest\(\) last/);
  });
});

describe('a VM that fails is rebuilt for the next request', () => {
  // CPPH context.cc CHECK_FAIL -> E127 Context::failStream: 503, details wasm_fail_stream, no more
  // callbacks (onLog/onDone/onDelete skip a failed VM). E127 wasm_filter.h FilterConfig::createFilter
  // -> PluginHandleSharedPtrThreadLocal::recover (wasm.cc, at most once per 5 s per worker).
  it('fail-closed: 503 wasm_fail_stream with no further callbacks, then a fresh VM with fresh Go globals', async () => {
    const vm = await plugin({ mode: 'trap', trapAt: 2 });
    const io = echoIo();
    const first = await vm.handle(get(), io);
    expect(seen(first.response.headers)['worker.requests']).toBe('1');
    const crash = await vm.handle(get(), io);
    expect(crash.response.status).toBe(503);
    expect(crash.responseCodeDetails).toBe('wasm_fail_stream');
    expect(crash.response.body.length).toBe(0);
    expect(crash.timeline.map((t) => t.phase)).not.toContain('log');
    expect(crash.timeline.map((t) => t.phase)).not.toContain('response_headers');
    expect(io.upstreamCalls).toHaveLength(1);
    const after = await vm.handle(get(), io);
    expect(after.response.status).toBe(200);
    expect(codes(after.notes)).toContain('vm_recovered');
    // _initialize and proxy_on_configure ran again: the counters start over.
    expect(seen(after.response.headers)).toMatchObject({ 'worker.requests': '1', 'worker.configures': '1' });
  });

  it('a VM that fails again within 5 s is not rebuilt yet: its requests get 503', async () => {
    const vm = await plugin({ mode: 'trap', trapAt: 1 });
    expect((await vm.handle(get(), echoIo())).response.status).toBe(503);
    const second = await vm.handle(get(), echoIo()); // rebuilt at once, and fails again
    expect(second.response.status).toBe(503);
    expect(codes(second.notes)).toContain('vm_recovered');
    const third = await vm.handle(get(), echoIo());
    expect(third.response.status).toBe(503);
    expect(third.notes[0].message).toMatch(/at most once every 5 s/);
  });

  // CHECK_FAIL returns the "open" status for a fail-open plugin; createFilter skips the filter.
  it('fail-open: the request goes on without the plugin', async () => {
    const vm = await plugin({ mode: 'trap', trapAt: 1 }, { profileOverrides: { workers: 1, failStrategy: 'FAIL_OPEN' } });
    const io = echoIo();
    const rec = await vm.handle(get(), io);
    expect(rec.response.status).toBe(200);
    expect(io.upstreamCalls).toHaveLength(1);
    expect(codes(rec.notes)).toContain('fail_open');
  });
});

describe('one VM per worker', () => {
  // CPPH wasm.cc getOrCreateThreadLocalPlugin: every worker runs its own VM (vm_start and
  // configure on each); shared data (shared_data.cc) is the only state they share.
  it('Go globals are per worker, shared data is shared, and both workers configured', async () => {
    const r = await GatewayPlugin.start(await buildPlugin('gateway'), { pluginConfig: '{"shared":true}' });
    await r.vm.ready();
    expect(r.vm.vms.map((v) => v!.backgroundLogs.find((l) => l.message === 'configured (1)')?.worker)).toEqual([0, 1]);
    const out = [];
    for (let i = 0; i < 4; i++) {
      const rec = await r.vm.handle(get(), echoIo());
      out.push([rec.worker, seen(rec.response.headers)['worker.requests'], seen(rec.response.headers)['shared.count']]);
    }
    expect(out).toEqual([
      [0, '1', '1'],
      [1, '1', '2'],
      [0, '2', '3'],
      [1, '2', '4'],
    ]);
  });

  it('requests on one connection stay on its worker', async () => {
    const { vm } = await GatewayPlugin.start(await buildPlugin('gateway'), { pluginConfig: '{}' });
    const workers = [];
    for (let i = 0; i < 3; i++) workers.push((await vm.handle({ ...get(), connection: { id: 42 } }, echoIo())).worker);
    expect(new Set(workers).size).toBe(1);
  });

  it('proxy_on_tick fires on every worker and on the main thread', async () => {
    // ENVOY thread_local_impl.cc SlotImpl::set also runs getOrCreateThreadLocalPlugin on the main
    // dispatcher: the main thread's VM is configured and its timer ticks, as a worker's does.
    const { vm } = await GatewayPlugin.start(await buildPlugin('gateway'), { pluginConfig: '{"tick":true}', clock: 'virtual' });
    const r = await vm.advanceTime(300);
    expect(r.ticks).toBe(9);
    expect(r.logs.filter((l) => l.message === 'tick 3').map((l) => l.thread ?? l.worker)).toEqual(['main', 0, 1]);
  });
});

describe("the main thread's VMs", () => {
  // CPPH wasm.cc createWasm -> WasmHandleBase::canary: a clone of the base VM is initialized,
  // started and configured when the config is loaded, then killed (no proxy_on_done); then
  // ENVOY thread_local_impl.cc SlotImpl::set makes the main thread's VM beside the workers'.
  it('configure runs on the canary, the main thread and each worker; requests only on workers', async () => {
    const r = await GatewayPlugin.start(await buildPlugin('gateway'), { pluginConfig: '{}' });
    expect(r.configured).toBe(true);
    // The start's lines: the canary's configure, then the first worker's.
    expect(r.logs.filter((l) => /^configured/.test(l.message)).map((l) => l.thread ?? l.worker)).toEqual(['canary', 0]);
    await r.vm.ready();
    const recs = [];
    for (let i = 0; i < 4; i++) recs.push(await r.vm.handle(get(), echoIo()));
    expect(recs.map((x) => x.worker)).toEqual([0, 1, 0, 1]);
    // The canary's Go globals died with it: each worker's first request is its first.
    expect(recs.map((x) => seen(x.response.headers)['worker.requests'])).toEqual(['1', '1', '2', '2']);
    r.vm.close();
  });

  it('a config the plugin rejects fails on the canary: no worker VM is made', async () => {
    const logs: { thread?: string; worker?: number; message: string }[] = [];
    const r = await GatewayPlugin.start(await buildPlugin('gateway'), { pluginConfig: '{"reject":true}', onLog: (e) => logs.push(e) });
    expect(r.configured).toBe(false);
    expect(r.error).toMatch(/configuration canary failed/);
    expect(r.logs.every((l) => l.thread === 'canary')).toBe(true);
    expect(logs.some((l) => l.worker !== undefined)).toBe(false);
    expect(r.vm.vms).toEqual([]);
  });

  it("the canary's callouts never go out: it is killed as soon as it is configured", async () => {
    const io = echoIo();
    const r = await GatewayPlugin.start(await buildPlugin('gateway'), { pluginConfig: '{"mode":"root_callout"}', io });
    await r.vm.ready();
    await new Promise((done) => setTimeout(done, 100));
    // One callout per VM that lives on: worker 0, worker 1 and the main thread's (which waits for its answer).
    expect(io.calloutCalls).toHaveLength(3);
    r.vm.close();
  });

  it("the main thread's VM stays only while it waits for ticks; a plugin without them keeps two VMs' memory", async () => {
    const ticking = await GatewayPlugin.start(await buildPlugin('gateway'), { pluginConfig: '{"tick":true}', clock: 'virtual' });
    await ticking.vm.ready();
    expect(ticking.vm.mainVm).toBeDefined();
    const quiet = await GatewayPlugin.start(await buildPlugin('gateway'), { pluginConfig: '{}' });
    await quiet.vm.ready();
    expect(quiet.vm.mainVm).toBeUndefined();
    expect(quiet.vm.memoryBytes()).toBe(quiet.vm.vms.reduce((n, v) => n + v!.memoryBytes(), 0));
    expect(ticking.vm.memoryBytes()).toBeGreaterThan(ticking.vm.vms.reduce((n, v) => n + v!.memoryBytes(), 0));
    ticking.vm.close();
    quiet.vm.close();
  });
});

describe('the tick budget (a bound of the playground)', () => {
  it('ticks that work most of the time are skipped until they take at most the budget, with a warning', async () => {
    const ticksIn = async (extra: Partial<VmOptions>) => {
      const logs: string[] = [];
      const vm = await plugin({ tick: true, tickMs: 5, tickWorkMs: 20 }, { ...extra, onLog: (e) => logs.push(e.message) });
      await new Promise((r) => setTimeout(r, 1000));
      vm.close();
      return { ticks: logs.filter((m) => /^tick \d+$/.test(m)).length, warned: logs.some((m) => /skips ticks until they fit/.test(m)) };
    };
    const free = await ticksIn({});
    const bounded = await ticksIn({ limits: { tickBudgetPercent: 25 } });
    expect(free.warned).toBe(false);
    expect(bounded.warned).toBe(true);
    // 20 ms of work per tick: unbounded they run back to back; at 25% at most one per 80 ms.
    expect(bounded.ticks).toBeLessThan(free.ticks / 2);
  });
});

describe('bodies stream', () => {
  // ENVOY FilterManager::encodeData: each upstream chunk reaches the filter as it arrives.
  it('upstream chunks reach on_response_body one by one and stream to the client', async () => {
    const vm = await plugin({ mode: 'response_chunks' });
    const { events, sink } = recordingSink();
    const upstream = scriptedUpstream([
      { type: 'headers', status: 200, headers: [['content-type', 'text/event-stream']], endOfStream: false },
      { type: 'data', data: enc('data: one\n\n'), endOfStream: false, delayMs: 20 },
      { type: 'data', data: enc('data: two\n\n'), endOfStream: false, delayMs: 20 },
      { type: 'data', data: new Uint8Array(0), endOfStream: true },
    ]);
    const rec = await vm.handle(get(), { upstream, downstream: sink });
    expect(events).toEqual(['headers 200', 'data DATA: ONE\n\n', 'data DATA: TWO\n\n', 'end']);
    const body = rec.timeline.filter((t) => t.phase === 'response_body').map((t) => [t.bytes, t.endOfStream]);
    expect(body).toEqual([
      [11, false],
      [11, false],
      [0, true],
    ]);
  });

  it('a client body sent in chunks reaches on_request_body chunk by chunk', async () => {
    const vm = await plugin({ mode: 'request_chunks' });
    const rec = await vm.handle({ ...get(), method: 'POST', headers: [['transfer-encoding', 'chunked']], bodyChunks: ['ab', 'cd'].map((c, i) => ({ data: enc(c), delayMs: i * 10 })) }, echoIo());
    expect(rec.logs.filter((l) => l.message.startsWith('request chunk')).map((l) => l.message)).toEqual(['request chunk 2 bytes eos=false: ab', 'request chunk 2 bytes eos=true: cd']);
    expect(dec(rec.upstreamRequest!.body)).toBe('abcd');
  });

  // envoy/http/filter.h FilterDataStatus::StopIterationNoBuffer: the chunk is not buffered.
  it('StopIterationNoBuffer drops the chunk', async () => {
    const vm = await plugin({ mode: 'drop_first_chunk' });
    const upstream = scriptedUpstream([
      { type: 'headers', status: 200, headers: [], endOfStream: false },
      { type: 'data', data: enc('first|'), endOfStream: false },
      { type: 'data', data: enc('second'), endOfStream: true },
    ]);
    const rec = await vm.handle(get(), { upstream });
    expect(dec(rec.response.body)).toBe('second');
    expect(rec.notes.map((n) => n.code)).toContain('chunk_dropped');
  });
});

describe('what the gateway adds and removes', () => {
  // E127 conn_manager_utility.cc mutateRequestHeaders: hop-by-hop headers go; with
  // use_remote_address (Higress) the peer joins x-forwarded-for; an external client's request id is
  // replaced and x-envoy-external-address set; x-envoy-original-host is the :authority (HIGRESS).
  it('an external client: hop-by-hop headers removed, x-forwarded-for and the gateway headers set', async () => {
    const vm = await plugin({ mode: 'hop_by_hop' });
    const rec = await vm.handle(
      { ...get(), headers: [['connection', 'keep-alive'], ['keep-alive', 'timeout=5'], ['x-request-id', 'from-client']], connection: { remoteAddress: '203.0.113.9:40000' } },
      echoIo(),
    );
    const s = seen(rec.response.headers);
    expect([s['req.connection'], s['req.keep-alive'], s['req.transfer-encoding']]).toEqual(['absent', 'absent', 'absent']);
    expect(s['req.x-forwarded-for']).toBe('203.0.113.9');
    expect(s['req.x-envoy-external-address']).toBe('203.0.113.9');
    expect(s['req.x-envoy-internal']).toBe('absent');
    expect(s['req.x-request-id']).not.toBe('from-client');
    expect(s['req.x-envoy-original-host']).toBe('example.com');
    expect(s['source.address']).toBe('203.0.113.9:40000');
    // The router's own headers reach only the upstream.
    const up = rec.upstreamRequest!.headers;
    expect(header(up, 'req-start-time')).toMatch(/^\d{13}$/);
    expect(header(up, 'x-envoy-route-identifier')).toBe('true');
    expect(header(up, 'x-envoy-expected-rq-timeout-ms')).toBeUndefined();
    // Router::Filter::onUpstreamHeaders (HIGRESS): timing headers on the upstream response.
    for (const h of ['x-envoy-upstream-service-time', 'req-cost-time', 'req-arrive-time', 'resp-start-time']) expect(header(rec.response.headers, h), h).toBeDefined();
  });

  it('a private client keeps its request id and is marked internal; the envoy profile appends nothing', async () => {
    const vm = await plugin({ mode: 'hop_by_hop' });
    const rec = await vm.handle({ ...get(), headers: [['x-request-id', 'kept']], connection: { remoteAddress: '10.1.2.3:4000' } }, echoIo());
    expect(seen(rec.response.headers)).toMatchObject({ 'req.x-request-id': 'kept', 'req.x-envoy-internal': 'true', 'req.x-forwarded-for': '10.1.2.3' });
    const envoy = await plugin({ mode: 'hop_by_hop' }, { profile: 'envoy' });
    const e = await envoy.handle({ ...get(), connection: { remoteAddress: '203.0.113.9:40000' } }, echoIo());
    expect(seen(e.response.headers)).toMatchObject({ 'req.x-forwarded-for': 'absent', 'req.x-envoy-external-address': 'absent' });
    expect(header(e.upstreamRequest!.headers, 'x-envoy-expected-rq-timeout-ms')).toBe('15000');
  });

  // ENVOY http/utility.cc prepareLocalReply: an empty body loses content-length and content-type.
  it('a local reply with an empty body drops the plugin\'s content-type and content-length; code_details is what the SDK passed ("")', async () => {
    const vm = await plugin({ mode: 'local_reply_empty' });
    const rec = await vm.handle(get(), echoIo());
    expect(rec.response.status).toBe(403);
    const s = seen(rec.response.headers);
    expect(s['reply.content-type']).toMatch(/not ?found/i);
    expect(s['reply.content-length']).toMatch(/not ?found/i);
    expect(s['reply.code_details']).toBe('[]');
    expect(rec.responseCodeDetails).toBe('');
  });

  // E127 context.cc Context::recordMetric: a counter adds.
  it('record_metric on a counter adds', async () => {
    const vm = await plugin({ mode: 'record_counter' });
    await vm.handle(get(), echoIo());
    expect(vm.metrics().find((m) => m.name === 'records_total')!.value).toBe(10);
  });

  // E127 context.cc Context::setProperty: no stream info on the root context -> NotFound.
  it('set_property on the root context is NotFound', async () => {
    const r = await GatewayPlugin.start(await buildPlugin('gateway'), { pluginConfig: '{"mode":"root_set_property"}', ...ONE_WORKER });
    expect(r.logs.some((l) => /root set_property: .*not ?found/i.test(l.message))).toBe(true);
  });
});
