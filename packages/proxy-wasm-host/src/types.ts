// Public types of @playground/proxy-wasm-host. Everything here is plain data (structured-clone safe),
// so the same shapes travel between the isolated worker and its parent.
import type { LogLevel } from './abi/enums.js';

export type { LogLevel };

/** Header list in order; names are lower-cased by the host. Pseudo-headers are not included here. */
export type Headers = [string, string][];

export interface HttpRequest {
  method: string;
  path: string;
  /** `:authority`; falls back to a `host` header, then `localhost`. */
  authority?: string;
  /** `:scheme`, default `http`. */
  scheme?: string;
  headers: Headers;
  body?: Uint8Array;
  trailers?: Headers;
  /** When set, the body arrives in these chunks (as a streaming client would send it); `body` is ignored. */
  bodyChunks?: Uint8Array[];
  /** Per-request properties (e.g. `route_name`, `cluster_name`), overriding the VM's `properties`. */
  properties?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
  trailers?: Headers;
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
  /** The route's upstream. Throwing means the upstream could not be reached (the host answers 503). */
  upstream(req: HttpRequest): Promise<HttpResponse>;
  /** A plugin callout (`proxy_http_call`). Throwing means a reset (the plugin sees no response). */
  httpCall?(call: HttpCallRequest): Promise<HttpResponse>;
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
}

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
}

export interface CalloutRecord {
  cluster: string;
  request: { method: string; path: string; authority: string; headers: Headers; body: Uint8Array };
  response: HttpResponse | null;
  error?: string;
  durationMs: number;
}

export interface ExchangeRecord {
  requestId: string;
  /** The request as the client sent it (after Envoy's HCM added x-request-id / x-forwarded-proto). */
  request: HttpRequest;
  /** What reached the upstream; null when it was never contacted. */
  upstreamRequest: HttpRequest | null;
  upstreamResponse: HttpResponse | null;
  /** What the client receives. */
  response: HttpResponse;
  /** True when the response is a local reply (plugin `send_local_response`, or a host failure reply). */
  localReply: boolean;
  logs: LogEntry[];
  timeline: TimelineEntry[];
  callouts: CalloutRecord[];
  /** Set when the stream failed: trap/panic, timeout, reset. */
  error?: string;
}

export interface VmLimits {
  /** Cap on the guest linear memory (rewrites the module's memory maximum). Default 256 MiB. */
  memoryMaxMiB?: number;
  /** Isolated mode only: a single callback running longer than this terminates the VM. Default 5000. */
  callbackTimeoutMs?: number;
  /** A stream the plugin keeps paused fails after this long. Default 30000. */
  streamTimeoutMs?: number;
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
  /** VM-wide properties (`route_name`, `cluster_name`, `source.address`, any custom path joined by `.`). */
  properties?: Record<string, string>;
  limits?: VmLimits;
  /** Called for every log entry, including those outside a stream (start-up, ticks, queues). */
  onLog?: (e: LogEntry) => void;
  /** Used for callouts made outside a stream (e.g. from a tick); per-stream callouts use the stream's io. */
  io?: Pick<StreamIo, 'httpCall'>;
  /**
   * `real` (default): the plugin sees the host's time and ticks run on a real timer. `virtual`: the
   * plugin's time (WASI realtime + monotonic clocks, i.e. Go's time.Now(); log times; request.time)
   * stands still until `advanceTime(ms)` moves it, which fires every tick that falls due, in order.
   */
  clock?: 'real' | 'virtual';
  /** Virtual clock only: the plugin's wall time at VM start (epoch ms). Default: the real time at start. */
  clockStartMs?: number;
}

/** What `advanceTime` did: ticks fired (in order) and what they produced. */
export interface AdvanceResult {
  /** How far the clock moved (ms). */
  advancedMs: number;
  /** The plugin's wall time after the advance (epoch ms). */
  nowMs: number;
  /** Virtual milliseconds since the VM started. */
  elapsedMs: number;
  /** proxy_on_tick calls made. */
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

/** The common interface of PluginVm and IsolatedPluginVm. */
export interface ProxyWasmVm {
  handle(req: HttpRequest, io: StreamIo): Promise<ExchangeRecord>;
  metrics(): MetricSnapshot[] | Promise<MetricSnapshot[]>;
  memoryBytes(): number | Promise<number>;
  /** Logs and timeline entries outside any stream (ticks, queue callbacks, root-context callouts). */
  readonly failed: string | undefined;
  close(): void | Promise<void>;
  /** Virtual clock only (`clock: 'virtual'`): moves the plugin's time forward and fires due ticks. */
  advanceTime?(ms: number): AdvanceResult | Promise<AdvanceResult>;
}
