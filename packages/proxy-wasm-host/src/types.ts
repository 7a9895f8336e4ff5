// Public types of @playground/proxy-wasm-host. Everything here is plain data (structured-clone safe),
// so the same shapes travel between the isolated worker and its parent.
import type { LogLevel } from './abi/enums.js';
import type { GatewayProfile, ProfileOverrides, ProfileName } from './profile.js';

export type { LogLevel, GatewayProfile, ProfileOverrides, ProfileName };

/** Header list in order; names are lower-cased by the host. Pseudo-headers are not included here. */
export type Headers = [string, string][];

/** One piece of a body a client sends, after an optional pause (a slow or streaming client). */
export interface BodyChunk {
  data: Uint8Array;
  delayMs?: number;
}

/** The client's connection: Envoy keeps a connection on the worker that accepted it. */
export interface DownstreamConnection {
  /** Requests with the same id share one connection (and so one worker VM). Default: a new connection. */
  id?: number;
  /** The client's `ip:port` as the gateway sees it (`source.address`). Default `127.0.0.1:<ephemeral>`. */
  remoteAddress?: string;
  /** The gateway listener's `ip:port` (`destination.address`). Default `127.0.0.1:10000`. */
  localAddress?: string;
}

export interface HttpRequest {
  method: string;
  path: string;
  /** `:authority`; falls back to a `host` header, then `localhost`. */
  authority?: string;
  /** `:scheme` of the client's connection, default `http`. */
  scheme?: string;
  headers: Headers;
  body?: Uint8Array;
  trailers?: Headers;
  /** When set, the body arrives in these chunks, each after its delay; `body` is ignored. */
  bodyChunks?: BodyChunk[];
  /** The body is read from `StreamIo.readRequestBody` as it arrives (a live client); `body`/`bodyChunks` are ignored. */
  streamedBody?: boolean;
  /** Per-request properties (e.g. `route_name`, `cluster_name`), overriding the VM's `properties`. */
  properties?: Record<string, string>;
  connection?: DownstreamConnection;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
  trailers?: Headers;
}

/** What the router sends upstream before the body: the request line and headers. */
export interface UpstreamRequestHead {
  method: string;
  path: string;
  authority: string;
  scheme: string;
  /** Without pseudo-headers. */
  headers: Headers;
}

/** The upstream response as it arrives, event by event. */
export type ResponseEvent =
  | { type: 'headers'; status: number; headers: Headers; endOfStream: boolean }
  | { type: 'data'; data: Uint8Array; endOfStream: boolean }
  | { type: 'trailers'; trailers: Headers }
  /** The upstream connection failed before (or while) answering. `connect`: it was never reached. */
  | { type: 'reset'; reason: string; connect?: boolean };

/** One request to the route's upstream, streamed both ways. */
export interface UpstreamStream {
  /** Request body bytes, as the filter chain forwards them. */
  write(data: Uint8Array): void;
  /** The request is complete (with trailers, if any). */
  end(trailers?: Headers): void;
  /** The gateway abandons the request (a local reply, a reset, a timeout). */
  reset(reason: string): void;
  /** The next response event, in order. */
  next(): Promise<ResponseEvent>;
}

/** Receives the response as the client gets it, while it streams. */
export interface DownstreamSink {
  headers(status: number, headers: Headers): void;
  data(data: Uint8Array): void;
  end(trailers?: Headers): void;
  /** The gateway reset the stream (after or before the headers). */
  reset(reason: string): void;
}

/** The part of a stream's I/O that does not need the client: the route's upstream and the plugin's callouts. */
export type UpstreamIo = Pick<StreamIo, 'upstream' | 'httpCall' | 'upstreamAddress'>;

/** The client's side of a stream: where its body comes from and where its response goes. */
export type ClientIo = Pick<StreamIo, 'downstream' | 'readRequestBody'>;

/** The few facts of a served exchange that a log line needs. */
export interface ServedSummary {
  requestId: string;
  status: number;
  localReply: boolean;
  error?: string;
}

/** What a WorkerIo module's `serve` gets: the plugin, to run streams for clients it accepts itself. */
export interface WorkerServeHost {
  /** Runs a stream on the plugin with the worker's UpstreamIo; the record also reaches the parent (IsolatedOptions.onServed). */
  handle(req: HttpRequest, io: ClientIo): Promise<ExchangeRecord>;
}

/**
 * Where an isolated plugin's worker thread gets its UpstreamIo: a module it imports (by URL),
 * exporting `createStreamIo(config): UpstreamIo | Promise<UpstreamIo>`. Upstream requests and
 * callouts then run beside the VM, without a message to the parent for each part of them. The
 * module may also export `serve(config, host): Promise<unknown>` to accept clients in the worker
 * itself (a listener): its result is the start result's `served`.
 */
export interface WorkerIo {
  module: string;
  /** Plain data (structured-clone safe) handed to createStreamIo. */
  config: unknown;
}

export interface HttpCallRequest {
  cluster: string;
  /** Includes the pseudo-headers `:method`, `:path`, `:authority` as the plugin sent them. */
  headers: Headers;
  body: Uint8Array;
  trailers?: Headers;
  /** 0 means no timeout (Envoy semantics). */
  timeoutMs: number;
}

/** What the host needs from the outside world for one stream. */
export interface StreamIo {
  /** Opens the route's upstream request when the filter chain forwards the request headers. */
  upstream(head: UpstreamRequestHead): UpstreamStream;
  /**
   * A plugin callout (`proxy_http_call`). Rejecting with an error whose `connect` is true means the
   * service could not be reached (Envoy answers the plugin 503); any other rejection is a reset.
   */
  httpCall?(call: HttpCallRequest): Promise<HttpResponse>;
  /** A live client's body (`HttpRequest.streamedBody`), pulled chunk by chunk. */
  readRequestBody?(): Promise<{ data?: Uint8Array; end: boolean }>;
  /** The response as it streams to the client. */
  downstream?: DownstreamSink;
  /** The upstream host's `ip:port` (`upstream.address`). */
  upstreamAddress?: string;
}

export interface LogEntry {
  level: LogLevel;
  /** The message as the plugin wrote it (including the wasm-go `[plugin] [id] [request-id] ` prefix). */
  message: string;
  /** ISO time. */
  time: string;
  source: 'plugin' | 'host';
  /** Parsed wasm-go prefix when present. */
  plugin?: string;
  pluginId?: string;
  requestId?: string;
  /** The worker whose VM wrote the line. */
  worker?: number;
  /** Instead of `worker`: a VM on Envoy's main thread (see VmThread). */
  thread?: VmThread;
}

/**
 * The VMs Envoy runs on its main thread, besides one per worker: the configuration canary (CPPH
 * wasm.cc WasmHandleBase::canary: started, configured and killed when the config is loaded; a
 * failed configure rejects the config) and the main thread's own VM (ENVOY thread_local_impl.cc
 * SlotImpl::set runs the filter's getOrCreateThreadLocalPlugin on the main dispatcher too: it is
 * configured and ticks, but serves no requests).
 */
export type VmThread = 'main' | 'canary';

export type Phase =
  | 'vm_start'
  | 'configure'
  | 'request_headers'
  | 'request_body'
  | 'request_trailers'
  | 'response_headers'
  | 'response_body'
  | 'response_trailers'
  | 'http_call_response'
  | 'redis_call_response'
  | 'tick'
  | 'queue_ready'
  | 'log'
  | 'done'
  | 'delete'
  | 'upstream'
  | 'local_reply';

export interface TimelineEntry {
  phase: Phase;
  /** Returned action for header/body/trailer callbacks (`Continue`, `Pause`, ...) or `true`/`false`. */
  action?: string;
  durationUs: number;
  /** Microseconds since the stream (or VM) started. */
  startUs?: number;
  detail?: string;
  /** Body callbacks: the body size the callback was given, and whether the stream ended with it. */
  bytes?: number;
  endOfStream?: boolean;
  /** The worker whose VM ran the callback. */
  worker?: number;
  thread?: VmThread;
}

/** Where a Redis service listens: a Unix socket path, or host and port. */
export interface RedisTarget {
  path?: string;
  host?: string;
  port?: number;
}

/** One proxy_redis_call and its reply, as the timeline shows it. */
export interface RedisCallRecord {
  cluster: string;
  /** The command as redis-cli would show it (`INCR counter`), or `(malformed) ...`. */
  command: string;
  /** The reply as redis-cli prints it (`(integer) 3`, `"v"`, `(nil)`, `(error) ...`), null until it came or when it failed. */
  reply: string | null;
  status: 'pending' | 'ok' | 'network_error';
  error?: string;
  durationMs: number;
}

export interface CalloutRecord {
  cluster: string;
  request: { method: string; path: string; authority: string; headers: Headers; body: Uint8Array };
  response: HttpResponse | null;
  error?: string;
  durationMs: number;
}

/**
 * Something the plugin did that works here only by luck of timing or fails in the gateway, or a
 * bound the playground applies that the gateway does not: what Envoy does, and how to fix it.
 */
export interface HostNote {
  code:
    | 'unknown_cluster'
    | 'buffer_limit'
    | 'stale_content_length'
    | 'header_after_resume'
    | 'header_map_unavailable'
    | 'local_reply_after_headers'
    | 'second_local_reply'
    | 'vm_failed'
    | 'vm_recovered'
    | 'fail_open'
    | 'chunk_dropped'
    | 'redis_failed'
    | 'redis_malformed'
    | 'playground_bound'
    | 'route_timeout';
  message: string;
  fix?: string;
}

export interface ExchangeRecord {
  requestId: string;
  /** The request as the client sent it. */
  request: HttpRequest;
  /** What reached the upstream; null when it was never contacted. */
  upstreamRequest: HttpRequest | null;
  upstreamResponse: HttpResponse | null;
  /** What the client receives (status 0: the stream was reset before a response began). */
  response: HttpResponse;
  /** True when the response is a local reply (plugin `send_local_response`, or a gateway reply). */
  localReply: boolean;
  /** Envoy's `response.code_details` (`via_upstream`, `wasm_fail_stream`, `request_payload_too_large`, ...). */
  responseCodeDetails?: string;
  logs: LogEntry[];
  timeline: TimelineEntry[];
  callouts: CalloutRecord[];
  /** Redis calls the plugin made on this stream's behalf. */
  redisCalls: RedisCallRecord[];
  /** The worker whose VM served the stream (-1: no plugin ran). */
  worker: number;
  notes: HostNote[];
  /** The client saw the stream reset after the response began (a cut-off body); the reason. */
  reset?: string;
  /** Set when the stream failed: trap/panic, timeout, reset. */
  error?: string;
}

export interface VmLimits {
  /** Cap on the guest linear memory (rewrites the module's memory maximum). Default 256 MiB. */
  memoryMaxMiB?: number;
  /** Isolated mode only: a single callback running longer than this terminates the VM. Default 5000. */
  callbackTimeoutMs?: number;
  /**
   * The playground's bound on a stream that makes no progress (a pause nothing resumes, a stalled
   * upstream). The gateway's own stream idle timeout applies when it is shorter. Default 30000.
   */
  streamTimeoutMs?: number;
  /**
   * The share of wall time ticks may take on the real clock (percent); past it ticks are skipped
   * until they fit, with a warning. Default 100 (no bound).
   */
  tickBudgetPercent?: number;
}

export interface VmOptions {
  /** `plugin_name` / root id. Default `playground-plugin`. */
  pluginName?: string;
  /** `plugin_vm_id` and shared-data scope. Default ``. */
  vmId?: string;
  /** VM configuration (buffer 6) given to proxy_on_vm_start. */
  vmConfig?: string;
  /** Plugin configuration JSON (buffer 7) given to proxy_on_configure. */
  pluginConfig: string;
  /** Minimum level forwarded to logs; also what `get_log_level` answers. Default `info`. */
  logLevel?: LogLevel;
  /** VM-wide properties (`route_name`, `cluster_name`, any custom path joined by `.`). */
  properties?: Record<string, string>;
  limits?: VmLimits;
  /** Called for every log entry, including those outside a stream (start-up, ticks, queues). */
  onLog?: (e: LogEntry) => void;
  /** Used for callouts made outside a stream (e.g. from a tick); per-stream callouts use the stream's io. */
  io?: Pick<StreamIo, 'httpCall'>;
  /**
   * The clusters the gateway has (callouts to any other fail with BadArgument, as in Envoy): exact
   * names, or service names matched against a cluster's host (`token-service` matches
   * `outbound|80||token-service.static`). Default: every cluster is accepted.
   */
  clusters?: string[];
  /** Redis servers by service name (matched like `clusters`): proxy_redis_call to them is served. */
  redis?: Record<string, RedisTarget>;
  /**
   * `real` (default): the plugin sees the host's time and ticks run on a real timer. `virtual`: the
   * plugin's time (WASI realtime + monotonic clocks, i.e. Go's time.Now(); log times; request.time)
   * stands still until `advanceTime(ms)` moves it, which fires every tick that falls due, in order.
   */
  clock?: 'real' | 'virtual';
  /** Virtual clock only: the plugin's wall time at VM start (epoch ms). Default: the real time at start. */
  clockStartMs?: number;
  /** The gateway whose behaviour the host reproduces; default `higress`. */
  profile?: ProfileName;
  /** Per-session changes to the profile's settings (buffer limit, workers, fail strategy, route timeout). */
  profileOverrides?: ProfileOverrides;
}

/** What `advanceTime` did: ticks fired (in order) and what they produced. */
export interface AdvanceResult {
  /** How far the clock moved (ms). */
  advancedMs: number;
  /** The plugin's wall time after the advance (epoch ms). */
  nowMs: number;
  /** Virtual milliseconds since the VM started. */
  elapsedMs: number;
  /** proxy_on_tick calls made (over all workers). */
  ticks: number;
  /** Timeline entries of the ticks (and anything else outside a stream); `startUs` is virtual time since VM start. */
  timeline: TimelineEntry[];
  /** Log entries written outside a stream during the advance (tick logs, host warnings). */
  logs: LogEntry[];
  /** Callouts started by the ticks (their responses arrive asynchronously, in real time). */
  callouts: CalloutRecord[];
  /** Set when the VM failed during the advance (or was already failed/closed). */
  error?: string;
}

export interface StartResult<V> {
  vm: V;
  /** IsolatedPlugin with a WorkerIo that serves: what its `serve` resolved with (e.g. a listener URL). */
  served?: unknown;
  /** proxy_on_vm_start and proxy_on_configure both returned true. */
  configured: boolean;
  logs: LogEntry[];
  timeline: TimelineEntry[];
  error?: string;
}

export interface MetricSnapshot {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  /** Counter/gauge value; for a histogram, the last recorded value. */
  value: number;
  /** Histograms: number of samples and their sum. */
  count?: number;
  sum?: number;
}

/** The common interface of GatewayPlugin and IsolatedPlugin. */
export interface ProxyWasmVm {
  handle(req: HttpRequest, io: StreamIo): Promise<ExchangeRecord>;
  metrics(): MetricSnapshot[] | Promise<MetricSnapshot[]>;
  /** Guest memory of all worker VMs. */
  memoryBytes(): number | Promise<number>;
  /** Set when the plugin can no longer serve (the isolated worker died, or it was closed). */
  readonly failed: string | undefined;
  close(): void | Promise<void>;
  /** Virtual clock only (`clock: 'virtual'`): moves the plugin's time forward and fires due ticks. */
  advanceTime?(ms: number): AdvanceResult | Promise<AdvanceResult>;
}
