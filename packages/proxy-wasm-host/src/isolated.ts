// IsolatedPlugin: a GatewayPlugin (all its worker VMs) in a worker thread, so that a callback that
// never returns (an endless loop in Go cannot be interrupted from the same thread) or a runaway JS
// heap cannot hang or crash the embedding process. A watchdog reads a shared heartbeat: a guest call
// running longer than `callbackTimeoutMs` terminates the thread and fails its pending streams.
//
// Workers come from a WorkerPool (pre-spawned, host code loaded) unless disabled; the plugin can be
// given as bytes (capped and compiled in the worker) or as a module from compilePlugin (posted to
// the worker: no compilation at all).
import type { Worker } from 'node:worker_threads';
import { checkModuleCap, moduleMemoryCap } from './compile.js';
import { DEFAULT_MAX_OLD_GENERATION_MB, defaultWorkerUrl, spawnPluginWorker, WorkerPool } from './pool.js';
import { resolveProfile } from './profile.js';
import { DEFAULT_LIMITS } from './wasm.js';
import { MessageBatcher, type FromWorker, type ToWorker, type WorkerData } from './worker-protocol.js';
import type {
  AdvanceResult,
  ExchangeRecord,
  HttpRequest,
  LogEntry,
  MetricSnapshot,
  ProxyWasmVm,
  ServedSummary,
  StartResult,
  StreamIo,
  UpstreamStream,
  VmOptions,
  WorkerIo,
} from './types.js';

export interface IsolatedOptions {
  /** V8 heap limit of the worker (wasm memory is capped separately by limits.memoryMaxMiB). Default 128. */
  maxOldGenerationSizeMb?: number;
  /** Override the worker entry (defaults to worker.js next to this module, or ../dist/worker.js from src). */
  workerUrl?: URL;
  /**
   * Serve upstream requests and callouts inside the worker thread, from this module: handle()'s
   * io then needs only what the client side gives (downstream, readRequestBody).
   */
  io?: WorkerIo;
  /**
   * Receives the streams the worker's own `serve` accepted (its listener's traffic): a summary, and
   * the whole record while watched (see watch()).
   */
  onServed?: (summary: ServedSummary, record: ExchangeRecord | undefined) => void;
  /**
   * Where the worker comes from: a pool, or `false` for a freshly spawned one. Default: the default
   * pool (IsolatedPluginVm.defaultPool()), unless `workerUrl` is set. A pool whose heap limit or
   * entry differs from `maxOldGenerationSizeMb` / `workerUrl` is not used (a fresh worker is spawned).
   */
  pool?: WorkerPool | false;
}

let defaultPool: WorkerPool | null | undefined;

interface PendingStream {
  req: HttpRequest;
  io: Partial<StreamIo>;
  resolve: (r: ExchangeRecord) => void;
  upstreams: Map<number, UpstreamStream>;
  finished: boolean;
}

export class IsolatedPlugin implements ProxyWasmVm {
  private nextId = 1;
  private readonly pending = new Map<number, PendingStream>();
  private readonly queries = new Map<number, (v: unknown) => void>();
  private failure: string | undefined;
  private closed = false;
  private terminated: Promise<void> | undefined;
  private exited = false;
  private watchdog: NodeJS.Timeout | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly options: VmOptions,
    /** The worker was a pre-spawned spare from a pool (the start paid no spawn / module loading). */
    readonly pooled: boolean,
    private readonly onServed?: (summary: ServedSummary, record: ExchangeRecord | undefined) => void,
  ) {}

  /**
   * Whether the live detail crosses to the parent: onLog lines and whole records of served streams
   * (on by default). A server turns it off while nobody watches the session, so unwatched traffic
   * costs the worker no messages but a summary per stream.
   */
  watch(on: boolean): void {
    this.post({ type: 'watch', on });
  }

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
   * Starts a plugin (all its worker VMs) in a worker thread. `wasm`: the module bytes (the memory
   * cap is applied, then compiled in the worker) or a module from compilePlugin (its cap must be
   * <= limits.memoryMaxMiB; any other WebAssembly.Module is refused: its memory cannot be capped).
   */
  static async start(wasm: Uint8Array | WebAssembly.Module, options: VmOptions, iso: IsolatedOptions = {}): Promise<StartResult<IsolatedPlugin>> {
    let moduleCapMiB: number | undefined;
    if (wasm instanceof WebAssembly.Module) {
      const requested = options.limits?.memoryMaxMiB ?? DEFAULT_LIMITS.memoryMaxMiB;
      moduleCapMiB = checkModuleCap(wasm, requested) ?? moduleMemoryCap(wasm);
      if (moduleCapMiB === undefined) {
        throw new Error('IsolatedPlugin.start: this WebAssembly.Module has no memory cap; compile it with compilePlugin(bytes, { memoryMaxMiB }) or pass the bytes');
      }
    }
    // Bad profile settings are the caller's mistake: say so before a worker is taken.
    resolveProfile(options.profile, options.profileOverrides);
    const heartbeat = new SharedArrayBuffer(8);
    const { onLog, io, ...plain } = options;
    const data: WorkerData = {
      wasm,
      ...(moduleCapMiB !== undefined ? { moduleCapMiB } : {}),
      options: plain,
      hasVmIo: !!io?.httpCall,
      wantLogs: !!onLog,
      heartbeat,
      ...(iso.io ? { io: iso.io } : {}),
    };
    const maxOld = iso.maxOldGenerationSizeMb ?? DEFAULT_MAX_OLD_GENERATION_MB;
    // A custom worker entry without an explicit pool spawns fresh (the default pool runs the default entry).
    const pool = iso.pool === false ? undefined : (iso.pool ?? (iso.workerUrl ? undefined : IsolatedPlugin.defaultPool()));
    const usable = pool && pool.maxOldGenerationSizeMb === maxOld && (!iso.workerUrl || iso.workerUrl.href === pool.workerUrl.href);
    const { worker, pooled } = usable ? pool.take() : { worker: spawnPluginWorker(iso.workerUrl ?? defaultWorkerUrl(), maxOld), pooled: false };
    worker.postMessage({ type: 'start', data } satisfies ToWorker);
    const vm = new IsolatedPlugin(worker, options, pooled, iso.onServed);
    const started = await new Promise<Omit<StartResult<unknown>, 'vm'>>((resolve, reject) => {
      const onMsg = (m: FromWorker): void => {
        if (m.type === 'batch') return m.messages.forEach(onMsg);
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
    worker.on('exit', (code) => {
      vm.exited = true;
      vm.die(`plugin worker exited (code ${code})`);
    });
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

  private readonly batcher = new MessageBatcher<ToWorker>((messages) => {
    if (!this.closed) this.worker.postMessage(messages.length === 1 ? messages[0] : { type: 'batch', messages });
  });

  private post(m: ToWorker): void {
    if (!this.closed) this.batcher.post(m);
  }

  private answer(callId: number, work: Promise<unknown>): void {
    work.then(
      (value) => this.post({ type: 'ioResult', callId, ok: true, value }),
      (e: Error & { connect?: boolean }) => this.post({ type: 'ioResult', callId, ok: false, error: e instanceof Error ? e.message : String(e), ...(e?.connect ? { connect: true } : {}) }),
    );
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'batch':
        for (const x of m.messages) this.onMessage(x);
        break;
      case 'handled': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (p) p.finished = true;
        p?.resolve(m.record);
        break;
      }
      case 'httpCall': {
        const p = m.streamId === null ? undefined : this.pending.get(m.streamId);
        const fn = p?.io.httpCall?.bind(p.io) ?? this.options.io?.httpCall?.bind(this.options.io);
        this.answer(m.callId, fn ? fn(m.arg) : Promise.reject(new Error('no callout handler')));
        break;
      }
      case 'readBody': {
        const p = this.pending.get(m.streamId);
        this.answer(m.callId, p?.io.readRequestBody ? p.io.readRequestBody() : Promise.resolve({ end: true }));
        break;
      }
      case 'upstreamOpen': {
        const p = this.pending.get(m.streamId);
        if (!p) break;
        if (!p.io.upstream) break;
        const up = p.io.upstream(m.head);
        p.upstreams.set(m.upId, up);
        void this.pumpUpstream(m.upId, up, p);
        break;
      }
      case 'upstreamWrite':
        this.upstreamOf(m.upId)?.write(m.data);
        break;
      case 'upstreamEnd':
        this.upstreamOf(m.upId)?.end(m.trailers);
        break;
      case 'upstreamReset':
        this.upstreamOf(m.upId)?.reset(m.reason);
        break;
      case 'downstream': {
        const d = this.pending.get(m.streamId)?.io.downstream;
        if (!d) break;
        const ev = m.ev;
        if (ev.type === 'headers') d.headers(ev.status, ev.headers);
        else if (ev.type === 'data') d.data(ev.data);
        else if (ev.type === 'end') d.end(ev.trailers);
        else d.reset(ev.reason);
        break;
      }
      case 'log':
        this.options.onLog?.(m.entry as LogEntry);
        break;
      case 'served':
        this.onServed?.(m.summary, m.record);
        break;
      case 'servedSummaries':
        for (const s of m.summaries) this.onServed?.(s, undefined);
        break;
      case 'reply':
      case 'advanced': {
        const q = this.queries.get(m.id);
        this.queries.delete(m.id);
        q?.(m.type === 'reply' ? m.value : m);
        break;
      }
      default:
        break;
    }
  }

  private upstreamOf(upId: number): UpstreamStream | undefined {
    for (const p of this.pending.values()) {
      const up = p.upstreams.get(upId);
      if (up) return up;
    }
    return undefined;
  }

  /** Forwards an upstream's response events to the worker until the response ends. */
  private async pumpUpstream(upId: number, up: UpstreamStream, p: PendingStream): Promise<void> {
    for (;;) {
      const ev = await up.next();
      if (this.closed || p.finished) return;
      this.post({ type: 'upstreamEvent', upId, ev });
      if (ev.type === 'reset' || ev.type === 'trailers' || ((ev.type === 'headers' || ev.type === 'data') && ev.endOfStream)) {
        p.upstreams.delete(upId);
        return;
      }
    }
  }

  /** Terminates the worker and fails every pending stream. */
  private die(reason: string): void {
    if (this.failure && this.closed) return;
    this.failure ??= reason;
    this.closed = true;
    this.stopWatchdog();
    this.terminated ??= this.worker.terminate().then(() => undefined);
    this.settlePending(this.failure);
  }

  /** The worker thread has exited (its memory is returned). */
  get threadExited(): boolean {
    return this.exited;
  }

  /** Answers every stream and query still waiting on the worker, which will never answer them. */
  private settlePending(reason: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.finished = true;
      for (const up of p.upstreams.values()) up.reset(reason);
      p.io.downstream?.reset(reason);
      p.resolve(failedRecord(p.req, reason));
    }
    for (const [id, q] of this.queries) {
      this.queries.delete(id);
      q(undefined);
    }
  }

  /** With `iso.io` the worker serves the upstream and callouts itself: `io` needs only the client side. */
  handle(req: HttpRequest, io: StreamIo | Omit<StreamIo, 'upstream'>): Promise<ExchangeRecord> {
    if (this.closed || this.failure) {
      io.downstream?.reset(this.failure ?? 'the plugin VM is closed');
      return Promise.resolve(failedRecord(req, this.failure ?? 'the plugin VM is closed'));
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { req, io, resolve, upstreams: new Map(), finished: false });
      this.post({ type: 'handle', id, req, streamedBody: !!req.streamedBody && !!io.readRequestBody, downstream: !!io.downstream, ...(io.upstreamAddress ? { upstreamAddress: io.upstreamAddress } : {}) });
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
   * ticks that fall due, in order (see GatewayPlugin.advanceTime). Rejects for a real-clock plugin or
   * bad `ms`; a plugin that fails (or is already failed) resolves with `error` set.
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

  /** Set once the worker died (a callback over its time limit, a crash) or the plugin was closed. */
  get failed(): string | undefined {
    return this.failure;
  }

  /** Ends the plugin; resolves once its thread has exited, also after the VM died. */
  async close(): Promise<void> {
    if (this.closed) return this.terminated;
    this.stopWatchdog();
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 1000);
      this.worker.on('message', (m: FromWorker) => {
        if (m.type === 'closed' || (m.type === 'batch' && m.messages.some((x) => x.type === 'closed'))) {
          clearTimeout(t);
          resolve();
        }
      });
      this.post({ type: 'close' });
    });
    this.closed = true;
    this.worker.removeAllListeners('exit');
    this.worker.once('exit', () => (this.exited = true));
    this.terminated ??= this.worker.terminate().then(() => undefined);
    await this.terminated;
    this.settlePending('the plugin VM was closed while this request was running');
  }
}

/** The record of a stream the plugin's thread could not finish: the connection is reset. */
function failedRecord(req: HttpRequest, reason: string): ExchangeRecord {
  const existing = req.headers.find(([k]) => k.toLowerCase() === 'x-request-id')?.[1];
  return {
    requestId: existing ?? crypto.randomUUID(),
    request: req,
    upstreamRequest: null,
    upstreamResponse: null,
    response: { status: 0, headers: [], body: new Uint8Array(0) },
    localReply: false,
    logs: [],
    timeline: [],
    callouts: [],
    redisCalls: [],
    worker: -1,
    notes: [
      {
        code: 'playground_bound',
        message: `the playground stopped the plugin's thread (${reason.split('\n')[0]}); in the gateway that worker would stay blocked, so the client's connection is dropped here`,
      },
    ],
    error: reason,
  };
}
