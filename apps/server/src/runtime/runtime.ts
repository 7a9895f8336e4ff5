import type { DownstreamSink } from '@playground/proxy-wasm-host';
import type { ClockAdvance, Exchange, GatewayProfile, GatewaySettings, HttpRequestMessage, LogEntry, Metric, RedisKeysView, Service, RuntimeName } from '@playground/shared';

export interface SessionStart {
  sessionId: string;
  /** The build the module comes from: runtimes may cache per build. */
  buildId: string;
  /** The compiled plugin (read when the runtime needs the bytes: a cached module does not). */
  wasm(): Promise<Uint8Array>;
  /** `virtual`: time moves only when the user advances it (ticks fire then). */
  clock: 'real' | 'virtual';
  /** The plugin configuration JSON ('' for none). */
  configJson: string;
  services: Service[];
  /** The gateway the session reproduces. */
  gateway: GatewaySettings;
  /** Live log lines, including those outside any request (start-up, ticks). */
  onLog(entry: LogEntry): void;
  /** Called once if the session dies on its own (a crashed or runaway plugin). */
  onFailure(reason: string): void;
  /**
   * An exchange the runtime served on its own gateway port (RuntimeSession.gatewayUrl): a summary,
   * and the whole exchange while watch(true) (an event stream is open).
   */
  onExchange(summary: ExchangeSummary, exchange: Exchange | undefined): void;
}

export type ExchangeSummary = Pick<Exchange, 'requestId' | 'localReply' | 'error'> & { status: number };

/** A client connected to the session's gateway port: its body and the response stream as they go. */
export interface LiveClient {
  /** Requests on one connection stay on one gateway worker. */
  connectionId: number;
  remoteAddress: string;
  localAddress: string;
  /** The request body as it arrives (absent: the request has none). */
  readBody?: () => Promise<{ data?: Uint8Array; end: boolean }>;
  downstream: DownstreamSink;
}

export interface ExchangeOptions {
  /** `:authority` when the request has no host header. */
  authority?: string;
  live?: LiveClient;
  /** Sees the response as it streams to the client (a client of the API that asked to watch it). */
  downstream?: DownstreamSink;
}

/** A plugin loaded and configured in a runtime, ready for requests. */
export interface RuntimeSession {
  /** False when the plugin rejected its configuration (proxy_on_configure returned false). */
  readonly configured: boolean;
  readonly startLogs: LogEntry[];
  /** Why start-up failed, when it did (a trap, a bad module). */
  readonly startError?: string;
  /** The gateway settings in force, and the clusters callouts may use, when the runtime knows them. */
  readonly gateway?: GatewayProfile;
  readonly clusters?: string[];
  /** The runtime's own gateway port, when it has one (else the session manager opens one in front of it). */
  readonly gatewayUrl?: string;
  /** Whole exchanges of the runtime's own port are wanted (someone watches) or not (summaries do). */
  watch?(on: boolean): void;
  handle(request: HttpRequestMessage, opts?: ExchangeOptions): Promise<Exchange>;
  /** The same request through the same gateway with the plugin left out, when the runtime can. */
  handleWithoutPlugin?(request: HttpRequestMessage, opts?: ExchangeOptions): Promise<Exchange>;
  /** Moves a virtual clock forward, firing the ticks that fall due. */
  advanceTime?(ms: number): Promise<ClockAdvance>;
  /** The plugin's metrics (counters, gauges, histograms). */
  metrics?(): Promise<Metric[]>;
  /** The keys in the session's Redis services, and deleting them. */
  redisKeys?(): Promise<RedisKeysView>;
  redisFlush?(service?: string): Promise<void>;
  /** The plugin VM's memory in bytes, when the runtime can tell. */
  memoryBytes?(): Promise<number>;
  close(): Promise<void>;
}

/** Where plugins run: the embedded host (default) or, later, real gateway containers. */
export interface Runtime {
  readonly name: RuntimeName;
  start(opts: SessionStart): Promise<RuntimeSession>;
}
