// IsolatedPluginVm: the same VM in a worker thread, so that a callback that never returns (an endless
// loop in Go cannot be interrupted from the same thread) or a runaway JS heap cannot hang or crash
// the embedding process. A watchdog reads a shared heartbeat: a guest call running longer than
// `callbackTimeoutMs` terminates the worker and fails the VM and its pending streams.
//
// Workers come from a WorkerPool (pre-spawned, host code loaded) unless disabled; the plugin can be
// given as bytes (capped and compiled in the worker) or as a module from compilePlugin (posted to
// the worker: no compilation at all).
import type { Worker } from 'node:worker_threads';
import { checkModuleCap, moduleMemoryCap } from './compile.js';
import { DEFAULT_MAX_OLD_GENERATION_MB, defaultWorkerUrl, spawnPluginWorker, WorkerPool } from './pool.js';
import { DEFAULT_LIMITS } from './vm.js';
import type { FromWorker, ToWorker, WorkerData } from './worker-protocol.js';
import type { AdvanceResult, ExchangeRecord, HttpRequest, LogEntry, MetricSnapshot, ProxyWasmVm, StartResult, StreamIo, VmOptions } from './types.js';

export interface IsolatedOptions {
  /** V8 heap limit of the worker (wasm memory is capped separately by limits.memoryMaxMiB). Default 128. */
  maxOldGenerationSizeMb?: number;
  /** Override the worker entry (defaults to worker.js next to this module, or ../dist/worker.js from src). */
  workerUrl?: URL;
  /**
   * Where the worker comes from: a pool, or `false` for a freshly spawned one. Default: the default
   * pool (IsolatedPluginVm.defaultPool()), unless `workerUrl` is set. A pool whose heap limit or
   * entry differs from `maxOldGenerationSizeMb` / `workerUrl` is not used (a fresh worker is spawned).
   */
  pool?: WorkerPool | false;
}

let defaultPool: WorkerPool | null | undefined;

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
    /** The worker was a pre-spawned spare from a pool (the start paid no spawn / module loading). */
    readonly pooled: boolean,
  ) {}

  /**
   * The pool used when `iso.pool` is not given: created on first use with `{ spares: 1 }` (replace
   * it with setDefaultPool). Call `warm()` on it at server start so that the first start is warm too.
   */
  static defaultPool(): WorkerPool | undefined {
    if (defaultPool === undefined) defaultPool = new WorkerPool({ spares: 1 });
    return defaultPool ?? undefined;
  }

  /** Replaces the default pool (`null`: no default pool, every start spawns). The previous pool is not shut down. */
  static setDefaultPool(pool: WorkerPool | null): void {
    defaultPool = pool;
  }

  /**
   * Starts a plugin VM in a worker thread. `wasm`: the module bytes (the memory cap is applied, then
   * compiled in the worker) or a module from compilePlugin (its cap must be <= limits.memoryMaxMiB;
   * any other WebAssembly.Module is refused because its memory cannot be capped).
   */
  static async start(wasm: Uint8Array | WebAssembly.Module, options: VmOptions, iso: IsolatedOptions = {}): Promise<StartResult<IsolatedPluginVm>> {
    let moduleCapMiB: number | undefined;
    if (wasm instanceof WebAssembly.Module) {
      const requested = options.limits?.memoryMaxMiB ?? DEFAULT_LIMITS.memoryMaxMiB;
      moduleCapMiB = checkModuleCap(wasm, requested) ?? moduleMemoryCap(wasm);
      if (moduleCapMiB === undefined) {
        throw new Error('IsolatedPluginVm.start: this WebAssembly.Module has no memory cap; compile it with compilePlugin(bytes, { memoryMaxMiB }) or pass the bytes');
      }
    }
    const heartbeat = new SharedArrayBuffer(8);
    const { onLog, io, ...plain } = options;
    const data: WorkerData = { wasm, ...(moduleCapMiB !== undefined ? { moduleCapMiB } : {}), options: plain, hasVmIo: !!io?.httpCall, wantLogs: !!onLog, heartbeat };
    const maxOld = iso.maxOldGenerationSizeMb ?? DEFAULT_MAX_OLD_GENERATION_MB;
    // A custom worker entry without an explicit pool spawns fresh (the default pool runs the default entry).
    const pool = iso.pool === false ? undefined : (iso.pool ?? (iso.workerUrl ? undefined : IsolatedPluginVm.defaultPool()));
    const usable = pool && pool.maxOldGenerationSizeMb === maxOld && (!iso.workerUrl || iso.workerUrl.href === pool.workerUrl.href);
    const { worker, pooled } = usable ? pool.take() : { worker: spawnPluginWorker(iso.workerUrl ?? defaultWorkerUrl(), maxOld), pooled: false };
    worker.postMessage({ type: 'start', data } satisfies ToWorker);
    const vm = new IsolatedPluginVm(worker, options, pooled);
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
      case 'advanced': {
        const q = this.queries.get(m.id);
        this.queries.delete(m.id);
        q?.(m);
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
    this.settlePending(this.failure);
  }

  /** Answers every stream and query still waiting on the worker, which will never answer them. */
  private settlePending(reason: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.resolve(failedRecord(p.req, reason));
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

  /**
   * Virtual clock only (`clock: 'virtual'`): moves the plugin's time forward by `ms` and fires the
   * ticks that fall due, in order (see PluginVm.advanceTime). Rejects for a real-clock VM or bad `ms`;
   * a VM that fails (or is already failed) resolves with `error` set.
   */
  advanceTime(ms: number): Promise<AdvanceResult> {
    const failed = (error: string): AdvanceResult => ({ advancedMs: 0, nowMs: Date.now(), elapsedMs: 0, ticks: 0, timeline: [], logs: [], callouts: [], error });
    if (this.options.clock !== 'virtual') return Promise.reject(new Error("advanceTime needs a virtual clock: start the VM with clock: 'virtual'"));
    if (this.closed || this.failure) return Promise.resolve(failed(this.failure ?? 'the plugin VM is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.queries.set(id, (v) => {
        const m = v as Extract<FromWorker, { type: 'advanced' }> | undefined;
        if (!m) resolve(failed(this.failure ?? 'the plugin VM is closed'));
        else if (m.result) resolve(this.failure && !m.result.error ? { ...m.result, error: this.failure } : m.result);
        else reject(new Error(m.error));
      });
      this.post({ type: 'advance', id, ms });
    });
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
    this.settlePending('the plugin VM was closed while this request was running');
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
