// What the host import functions need from the VM. PluginVm implements it; keeping it an interface
// lets each import group stay small and testable on its own.
import type { GuestMemory } from '../memory.js';
import type { Metrics, SharedStore } from '../shared.js';
import type { HttpStream } from '../stream.js';
import type { Headers, LogLevel } from '../types.js';

export interface CalloutResponseView {
  headers: Headers;
  body: Uint8Array;
  trailers: Headers;
}

export interface ImportHost {
  readonly mem: GuestMemory;
  readonly vmId: string;
  readonly shared: SharedStore;
  readonly metricsStore: Metrics;
  /** Numeric minimum log level (0 trace .. 5 critical). */
  readonly logLevelNum: number;
  /** The HTTP stream of the effective context, or undefined on the root context. */
  stream(): HttpStream | undefined;
  /** proxy_set_effective_context; false for an unknown id. */
  setEffectiveContext(id: number): boolean;
  pluginLog(level: LogLevel, message: string): void;
  /** A host warning in the current stream / VM log (each `onceKey` at most once per VM). */
  hostWarn(message: string, onceKey?: string): void;
  /** VM configuration / plugin configuration, available only during vm_start / configure. */
  configBuffer(type: number): Uint8Array | undefined;
  /** The http_call response being delivered, only inside proxy_on_http_call_response. */
  readonly calloutResponse: CalloutResponseView | undefined;
  getProperty(path: string[]): Uint8Array | undefined;
  setProperty(path: string[], value: Uint8Array): void;
  /** Returns a WasmResult and the token. */
  httpCall(cluster: string, headers: Headers, body: Uint8Array, trailers: Headers, timeoutMs: number): { result: number; token: number };
  setTickPeriod(ms: number): void;
  registerQueue(name: string): number;
}
