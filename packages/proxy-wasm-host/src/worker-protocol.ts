// Messages between IsolatedPluginVm (parent) and its worker (src/worker.ts). A worker is spawned
// idle (possibly ahead of time, by a WorkerPool): it loads the host code, posts `ready`, and waits
// for one `start`. Workers are single-use: a VM never reuses another VM's worker.
import type { AdvanceResult, ExchangeRecord, HttpCallRequest, HttpRequest, HttpResponse, LogEntry, StartResult, VmOptions } from './types.js';

export interface WorkerData {
  /** The plugin: bytes (capped and compiled in the worker) or a module compiled by compilePlugin. */
  wasm: Uint8Array | WebAssembly.Module;
  /** For a module: the memory cap it was compiled with (verified by the parent). */
  moduleCapMiB?: number;
  options: Omit<VmOptions, 'onLog' | 'io'>;
  hasVmIo: boolean;
  wantLogs: boolean;
  /** Int32Array[0] = 1 while a guest call runs; [1] counts guest calls (the parent's watchdog). */
  heartbeat: SharedArrayBuffer;
}

export type ToWorker =
  | { type: 'start'; data: WorkerData }
  | { type: 'handle'; id: number; req: HttpRequest }
  | { type: 'ioResult'; callId: number; ok: true; value: HttpResponse }
  | { type: 'ioResult'; callId: number; ok: false; error: string }
  | { type: 'query'; id: number; what: 'metrics' | 'memory' }
  | { type: 'advance'; id: number; ms: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'started'; result: Omit<StartResult<unknown>, 'vm'> }
  | { type: 'startFailed'; error: string }
  | { type: 'handled'; id: number; record: ExchangeRecord }
  | { type: 'io'; callId: number; streamId: number | null; kind: 'upstream'; arg: HttpRequest }
  | { type: 'io'; callId: number; streamId: number | null; kind: 'httpCall'; arg: HttpCallRequest }
  | { type: 'log'; entry: LogEntry }
  | { type: 'reply'; id: number; value: unknown }
  | { type: 'advanced'; id: number; result?: AdvanceResult; error?: string }
  | { type: 'closed' };
