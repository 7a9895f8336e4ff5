// One HTTP stream's context as the plugin sees it (ENVOY extensions/common/wasm/context.cc, the
// per-stream half of proxy-wasm-cpp-host's context.cc): the header maps and body buffers the host
// calls reach, which exist only while Envoy holds them; the stream info properties are read from;
// filter state; the after-VM-call actions (continue, local reply, close) the plugin asked for; and
// what the stream records for the exchange (logs, timeline, callouts, notes).
import type { ConnectionInfo } from './gateway-headers.js';
import { appendStreamLog } from './logs.js';
import type { CalloutRecord, RedisCallRecord, Headers, HostNote, LogEntry, StreamIo, TimelineEntry } from './types.js';

export type Dir = 'request' | 'response';

export interface LocalReply {
  status: number;
  details: string;
  body: Uint8Array;
  headers: Headers;
  grpcStatus?: number;
}

/** An after-VM-call action: applied once the callback that asked for it has returned. */
export type StreamAction = { kind: 'continue'; dir: Dir } | { kind: 'localReply'; reply: LocalReply } | { kind: 'close'; dir: Dir };

/** Envoy's stream info: what properties report beyond the header maps. */
export interface StreamInfo {
  startMs: number;
  startPerf: number;
  connection: ConnectionInfo & { id: number };
  /** `source.address` after the HCM's x-forwarded-for handling. */
  sourceAddress: string;
  requestId: string;
  protocol: string;
  /** Downstream body bytes received so far, and header bytes. */
  bytesReceived: number;
  requestHeaderBytes: number;
  /** Body bytes sent to the client so far, and response header bytes. */
  bytesSent: number;
  responseHeaderBytes: number;
  /** performance.now() when the last request byte arrived. */
  requestCompletePerf?: number;
  responseCode?: number;
  responseCodeDetails?: string;
  responseFlags: number;
  upstream?: { address: string; localAddress: string };
  routeName: string;
  clusterName: string;
}

export class StreamContext {
  /** proxy_on_context_create ran (lazily, at the first callback, as Envoy does). */
  created = false;

  // The maps and buffers Envoy's Context points at (null: not available, BadArgument).
  requestHeaders: Headers | null = null;
  requestTrailers: Headers | null = null;
  responseHeaders: Headers | null = null;
  responseTrailers: Headers | null = null;
  requestBody: Uint8Array | null = null;
  responseBody: Uint8Array | null = null;
  /** end_of_stream of the current body callback: trailers may be added only in the last one. */
  endOfStream = false;
  /** The stream has trailers of its own, so a body callback may not create them. */
  readonly hasTrailers: Record<Dir, boolean> = { request: false, response: false };
  /** The headers left the gateway: writes to a map still held return Ok but change nothing. */
  readonly headersSent: Record<Dir, boolean> = { request: false, response: false };
  /** Trailers a last body callback created (getMap addDecodedTrailers / addEncodedTrailers). */
  readonly addedTrailers: Record<Dir, Headers | undefined> = { request: undefined, response: undefined };

  /** on_log: the maps are the access log's read-only copies. */
  accessLog: { requestHeaders: Headers; responseHeaders: Headers | null; responseTrailers: Headers | null } | undefined;

  /** set_property values (Envoy filter state `wasm.*`), keyed by the \0-joined path. */
  readonly filterState = new Map<string, Uint8Array>();
  /** Per-stream buffer limit; set_decoder_buffer_limit / set_encoder_buffer_limit both change it. */
  bufferLimit: number;

  private actions: StreamAction[] = [];
  /** send_local_response was called: a second call is BadArgument (E127 local_reply_hold_). */
  localReplyHold = false;
  /** send_local_response in this callback: its result becomes a stop (CPPH stopNextIteration). */
  stopNextIteration = false;
  /** A continue in this callback released the request maps (for a clear note on later writes). */
  releasedByContinue = false;
  /** Response data the plugin injected after itself (Higress inject_encoded_data_to_filter_chain). */
  readonly injected: { data: Uint8Array; endOfStream: boolean }[] = [];
  /** The stream's I/O, for callouts made on its behalf. */
  io: StreamIo | undefined;
  /** Woken when actions arrive outside a callback the driver made (a callout response). */
  onActions: (() => void) | undefined;

  /** Callout tokens still pending; cancelled when the stream ends (ENVOY ~Context). */
  readonly pendingCallouts = new Set<number>();

  readonly logs: LogEntry[] = [];
  readonly timeline: TimelineEntry[] = [];
  readonly callouts: CalloutRecord[] = [];
  readonly redisCalls: RedisCallRecord[] = [];
  readonly notes: HostNote[] = [];

  constructor(
    readonly id: number,
    readonly info: StreamInfo,
    readonly properties: Record<string, string>,
    bufferLimit: number,
    /** Which worker VM runs this stream. */
    readonly worker: number,
  ) {
    this.bufferLimit = bufferLimit;
  }

  // ---- after-VM-call actions ----------------------------------------------------------------

  /**
   * proxy_continue_stream (E127 Context::continueStream): the continue itself is deferred, but the
   * request header map, body buffer and trailers are released at once, for either stream type.
   */
  requestContinue(dir: Dir): void {
    this.actions.push({ kind: 'continue', dir });
    this.requestHeaders = null;
    this.requestBody = null;
    this.requestTrailers = null;
    this.releasedByContinue = true;
  }

  requestLocalReply(reply: LocalReply): void {
    this.actions.push({ kind: 'localReply', reply });
    this.localReplyHold = true;
  }

  requestClose(dir: Dir): void {
    this.actions.push({ kind: 'close', dir });
  }

  injectEncoded(data: Uint8Array, endOfStream: boolean): void {
    this.injected.push({ data, endOfStream });
  }

  /** The actions asked for since the last take, in order. */
  takeActions(): StreamAction[] {
    const a = this.actions;
    this.actions = [];
    return a;
  }

  hasActions(): boolean {
    return this.actions.length > 0;
  }

  // ---- what the exchange records ------------------------------------------------------------

  log(e: LogEntry): boolean {
    return appendStreamLog(this.logs, e);
  }

  /** Adds a note once per code. */
  note(n: HostNote): void {
    if (!this.notes.some((x) => x.code === n.code)) this.notes.push(n);
  }

  elapsedUs(perf = performance.now()): number {
    return Math.round((perf - this.info.startPerf) * 1000);
  }
}
