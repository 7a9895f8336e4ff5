// What the host functions need from the VM. PluginVm implements it; keeping it an interface lets
// each group of host functions stay small and testable on its own.
import type { StreamContext } from '../context.js';
import type { GuestMemory } from '../memory.js';
import type { Metrics } from '../metrics.js';
import type { SharedData } from '../shared-data.js';
import type { SharedQueues } from '../shared-queue.js';
import type { Headers, HostNote, LogLevel } from '../types.js';

export interface CalloutResponseView {
  headers: Headers;
  body: Uint8Array;
  trailers: Headers;
}

export interface HostEnv {
  readonly mem: GuestMemory;
  readonly vmId: string;
  readonly sharedData: SharedData;
  readonly queues: SharedQueues;
  readonly metricsStore: Metrics;
  /** While _initialize runs: host calls other than proxy_log trap (exports/guard.ts). */
  readonly initializing: boolean;
  /** Numeric minimum log level (0 trace .. 5 critical). */
  readonly logLevelNum: number;
  /** The HTTP stream of the effective context, or undefined on the root context. */
  stream(): StreamContext | undefined;
  /** proxy_set_effective_context; false for an unknown id. */
  setEffectiveContext(id: number): boolean;
  pluginLog(level: LogLevel, message: string): void;
  /** A host warning in the current stream / VM log (each `onceKey` at most once per VM). */
  hostWarn(message: string, onceKey?: string): void;
  /** A note on the current stream's exchange (ignored outside streams). */
  note(n: HostNote): void;
  /** VM configuration / plugin configuration, available only during vm_start / configure. */
  configBuffer(type: number): Uint8Array | undefined;
  /** The http_call response being delivered, only inside proxy_on_http_call_response. */
  readonly calloutResponse: CalloutResponseView | undefined;
  getProperty(path: string[]): Uint8Array | undefined;
  /** False: no stream to set it on (Envoy answers NotFound on the root context). */
  setProperty(path: string[], value: Uint8Array): boolean;
  /** Returns a WasmResult and the token. */
  httpCall(cluster: string, headers: Headers, body: Uint8Array, trailers: Headers, timeoutMs: number): { result: number; token: number };
  /** proxy_redis_init: a WasmResult. */
  redisInit(cluster: string, username: string, password: string, timeoutMs: number): number;
  /** proxy_redis_call: a WasmResult and the token. */
  redisCall(cluster: string, query: Uint8Array): { result: number; token: number };
  /** The Redis reply being delivered, only inside proxy_on_redis_call_response. */
  readonly redisResponse: Uint8Array | undefined;
  setTickPeriod(ms: number): void;
  registerQueue(name: string): number;
}
