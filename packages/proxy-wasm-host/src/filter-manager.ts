// One HTTP stream through the gateway: the HCM, this plugin's wasm filter and the router, as Envoy's
// FilterManager drives them (ENVOY http/filter_manager.cc, the E127 fork). Everything that happens
// to the stream is an event on one queue (client data, upstream data, the plugin's after-VM-call
// actions, timers); each is handled to completion, so the plugin is never re-entered.
//
// Decoding (request) and encoding (response) follow the same rules:
// - headers Continue: passed on (the router opens the upstream request / the client gets them);
//   StopIteration: held while body callbacks still run (Higress ABI 0_2_100; the other ABIs get
//   StopAllIterationAndWatermark); StopAll*: held, and body data is buffered without callbacks
//   until proxy_continue_stream, then delivered to the plugin in one callback.
// - body Continue: the buffered data and this chunk are passed on; StopIterationAndBuffer: kept,
//   and over the stream's buffer limit Envoy answers 413 (request) or 500 (response);
//   StopIterationAndWatermark: kept with flow control (the client is paused, no error);
//   StopIterationNoBuffer: the chunk is dropped.
// - a local reply before the response started runs through this plugin's response callbacks; after
//   the upstream response arrived it replaces it directly; after headers went out it resets.
import { DataAction, HeaderAction, dataActionName, headerActionName } from './abi/enums.js';
import { StreamContext, type Dir, type LocalReply, type StreamInfo } from './context.js';
import { localReplyHeaders, mutateRequestHeaders, routerRequestHeaders, routerResponseHeaders } from './gateway-headers.js';
import { concatBytes, encode } from './memory.js';
import type { GatewayProfile } from './profile.js';
import type { ExchangeRecord, Headers, HttpRequest, HttpResponse, Phase, ResponseEvent, StreamIo, TimelineEntry, UpstreamStream } from './types.js';
import type { CallResult } from './wasm.js';

/** What the filter manager needs from the VM that runs the plugin (PluginVm). */
export interface FilterVm {
  readonly worker: number;
  readonly headersStopIterationAllowed: boolean;
  readonly failed: string | undefined;
  newContextId(): number;
  attach(ctx: StreamContext): void;
  callStream(ctx: StreamContext, phase: Phase, exportName: string, args: number[], actionName?: (v: number) => string, extra?: Partial<TimelineEntry>): CallResult;
  finishStream(ctx: StreamContext): void;
}

export interface StreamOptions {
  /** The plugin's VM; null: no filter (a request around the plugin, or a fail-open VM). */
  vm: FilterVm | null;
  profile: GatewayProfile;
  /** The playground's bound on a stream without progress (it says so when it is shorter than the gateway's). */
  stallTimeoutMs: number;
  /** Route and cluster names and other configured properties. */
  properties: Record<string, string>;
  /** The plugin's wall clock (a virtual clock), for request.time. */
  nowMs?: () => number;
  connectionId: number;
}

/** ENVOY stream_info ResponseFlag bits used here. */
const FLAG = { UpstreamRequestTimeout: 0x4, LocalReset: 0x8, UpstreamConnectionFailure: 0x20, StreamIdleTimeout: 0x10000 };

type Event =
  | { t: 'reqData'; data: Uint8Array; end: boolean }
  | { t: 'reqTrailers'; trailers: Headers }
  | { t: 'up'; ev: ResponseEvent }
  | { t: 'wake' }
  | { t: 'stall' }
  | { t: 'routeTimeout' };

/** Per direction: Envoy's iteration state of this filter and the filter manager's buffer. */
interface Side {
  headers: Headers;
  /** Headers the plugin held: 'single' (StopIteration), 'all' (StopAll*), or passed on. */
  stopped: 'no' | 'single' | 'all';
  /** Iteration stopped at a body or trailers callback (StopSingleIteration). */
  dataStopped: boolean;
  headersPassed: boolean;
  /** The filter manager's buffered data (buffered_request_data_ / buffered_response_data_). */
  buffered: Uint8Array | null;
  /** Watermark mode (StopIterationAndWatermark / StopAllIterationAndWatermark): no 413/500. */
  streaming: boolean;
  /** The Context's buffering_*_body_: the next body callback sees buffered + new data. */
  bufferingBody: boolean;
  /** The source sent end_stream (with the headers, the last data, or trailers). */
  endReceived: boolean;
  endPassed: boolean;
  trailers: Headers | undefined;
  trailersPassed: boolean;
}

const newSide = (headers: Headers): Side => ({
  headers,
  stopped: 'no',
  dataStopped: false,
  headersPassed: false,
  buffered: null,
  streaming: false,
  bufferingBody: false,
  endReceived: false,
  endPassed: false,
  trailers: undefined,
  trailersPassed: false,
});

const get = (h: Headers, k: string) => h.find(([n]) => n === k)?.[1];
const noPseudo = (h: Headers) => h.filter(([k]) => !k.startsWith(':'));

/**
 * The HTTP/1 framing a peer applies to a body: with a content-length it reads exactly that many
 * bytes, whatever the gateway writes (the wasm filter never recomputes the header).
 */
class Framing {
  readonly length: number | undefined;
  delivered = 0;
  dropped = 0;

  constructor(headers: Headers, bodyless: boolean) {
    const cl = get(headers, 'content-length');
    this.length = bodyless ? 0 : cl !== undefined && /^\d+$/.test(cl) ? Number(cl) : undefined;
  }

  /** The part of `data` the peer reads as this message's body. */
  take(data: Uint8Array): Uint8Array {
    if (this.length === undefined) {
      this.delivered += data.length;
      return data;
    }
    const room = Math.max(0, this.length - this.delivered);
    const part = data.length <= room ? data : data.subarray(0, room);
    this.delivered += part.length;
    this.dropped += data.length - part.length;
    return part;
  }

  /** Bytes the peer is still waiting for at the end of the stream. */
  get missing(): number {
    return this.length === undefined ? 0 : Math.max(0, this.length - this.delivered);
  }
}

export class FilterManager {
  readonly ctx: StreamContext;
  private readonly req: Side;
  private resp: Side = newSide([]);
  private readonly queue: Event[] = [];
  private wakeQueue: (() => void) | undefined;
  private readonly client: HttpRequest;
  private readonly requestId: string;

  // Router / upstream
  private upstream: UpstreamStream | undefined;
  private upstreamRecord: HttpRequest | null = null;
  private upstreamBody: Uint8Array[] = [];
  private upstreamFraming: Framing | undefined;
  private upstreamResponse: HttpResponse | null = null;
  private upstreamResponseBody: Uint8Array[] = [];
  private upstreamStartPerf = 0;
  private upstreamReadsPaused = false;
  private resumeUpstreamReads: (() => void) | undefined;

  // Downstream (what the client receives)
  private responseStarted = false;
  private downstreamHeaders: Headers = [];
  private downstreamBody: Uint8Array[] = [];
  private downstreamFraming: Framing | undefined;
  private downstreamTrailers: Headers | undefined;
  private localReply = false;
  /** The decode path was aborted by a local reply: no more request callbacks. */
  private decodeAborted = false;
  /** A local reply is being encoded through this plugin's response callbacks. */
  private encodingLocalReply = false;
  private done = false;
  private reset: string | undefined;
  private error: string | undefined;

  // Client body
  private readsPaused = false;
  private resumeReads: (() => void) | undefined;

  private stallTimer: NodeJS.Timeout | undefined;
  private lastActivity = 0;
  private routeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly request: HttpRequest,
    private readonly io: StreamIo,
    private readonly opts: StreamOptions,
  ) {
    const profile = opts.profile;
    const conn = {
      id: opts.connectionId,
      remoteAddress: request.connection?.remoteAddress ?? `127.0.0.1:${40000 + (opts.connectionId % 20000)}`,
      localAddress: request.connection?.localAddress ?? '127.0.0.1:10000',
      ssl: false,
    };
    const headers = (request.headers ?? []).map(([k, v]) => [k.toLowerCase(), String(v)] as [string, string]);
    const authority = request.authority ?? get(headers, 'host') ?? 'localhost';
    const hcm = mutateRequestHeaders(
      { authority, path: request.path || '/', method: (request.method || 'GET').toUpperCase(), scheme: request.scheme ?? 'http' },
      headers,
      conn,
      profile,
    );
    this.requestId = hcm.requestId;
    this.client = {
      method: (request.method || 'GET').toUpperCase(),
      path: request.path || '/',
      authority,
      scheme: request.scheme ?? 'http',
      headers: headers.filter(([k]) => k !== 'host'),
      ...(request.bodyChunks ? { bodyChunks: request.bodyChunks } : request.streamedBody ? {} : { body: request.body ?? new Uint8Array(0) }),
      ...(request.trailers ? { trailers: request.trailers.map(([k, v]) => [k.toLowerCase(), v] as [string, string]) } : {}),
      connection: { id: conn.id, remoteAddress: conn.remoteAddress, localAddress: conn.localAddress },
    };
    const info: StreamInfo = {
      startMs: opts.nowMs?.() ?? Date.now(),
      startPerf: performance.now(),
      connection: conn,
      sourceAddress: hcm.sourceAddress,
      requestId: hcm.requestId,
      protocol: 'HTTP/1.1',
      bytesReceived: 0,
      requestHeaderBytes: headers.reduce((n, [k, v]) => n + k.length + v.length, 0),
      bytesSent: 0,
      responseHeaderBytes: 0,
      responseFlags: 0,
      routeName: opts.properties.route_name ?? '',
      clusterName: opts.properties.cluster_name ?? '',
    };
    const vm = opts.vm;
    this.ctx = new StreamContext(vm ? vm.newContextId() : 0, info, { ...opts.properties, ...(request.properties ?? {}) }, profile.bufferLimitBytes, vm ? vm.worker : -1);
    this.ctx.io = io;
    this.ctx.onActions = () => this.push({ t: 'wake' });
    this.req = newSide(hcm.headers);
    vm?.attach(this.ctx);
  }

  // ---- the event loop -----------------------------------------------------------------------

  private push(e: Event): void {
    this.queue.push(e);
    const w = this.wakeQueue;
    this.wakeQueue = undefined;
    w?.();
  }

  private next(): Promise<Event> {
    const e = this.queue.shift();
    if (e) return Promise.resolve(e);
    return new Promise((resolve) => {
      this.wakeQueue = () => resolve(this.queue.shift()!);
    });
  }

  /**
   * Stream idle timeout: any activity restarts it (ENVOY ConnectionManagerImpl::ActiveStream::
   * resetIdleTimer). One timer per stream, re-armed for the remainder when activity moved it on.
   */
  private touch(): void {
    this.lastActivity = performance.now();
    if (this.stallTimer) return;
    const bound = Math.min(this.opts.stallTimeoutMs, this.opts.profile.streamIdleTimeoutMs);
    const arm = (ms: number) => {
      this.stallTimer = setTimeout(() => {
        const idle = performance.now() - this.lastActivity;
        if (idle >= bound - 1) this.push({ t: 'stall' });
        else arm(bound - idle);
      }, ms);
    };
    arm(bound);
  }

  async run(): Promise<ExchangeRecord> {
    this.touch();
    const hasBody = !!(this.request.streamedBody || this.request.bodyChunks?.some((c) => c.data.length) || this.request.body?.length || this.request.trailers);
    this.ctx.info.requestCompletePerf = hasBody ? undefined : performance.now();
    this.guard(() => this.decodeHeaders(!hasBody));
    if (hasBody) void this.readClientBody();
    while (!this.done) {
      const e = await this.next();
      if (this.done) break;
      if (e.t !== 'wake') this.touch();
      this.guard(() => this.handle(e));
    }
    return this.finish();
  }

  /** Runs a step; only a bug in the host throws, and it resets the stream instead of the server. */
  private guard(step: () => void): void {
    try {
      step();
    } catch (e) {
      this.error = `host error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
      this.resetStream('host error');
    }
  }

  private handle(e: Event): void {
    switch (e.t) {
      case 'reqData':
        this.ctx.info.bytesReceived += e.data.length;
        if (e.end) this.ctx.info.requestCompletePerf = performance.now();
        if (!this.decodeAborted) this.decodeData(e.data, e.end);
        return;
      case 'reqTrailers':
        this.ctx.info.requestCompletePerf = performance.now();
        if (!this.decodeAborted) this.decodeTrailers(e.trailers);
        return;
      case 'up':
        return this.onUpstream(e.ev);
      case 'wake':
        this.applyActions();
        return;
      case 'stall':
        return this.onStall();
      case 'routeTimeout':
        return this.onRouteTimeout();
    }
  }

  private currentDir(): Dir {
    return this.responseStarted || this.resp.headers.length ? 'response' : 'request';
  }

  // ---- calling the plugin -------------------------------------------------------------------

  /**
   * One filter callback. Returns the plugin's action, with a stop forced when it sent a local reply
   * (CPPH stopNextIteration), after the after-VM-call actions were applied; null when the stream
   * stopped there (a local reply, a close, a failed VM), which is then already handled.
   */
  private callFilter(dir: Dir, phase: Phase, exp: string, args: number[], names: (v: number) => string, extra?: Partial<TimelineEntry>): number | null {
    const vm = this.opts.vm;
    if (!vm) return 0;
    const r = vm.callStream(this.ctx, phase, exp, args, names, extra);
    // CHECK_FAIL: fail-open returns Continue (and the plugin is out of the stream), fail-closed stops.
    if (!r.ok) return this.vmFailed(dir, r.failure) ? 0 : null;
    const action = this.ctx.stopNextIteration ? (phase.endsWith('headers') ? HeaderAction.StopAllIterationAndWatermark : DataAction.StopIterationNoBuffer) : r.value;
    return this.applyActions() ? action : null;
  }

  /** Applies the plugin's pending actions in order; false when a local reply or close ended the stream. */
  private applyActions(): boolean {
    if (this.ctx.injected.length) for (const inj of this.ctx.injected.splice(0)) this.passResponseData(inj.data, inj.endOfStream);
    if (!this.ctx.hasActions()) return true;
    for (const a of this.ctx.takeActions()) {
      if (a.kind === 'continue') this.continueSide(a.dir);
      else if (a.kind === 'localReply') {
        this.sendLocalReply(a.reply, 'plugin');
        return false;
      } else {
        this.ctx.info.responseCodeDetails ??= 'wasm_close_stream';
        this.resetStream(`the plugin closed the ${a.dir} stream (proxy_close_stream)`);
        return false;
      }
    }
    return !this.done;
  }

  /**
   * The VM trapped (CPPH context.cc CHECK_FAIL): fail-closed streams get Envoy's 503
   * `wasm_fail_stream` (Context::failStream) and no more callbacks; fail-open streams go on
   * without the plugin (true).
   */
  private vmFailed(dir: Dir, failure: string): boolean {
    this.error = failure;
    if (this.opts.profile.failStrategy === 'FAIL_OPEN') {
      this.ctx.note({ code: 'fail_open', message: `the plugin's VM failed (${firstLine(failure)}); with failStrategy FAIL_OPEN the gateway lets the stream go on without it`, fix: 'fix the crash; FAIL_OPEN only hides it' });
      this.failOpen = true;
      return true;
    }
    this.ctx.note({
      code: 'vm_failed',
      message: `the plugin's VM failed: Envoy answers this request 503 (wasm_fail_stream), runs no more callbacks for it, and builds a fresh VM for the worker's next request`,
    });
    this.failClosed = true;
    this.sendLocalReply({ status: 503, details: 'wasm_fail_stream', body: new Uint8Array(0), headers: [] }, `gateway (the VM failed in the ${dir} phase)`);
    return false;
  }

  private failOpen = false;
  private failClosed = false;

  /** The plugin runs this stream's callbacks (not after a VM failure or without a plugin). */
  private get pluginActive(): boolean {
    return !!this.opts.vm && !this.failOpen && !this.failClosed;
  }

  // ---- decoding (request) --------------------------------------------------------------------

  private decodeHeaders(endStream: boolean): void {
    const s = this.req;
    s.endReceived = endStream;
    this.ctx.requestHeaders = s.headers;
    this.ctx.endOfStream = endStream;
    this.ctx.hasTrailers.request = !!this.request.trailers;
    if (!this.pluginActive) return this.passRequestHeaders();
    const action = this.callFilter('request', 'request_headers', 'proxy_on_request_headers', [s.headers.length, endStream ? 1 : 0], headerActionName);
    if (action === null) return;
    this.afterHeaders(s, action, endStream, () => this.passRequestHeaders());
    // E127 Context::decodeHeaders: the map is released when the callback returns Continue.
    if (s.headersPassed) this.ctx.requestHeaders = null;
  }

  /** Envoy's handling of a headers callback result (FilterManager::decodeHeaders / encodeHeaders). */
  private afterHeaders(s: Side, action: number, endStream: boolean, pass: () => void): void {
    if (action === HeaderAction.Continue || action === HeaderAction.ContinueAndEndStream) {
      if (!s.headersPassed) pass();
      return;
    }
    if (s.headersPassed) return; // continued inside the callback
    if (action === HeaderAction.StopIteration && this.opts.vm!.headersStopIterationAllowed && !endStream) {
      s.stopped = 'single';
    } else {
      // StopAll*, or StopIteration under the community ABIs (CPPH convertVmCallResultToFilterHeadersStatus).
      s.stopped = 'all';
      s.streaming = action !== HeaderAction.StopAllIterationAndBuffer;
    }
  }

  private decodeData(data: Uint8Array, endStream: boolean): void {
    const s = this.req;
    if (endStream) s.endReceived = true;
    if (!this.pluginActive) return this.passRequestData(data, endStream);
    // FilterManager::decodeData -> handleDataIfStopAll: buffered without calling the filter.
    if (s.stopped === 'all') this.buffer(s, 'request', data);
    else this.dataCallback('request', s, data, endStream);
  }

  /** A body callback and what Envoy does with its result (Context::decodeData/encodeData + commonHandleAfterDataCallback). */
  private dataCallback(dir: Dir, s: Side, data: Uint8Array, endStream: boolean): void {
    // EMAIN Context::decodeData: while buffering, the new data joins the buffer before the call
    // (addDecodedData), which is where an over-limit body trips the 413 / 500.
    let visible = data;
    const joined = s.bufferingBody;
    if (joined) {
      if (!this.buffer(s, dir, data)) return;
      visible = s.buffered!;
      s.buffered = null;
    }
    this.setBody(dir, visible);
    this.ctx.endOfStream = endStream;
    const action = this.callFilter(dir, `${dir}_body`, `proxy_on_${dir}_body`, [visible.length, endStream ? 1 : 0], dataActionName, {
      bytes: visible.length,
      endOfStream: endStream,
    });
    if (action === null) return;
    const body = this.takeBody(dir) ?? visible;
    s.bufferingBody = action === DataAction.StopIterationAndBuffer;
    if (action === DataAction.Continue) {
      s.buffered = s.buffered ? concatBytes(s.buffered, body) : body;
      this.commonContinue(dir);
      return;
    }
    s.dataStopped = true;
    if (action === DataAction.StopIterationNoBuffer) {
      // Not buffered: the chunk is gone unless the plugin re-injected it.
      if (body.length) this.ctx.note({ code: 'chunk_dropped', message: `the plugin returned StopIterationNoBuffer for a ${dir} body chunk: Envoy drops those ${body.length} bytes (only data the plugin injects reaches the ${dir === 'request' ? 'upstream' : 'client'})` });
      if (endStream && s.buffered === null) s.buffered = new Uint8Array(0);
      return;
    }
    s.streaming = action === DataAction.StopIterationAndWatermark;
    this.buffer(s, dir, body, joined);
  }

  private setBody(dir: Dir, body: Uint8Array): void {
    if (dir === 'request') this.ctx.requestBody = body;
    else this.ctx.responseBody = body;
  }

  /** The body after the callback (the plugin may have replaced it), released from the context. */
  private takeBody(dir: Dir): Uint8Array | null {
    if (dir === 'request') {
      const b = this.ctx.requestBody;
      this.ctx.requestBody = null;
      return b;
    }
    const b = this.ctx.responseBody;
    this.ctx.responseBody = null;
    return b;
  }

  /**
   * The filter manager buffers data for a stopped filter; over the stream's buffer limit Envoy
   * answers 413 / 500 (ActiveStreamDecoderFilter::requestDataTooLarge, ...EncoderFilter::
   * responseDataTooLarge) unless the filter asked for watermark (flow control) buffering.
   */
  private buffer(s: Side, dir: Dir, data: Uint8Array, includesOld = false): boolean {
    s.buffered = includesOld ? data : s.buffered ? concatBytes(s.buffered, data) : data;
    const limit = this.ctx.bufferLimit;
    if (limit === 0 || s.buffered.length <= limit) return true;
    if (s.streaming) {
      // Flow control: Envoy stops reading from the peer until the buffer drains.
      if (dir === 'request') this.readsPaused = true;
      else this.upstreamReadsPaused = true;
      return true;
    }
    const setter = dir === 'request' ? 'ctx.SetRequestBodyBufferLimit' : 'ctx.SetResponseBodyBufferLimit';
    this.ctx.note({
      code: 'buffer_limit',
      message: `the plugin buffered ${s.buffered.length} bytes of the ${dir} body, over the gateway's buffer limit of ${limit} bytes: Envoy answers ${dir === 'request' ? '413 Payload Too Large' : '500 Internal Server Error'}`,
      fix: `raise the limit in the headers phase with ${setter}(n) (set_${dir === 'request' ? 'decoder' : 'encoder'}_buffer_limit), or process the body as a stream`,
    });
    this.ctx.info.responseCodeDetails = dir === 'request' ? 'request_payload_too_large' : 'response_payload_too_large';
    this.sendLocalReply(
      dir === 'request'
        ? { status: 413, details: 'request_payload_too_large', body: encode('Payload Too Large'), headers: [] }
        : { status: 500, details: 'response_payload_too_large', body: encode('Internal Server Error'), headers: [] },
      'gateway (buffer limit)',
    );
    return false;
  }

  private decodeTrailers(trailers: Headers): void {
    const s = this.req;
    s.endReceived = true;
    s.trailers = trailers;
    if (!this.pluginActive) return this.commonContinue('request');
    if (s.stopped === 'all') return; // held until the plugin continues
    this.trailersCallback('request', s);
  }

  private trailersCallback(dir: Dir, s: Side): void {
    if (dir === 'request') this.ctx.requestTrailers = s.trailers!;
    else this.ctx.responseTrailers = s.trailers!;
    const action = this.callFilter(dir, `${dir}_trailers`, `proxy_on_${dir}_trailers`, [s.trailers!.length], headerActionName);
    if (dir === 'request') this.ctx.requestTrailers = null;
    else this.ctx.responseTrailers = null;
    if (action === null) return;
    if (action === HeaderAction.Continue) this.commonContinue(dir);
    else s.dataStopped = true;
  }

  /** proxy_continue_stream, applied after the callback (ENVOY continueDecoding / continueEncoding). */
  private continueSide(dir: Dir): void {
    const s = dir === 'request' ? this.req : this.resp;
    if (dir === 'response' && !s.headers.length) return;
    if (s.stopped === 'all') {
      // After StopAll the buffered body is delivered to the plugin in one callback (iterate_from_current_filter_).
      s.stopped = 'no';
      if (!s.headersPassed) this.passHeadersOf(dir);
      if (s.buffered && s.buffered.length && this.pluginActive) {
        const data = s.buffered;
        s.buffered = null;
        this.dataCallback(dir, s, data, s.endReceived && !s.trailers);
        if (!this.done && s.trailers && !s.trailersPassed && this.pluginActive && !s.dataStopped) this.trailersCallback(dir, s);
        return;
      }
    }
    this.commonContinue(dir);
  }

  /** ActiveStreamFilterBase::commonContinue: headers, buffered data, then trailers go on. */
  private commonContinue(dir: Dir): void {
    const s = dir === 'request' ? this.req : this.resp;
    s.stopped = 'no';
    s.dataStopped = false;
    s.streaming = false;
    if (!s.headersPassed) this.passHeadersOf(dir);
    const trailersNow = !!s.trailers && !s.trailersPassed;
    if (s.buffered !== null || (s.endReceived && !s.endPassed && !trailersNow)) {
      const data = s.buffered ?? new Uint8Array(0);
      s.buffered = null;
      if (dir === 'request') this.passRequestData(data, s.endReceived && !trailersNow);
      else this.passResponseData(data, s.endReceived && !trailersNow);
    }
    if (trailersNow && s.endReceived) {
      s.trailersPassed = true;
      s.endPassed = true;
      if (dir === 'request') this.passRequestTrailers(s.trailers!);
      else this.passResponseTrailers(s.trailers!);
    }
    // Flow control released: the peer may send again.
    if (dir === 'request' && this.readsPaused) {
      this.readsPaused = false;
      this.resumeReads?.();
    }
    if (dir === 'response' && this.upstreamReadsPaused) {
      this.upstreamReadsPaused = false;
      this.resumeUpstreamReads?.();
    }
  }

  private passHeadersOf(dir: Dir): void {
    if (dir === 'request') this.passRequestHeaders();
    else this.passResponseHeaders();
  }

  // ---- the router (upstream) -----------------------------------------------------------------

  private passRequestHeaders(): void {
    const s = this.req;
    s.headersPassed = true;
    this.ctx.headersSent.request = true;
    const h = s.headers;
    const head = {
      method: get(h, ':method') ?? 'GET',
      path: get(h, ':path') ?? '/',
      authority: get(h, ':authority') ?? '',
      scheme: get(h, ':scheme') ?? 'http',
      headers: routerRequestHeaders(noPseudo(h), this.opts.profile, this.ctx.info.startMs),
    };
    const endStream = s.endReceived && !s.buffered && !s.trailers;
    this.upstreamFraming = new Framing(head.headers, false);
    this.upstreamRecord = { ...head, headers: head.headers, body: new Uint8Array(0) };
    this.upstreamStartPerf = performance.now();
    this.upstream = this.io.upstream(head);
    this.ctx.info.upstream = { address: this.io.upstreamAddress ?? '127.0.0.1:80', localAddress: '127.0.0.1:0' };
    void this.readUpstream(this.upstream);
    if (endStream) this.endUpstreamRequest();
  }

  private passRequestData(data: Uint8Array, endStream: boolean): void {
    const s = this.req;
    if (!s.headersPassed) this.passRequestHeaders();
    if (!this.upstream || s.endPassed) return;
    if (data.length) {
      const part = this.upstreamFraming!.take(data);
      if (part.length) {
        this.upstreamBody.push(part);
        this.upstream.write(part);
      }
    }
    if (endStream) this.endUpstreamRequest();
  }

  private passRequestTrailers(trailers: Headers): void {
    if (!this.upstream) return;
    this.upstreamRecord!.trailers = trailers;
    this.endUpstreamRequest(trailers);
  }

  private endUpstreamRequest(trailers?: Headers): void {
    const s = this.req;
    if (s.endPassed && !trailers) return;
    s.endPassed = true;
    const f = this.upstreamFraming!;
    if (f.dropped) this.staleLength('request', f);
    this.upstream!.end(trailers);
    // The route timeout runs from the end of the request (Router::Filter::onRequestComplete).
    if (this.opts.profile.routeTimeoutMs > 0) this.routeTimer = setTimeout(() => this.push({ t: 'routeTimeout' }), this.opts.profile.routeTimeoutMs);
    if (f.missing) this.staleLength('request', f);
  }

  private async readUpstream(up: UpstreamStream): Promise<void> {
    for (;;) {
      const ev = await up.next();
      if (this.upstreamReadsPaused) await new Promise<void>((r) => (this.resumeUpstreamReads = r));
      if (this.done) return;
      this.push({ t: 'up', ev });
      if (ev.type === 'reset' || ev.type === 'trailers' || ((ev.type === 'headers' || ev.type === 'data') && ev.endOfStream)) return;
    }
  }

  private onUpstream(ev: ResponseEvent): void {
    if (this.encodingLocalReply || this.localReply) return; // the upstream request was abandoned
    switch (ev.type) {
      case 'headers': {
        const now = performance.now();
        this.ctx.timeline.push({ phase: 'upstream', durationUs: Math.round((now - this.upstreamStartPerf) * 1000), startUs: this.ctx.elapsedUs(this.upstreamStartPerf), detail: String(ev.status) });
        this.upstreamResponse = { status: ev.status, headers: ev.headers, body: new Uint8Array(0) };
        if (this.routeTimer && ev.endOfStream) clearTimeout(this.routeTimer);
        const headers = routerResponseHeaders(
          ev.headers.map(([k, v]) => [k.toLowerCase(), v] as [string, string]),
          {
            requestStartMs: this.ctx.info.startMs,
            upstreamStartMs: this.ctx.info.startMs + (this.upstreamStartPerf - this.ctx.info.startPerf),
            responseStartMs: this.ctx.info.startMs + (now - this.ctx.info.startPerf),
            requestComplete: this.ctx.info.requestCompletePerf !== undefined,
          },
        );
        this.ctx.info.responseCodeDetails = 'via_upstream';
        this.encodeHeaders([[':status', String(ev.status)], ...headers], ev.endOfStream);
        return;
      }
      case 'data':
        this.upstreamResponseBody.push(ev.data);
        if (ev.endOfStream && this.routeTimer) clearTimeout(this.routeTimer);
        this.encodeData(ev.data, ev.endOfStream);
        return;
      case 'trailers':
        if (this.routeTimer) clearTimeout(this.routeTimer);
        if (this.upstreamResponse) this.upstreamResponse.trailers = ev.trailers;
        this.encodeTrailers(ev.trailers);
        return;
      case 'reset':
        return this.onUpstreamReset(ev.reason, !!ev.connect);
    }
  }

  /** Router::Filter::onUpstreamReset: 503 before the response started, a reset after. */
  private onUpstreamReset(reason: string, connect: boolean): void {
    this.ctx.timeline.push({ phase: 'upstream', durationUs: Math.round((performance.now() - this.upstreamStartPerf) * 1000), startUs: this.ctx.elapsedUs(this.upstreamStartPerf), detail: `failed: ${reason}` });
    this.error ??= `the upstream could not be reached: ${reason}`;
    if (this.resp.headers.length) {
      this.resetStream(`the upstream reset the response: ${reason}`);
      return;
    }
    this.ctx.info.responseFlags |= connect ? FLAG.UpstreamConnectionFailure : 0;
    const details = connect ? 'upstream_reset_before_response_started{connection_failure}' : 'upstream_reset_before_response_started{remote_reset}';
    const body = connect
      ? 'upstream connect error or disconnect/reset before headers. reset reason: connection failure'
      : 'upstream connect error or disconnect/reset before headers. reset reason: remote reset';
    this.sendLocalReply({ status: 503, details, body: encode(body), headers: [] }, 'gateway (upstream unreachable)');
  }

  // ---- encoding (response) -------------------------------------------------------------------

  private encodeHeaders(headers: Headers, endStream: boolean): void {
    const s = (this.resp = newSide(headers));
    s.endReceived = endStream;
    this.ctx.responseHeaders = headers;
    this.ctx.endOfStream = endStream;
    if (!this.pluginActive) return this.passResponseHeaders();
    const action = this.callFilter('response', 'response_headers', 'proxy_on_response_headers', [headers.length, endStream ? 1 : 0], headerActionName);
    if (action === null) return;
    this.afterHeaders(s, action, endStream, () => this.passResponseHeaders());
    if (s.headersPassed) this.ctx.responseHeaders = null;
  }

  private encodeData(data: Uint8Array, endStream: boolean): void {
    const s = this.resp;
    if (endStream) s.endReceived = true;
    if (!this.pluginActive) return this.passResponseData(data, endStream);
    if (s.stopped === 'all') this.buffer(s, 'response', data);
    else this.dataCallback('response', s, data, endStream);
  }

  private encodeTrailers(trailers: Headers): void {
    const s = this.resp;
    s.endReceived = true;
    s.trailers = trailers;
    this.ctx.hasTrailers.response = true;
    if (!this.pluginActive) return this.commonContinue('response');
    if (s.stopped === 'all') return;
    this.trailersCallback('response', s);
  }

  private passResponseHeaders(): void {
    const s = this.resp;
    if (s.headersPassed) return;
    s.headersPassed = true;
    this.ctx.headersSent.response = true;
    this.responseStarted = true;
    const status = Number(get(s.headers, ':status') ?? 0);
    // The HCM sets response.code as the headers go to the codec (ActiveStream::encodeHeaders -> chargeStats).
    this.ctx.info.responseCode = status;
    this.downstreamHeaders = s.headers;
    this.ctx.info.responseHeaderBytes = s.headers.reduce((n, [k, v]) => n + k.length + v.length, 0);
    const bodyless = this.client.method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
    this.downstreamFraming = new Framing(s.headers, bodyless);
    this.io.downstream?.headers(status, noPseudo(s.headers));
    if (s.endReceived && !s.buffered && !s.trailers) this.endDownstream();
  }

  private passResponseData(data: Uint8Array, endStream: boolean): void {
    if (!this.resp.headersPassed) this.passResponseHeaders();
    if (this.done || this.resp.endPassed) return;
    if (data.length) {
      const part = this.downstreamFraming!.take(data);
      this.ctx.info.bytesSent += part.length;
      if (part.length) {
        this.downstreamBody.push(part);
        this.io.downstream?.data(part);
      }
    }
    if (endStream) this.endDownstream();
  }

  private passResponseTrailers(trailers: Headers): void {
    this.downstreamTrailers = trailers;
    this.endDownstream(trailers);
  }

  private endDownstream(trailers?: Headers): void {
    const s = this.resp;
    if (this.done) return;
    s.endPassed = true;
    const f = this.downstreamFraming!;
    if (f.dropped) this.staleLength('response', f);
    if (f.missing) {
      this.staleLength('response', f);
      // The client keeps waiting for bytes that never come; Envoy would leave the connection open.
      this.error ??= `the client received ${f.delivered} of the ${f.length} body bytes content-length announced and waits for the rest`;
      this.io.downstream?.reset('content-length announced more bytes than were sent');
      this.reset = 'incomplete body';
    } else {
      this.io.downstream?.end(trailers);
    }
    this.finishStreamSoon();
  }

  private staleLength(dir: Dir, f: Framing): void {
    const peer = dir === 'request' ? 'the upstream' : 'the client';
    const what = f.dropped
      ? `${peer} reads only the ${f.length} bytes content-length announces; the other ${f.dropped} bytes ${dir === 'request' ? 'would be read as the start of the next request on that connection' : 'are cut off (curl: "Excess found")'}`
      : `${peer} waits for ${f.missing} more bytes than were sent (content-length says ${f.length})`;
    this.ctx.note({
      code: 'stale_content_length',
      message: `the ${dir} body changed size but content-length was left as it was: Envoy's wasm filter never recomputes it, so ${what}`,
      fix: `remove content-length in the ${dir} headers phase (proxywasm.Remove${dir === 'request' ? 'HttpRequest' : 'HttpResponse'}Header("content-length")) when you change the body`,
    });
  }

  private finishStreamSoon(): void {
    this.done = true;
  }

  // ---- local replies, resets, timeouts ------------------------------------------------------

  /**
   * DownstreamFilterManager::sendLocalReply: before the response started, the reply goes through
   * this plugin's response callbacks (the upstream request, if open, is reset); after the upstream
   * response arrived but before its headers were sent, it replaces it directly; after that the
   * stream is reset.
   */
  private sendLocalReply(r: LocalReply, from: string): void {
    if (this.done) return;
    const phase = this.currentDir();
    this.ctx.timeline.push({ phase: 'local_reply', durationUs: 0, startUs: this.ctx.elapsedUs(), detail: `${r.status} from the ${from === 'plugin' ? `plugin (${phase} phase)` : from}${r.details ? `: ${r.details}` : ''}` });
    this.decodeAborted = true;
    if (this.upstream && !this.upstreamResponse) {
      this.upstream.reset('local reply');
      this.upstream = undefined;
    }
    if (this.ctx.info.responseCodeDetails === undefined || from === 'plugin' || r.details) this.ctx.info.responseCodeDetails = r.details;
    if (this.resp.headersPassed) {
      if (from === 'plugin') {
        this.ctx.note({
          code: 'local_reply_after_headers',
          message: 'SendHttpResponse after the response headers went to the client: Envoy can only reset the stream, so the client gets the headers and a cut-off body',
          fix: 'decide on a local reply in the request phase or in on_response_headers, before the headers are sent',
        });
      }
      this.resetStream('local reply after the response headers were sent');
      return;
    }
    this.localReply = true;
    const headers = localReplyHeaders(r.status, r.body, r.headers);
    if (this.resp.headers.length || !this.pluginActive) {
      // Direct: no filter callbacks (sendDirectLocalReply), or the plugin is out of the stream.
      this.resp = newSide(headers);
      this.passResponseHeaders();
      this.resp.endReceived = true;
      this.passResponseData(r.body, true);
      return;
    }
    this.encodingLocalReply = true;
    // prepareLocalReply sets the response code before the encoder filters run (local_reply.cc).
    this.ctx.info.responseCode = r.status;
    this.encodeHeaders(headers, r.body.length === 0);
    if (r.body.length && !this.done) this.encodeData(r.body, true);
  }

  /** The stream is reset: the client sees the connection end (before or after the headers). */
  private resetStream(reason: string): void {
    if (this.done) return;
    this.reset = reason;
    this.ctx.info.responseFlags |= FLAG.LocalReset;
    this.error ??= reason;
    this.upstream?.reset(reason);
    this.io.downstream?.reset(reason);
    this.done = true;
  }

  /** Stream idle timeout (ConnectionManagerImpl::ActiveStream::onIdleTimeout), bounded by the playground. */
  private onStall(): void {
    const p = this.opts.profile;
    const bound = this.opts.stallTimeoutMs < p.streamIdleTimeoutMs;
    const why = this.stallReason();
    this.error ??= `${why}: no progress for ${Math.min(this.opts.stallTimeoutMs, p.streamIdleTimeoutMs)} ms`;
    if (bound) {
      this.ctx.note({
        code: 'playground_bound',
        message: `${why}. The gateway's stream idle timeout is ${p.streamIdleTimeoutMs / 1000} s; the playground stops a stream after ${this.opts.stallTimeoutMs / 1000} s without progress and answers as the gateway would then`,
      });
    }
    this.ctx.info.responseFlags |= FLAG.StreamIdleTimeout;
    if (this.resp.headersPassed) return this.resetStream('stream idle timeout');
    const complete = this.req.endReceived;
    this.sendLocalReply({ status: complete ? 504 : 408, details: 'stream_idle_timeout', body: encode('stream timeout'), headers: [] }, 'gateway (stream idle timeout)');
  }

  private stallReason(): string {
    const s = this.resp.headers.length ? this.resp : this.req;
    const dir = s === this.resp ? 'response' : 'request';
    if (s.stopped !== 'no') return `the plugin paused the ${dir} in ${dir}_headers and did not resume it`;
    if (s.dataStopped) return `the plugin paused the ${dir} in ${dir}_body${s.endReceived ? ' at the end of the stream' : ''} and did not resume it`;
    if (this.upstream && !this.upstreamResponse) return 'the upstream did not answer';
    return 'the stream stalled';
  }

  /** Router::Filter::onResponseTimeout: 504 before the response started, a reset after. */
  private onRouteTimeout(): void {
    const t = this.opts.profile.routeTimeoutMs;
    this.ctx.note({ code: 'route_timeout', message: `the route timeout (${t} ms) passed before the upstream finished: Envoy answers 504 (upstream_response_timeout)` });
    this.ctx.info.responseFlags |= FLAG.UpstreamRequestTimeout;
    this.error ??= `route timeout after ${t} ms`;
    this.upstream?.reset('route timeout');
    this.upstream = undefined;
    if (this.resp.headers.length) return this.resetStream('route timeout after the response started');
    this.sendLocalReply({ status: 504, details: 'upstream_response_timeout', body: encode('upstream request timeout'), headers: [] }, 'gateway (route timeout)');
  }

  // ---- the client's body --------------------------------------------------------------------

  /**
   * The client's body as Envoy reads it: at most the connection's buffer limit per read event
   * (ENVOY network/connection_impl.cc ConnectionImpl::onReadReady, read_buffer_limit_), so a large
   * body reaches the filter in several chunks.
   */
  private readSized(data: Uint8Array, end: boolean): void {
    const size = Math.max(1, this.opts.profile.bufferLimitBytes);
    if (data.length <= size) return this.push({ t: 'reqData', data, end });
    for (let at = 0; at < data.length; at += size) this.push({ t: 'reqData', data: data.subarray(at, at + size), end: end && at + size >= data.length });
  }

  private async readClientBody(): Promise<void> {
    const r = this.request;
    const waitReads = () => (this.readsPaused ? new Promise<void>((res) => (this.resumeReads = res)) : undefined);
    if (r.streamedBody && this.io.readRequestBody) {
      for (;;) {
        await waitReads();
        const c = await this.io.readRequestBody();
        if (this.done) return;
        this.readSized(c.data ?? new Uint8Array(0), c.end && !r.trailers);
        if (c.end) break;
      }
    } else {
      const chunks = r.bodyChunks ?? (r.body?.length ? [{ data: r.body }] : []);
      for (let i = 0; i < chunks.length; i++) {
        if (chunks[i].delayMs) await new Promise((res) => setTimeout(res, chunks[i].delayMs));
        await waitReads();
        if (this.done) return;
        this.readSized(chunks[i].data, i === chunks.length - 1 && !r.trailers);
      }
      if (!chunks.length && !r.trailers) this.push({ t: 'reqData', data: new Uint8Array(0), end: true });
    }
    if (r.trailers && !this.done) this.push({ t: 'reqTrailers', trailers: r.trailers.map(([k, v]) => [k.toLowerCase(), v]) });
  }

  // ---- the end ------------------------------------------------------------------------------

  private finish(): ExchangeRecord {
    clearTimeout(this.stallTimer);
    clearTimeout(this.routeTimer);
    if (this.upstream && !this.upstreamResponse) this.upstream.reset('stream ended');
    // Context::log: on_log reads the access log's copies of the maps.
    this.ctx.accessLog = {
      requestHeaders: this.req.headers,
      responseHeaders: this.resp.headersPassed ? this.resp.headers : null,
      responseTrailers: this.downstreamTrailers ?? null,
    };
    this.ctx.requestHeaders = this.ctx.responseHeaders = this.ctx.requestTrailers = this.ctx.responseTrailers = null;
    this.ctx.requestBody = this.ctx.responseBody = null;
    this.opts.vm?.finishStream(this.ctx);
    const status = this.resp.headersPassed ? Number(get(this.downstreamHeaders, ':status') ?? 0) : 0;
    if (!this.resp.headersPassed && !this.reset) this.reset = 'no response';
    if (this.upstreamRecord) this.upstreamRecord.body = concatAll(this.upstreamBody);
    if (this.upstreamResponse) this.upstreamResponse.body = concatAll(this.upstreamResponseBody);
    const response: HttpResponse = {
      status,
      headers: noPseudo(this.downstreamHeaders),
      body: concatAll(this.downstreamBody),
      ...(this.downstreamTrailers ? { trailers: this.downstreamTrailers } : {}),
    };
    return {
      requestId: this.requestId,
      request: this.client,
      upstreamRequest: this.upstreamRecord,
      upstreamResponse: this.upstreamResponse,
      response,
      localReply: this.localReply,
      ...(this.ctx.info.responseCodeDetails !== undefined ? { responseCodeDetails: this.ctx.info.responseCodeDetails } : {}),
      logs: this.ctx.logs,
      timeline: this.ctx.timeline,
      callouts: this.ctx.callouts,
      redisCalls: this.ctx.redisCalls,
      worker: this.ctx.worker,
      notes: this.ctx.notes,
      ...(this.reset && status !== 0 ? { reset: this.reset } : {}),
      ...(this.error !== undefined ? { error: this.error } : {}),
    };
  }
}

function concatAll(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
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

function firstLine(s: string): string {
  return s.split('\n')[0];
}
