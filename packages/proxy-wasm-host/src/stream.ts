// One HTTP stream: its header maps and bodies as the plugin sees them, and the Envoy-like filter
// chain driver (HCM -> this plugin -> router -> upstream, and back).
//
// Model: the client's request is fully available when the stream starts; body chunks reach the
// filter one by one (as a streaming client would send them). Semantics follow Envoy's wasm filter:
// - Headers `Pause` (StopIteration): with the Higress ABI 0.2.100 the headers are held and body
//   callbacks still run; a body/trailers `Continue` or proxy_continue_stream releases them
//   (Higress' cpp-host honours StopIteration). With ABI 0.2.0/0.2.1, and for StopAll* results,
//   headers and body are held until proxy_continue_stream, then the buffered body is delivered.
// - Body `Pause` buffers: the next callback sees the whole buffer; at end of stream the buffer
//   waits for proxy_continue_stream.
// - Continue / local reply / close requested inside a callback are applied after it returns.
// - A request-phase local reply runs through this plugin's response callbacks; the upstream is
//   never contacted. A response-phase local reply replaces the response if its headers were not
//   sent yet, otherwise the stream is reset (ENVOY filter_manager sendLocalReply).
import { BufferType, DataAction, HeaderAction, MapType, dataActionName, headerActionName } from './abi/enums.js';
import { VmFailedError } from './errors.js';
import { concatBytes, encode } from './memory.js';
import type {
  CalloutRecord,
  ExchangeRecord,
  Headers,
  HttpRequest,
  HttpResponse,
  LogEntry,
  Phase,
  StreamIo,
  TimelineEntry,
} from './types.js';

export interface LocalReply {
  status: number;
  details: string;
  body: Uint8Array;
  headers: Headers;
  grpcStatus?: number;
}

/** What a stream needs from its VM. */
export interface StreamVm {
  readonly rootContextId: number;
  /** Higress ABI (0_2_100) lets a headers StopIteration pass body callbacks through. */
  readonly headersStopIterationAllowed: boolean;
  readonly streamTimeoutMs: number;
  /** Runs an export on this stream's context; applies after-call actions; throws VmFailedError. */
  callStream(s: HttpStream, phase: Phase, exportName: string, args: number[], actionName?: (v: number) => string): number;
  /** Ends the stream: on_log, on_done, on_delete, cancels callouts. Never throws; returns an error if the VM failed there. */
  finishStream(s: HttpStream): string | undefined;
}

type Dir = 'request' | 'response';

class LocalReplySignal {
  constructor(readonly reply: LocalReply) {}
}
class ResetSignal {
  constructor(readonly reason: string) {}
}
class StreamTimeout {
  constructor(readonly reason: string) {}
}

interface DirState {
  headers: Headers;
  headersOpen: boolean;
  headersForwarded: boolean;
  body: Uint8Array;
  bodyOpen: boolean;
  forwarded: Uint8Array[];
  trailers: Headers | undefined;
  trailersOpen: boolean;
}

function newDir(headers: Headers): DirState {
  return {
    headers,
    headersOpen: false,
    headersForwarded: false,
    body: new Uint8Array(0),
    bodyOpen: false,
    forwarded: [],
    trailers: undefined,
    trailersOpen: false,
  };
}

const EMPTY = new Uint8Array(0);

function lower(h: Headers): Headers {
  return h.map(([k, v]) => [k.toLowerCase(), String(v)] as [string, string]);
}

function concatAll(chunks: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

/** Envoy's HCM and router mutations; see README "Envoy headers". */
export const ROUTE_TIMEOUT_MS = 15000;

export class HttpStream {
  readonly logs: LogEntry[] = [];
  readonly timeline: TimelineEntry[] = [];
  readonly callouts: CalloutRecord[] = [];
  /** set_property values (Envoy filter state `wasm.*`), keyed by the \0-joined path. */
  readonly filterState = new Map<string, Uint8Array>();
  /** request.time (epoch ms); the VM sets it from its virtual clock when it has one. */
  startedAtMs = Date.now();
  readonly t0 = performance.now();
  readonly requestId: string;
  readonly properties: Record<string, string>;
  /** The request headers as the filter chain received them (for request.* properties). */
  readonly clientRequestHeaders: Headers;
  responseStatus: number | undefined;
  responseCodeDetails: string | undefined;
  responseHeadersView: Headers | undefined;
  /** Callout tokens still pending; cancelled when the stream ends. */
  readonly pendingCallouts = new Set<number>();
  ended = false;
  /** proxy_on_context_create was called (lazily, on the first callback, as Envoy does). */
  created = false;

  private readonly req: DirState;
  private resp: DirState = newDir([]);
  private inLogPhase = false;
  private currentDir: Dir = 'request';
  private readonly clientRequest: HttpRequest;

  // After-VM-call actions, recorded by imports and applied by applyDeferred().
  private deferred: (() => void)[] = [];
  private continued: Record<Dir, boolean> = { request: false, response: false };
  private interrupt: LocalReplySignal | ResetSignal | undefined;
  private waiter: { dir: Dir; resolve: () => void; reject: (e: unknown) => void } | undefined;

  constructor(
    private readonly vm: StreamVm,
    readonly id: number,
    req: HttpRequest,
    readonly io: StreamIo,
    baseProperties: Record<string, string>,
  ) {
    const headers = lower(req.headers ?? []);
    const authority = req.authority ?? headers.find(([k]) => k === 'host')?.[1] ?? 'localhost';
    const scheme = req.scheme ?? 'http';
    const regular = headers.filter(([k]) => k !== 'host' && !k.startsWith(':'));
    // Envoy HCM: generate x-request-id when absent, set x-forwarded-proto, before any filter runs.
    let requestId = regular.find(([k]) => k === 'x-request-id')?.[1];
    if (!requestId) {
      requestId = crypto.randomUUID();
      regular.push(['x-request-id', requestId]);
    }
    if (!regular.some(([k]) => k === 'x-forwarded-proto')) regular.push(['x-forwarded-proto', scheme]);
    this.requestId = requestId;
    const map: Headers = [
      [':authority', authority],
      [':path', req.path || '/'],
      [':method', (req.method || 'GET').toUpperCase()],
      [':scheme', scheme],
      ...regular,
    ];
    this.clientRequestHeaders = map.map(([k, v]) => [k, v] as [string, string]);
    this.req = newDir(map);
    this.properties = { ...baseProperties, ...(req.properties ?? {}) };
    this.clientRequest = {
      method: map[2][1],
      path: map[1][1],
      authority,
      scheme,
      headers: regular.map(([k, v]) => [k, v] as [string, string]),
      ...(req.bodyChunks ? { bodyChunks: req.bodyChunks } : { body: req.body ?? EMPTY }),
      ...(req.trailers ? { trailers: lower(req.trailers) } : {}),
      ...(req.properties ? { properties: req.properties } : {}),
    };
  }

  // ---- accessors used by host imports -------------------------------------------------------

  getMap(type: number): { headers: Headers; writable: boolean } | undefined {
    const ro = this.inLogPhase;
    switch (type) {
      case MapType.RequestHeaders:
        return this.req.headersOpen || ro ? { headers: this.req.headers, writable: !ro } : undefined;
      case MapType.RequestTrailers:
        if (ro) return undefined; // ENVOY: request trailers are gone in the log phase
        if (this.req.trailersOpen) return { headers: (this.req.trailers ??= []), writable: true };
        return undefined;
      case MapType.ResponseHeaders:
        return this.resp.headersOpen || (ro && this.resp.headers.length) ? { headers: this.resp.headers, writable: !ro } : undefined;
      case MapType.ResponseTrailers:
        if (this.resp.trailersOpen || (ro && this.resp.trailers)) return { headers: (this.resp.trailers ??= []), writable: !ro };
        return undefined;
      default:
        return undefined;
    }
  }

  getBody(type: number): Uint8Array | undefined {
    const d = type === BufferType.RequestBody ? this.req : this.resp;
    return d.bodyOpen ? d.body : undefined;
  }

  setBody(type: number, body: Uint8Array): void {
    const d = type === BufferType.RequestBody ? this.req : this.resp;
    if (d.bodyOpen) d.body = body;
  }

  requestContinue(dir: Dir): void {
    this.deferred.push(() => {
      this.continued[dir] = true;
      if (this.waiter?.dir === dir) {
        const w = this.waiter;
        this.waiter = undefined;
        w.resolve();
      }
    });
  }

  requestLocalReply(r: LocalReply): void {
    this.deferred.push(() => this.setInterrupt(new LocalReplySignal(r)));
  }

  requestClose(): void {
    this.deferred.push(() => this.setInterrupt(new ResetSignal('stream reset by the plugin (proxy_close_stream)')));
  }

  injectData(data: Uint8Array, _endStream: boolean): void {
    (this.currentDir === 'request' ? this.req : this.resp).forwarded.push(data);
  }

  /** Called by the VM after every export call that ran while this stream existed. */
  applyDeferred(): void {
    const actions = this.deferred;
    this.deferred = [];
    for (const a of actions) a();
  }

  /** The VM failed (trap, panic, timeout): wake a paused stream so it can fail. */
  fail(err: VmFailedError): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.reject(err);
    }
  }

  private setInterrupt(sig: LocalReplySignal | ResetSignal): void {
    if (this.interrupt || this.inLogPhase || this.ended) return; // the first one wins
    this.interrupt = sig;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.reject(sig);
    }
  }

  // ---- the driver ---------------------------------------------------------------------------

  private call(phase: Phase, exp: string, args: number[], names: (v: number) => string): { action: number; resumed: boolean } {
    const dir: Dir = phase.startsWith('request') ? 'request' : 'response';
    this.currentDir = dir;
    this.continued[dir] = false;
    const action = this.vm.callStream(this, phase, exp, args, names);
    if (this.interrupt) {
      const sig = this.interrupt;
      this.interrupt = undefined;
      throw sig;
    }
    const resumed = this.continued[dir];
    this.continued[dir] = false;
    return { action, resumed };
  }

  private waitContinue(dir: Dir, where: string): Promise<void> {
    if (this.interrupt) {
      const sig = this.interrupt;
      this.interrupt = undefined;
      return Promise.reject(sig);
    }
    if (this.continued[dir]) {
      this.continued[dir] = false;
      return Promise.resolve();
    }
    const ms = this.vm.streamTimeoutMs;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new StreamTimeout(`the plugin paused the ${dir} in ${where} and did not resume it within ${ms} ms`));
      }, ms);
      this.waiter = {
        dir,
        resolve: () => {
          clearTimeout(timer);
          this.continued[dir] = false;
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          if (e === this.interrupt) this.interrupt = undefined;
          reject(e);
        },
      };
    }).finally(() => {
      this.currentDir = dir;
    });
  }

  private forwardHeaders(d: DirState): void {
    d.headersOpen = false;
    d.headersForwarded = true;
  }

  private forwardBody(d: DirState): void {
    if (d.body.length) d.forwarded.push(d.body);
    d.body = new Uint8Array(0);
    d.bodyOpen = false;
    if (!d.headersForwarded) this.forwardHeaders(d);
  }

  /** Runs one direction through the plugin: headers, body chunks, trailers. */
  private async runDirection(dir: Dir, chunks: Uint8Array[], trailers: Headers | undefined): Promise<void> {
    const d = dir === 'request' ? this.req : this.resp;
    const hasBody = chunks.some((c) => c.length > 0);
    chunks = chunks.filter((c) => c.length > 0);
    const eosHeaders = !hasBody && !trailers;

    d.headersOpen = true;
    const h = this.call(`${dir}_headers`, `proxy_on_${dir}_headers`, [this.id, d.headers.length, eosHeaders ? 1 : 0], headerActionName);
    let held = false;
    if (h.action === HeaderAction.Continue || h.action === HeaderAction.ContinueAndEndStream || h.resumed) {
      this.forwardHeaders(d);
    } else if (h.action === HeaderAction.StopIteration && this.vm.headersStopIterationAllowed && !eosHeaders) {
      held = true; // body callbacks still run; a Continue from them releases the headers
    } else {
      // StopAll: headers and body wait for proxy_continue_stream; the body is delivered afterwards.
      await this.waitContinue(dir, `${dir}_headers`);
      this.forwardHeaders(d);
      if (chunks.length > 1) chunks = [concatAll(chunks)];
    }

    let paused = false;
    for (let i = 0; i < chunks.length; i++) {
      const eos = i === chunks.length - 1 && !trailers;
      d.body = concatBytes(d.body, chunks[i]);
      d.bodyOpen = true;
      const b = this.call(`${dir}_body`, `proxy_on_${dir}_body`, [this.id, d.body.length, eos ? 1 : 0], dataActionName);
      if (b.action === DataAction.Continue || b.resumed) {
        this.forwardBody(d);
        held = false;
        paused = false;
      } else {
        paused = true; // buffered: the next callback sees the whole buffer
      }
    }
    if (paused && !trailers) {
      await this.waitContinue(dir, `${dir}_body`);
      this.forwardBody(d);
      held = false;
    }

    if (trailers) {
      d.trailers = lower(trailers);
      d.trailersOpen = true;
      const t = this.call(`${dir}_trailers`, `proxy_on_${dir}_trailers`, [this.id, d.trailers.length], headerActionName);
      if (t.action !== HeaderAction.Continue && !t.resumed) await this.waitContinue(dir, `${dir}_trailers`);
      d.trailersOpen = false;
      this.forwardBody(d);
      held = false;
    }
    if (held) {
      await this.waitContinue(dir, `${dir}_headers`);
    }
    if (d.bodyOpen || d.body.length) this.forwardBody(d);
    this.forwardHeaders(d);
  }

  private mark(phase: Phase, t0: number, detail?: string): void {
    this.timeline.push({ phase, durationUs: Math.round((performance.now() - t0) * 1000), startUs: Math.round((t0 - this.t0) * 1000), detail });
  }

  private buildUpstreamRequest(): HttpRequest {
    const m = this.req.headers;
    const get = (k: string) => m.find(([n]) => n === k)?.[1];
    const body = concatAll(this.req.forwarded);
    const headers = fixContentLength(
      m.filter(([k]) => !k.startsWith(':')),
      body.length,
      this.req.forwarded.length > 0 || this.clientBodyLength() > 0,
    );
    // Envoy router: tells the upstream how long it will wait (route timeout, 15 s by default).
    if (!headers.some(([k]) => k === 'x-envoy-expected-rq-timeout-ms')) headers.push(['x-envoy-expected-rq-timeout-ms', String(ROUTE_TIMEOUT_MS)]);
    const out: HttpRequest = {
      method: get(':method') ?? 'GET',
      path: get(':path') ?? '/',
      authority: get(':authority') ?? '',
      scheme: get(':scheme') ?? 'http',
      headers,
      body,
    };
    if (this.req.trailers?.length) out.trailers = this.req.trailers;
    return out;
  }

  private clientBodyLength(): number {
    const r = this.clientRequest;
    return r.bodyChunks ? r.bodyChunks.reduce((n, c) => n + c.length, 0) : (r.body?.length ?? 0);
  }

  private buildResponse(d: DirState): HttpResponse {
    const status = Number(d.headers.find(([k]) => k === ':status')?.[1] ?? 0);
    const body = concatAll(d.forwarded);
    const res: HttpResponse = { status, headers: fixContentLength(d.headers.filter(([k]) => !k.startsWith(':')), body.length, true), body };
    if (d.trailers?.length) res.trailers = d.trailers;
    return res;
  }

  private startResponse(r: HttpResponse, details: string): Uint8Array[] {
    this.resp = newDir([[':status', String(r.status)], ...lower(r.headers).filter(([k]) => !k.startsWith(':'))]);
    this.responseStatus = r.status;
    this.responseCodeDetails = details;
    this.responseHeadersView = this.resp.headers;
    return r.body && r.body.length ? [r.body] : [];
  }

  async run(): Promise<ExchangeRecord> {
    let upstreamRequest: HttpRequest | null = null;
    let upstreamResponse: HttpResponse | null = null;
    let response: HttpResponse | undefined;
    let localReply = false;
    let error: string | undefined;
    try {
      let reply: LocalReply | undefined;
      try {
        const chunks = this.clientRequest.bodyChunks ?? (this.clientRequest.body?.length ? [this.clientRequest.body] : []);
        await this.runDirection('request', chunks, this.clientRequest.trailers);
      } catch (e) {
        if (!(e instanceof LocalReplySignal)) throw e;
        reply = e.reply;
      }
      let source: HttpResponse;
      let details: string;
      if (reply) {
        // The upstream is never contacted; the reply goes through this plugin's encode path.
        localReply = true;
        source = localReplyResponse(reply);
        details = reply.details || 'wasm_local_reply';
        this.timeline.push({ phase: 'local_reply', durationUs: 0, startUs: Math.round((performance.now() - this.t0) * 1000), detail: `${reply.status} from request phase` });
      } else {
        upstreamRequest = this.buildUpstreamRequest();
        const t0 = performance.now();
        try {
          upstreamResponse = await this.io.upstream(upstreamRequest);
          source = {
            ...upstreamResponse,
            headers: [...lower(upstreamResponse.headers), ['x-envoy-upstream-service-time', String(Math.round(performance.now() - t0))]],
          };
          details = 'via_upstream';
          this.mark('upstream', t0, `${upstreamResponse.status}`);
        } catch (e) {
          // Envoy router: connection failure -> 503 local reply through the encoder filters.
          this.mark('upstream', t0, `failed: ${e instanceof Error ? e.message : String(e)}`);
          localReply = true;
          source = localReplyResponse({
            status: 503,
            details: 'upstream_reset_before_response_started{connection_failure}',
            body: encode('upstream connect error or disconnect/reset before headers. reset reason: connection failure'),
            headers: [],
          });
          details = 'upstream_reset_before_response_started{connection_failure}';
        }
      }
      const chunks = this.startResponse(source, details);
      try {
        await this.runDirection('response', chunks, source.trailers);
        response = this.buildResponse(this.resp);
      } catch (e) {
        if (!(e instanceof LocalReplySignal)) throw e;
        if (this.resp.headersForwarded) throw new ResetSignal('local reply sent after the response headers were sent downstream: Envoy resets the stream');
        // Headers not sent yet: Envoy sends the reply directly, bypassing the filters.
        localReply = true;
        response = localReplyResponse(e.reply);
        this.responseStatus = response.status;
        this.responseCodeDetails = e.reply.details || 'wasm_local_reply';
        this.timeline.push({ phase: 'local_reply', durationUs: 0, startUs: Math.round((performance.now() - this.t0) * 1000), detail: `${e.reply.status} from response phase` });
      }
    } catch (e) {
      const partial = (status: number, body: string, details: string): HttpResponse => {
        if (this.resp.headersForwarded) return this.buildResponse(this.resp);
        localReply = true;
        this.responseStatus = status;
        this.responseCodeDetails = details;
        return status === 0 ? { status: 0, headers: [], body: EMPTY } : localReplyResponse({ status, details, body: encode(body), headers: [] });
      };
      if (e instanceof ResetSignal) {
        error = e.reason;
        response = this.resp.headersForwarded ? this.buildResponse(this.resp) : { status: 0, headers: [], body: EMPTY };
      } else if (e instanceof StreamTimeout) {
        error = e.reason;
        response = partial(408, 'stream timeout', 'stream_idle_timeout');
        if (this.resp.headersForwarded) error += '; the stream was reset';
      } else if (e instanceof VmFailedError) {
        error = e.message;
        // ENVOY Context::failStream: 503 local reply (details wasm_fail_stream), encode callbacks skipped.
        response = partial(503, '', 'wasm_fail_stream');
      } else {
        error = `host error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
        response = partial(500, 'internal host error', 'host_error');
      }
    } finally {
      this.inLogPhase = true;
      const endError = this.vm.finishStream(this);
      if (endError && error === undefined) error = endError;
      this.ended = true;
    }
    return {
      requestId: this.requestId,
      request: this.clientRequest,
      upstreamRequest,
      upstreamResponse,
      response: response!,
      localReply,
      logs: this.logs,
      timeline: this.timeline,
      callouts: this.callouts,
      ...(error !== undefined ? { error } : {}),
    };
  }
}

/** The response Envoy builds for sendLocalReply: status, content-length, text/plain for a body. */
export function localReplyResponse(r: LocalReply): HttpResponse {
  const headers: Headers = [];
  if (r.body.length && !r.headers.some(([k]) => k === 'content-type')) headers.push(['content-type', 'text/plain']);
  headers.push(...r.headers.filter(([k]) => k !== 'content-length' && !k.startsWith(':')));
  headers.push(['content-length', String(r.body.length)]);
  return { status: r.status, headers, body: r.body };
}

/**
 * The wasm filter never recomputes content-length. We keep what the plugin left, but drop a
 * length that no longer matches the body (the embedding server then frames the body itself).
 */
function fixContentLength(headers: Headers, bodyLength: number, hasBody: boolean): Headers {
  const out = headers.map(([k, v]) => [k, v] as [string, string]);
  const i = out.findIndex(([k]) => k === 'content-length');
  if (i >= 0 && Number(out[i][1]) !== bodyLength && (hasBody || bodyLength > 0)) out.splice(i, 1);
  return out;
}

/** A filter chain without the plugin: every callback "returns" Continue. For baselines and comparisons. */
export function handleWithoutPlugin(req: HttpRequest, io: StreamIo): Promise<ExchangeRecord> {
  const vm: StreamVm = {
    rootContextId: 1,
    headersStopIterationAllowed: true,
    streamTimeoutMs: 30000,
    callStream: () => 0,
    finishStream: () => undefined,
  };
  return new HttpStream(vm, 2, req, io, {}).run();
}
