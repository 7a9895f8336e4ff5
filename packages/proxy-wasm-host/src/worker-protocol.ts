// Messages between IsolatedPlugin (parent) and its worker (src/worker.ts). A worker is spawned idle
// (possibly ahead of time, by a WorkerPool): it loads the host code, posts `ready`, and waits for
// one `start`. Workers are single-use. A stream's I/O crosses as messages: the worker opens
// upstream requests and writes to them, the parent pushes their response events back; the parent
// answers callouts and reads of a live client's body; the worker streams the response out.
import type {
  AdvanceResult,
  ExchangeRecord,
  Headers,
  HttpCallRequest,
  HttpRequest,
  HttpResponse,
  LogEntry,
  ResponseEvent,
  ServedSummary,
  StartResult,
  UpstreamRequestHead,
  VmOptions,
  WorkerIo,
} from './types.js';

export interface WorkerData {
  /** The plugin: bytes (capped and compiled in the worker) or a module compiled by compilePlugin. */
  wasm: Uint8Array | WebAssembly.Module;
  /** For a module: the memory cap it was compiled with (verified by the parent). */
  moduleCapMiB?: number;
  options: Omit<VmOptions, 'onLog' | 'io'>;
  hasVmIo: boolean;
  /** The module that serves upstream requests and callouts inside the worker. */
  io?: WorkerIo;
  wantLogs: boolean;
  /** Int32Array[0] = 1 while a guest call runs; [1] counts guest calls (the parent's watchdog). */
  heartbeat: SharedArrayBuffer;
}

export type DownstreamEvent =
  | { type: 'headers'; status: number; headers: Headers }
  | { type: 'data'; data: Uint8Array }
  | { type: 'end'; trailers?: Headers }
  | { type: 'reset'; reason: string };

export type ToWorker =
  | { type: 'start'; data: WorkerData }
  | { type: 'batch'; messages: ToWorker[] }
  | { type: 'handle'; id: number; req: HttpRequest; streamedBody: boolean; downstream: boolean; upstreamAddress?: string }
  | { type: 'ioResult'; callId: number; ok: true; value: unknown }
  | { type: 'ioResult'; callId: number; ok: false; error: string; connect?: boolean }
  | { type: 'upstreamEvent'; upId: number; ev: ResponseEvent }
  | { type: 'query'; id: number; what: 'metrics' | 'memory' }
  | { type: 'advance'; id: number; ms: number }
  /** Whether the parent wants the live detail (log lines, whole records of served streams). */
  | { type: 'watch'; on: boolean }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'batch'; messages: FromWorker[] }
  | { type: 'started'; result: Omit<StartResult<unknown>, 'vm'> }
  | { type: 'startFailed'; error: string }
  | { type: 'handled'; id: number; record: ExchangeRecord }
  /** A stream the worker's own `serve` accepted and finished; the record only while watched. */
  | { type: 'served'; summary: ServedSummary; record?: ExchangeRecord }
  /** Streams served while nobody watched, gathered for a while (they only feed log lines). */
  | { type: 'servedSummaries'; summaries: ServedSummary[] }
  | { type: 'httpCall'; callId: number; streamId: number | null; arg: HttpCallRequest }
  | { type: 'readBody'; callId: number; streamId: number }
  | { type: 'upstreamOpen'; streamId: number; upId: number; head: UpstreamRequestHead }
  | { type: 'upstreamWrite'; upId: number; data: Uint8Array }
  | { type: 'upstreamEnd'; upId: number; trailers?: Headers }
  | { type: 'upstreamReset'; upId: number; reason: string }
  | { type: 'downstream'; streamId: number; ev: DownstreamEvent }
  | { type: 'log'; entry: LogEntry }
  | { type: 'reply'; id: number; value: unknown }
  | { type: 'advanced'; id: number; result?: AdvanceResult; error?: string }
  | { type: 'closed' };

export type { HttpResponse };

/**
 * Messages posted in one turn of the event loop travel as one: a stream posts several in a row
 * (its downstream headers, data and end, then the record), and each postMessage is a wake-up of
 * the other thread. Flushed on setImmediate, after the current microtasks.
 */
export class MessageBatcher<M> {
  private pending: M[] = [];

  constructor(private readonly postBatch: (batch: M[]) => void) {}

  post(m: M): void {
    if (this.pending.push(m) === 1) setImmediate(() => this.flush());
  }

  flush(): void {
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    this.postBatch(batch);
  }
}
