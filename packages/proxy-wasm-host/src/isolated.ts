// IsolatedPluginVm: the same VM in a worker thread, so that a callback that never returns (an endless
// loop in Go cannot be interrupted from the same thread) or a runaway JS heap cannot hang or crash
// the embedding process. A watchdog reads a shared heartbeat: a guest call running longer than
// `callbackTimeoutMs` terminates the worker and fails the VM and its pending streams.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DEFAULT_LIMITS } from './vm.js';
import type { FromWorker, ToWorker, WorkerData } from './worker-protocol.js';
import type { ExchangeRecord, HttpRequest, LogEntry, MetricSnapshot, ProxyWasmVm, StartResult, StreamIo, VmOptions } from './types.js';

export interface IsolatedOptions {
  /** V8 heap limit of the worker (wasm memory is capped separately by limits.memoryMaxMiB). Default 128. */
  maxOldGenerationSizeMb?: number;
  /** Override the worker entry (defaults to worker.js next to this module, or ../dist/worker.js from src). */
  workerUrl?: URL;
}

function workerEntry(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  // Running from src/ (tests through vitest): use the compiled entry; run `pnpm build` first.
  const dist = new URL('../dist/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(dist))) return dist;
  throw new Error(`worker entry not found at ${fileURLToPath(here)} or ${fileURLToPath(dist)}: build the package first`);
}

export class IsolatedPluginVm implements ProxyWasmVm {
  private nextId = 1;
  private readonly pending = new Map<number, { req: HttpRequest; io: StreamIo; resolve: (r: ExchangeRecord) => void }>();
  private readonly queries = new Map<number, (v: unknown) => void>();
  private failure: string | undefined;
  private closed = false;
  private watchdog: NodeJS.Timeout | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly options: VmOptions,
  ) {}

  static async start(wasm: Uint8Array, options: VmOptions, iso: IsolatedOptions = {}): Promise<StartResult<IsolatedPluginVm>> {
    const heartbeat = new SharedArrayBuffer(8);
    const { onLog, io, ...plain } = options;
    const data: WorkerData = { wasm, options: plain, hasVmIo: !!io?.httpCall, wantLogs: !!onLog, heartbeat };
    const worker = new Worker(iso.workerUrl ?? workerEntry(), {
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: iso.maxOldGenerationSizeMb ?? 128, maxYoungGenerationSizeMb: 32 },
      stdout: true,
      stderr: true,
    });
    // The worker's own stdout/stderr (e.g. Node warnings) must not reach the embedding process.
    worker.stdout.resume();
    worker.stderr.resume();
    const vm = new IsolatedPluginVm(worker, options);
    const started = await new Promise<Omit<StartResult<unknown>, 'vm'>>((resolve, reject) => {
      const onMsg = (m: FromWorker) => {
        if (m.type === 'started') resolve(m.result);
        else if (m.type === 'startFailed') reject(new Error(m.error));
        else if (m.type === 'log') onLog?.(m.entry);
      };
      worker.on('message', onMsg);
      worker.once('error', (e) => reject(e));
      worker.once('exit', (code) => reject(new Error(`plugin worker exited during start (code ${code})`)));
      vm.startWatchdog(new Int32Array(heartbeat), (reason) => reject(new Error(reason)));
    }).catch(async (e) => {
      vm.stopWatchdog();
      await worker.terminate();
      throw e;
    });
    worker.removeAllListeners('message');
    worker.removeAllListeners('error');
    worker.removeAllListeners('exit');
    worker.on('message', (m: FromWorker) => vm.onMessage(m));
    worker.on('error', (e) => vm.die(`plugin worker crashed: ${e.message}`));
    worker.on('exit', (code) => vm.die(`plugin worker exited (code ${code})`));
    if (started.error && /not running|failed in/.test(started.error)) vm.failure = started.error;
    return { vm, ...started };
  }

  private startWatchdog(hb: Int32Array, onTimeout: (reason: string) => void): void {
    const limit = this.options.limits?.callbackTimeoutMs ?? DEFAULT_LIMITS.callbackTimeoutMs;
    let seenCall = -1;
    let since = 0;
    this.watchdog = setInterval(() => {
      if (Atomics.load(hb, 0) !== 1) {
        seenCall = -1;
        return;
      }
      const call = Atomics.load(hb, 1);
      if (call !== seenCall) {
        seenCall = call;
        since = Date.now();
        return;
      }
      if (Date.now() - since > limit) {
        const reason = `a plugin callback ran longer than ${limit} ms (endless loop?): the VM was terminated`;
        onTimeout(reason);
        this.die(reason);
      }
    }, Math.max(10, Math.min(100, limit / 10)));
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'handled': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve(m.record);
        if (m.record.error && /plugin failed in|not running/.test(m.record.error)) this.failure ??= m.record.error;
        break;
      }
      case 'io': {
        const p = m.streamId === null ? undefined : this.pending.get(m.streamId);
        let work: Promise<unknown>;
        if (m.kind === 'upstream') {
          work = p ? p.io.upstream(m.arg) : Promise.reject(new Error('stream is gone'));
        } else {
          const fn = p?.io.httpCall?.bind(p.io) ?? this.options.io?.httpCall?.bind(this.options.io);
          work = fn ? fn(m.arg) : Promise.reject(new Error('no callout handler'));
        }
        work.then(
          (value) => !this.closed && !this.failure && this.post({ type: 'ioResult', callId: m.callId, ok: true, value } as ToWorker),
          (e) => !this.closed && !this.failure && this.post({ type: 'ioResult', callId: m.callId, ok: false, error: e instanceof Error ? e.message : String(e) }),
        );
        break;
      }
      case 'log':
        this.options.onLog?.(m.entry as LogEntry);
        break;
      case 'reply': {
        const q = this.queries.get(m.id);
        this.queries.delete(m.id);
        q?.(m.value);
        break;
      }
      default:
        break;
    }
  }

  /** Terminates the worker and fails every pending stream. */
  private die(reason: string): void {
    if (this.failure && this.closed) return;
    this.failure ??= reason;
    this.closed = true;
    this.stopWatchdog();
    void this.worker.terminate();
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.resolve(failedRecord(p.req, this.failure));
    }
    for (const [id, q] of this.queries) {
      this.queries.delete(id);
      q(undefined);
    }
  }

  handle(req: HttpRequest, io: StreamIo): Promise<ExchangeRecord> {
    if (this.closed || this.failure) return Promise.resolve(failedRecord(req, this.failure ?? 'the plugin VM is closed'));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { req, io, resolve });
      this.post({ type: 'handle', id, req });
    });
  }

  private query<T>(what: 'metrics' | 'memory', fallback: T): Promise<T> {
    if (this.closed) return Promise.resolve(fallback);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.queries.set(id, (v) => resolve((v as T) ?? fallback));
      this.post({ type: 'query', id, what });
    });
  }

  metrics(): Promise<MetricSnapshot[]> {
    return this.query<MetricSnapshot[]>('metrics', []);
  }

  memoryBytes(): Promise<number> {
    return this.query<number>('memory', 0);
  }

  get failed(): string | undefined {
    return this.failure;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopWatchdog();
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 1000);
      this.worker.on('message', (m: FromWorker) => {
        if (m.type === 'closed') {
          clearTimeout(t);
          resolve();
        }
      });
      this.post({ type: 'close' });
    });
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/** The record of a stream that could not run: Envoy answers 503 when the plugin VM is gone. */
function failedRecord(req: HttpRequest, reason: string): ExchangeRecord {
  const existing = req.headers.find(([k]) => k.toLowerCase() === 'x-request-id')?.[1];
  return {
    requestId: existing ?? crypto.randomUUID(),
    request: req,
    upstreamRequest: null,
    upstreamResponse: null,
    response: { status: 503, headers: [['content-length', '0']], body: new Uint8Array(0) },
    localReply: true,
    logs: [],
    timeline: [],
    callouts: [],
    error: reason,
  };
}
