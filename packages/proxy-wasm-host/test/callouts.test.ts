// src/callouts.ts on its own: cluster names and matching, and Callouts.dispatch with a fake `io`
// (no VM, no Go). The outcomes follow ENVOY context.cc Context::httpCall (BadArgument at once, no
// callback, for a missing cluster or pseudo-header), onHttpCallSuccess / onHttpCallFailure, and
// Envoy's AsyncClient (503 "connection failure" when the service cannot be reached, 504 "upstream
// request timeout" at the timeout).
import { describe, expect, it } from 'vitest';
import { WasmResult } from '../src/abi/enums.js';
import { Callouts, clusterHost, knownCluster, type CalloutDelivery } from '../src/callouts.js';
import type { CalloutRecord, Headers, HostNote, HttpCallRequest, HttpResponse } from '../src/index.js';
import { dec, enc } from './support/harness.js';
import { streamContext } from './support/stream-context.js';

describe('cluster names', () => {
  it('clusterHost takes the host of a Higress cluster name, and leaves any other name as it is', () => {
    expect(clusterHost('outbound|80||token-service.static')).toBe('token-service.static');
    expect(clusterHost('outbound|8080|v1|svc.default.svc.cluster.local')).toBe('svc.default.svc.cluster.local');
    expect(clusterHost('token-service.static')).toBe('token-service.static');
    expect(clusterHost('a|b')).toBe('a|b');
  });

  it('knownCluster: an exact name, a service name matching the host or its first labels, or anything when no list is given', () => {
    const clusters = ['token-service', 'outbound|80||exact.dns'];
    expect(knownCluster('outbound|80||token-service.static', clusters)).toBe(true);
    expect(knownCluster('outbound|8080||token-service.default.svc.cluster.local', clusters)).toBe(true);
    expect(knownCluster('token-service', clusters)).toBe(true);
    expect(knownCluster('outbound|80||exact.dns', clusters)).toBe(true);
    expect(knownCluster('anything', undefined)).toBe(true);
  });

  it('knownCluster does not match a service that only shares a prefix, nor another host', () => {
    const clusters = ['token'];
    expect(knownCluster('outbound|80||token-service.static', clusters)).toBe(false);
    expect(knownCluster('outbound|80||other.static', clusters)).toBe(false);
    expect(knownCluster('outbound|80||exact.dns', [])).toBe(false);
    // A declared full name is not a service name: another port of the same host is not it.
    expect(knownCluster('outbound|81||exact.dns', ['outbound|80||exact.dns'])).toBe(false);
  });
});

const HEADERS: Headers = [
  [':method', 'GET'],
  [':path', '/token'],
  [':authority', 'token-service'],
  ['x-a', '1'],
];
const CLUSTER = 'outbound|80||token-service.static';

function setup(clusters: string[] | undefined = ['token-service']) {
  const delivered: CalloutDelivery[] = [];
  const warnings: string[] = [];
  const background: CalloutRecord[] = [];
  const notes: HostNote[] = [];
  let waiter: (() => void) | undefined;
  const deliver = (d: CalloutDelivery) => {
    delivered.push(d);
    waiter?.();
  };
  const callouts = new Callouts(clusters, deliver, (m) => warnings.push(m), (r) => background.push(r));
  /** The next delivery (proxy_on_http_call_response), in order. */
  const next = async () => {
    while (!delivered.length) await new Promise<void>((r) => (waiter = r));
    return delivered.shift()!;
  };
  return { callouts, delivered, warnings, background, notes, note: (n: HostNote) => void notes.push(n), next };
}

/** A fake `io.httpCall` that records its calls and answers with `answer`. */
function fakeIo(answer: (c: HttpCallRequest) => Promise<HttpResponse>) {
  const calls: HttpCallRequest[] = [];
  const io = (c: HttpCallRequest) => {
    calls.push(c);
    return answer(c);
  };
  return Object.assign(io, { calls });
}

const ok = () => fakeIo(async () => ({ status: 200, headers: [['X-Token', 'abc']], body: enc('{"ok":true}'), trailers: [['x-t', '1']] }));

describe('Callouts.dispatch: BadArgument at once, no callback', () => {
  it('for a missing :method, :path or :authority, an empty cluster or a negative timeout', async () => {
    const t = setup();
    const io = ok();
    const without = (name: string) => HEADERS.filter(([k]) => k !== name);
    const cases: [string, Headers, number][] = [
      [CLUSTER, without(':method'), 1000],
      [CLUSTER, without(':path'), 1000],
      [CLUSTER, without(':authority'), 1000],
      ['', HEADERS, 1000],
      [CLUSTER, HEADERS, -1],
    ];
    for (const [cluster, headers, timeout] of cases) {
      expect(t.callouts.dispatch(cluster, headers, new Uint8Array(0), [], timeout, undefined, io, t.note)).toEqual({ result: WasmResult.BadArgument, token: 0 });
    }
    await new Promise((r) => setTimeout(r, 10));
    expect(io.calls).toEqual([]);
    expect(t.delivered).toEqual([]);
    expect(t.warnings).toHaveLength(cases.length);
  });

  it('for a cluster the gateway does not have: a warning and a note naming the service to declare', async () => {
    const t = setup(['token-service']);
    const io = ok();
    const r = t.callouts.dispatch('outbound|80||auth-service.static', HEADERS, new Uint8Array(0), [], 1000, streamContext(), io, t.note);
    expect(r).toEqual({ result: WasmResult.BadArgument, token: 0 });
    expect(t.warnings[0]).toMatch(/no such cluster/);
    expect(t.notes).toEqual([expect.objectContaining({ code: 'unknown_cluster', fix: expect.stringContaining('"auth-service"') })]);
    await new Promise((r) => setTimeout(r, 10));
    expect(io.calls).toEqual([]);
    expect(t.delivered).toEqual([]);
  });

  it('when nothing serves callouts (no io)', () => {
    const t = setup();
    expect(t.callouts.dispatch(CLUSTER, HEADERS, new Uint8Array(0), [], 1000, undefined, undefined, t.note).result).toBe(WasmResult.BadArgument);
    expect(t.warnings[0]).toMatch(/no callout handler/);
  });

  it('the route\'s own cluster is always known, declared or not', () => {
    const t = setup([]);
    const ctx = streamContext({ properties: { cluster_name: 'outbound|80||httpbin.dns' } });
    expect(t.callouts.dispatch('outbound|80||httpbin.dns', HEADERS, new Uint8Array(0), [], 1000, ctx, ok(), t.note).result).toBe(WasmResult.Ok);
  });
});

describe('Callouts.dispatch: a call that is sent', () => {
  it('returns Ok with tokens 1, 2, ... and sends nothing inside the host call', async () => {
    const t = setup();
    const io = ok();
    const a = t.callouts.dispatch(CLUSTER, HEADERS, enc('body'), [], 1000, undefined, io, t.note);
    const b = t.callouts.dispatch(CLUSTER, HEADERS, new Uint8Array(0), [], 1000, undefined, io, t.note);
    expect([a, b]).toEqual([
      { result: WasmResult.Ok, token: 1 },
      { result: WasmResult.Ok, token: 2 },
    ]);
    // Never inside the plugin's call: the callout starts on a later tick.
    expect(io.calls).toEqual([]);
    await t.next();
    expect(io.calls[0]).toEqual({ cluster: CLUSTER, headers: HEADERS, body: enc('body'), timeoutMs: 1000 });
  });

  it('delivers the response as the VM exposes it: :status first, names lower-cased, body and trailers', async () => {
    const t = setup();
    const ctx = streamContext();
    const { token } = t.callouts.dispatch(CLUSTER, HEADERS, new Uint8Array(0), [['x-req-trailer', 'v']], 1000, ctx, ok(), t.note);
    expect(ctx.pendingCallouts.has(token)).toBe(true);
    const d = await t.next();
    expect(d.token).toBe(token);
    expect(d.ctx).toBe(ctx);
    expect(d.response!.headers).toEqual([
      [':status', '200'],
      ['x-token', 'abc'],
    ]);
    expect(dec(d.response!.body)).toBe('{"ok":true}');
    expect(d.response!.trailers).toEqual([['x-t', '1']]);
    expect(ctx.pendingCallouts.size).toBe(0);
  });

  it('records the call on the stream (request without pseudo-headers, response, duration); outside a stream, in the background', async () => {
    const t = setup();
    const ctx = streamContext();
    t.callouts.dispatch(CLUSTER, HEADERS, enc('b'), [], 1000, ctx, ok(), t.note);
    await t.next();
    expect(ctx.callouts).toHaveLength(1);
    const rec = ctx.callouts[0];
    expect(rec.request).toEqual({ method: 'GET', path: '/token', authority: 'token-service', headers: [['x-a', '1']], body: enc('b') });
    expect(rec.response!.status).toBe(200);
    expect(rec.durationMs).toBeGreaterThanOrEqual(0);
    t.callouts.dispatch(CLUSTER, HEADERS, new Uint8Array(0), [], 1000, undefined, ok(), t.note);
    await t.next();
    expect(t.background).toHaveLength(1);
    expect(ctx.callouts).toHaveLength(1);
  });

  it('trailers go to io only when the plugin sent some', async () => {
    const t = setup();
    const io = ok();
    t.callouts.dispatch(CLUSTER, HEADERS, new Uint8Array(0), [['x-tr', '1']], 1000, undefined, io, t.note);
    await t.next();
    expect(io.calls[0].trailers).toEqual([['x-tr', '1']]);
  });
});

describe('Callouts.dispatch: failures the plugin sees', () => {
  it('a service that cannot be reached answers 503 with Envoy\'s connection-failure text', async () => {
    const t = setup();
    const io = fakeIo(() => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { connect: true })));
    t.callouts.dispatch(CLUSTER, HEADERS, new Uint8Array(0), [], 1000, undefined, io, t.note);
    const d = await t.next();
    const text = 'upstream connect error or disconnect/reset before headers. reset reason: connection failure';
    expect(d.response!.headers).toEqual([
      [':status', '503'],
      ['content-length', String(text.length)],
      ['content-type', 'text/plain'],
    ]);
    expect(dec(d.response!.body)).toBe(text);
    expect(d.record.error).toBe('connect ECONNREFUSED');
  });

  it('a service slower than the timeout answers 504 "upstream request timeout" at the timeout', async () => {
    const t = setup();
    const io = fakeIo(() => new Promise(() => undefined));
    const t0 = Date.now();
    t.callouts.dispatch(CLUSTER, HEADERS, new Uint8Array(0), [], 40, undefined, io, t.note);
    const d = await t.next();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(35);
    expect(d.response!.headers[0]).toEqual([':status', '504']);
    expect(dec(d.response!.body)).toBe('upstream request timeout');
  });

  it('timeout 0 means no timeout: a slow answer still arrives as itself', async () => {
    const t = setup();
    const io = fakeIo(() => new Promise((r) => setTimeout(() => r({ status: 201, headers: [], body: new Uint8Array(0) }), 30)));
    t.callouts.dispatch(CLUSTER, HEADERS, new Uint8Array(0), [], 0, undefined, io, t.note);
    expect((await t.next()).response!.headers[0]).toEqual([':status', '201']);
  });

  it('any other failure is a reset: no response (delivered as 0, 0, 0), and the reason on the record', async () => {
    const t = setup();
    const io = fakeIo(() => Promise.reject(new Error('socket hang up')));
    t.callouts.dispatch(CLUSTER, HEADERS, new Uint8Array(0), [], 1000, undefined, io, t.note);
    const d = await t.next();
    expect(d.response).toBeNull();
    expect(d.record.error).toBe('socket hang up');
  });

  it('a stream that ended first cancels its callouts: no delivery (ENVOY ~Context)', async () => {
    const t = setup();
    const ctx = streamContext();
    const io = fakeIo(() => new Promise((r) => setTimeout(() => r({ status: 200, headers: [], body: new Uint8Array(0) }), 20)));
    t.callouts.dispatch(CLUSTER, HEADERS, new Uint8Array(0), [], 1000, ctx, io, t.note);
    t.callouts.cancel(ctx);
    expect(ctx.pendingCallouts.size).toBe(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(t.delivered).toEqual([]);
    // The exchange still shows what came back.
    expect(ctx.callouts[0].response!.status).toBe(200);
  });
});
