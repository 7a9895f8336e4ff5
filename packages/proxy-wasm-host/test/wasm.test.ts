// src/wasm.ts, one VM: module checks, containment (panic, out of memory, log flood), root-context
// features (tick, queue), trailers and pause semantics, with a plugin on the bare SDK (no wrapper,
// so panics are not recovered). One worker, so each test sees one VM.
import { describe, expect, it } from 'vitest';
import { GatewayPlugin, SharedData, capMemory, type LogEntry } from '../src/index.js';
import { buildPlugin } from './support/build-plugin.js';
import { dec, echoIo, enc, get, header, ONE_WORKER } from './support/harness.js';

const raw = async (mode: string, extra: Partial<Parameters<typeof GatewayPlugin.start>[1]> = {}) =>
  GatewayPlugin.start(await buildPlugin('raw'), { pluginConfig: JSON.stringify({ mode }), ...ONE_WORKER, ...extra });

describe('containment', () => {
  it('a Go panic becomes a stream error with message and stack, answered 503 wasm_fail_stream', async () => {
    const { vm } = await raw('panic');
    const io = echoIo();
    const rec = await vm.handle(get(), io);
    expect(rec.error).toContain('panic: boom from request headers');
    expect(rec.error).toContain('goroutine');
    expect(rec.response.status).toBe(503);
    expect(rec.responseCodeDetails).toBe('wasm_fail_stream');
    expect(io.upstreamCalls).toHaveLength(0);
    expect(vm.vms[0]!.failed).toContain('boom from request headers');
  });

  it('a panic during start gives configured=false and the panic text', async () => {
    const r = await raw('panic_start');
    expect(r.configured).toBe(false);
    expect(r.error).toContain('panic during start');
  });

  it('a memory bomb hits the memory cap and fails with a clear out-of-memory error', async () => {
    const { vm } = await raw('bomb', { limits: { memoryMaxMiB: 48 } });
    const rec = await vm.handle(get(), echoIo());
    expect(rec.error).toMatch(/out of memory/);
    expect(vm.vms[0]!.memoryBytes()).toBeLessThanOrEqual(48 * 1024 * 1024);
  });

  it('a stream the plugin never resumes gets the idle-timeout reply after the playground bound', async () => {
    const { vm } = await raw('pause_forever', { limits: { streamTimeoutMs: 200 } });
    const io = echoIo();
    const rec = await vm.handle(get(), io);
    expect(rec.error).toMatch(/paused the request in request_headers and did not resume it: no progress for 200 ms/);
    // The request was complete, so Envoy's idle timeout answers 504 (Utility::maybeRequestTimeoutCode).
    expect(rec.response.status).toBe(504);
    expect(dec(rec.response.body)).toBe('stream timeout');
    expect(rec.notes.find((n) => n.code === 'playground_bound')!.message).toMatch(/180 s/);
    expect(io.upstreamCalls).toHaveLength(0);
    // on_log / on_done / on_delete still ran
    expect(rec.timeline.map((t) => t.phase).slice(-3)).toEqual(['log', 'done', 'delete']);
  });

  it('a log flood keeps the first 1000 lines of a request, each cut to 16 KiB, and says so', async () => {
    const forwarded: LogEntry[] = [];
    const { vm } = await raw('log_flood', { onLog: (e) => forwarded.push(e) });
    const rec = await vm.handle(get(), echoIo());
    const plugin = rec.logs.filter((l) => l.source === 'plugin');
    expect(plugin).toHaveLength(1000);
    expect(plugin[0].message.length).toBeLessThan(17 * 1024);
    expect(plugin[0].message).toMatch(/more bytes dropped\]$/);
    expect(rec.logs.at(-1)).toMatchObject({ source: 'host', level: 'warn', message: expect.stringContaining('more than 1000 lines') });
    expect(forwarded.filter((l) => l.source === 'plugin')).toHaveLength(1000);
    expect(rec.response.status).toBe(200);
  });

  it('StopAllIterationAndBuffer holds the body too: no body callback until resumed', async () => {
    const { vm } = await raw('stopall', { limits: { streamTimeoutMs: 100 } });
    const rec = await vm.handle({ ...get(), method: 'POST', body: enc('x') }, echoIo());
    expect(rec.timeline.filter((t) => t.phase === 'request_body')).toHaveLength(0);
    expect(rec.error).toMatch(/did not resume/);
  });
});

describe('pause semantics (Higress ABI 0.2.100)', () => {
  it('headers StopIteration still delivers the body; a body Continue releases headers', async () => {
    const { vm } = await raw('headers_pause_body_continue');
    const rec = await vm.handle({ ...get(), method: 'POST', body: enc('data') }, echoIo());
    expect(rec.error).toBeUndefined();
    expect(header(rec.upstreamRequest!.headers, 'x-body-seen')).toBe('yes');
    expect(dec(rec.upstreamRequest!.body)).toBe('data');
  });

  it('body Pause buffers: each callback sees the whole buffer so far', async () => {
    const { vm } = await raw('body_chunks');
    const rec = await vm.handle({ ...get(), method: 'POST', bodyChunks: ['aa', 'bb', 'cc'].map((c) => ({ data: enc(c) })) }, echoIo());
    const lines = rec.logs.map((l) => l.message).filter((m) => m.startsWith('body callback'));
    expect(lines).toEqual(['body callback size=2 eos=false body=aa', 'body callback size=4 eos=false body=aabb', 'body callback size=6 eos=true body=aabbcc']);
    expect(dec(rec.upstreamRequest!.body)).toBe('aabbcc|end');
  });
});

describe('trailers', () => {
  it('add / replace / remove request trailers; add response trailers', async () => {
    const { vm } = await raw('trailers');
    const io = echoIo((req) => ({ status: 200, headers: [], body: enc('ok'), trailers: [['x-up', '1']] , ...(req ? {} : {}) }));
    const rec = await vm.handle({ ...get(), method: 'POST', body: enc('b'), trailers: [['x-drop', '1'], ['x-keep', 'orig']] }, io);
    const t = rec.upstreamRequest!.trailers!;
    expect(header(t, 'x-trailer-added')).toBe('1');
    expect(header(t, 'x-drop')).toBeUndefined();
    expect(header(t, 'x-keep')).toBe('replaced');
    expect(header(rec.response.trailers, 'x-resp-trailer')).toBe('added');
    expect(header(rec.response.trailers, 'x-up')).toBe('1');
  });
});

describe('root context', () => {
  it('ticks on a real timer', async () => {
    const logs: LogEntry[] = [];
    const { vm } = await raw('tick', { onLog: (e) => logs.push(e) });
    await new Promise((r) => setTimeout(r, 150));
    vm.close();
    const ticks = logs.filter((l) => /^tick \d+$/.test(l.message)).length;
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(vm.metrics().find((m) => m.name === 'ticks_total')!.value).toBe(ticks);
    expect(vm.vms[0]!.backgroundTimeline.some((t) => t.phase === 'tick')).toBe(true);
  });

  it('queues: enqueue from a stream wakes proxy_on_queue_ready on the root context', async () => {
    const logs: LogEntry[] = [];
    const { vm } = await raw('queue', { onLog: (e) => logs.push(e) });
    const rec = await vm.handle(get(), echoIo());
    expect(header(rec.upstreamRequest!.headers, 'x-resolve-unknown')).toMatch(/not ?found/i);
    await new Promise((r) => setTimeout(r, 20));
    expect(logs.map((l) => l.message)).toContain('queue received: hello-queue');
    expect(logs.some((l) => /queue then: .*empty/i.test(l.message))).toBe(true);
  });

  it('shared data: CAS per key, scoped by vm_id (CPPH shared_data.cc SharedData::set)', async () => {
    const store = new SharedData();
    expect(store.set('', 'a', enc('1'), 0)).toBe(true);
    const cas = store.get('', 'a')!.cas;
    expect(store.set('', 'a', enc('2'), cas)).toBe(true);
    expect(store.set('', 'a', enc('3'), cas)).toBe(false);
    expect(store.get('other', 'a')).toBeUndefined();
  });

  it('a plugin refusing to start: configured=false with its log', async () => {
    const r = await raw('reject');
    expect(r.configured).toBe(false);
    expect(r.logs.some((l) => l.level === 'error' && l.message === 'refusing to start: mode=reject')).toBe(true);
  });
});

describe('module checks', () => {
  it('refuses a module without the proxy-wasm ABI marker', async () => {
    // (module (memory 1) (func (export "_initialize")))
    const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 3, 1, 0, 1, 7, 15, 1, 11, 95, 105, 110, 105, 116, 105, 97, 108, 105, 122, 101, 0, 0, 10, 4, 1, 2, 0, 11]);
    await expect(GatewayPlugin.start(bytes, { pluginConfig: '' })).rejects.toThrow(/proxy_abi_version_0_2/);
    await expect(GatewayPlugin.start(enc('nope'), { pluginConfig: '' })).rejects.toThrow();
  });

  it('capMemory rewrites the memory maximum', async () => {
    const wasm = await buildPlugin('raw');
    const { limits } = capMemory(wasm, 32 * 1024 * 1024);
    expect(limits!.maxPages).toBe(512);
  });

  it('stubs unknown env imports with Unimplemented (12) instead of failing to load', async () => {
    // imports env.proxy_future_call: () -> i32; exports memory, _initialize, the 0.2.1 marker, and
    // proxy_on_vm_start(a, b) -> i32 that returns 1 only if the stub answered 12.
    const str = (s: string) => [s.length, ...enc(s)];
    const section = (id: number, body: number[]) => [id, body.length, ...body];
    const bytes = new Uint8Array([
      0, 97, 115, 109, 1, 0, 0, 0,
      ...section(1, [3, 0x60, 0, 1, 0x7f, 0x60, 0, 0, 0x60, 2, 0x7f, 0x7f, 1, 0x7f]),
      ...section(2, [1, ...str('env'), ...str('proxy_future_call'), 0, 0]),
      ...section(3, [3, 1, 1, 2]),
      ...section(5, [1, 0, 1]),
      ...section(7, [4, ...str('memory'), 2, 0, ...str('_initialize'), 0, 1, ...str('proxy_abi_version_0_2_1'), 0, 2, ...str('proxy_on_vm_start'), 0, 3]),
      // bodies: nop; nop; (i32.eq (call 0) (i32.const 12))
      ...section(10, [3, 2, 0, 0x0b, 2, 0, 0x0b, 7, 0, 0x10, 0, 0x41, 12, 0x46, 0x0b]),
    ]);
    const r = await GatewayPlugin.start(bytes, { pluginConfig: '' });
    expect(r.timeline.find((t) => t.phase === 'vm_start')!.action).toBe('true');
    expect(r.logs.some((l) => l.source === 'host' && l.message.includes('env.proxy_future_call is not implemented'))).toBe(true);
    // community ABI: a headers StopIteration is treated as StopAll, as cpp-host does
    expect(r.vm.vms[0]!.headersStopIterationAllowed).toBe(false);
  });
});
