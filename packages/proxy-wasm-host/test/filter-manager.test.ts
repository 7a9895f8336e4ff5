// src/filter-manager.ts with a scripted stand-in VM (no Go toolchain): each callback is a function
// that acts on the stream's context the way host calls would, and returns the plugin's action.
// The semantics follow ENVOY http/filter_manager.cc (E127): FilterManager::decodeHeaders /
// decodeData, ActiveStreamFilterBase::commonContinue / commonHandleAfterDataCallback,
// DownstreamFilterManager::sendLocalReply, and the HCM's idle timeout.
import { describe, expect, it } from 'vitest';
import { StreamContext } from '../src/context.js';
import { FilterManager, type FilterVm } from '../src/filter-manager.js';
import { handleWithoutPlugin, resolveProfile, type HttpRequest, type ProfileOverrides, type StreamIo } from '../src/index.js';
import { dec, echoIo, enc, get, header, recordingSink, scriptedUpstream } from './support/harness.js';

type Handler = (ctx: StreamContext, size: number, endOfStream: boolean) => number | void;

/** A VM whose callbacks are the given handlers (missing ones return Continue); it records the calls. */
function scriptedVm(handlers: Record<string, Handler>, opts: { stopIterationAllowed?: boolean } = {}) {
  const calls: string[] = [];
  let contexts = 2;
  const vm: FilterVm & { calls: string[]; ctx?: StreamContext } = {
    calls,
    worker: 0,
    headersStopIterationAllowed: opts.stopIterationAllowed ?? true,
    failed: undefined,
    newContextId: () => contexts++,
    attach: (ctx) => void (vm.ctx = ctx),
    callStream(ctx, phase, _exp, args) {
      ctx.created = true;
      ctx.stopNextIteration = false;
      calls.push(`${phase}(${args.join(',')})`);
      const r = handlers[phase]?.(ctx, args[0], args[1] === 1);
      return { ok: true, value: r ?? 0 };
    },
    finishStream: (ctx) => void calls.push(`finish ${ctx.id}`),
  };
  return vm;
}

function run(vm: FilterVm | null, req: HttpRequest, io: StreamIo, overrides: ProfileOverrides & { profile?: 'higress' | 'envoy'; stallMs?: number } = {}) {
  const { profile, stallMs, ...o } = overrides;
  return new FilterManager(req, io, { vm, profile: resolveProfile(profile, o), stallTimeoutMs: stallMs ?? 2000, properties: {}, connectionId: 1 }).run();
}

const post = (chunks: string[], headers: [string, string][] = []): HttpRequest => ({
  method: 'POST',
  path: '/post',
  authority: 'example.com',
  headers,
  bodyChunks: chunks.map((c) => ({ data: enc(c) })),
});

const PAUSE = 1;
const STOP_ALL_BUFFER = 3;
const WATERMARK = 2;

describe('pausing', () => {
  it('a headers StopIteration (ABI 0_2_100) holds the headers while body callbacks run; a body Continue releases both', async () => {
    const vm = scriptedVm({ request_headers: () => PAUSE });
    const io = echoIo();
    const rec = await run(vm, post(['ab', 'cd']), io);
    expect(vm.calls.slice(0, 3).map((c) => c.replace(/\(\d+,/, '(n,'))).toEqual(['request_headers(n,0)', 'request_body(n,0)', 'request_body(n,1)']);
    expect(dec(rec.upstreamRequest!.body)).toBe('abcd');
  });

  it('under the community ABIs the same StopIteration is StopAll: no body callback until continue_stream', async () => {
    const vm = scriptedVm({ request_headers: () => PAUSE }, { stopIterationAllowed: false });
    const rec = await run(vm, post(['ab']), echoIo(), { stallMs: 100 });
    expect(vm.calls.filter((c) => c.startsWith('request_body'))).toEqual([]);
    expect(rec.response.status).toBe(504);
  });

  it('after StopAll, continue_stream delivers the buffered body to the plugin in one callback', async () => {
    let ctxRef: StreamContext | undefined;
    const vm = scriptedVm({
      request_headers: (ctx) => {
        ctxRef = ctx;
        setTimeout(() => {
          ctxRef!.requestContinue('request');
          ctxRef!.onActions?.();
        }, 30);
        return STOP_ALL_BUFFER;
      },
    });
    const rec = await run(vm, post(['ab', 'cd', 'ef']), echoIo());
    expect(vm.calls.filter((c) => c.startsWith('request_body'))).toEqual(['request_body(6,1)']);
    expect(dec(rec.upstreamRequest!.body)).toBe('abcdef');
  });

  it('continue_stream releases the request header map at once (E127 Context::continueStream)', async () => {
    let after: unknown = 'unset';
    const vm = scriptedVm({
      request_headers: (ctx) => {
        ctx.requestContinue('request');
        after = ctx.requestHeaders;
        return PAUSE;
      },
    });
    await run(vm, get(), echoIo());
    expect(after).toBeNull();
  });
});

describe('buffering', () => {
  it('StopIterationAndBuffer over the buffer limit: 413 (requestDataTooLarge), the upstream reset', async () => {
    const up = scriptedUpstream([{ type: 'headers', status: 200, headers: [], endOfStream: true, delayMs: 1000 }]);
    const vm = scriptedVm({ request_body: (_c, _s, eos) => (eos ? 0 : PAUSE) });
    const rec = await run(vm, post(['aaaa', 'bbbb', 'cccc']), { upstream: up }, { bufferLimitBytes: 10 });
    expect(rec.response.status).toBe(413);
    expect(rec.responseCodeDetails).toBe('request_payload_too_large');
    expect(up.seen.reset).toBe('local reply');
  });

  it('StopIterationAndWatermark does not answer 413: the client is paused until the plugin continues', async () => {
    let ctxRef: StreamContext | undefined;
    const vm = scriptedVm({
      request_body: (ctx, _s, eos) => {
        ctxRef = ctx;
        if (!eos) return WATERMARK;
        return 0;
      },
    });
    setTimeout(() => {
      ctxRef!.requestContinue('request');
      ctxRef!.onActions?.();
    }, 50);
    const rec = await run(vm, post(['aaaa', 'bbbb', 'cccc']), echoIo(), { bufferLimitBytes: 6 });
    expect(rec.response.status).toBe(200);
    expect(dec(rec.upstreamRequest!.body)).toBe('aaaabbbbcccc');
  });

  it('each buffered callback sees the whole buffer; a body Continue forwards what the plugin left', async () => {
    const sizes: number[] = [];
    const vm = scriptedVm({
      request_body: (ctx, size, eos) => {
        sizes.push(size);
        if (!eos) return PAUSE;
        ctx.requestBody = enc(`[${dec(ctx.requestBody!)}]`);
        return 0;
      },
    });
    const rec = await run(vm, post(['ab', 'cd', 'ef']), echoIo());
    expect(sizes).toEqual([2, 4, 6]);
    expect(dec(rec.upstreamRequest!.body)).toBe('[abcdef]');
  });

  it('a body given whole reaches the filter in reads of at most the buffer limit (ConnectionImpl::onReadReady)', async () => {
    const vm = scriptedVm({});
    await run(vm, { ...get(), method: 'POST', body: enc('x'.repeat(25)) }, echoIo(), { bufferLimitBytes: 10 });
    expect(vm.calls.filter((c) => c.startsWith('request_body'))).toEqual(['request_body(10,0)', 'request_body(10,0)', 'request_body(5,1)']);
  });
});

describe('local replies (DownstreamFilterManager::sendLocalReply)', () => {
  it('from the request phase: the reply runs through this plugin\'s response callbacks', async () => {
    const vm = scriptedVm({
      request_headers: (ctx) => void ctx.requestLocalReply({ status: 401, details: 'denied', body: enc('no'), headers: [['x-why', 'auth']] }),
      response_headers: (ctx) => void ctx.responseHeaders!.push(['x-seen-by-plugin', '1']),
    });
    const io = echoIo();
    const rec = await run(vm, get(), io);
    expect(io.upstreamCalls).toHaveLength(0);
    expect(rec.response.status).toBe(401);
    expect(header(rec.response.headers, 'x-seen-by-plugin')).toBe('1');
    expect(header(rec.response.headers, 'content-type')).toBe('text/plain');
    expect(rec.responseCodeDetails).toBe('denied');
  });

  it('from on_response_headers: the reply replaces the upstream response directly, no more callbacks', async () => {
    const vm = scriptedVm({ response_headers: (ctx) => void ctx.requestLocalReply({ status: 502, details: '', body: enc('bad'), headers: [] }) });
    const rec = await run(vm, get(), echoIo());
    expect(rec.response.status).toBe(502);
    expect(dec(rec.response.body)).toBe('bad');
    expect(vm.calls.filter((c) => c.startsWith('response_body'))).toEqual([]);
  });

  it('after the response headers were sent: the stream is reset', async () => {
    const vm = scriptedVm({ response_body: (ctx) => void ctx.requestLocalReply({ status: 500, details: '', body: enc('x'), headers: [] }) });
    const { events, sink } = recordingSink();
    const rec = await run(vm, get(), { ...echoIo(), downstream: sink });
    expect(events[0]).toBe('headers 200');
    expect(events.at(-1)).toMatch(/^reset/);
    expect(rec.reset).toBeDefined();
  });
});

describe('timeouts and failures', () => {
  it('a paused complete request gets 504 stream timeout; an incomplete one 408 (Utility::maybeRequestTimeoutCode)', async () => {
    const vm = scriptedVm({ request_headers: () => PAUSE });
    expect((await run(vm, get(), echoIo(), { stallMs: 50 })).response.status).toBe(504);
    const stuck: HttpRequest = { ...post(['a']), bodyChunks: [{ data: enc('a') }, { data: enc('b'), delayMs: 5000 }] };
    const rec = await run(scriptedVm({ request_headers: () => STOP_ALL_BUFFER }), stuck, echoIo(), { stallMs: 50 });
    expect(rec.response.status).toBe(408);
    expect(dec(rec.response.body)).toBe('stream timeout');
    expect(rec.responseCodeDetails).toBe('stream_idle_timeout');
  });

  it('the route timeout answers 504 upstream request timeout (Router::Filter::onResponseTimeout)', async () => {
    const up = scriptedUpstream([{ type: 'headers', status: 200, headers: [], endOfStream: true, delayMs: 500 }]);
    const rec = await run(null, get(), { upstream: up }, { routeTimeoutMs: 50 });
    expect(rec.response.status).toBe(504);
    expect(dec(rec.response.body)).toBe('upstream request timeout');
    expect(rec.responseCodeDetails).toBe('upstream_response_timeout');
    expect(up.seen.reset).toBe('route timeout');
  });

  it('an upstream that cannot be reached answers 503 with Envoy\'s text, through the plugin\'s response callbacks', async () => {
    const vm = scriptedVm({});
    const up = scriptedUpstream([{ type: 'reset', reason: 'ECONNREFUSED', connect: true }]);
    const rec = await run(vm, get(), { upstream: up });
    expect(rec.response.status).toBe(503);
    expect(dec(rec.response.body)).toBe('upstream connect error or disconnect/reset before headers. reset reason: connection failure');
    expect(vm.calls.some((c) => c.startsWith('response_headers'))).toBe(true);
  });

  it('a second local reply is refused but still stops the callback: the stream stalls', async () => {
    const vm = scriptedVm({
      request_headers: (ctx) => void ctx.requestLocalReply({ status: 403, details: '', body: new Uint8Array(0), headers: [] }),
      response_headers: (ctx) => {
        ctx.stopNextIteration = true; // what a refused send_local_response leaves behind (CPPH)
      },
    });
    const rec = await run(vm, get(), echoIo(), { stallMs: 50 });
    expect(rec.responseCodeDetails).toBe('stream_idle_timeout');
  });
});

describe('the rest of the stream', () => {
  it('trailers follow the body to the upstream', async () => {
    const up = scriptedUpstream([{ type: 'headers', status: 204, headers: [], endOfStream: true, delayMs: 50 }]);
    const vm = scriptedVm({});
    await run(vm, { ...post(['ab']), trailers: [['x-checksum', '1']] }, { upstream: up });
    expect(vm.calls).toContain('request_trailers(1)');
    expect(up.seen.ended).toBe(true);
  });

  it('data the plugin injects goes to the client after it (Higress inject_encoded_data_to_filter_chain)', async () => {
    const vm = scriptedVm({
      response_body: (ctx, _s, eos) => {
        if (eos) ctx.injectEncoded(enc('+injected'), false);
        return 0;
      },
    });
    const rec = await run(vm, get(), echoIo(() => ({ status: 200, headers: [], body: enc('body') })));
    expect(dec(rec.response.body)).toBe('+injectedbody');
  });

  it('without a plugin everything passes through', async () => {
    const rec = await handleWithoutPlugin({ ...post(['ab', 'cd']), headers: [['content-length', '4']] }, echoIo());
    expect(rec.worker).toBe(-1);
    expect(dec(rec.upstreamRequest!.body)).toBe('abcd');
    expect(rec.response.status).toBe(200);
  });
});
