// Messages between IsolatedPluginVm (parent) and its worker (src/worker.ts).
import type { ExchangeRecord, HttpCallRequest, HttpRequest, HttpResponse, LogEntry, StartResult, VmOptions } from './types.js';

export interface WorkerData {
  wasm: Uint8Array;
  options: Omit<VmOptions, 'onLog' | 'io'>;
  hasVmIo: boolean;
  wantLogs: boolean;
  /** Int32Array[0] = 1 while a guest call runs; [1] counts guest calls (the parent's watchdog). */
  heartbeat: SharedArrayBuffer;
}

export type ToWorker =
  | { type: 'handle'; id: number; req: HttpRequest }
  | { type: 'ioResult'; callId: number; ok: true; value: HttpResponse }
  | { type: 'ioResult'; callId: number; ok: false; error: string }
  | { type: 'query'; id: number; what: 'metrics' | 'memory' }
  | { type: 'close' };

export type FromWorker =
  | { type: 'started'; result: Omit<StartResult<unknown>, 'vm'> }
  | { type: 'startFailed'; error: string }
  | { type: 'handled'; id: number; record: ExchangeRecord }
  | { type: 'io'; callId: number; streamId: number | null; kind: 'upstream'; arg: HttpRequest }
  | { type: 'io'; callId: number; streamId: number | null; kind: 'httpCall'; arg: HttpCallRequest }
  | { type: 'log'; entry: LogEntry }
  | { type: 'reply'; id: number; value: unknown }
  | { type: 'closed' };
