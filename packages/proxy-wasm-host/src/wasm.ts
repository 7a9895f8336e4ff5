// One proxy-wasm VM: a compiled plugin instance with its root context, as Envoy runs one per worker
// thread (proxy-wasm-cpp-host wasm.cc). It owns every call into the guest, so it can turn traps, Go
// panics and exits into a failed VM, and it is what the host functions (src/exports) act on.
//
// Start-up (CPPH WasmBase::initialize / startVm / start / configure): check the ABI marker ->
// instantiate with env + WASI -> `_initialize` (Go runtime + the plugin's init()) ->
// proxy_on_context_create(root, 0) -> proxy_on_vm_start -> proxy_on_configure.
import { BufferType, LogLevelNum } from './abi/enums.js';
import { Callouts, type CalloutDelivery } from './callouts.js';
import type { VirtualClock } from './clock.js';
import { DEFAULT_MEMORY_MAX_MIB, loadModule } from './compile.js';
import type { StreamContext } from './context.js';
import { describeGuestFault } from './errors.js';
import { buildEnvImports } from './exports/index.js';
import type { CalloutResponseView, HostEnv } from './exports/host.js';
import { BackgroundLogRate, makeLogEntry, pushBounded } from './logs.js';
import { encode, GuestMemory } from './memory.js';
import type { Metrics } from './metrics.js';
import { DEFAULT_NODE, DEFAULT_PROPERTIES, resolveProperty, type PropertyEnv } from './properties.js';
import type { SharedData } from './shared-data.js';
import type { SharedQueues } from './shared-queue.js';
import { RedisCalls, type RedisDelivery } from './redis-calls.js';
import { TickBudget, TickTimer } from './ticks.js';
import type { CalloutRecord, Headers, HostNote, LogEntry, LogLevel, Phase, RedisCallRecord, StartResult, StreamIo, TimelineEntry, VmOptions, VmThread } from './types.js';
import './webassembly.js';
import { createWasi } from './wasi.js';

export const DEFAULT_LIMITS = { memoryMaxMiB: DEFAULT_MEMORY_MAX_MIB, callbackTimeoutMs: 5000, streamTimeoutMs: 30000 };
const ROOT_CONTEXT_ID = 1;
/** Background logs, timeline entries and callouts a VM keeps. */
const BACKGROUND_KEEP = 500;

/** What the worker VMs of one plugin share: Envoy's process-wide shared data, queues and stats. */
export interface PluginShared {
  sharedData: SharedData;
  queues: SharedQueues;
  metrics: Metrics;
  /** Set with `clock: 'virtual'`: one clock for all the plugin's VMs. */
  clock?: VirtualClock;
  /** One tick budget for all the plugin's VMs: they share one thread (default: one per VM). */
  tickBudget?: TickBudget;
}

/** Internal hooks (the isolated worker's callback watchdog and garbage collection). */
export interface VmHooks {
  enter?(phase: Phase): void;
  exit?(): void;
  /** A VM was dropped (the canary, an idle main-thread VM, a failed one replaced): its memory is garbage now. */
  dropped?(): void;
}

/** The result of a guest call: the value it returned, or why the VM failed. */
export type CallResult = { ok: true; value: number } | { ok: false; failure: string };

type Exports = Record<string, (...args: number[]) => number>;

export class PluginVm implements HostEnv {
  readonly mem = new GuestMemory();
  readonly vmId: string;
  readonly sharedData: SharedData;
  readonly queues: SharedQueues;
  readonly metricsStore: Metrics;
  readonly logLevelNum: number;
  /** Higress' ABI 0_2_100 honours a headers StopIteration; cpp-host turns it into StopAll for the others. */
  headersStopIterationAllowed = true;
  calloutResponse: CalloutResponseView | undefined;
  redisResponse: Uint8Array | undefined;

  /** Logs / timeline / callouts outside any stream (start-up, ticks, queues), most recent kept. */
  readonly backgroundLogs: LogEntry[] = [];
  readonly backgroundTimeline: TimelineEntry[] = [];
  readonly backgroundCallouts: CalloutRecord[] = [];
  readonly backgroundRedisCalls: RedisCallRecord[] = [];

  readonly ticks: TickTimer;
  private readonly tickBudget: TickBudget;
  private exports: Exports = {};
  private readonly contexts = new Map<number, StreamContext>();
  private nextContextId = ROOT_CONTEXT_ID + 1;
  private effectiveId = ROOT_CONTEXT_ID;
  private configPhase: 'vm_start' | 'configure' | undefined;
  private readonly vmConfigBytes: Uint8Array;
  private readonly pluginConfigBytes: Uint8Array;
  private readonly propertyEnv: PropertyEnv;
  private readonly callouts: Callouts;
  private readonly redis: RedisCalls;
  private readonly warned = new Set<string>();
  private readonly backgroundRate = new BackgroundLogRate();
  private stdio = '';
  private failure: string | undefined;
  private closed = false;
  private readonly t0 = performance.now();
  private readonly queueNotify = (id: number) => this.onQueueReady(id);
  private starting = true;
  /**
   * While _initialize runs (Go's runtime init, package variables, init()): CPPH WasmBase::startVm
   * restricts host calls to proxy_log and most WASI calls (not those in wasi.ts
   * RESTRICTED_DURING_INITIALIZE); any other traps with restricted_callback and the VM fails to start.
   */
  initializing = false;
  private readonly startLog: LogEntry[] = [];
  private readonly startTimeline: TimelineEntry[] = [];
  /** While the plugin's advanceTime runs: where background output is also collected. */
  capture: { logs: LogEntry[]; timeline: TimelineEntry[]; callouts: CalloutRecord[] } | undefined;

  private constructor(
    private readonly options: VmOptions,
    private readonly hooks: VmHooks,
    shared: PluginShared,
    /** The worker thread this VM stands for (0-based; -1 for a VM of the main thread). */
    readonly worker: number,
    /** Set for the main thread's VM and the configuration canary (types.ts VmThread). */
    readonly thread: VmThread | undefined,
  ) {
    this.vmId = options.vmId ?? '';
    this.sharedData = shared.sharedData;
    this.queues = shared.queues;
    this.metricsStore = shared.metrics;
    this.clock = shared.clock;
    this.logLevelNum = LogLevelNum[options.logLevel ?? 'info'];
    this.vmConfigBytes = encode(options.vmConfig ?? '');
    this.pluginConfigBytes = encode(options.pluginConfig ?? '');
    this.propertyEnv = {
      pluginName: options.pluginName ?? 'playground-plugin',
      vmId: this.vmId,
      memoryBytes: () => this.mem.byteLength,
      configured: { ...DEFAULT_PROPERTIES, ...(options.properties ?? {}) },
      rootState: new Map(),
      node: DEFAULT_NODE,
    };
    this.ticks = new TickTimer(() => this.onTick(), shared.clock);
    this.tickBudget = shared.tickBudget ?? new TickBudget(options.limits?.tickBudgetPercent ?? 100);
    this.callouts = new Callouts(
      options.clusters,
      (d) => this.deliverCallout(d),
      (m) => this.hostWarn(m),
      (r) => this.pushBackground('callouts', r),
    );
    this.redis = new RedisCalls(
      options.clusters,
      options.redis ?? {},
      (d) => this.deliverRedis(d),
      (m) => this.hostWarn(m),
      (r) => pushBounded(this.backgroundRedisCalls, r, BACKGROUND_KEEP),
    );
  }

  readonly clock: VirtualClock | undefined;

  /**
   * Loads, initializes and configures a plugin. Throws only when the module cannot be loaded at all
   * (not wasm, no proxy-wasm ABI marker, unsatisfiable imports); a plugin that fails to start
   * resolves with `configured: false` and the reason in `error` and `logs`.
   */
  static async start(wasm: Uint8Array | WebAssembly.Module, options: VmOptions, shared: PluginShared, worker: number | VmThread = 0, hooks: VmHooks = {}): Promise<StartResult<PluginVm>> {
    const maxMiB = options.limits?.memoryMaxMiB ?? DEFAULT_LIMITS.memoryMaxMiB;
    const module = await loadModule(wasm, maxMiB);
    const marker = checkModule(module);
    const vm = typeof worker === 'number' ? new PluginVm(options, hooks, shared, worker, undefined) : new PluginVm(options, hooks, shared, -1, worker);
    vm.headersStopIterationAllowed = marker === 'proxy_abi_version_0_2_100';
    const wasi = createWasi((fd, text) => vm.onStdio(fd, text), shared.clock, () => vm.initializing);
    const instance = await WebAssembly.instantiate(module, { env: buildEnvImports(vm, module), ...wasi.importsFor(module) });
    const memory = instance.exports.memory as WebAssembly.Memory;
    vm.exports = instance.exports as unknown as Exports;
    wasi.bindMemory(memory);
    vm.mem.bind(memory, (size) => vm.exports.proxy_on_memory_allocate(size));

    const configured = vm.startUp(() => wasi.initialize(instance));
    vm.starting = false;
    // CPPH WasmHandleBase::canary kills it at once, before anything it started (a callout) goes out.
    if (vm.thread === 'canary') vm.kill();
    return {
      vm,
      configured: configured && !vm.failure,
      logs: vm.startLog,
      timeline: vm.startTimeline,
      ...(vm.failure ? { error: vm.failure } : !configured ? { error: 'the plugin failed to start (proxy_on_vm_start / proxy_on_configure returned false)' } : {}),
    };
  }

  /** _initialize, root context, vm_start, configure; true when both returned true. */
  private startUp(initialize: () => void): boolean {
    this.initializing = true;
    const initialized = this.guarded('vm_start', initialize, 'runtime init');
    this.initializing = false;
    if (!initialized.ok) return false;
    if (!this.invoke('vm_start', ROOT_CONTEXT_ID, 'proxy_on_context_create', [ROOT_CONTEXT_ID, 0], undefined, false).ok) return false;
    this.configPhase = 'vm_start';
    const started = this.invoke('vm_start', ROOT_CONTEXT_ID, 'proxy_on_vm_start', [ROOT_CONTEXT_ID, this.vmConfigBytes.length], undefined, true, boolName);
    this.configPhase = undefined;
    if (!started.ok) return false;
    // CPPH context.cc onStart / onConfigure: a module without the export is started / configured.
    const has = (name: string) => typeof (this.exports as unknown as Record<string, unknown>)[name] === 'function';
    if (started.value === 0 && has('proxy_on_vm_start')) {
      this.hostLog('error', 'proxy_on_vm_start returned false: the VM failed to start');
      return false;
    }
    this.configPhase = 'configure';
    const configured = this.invoke('configure', ROOT_CONTEXT_ID, 'proxy_on_configure', [ROOT_CONTEXT_ID, this.pluginConfigBytes.length], undefined, true, boolName);
    this.configPhase = undefined;
    if (!configured.ok) return false;
    if (!has('proxy_on_configure')) return true;
    if (configured.value === 0) this.hostLog('error', 'proxy_on_configure returned false: the plugin rejected its configuration');
    return configured.value !== 0;
  }

  // ---- state --------------------------------------------------------------------------------

  get failed(): string | undefined {
    return this.failure;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  memoryBytes(): number {
    return this.mem.byteLength;
  }

  /** A new stream context id on this VM. */
  newContextId(): number {
    return this.nextContextId++;
  }

  /** Makes a stream's context known (for proxy_set_effective_context and callout delivery). */
  attach(ctx: StreamContext): void {
    this.contexts.set(ctx.id, ctx);
  }

  /** Tears down the root context (on_done, on_delete) and stops timers. */
  close(): void {
    if (this.closed) return;
    if (!this.failure) {
      this.invoke('done', ROOT_CONTEXT_ID, 'proxy_on_done', [ROOT_CONTEXT_ID], undefined, true, boolName);
      this.invoke('delete', ROOT_CONTEXT_ID, 'proxy_on_delete', [ROOT_CONTEXT_ID], undefined, true);
    }
    this.closed = true;
    this.stopTimers();
  }

  /**
   * Drops the VM without calling into it (CPPH WasmHandleBase::canary -> kill(): no proxy_on_done),
   * as Envoy ends the configuration canary; its timers, queues and connections end with it.
   */
  kill(): void {
    this.closed = true;
    this.callouts.cancelAll();
    this.stopTimers();
  }

  /**
   * Whether anything can still call into the VM without a request: a tick period, a shared queue it
   * registered, a callout or Redis call awaiting its answer. The main thread's VM gets no requests,
   * so once this is false it can never run again.
   */
  get waitsForEvents(): boolean {
    return !this.closed && !this.failure && (this.ticks.periodMs > 0 || this.queues.hasSubscriber(this.queueNotify) || this.callouts.inFlight > 0 || this.redis.inFlight > 0);
  }

  /** Marks the VM failed from outside (the isolated worker's watchdog). */
  markFailed(reason: string): void {
    this.fail(new Error(reason), 'host');
  }

  // ---- calls into the guest -----------------------------------------------------------------

  /** Runs `fn` as a guest call: any throw is a guest fault that fails the VM. */
  private guarded<T>(phase: Phase, fn: () => T, what: string): { ok: true; value: T } | { ok: false; failure: string } {
    if (this.failure) return { ok: false, failure: `the plugin VM is not running: ${this.failure}` };
    if (this.closed) return { ok: false, failure: 'the plugin VM is closed' };
    this.hooks.enter?.(phase);
    try {
      return { ok: true, value: fn() };
    } catch (e) {
      this.fail(e, what);
      return { ok: false, failure: this.failure! };
    } finally {
      this.hooks.exit?.();
      this.flushStdio();
    }
  }

  /**
   * Calls an export on context `ctxId` and records a timeline entry. Missing exports count as
   * returning 0. Streams that got after-VM-call actions from this call are woken.
   */
  private invoke(
    phase: Phase,
    ctxId: number,
    name: string,
    args: number[],
    ctx: StreamContext | undefined,
    record: boolean,
    actionName?: (v: number) => string,
    extra: Partial<TimelineEntry> = {},
  ): CallResult {
    const fn = this.exports[name];
    if (!fn) return { ok: true, value: 0 };
    const prev = this.effectiveId;
    this.effectiveId = ctxId;
    const t0 = performance.now();
    const r = this.guarded(phase, () => fn(...args), name);
    this.effectiveId = prev;
    if (record) {
      const entry: TimelineEntry = {
        phase,
        durationUs: Math.round((performance.now() - t0) * 1000),
        // Outside a stream, a virtual clock places the entry on the plugin's time line.
        startUs: ctx ? ctx.elapsedUs(t0) : this.clock ? Math.round(this.clock.elapsedNs / 1000) : Math.round((t0 - this.t0) * 1000),
        ...(this.thread ? { thread: this.thread } : { worker: this.worker }),
        ...extra,
      };
      if (r.ok && actionName) entry.action = actionName(r.value);
      if (!r.ok) entry.action = 'failed';
      if (ctx) ctx.timeline.push(entry);
      else this.pushBackground('timeline', entry);
    }
    for (const c of this.contexts.values()) if (c !== ctx && c.hasActions()) c.onActions?.();
    return r;
  }

  /** A stream callback; proxy_on_context_create first if this is the stream's first callback. */
  callStream(ctx: StreamContext, phase: Phase, exportName: string, args: number[], actionName?: (v: number) => string, extra?: Partial<TimelineEntry>): CallResult {
    if (!ctx.created) {
      ctx.created = true;
      const c = this.invoke(phase, ctx.id, 'proxy_on_context_create', [ctx.id, ROOT_CONTEXT_ID], ctx, false);
      if (!c.ok) return c;
    }
    ctx.releasedByContinue = false;
    ctx.stopNextIteration = false;
    return this.invoke(phase, ctx.id, exportName, [ctx.id, ...args], ctx, true, actionName, extra);
  }

  /**
   * Ends a stream: on_log, on_done, on_delete (skipped when the VM failed: CPPH context.cc onLog /
   * onDone / onDelete check isFailed), and its pending callouts are cancelled.
   */
  finishStream(ctx: StreamContext): void {
    this.callouts.cancel(ctx);
    if (ctx.created && !this.failure && !this.closed) {
      this.invoke('log', ctx.id, 'proxy_on_log', [ctx.id], ctx, true);
      this.invoke('done', ctx.id, 'proxy_on_done', [ctx.id], ctx, true, boolName);
      this.invoke('delete', ctx.id, 'proxy_on_delete', [ctx.id], ctx, true);
    }
    this.contexts.delete(ctx.id);
  }

  private fail(e: unknown, what: string): void {
    if (this.failure) return;
    const msg = describeGuestFault(e, this.stdio);
    this.stdio = '';
    this.failure = `plugin failed in ${what}: ${msg}`;
    this.hostLog('critical', this.failure);
    this.stopTimers();
  }

  // ---- HostEnv ------------------------------------------------------------------------------

  stream(): StreamContext | undefined {
    return this.effectiveId === ROOT_CONTEXT_ID ? undefined : this.contexts.get(this.effectiveId);
  }

  setEffectiveContext(id: number): boolean {
    if (id !== ROOT_CONTEXT_ID && !this.contexts.has(id)) return false;
    this.effectiveId = id;
    return true;
  }

  pluginLog(level: LogLevel, message: string): void {
    this.emitLog(makeLogEntry(level, message, 'plugin', this.clock?.nowMs(), this.thread ?? this.worker));
  }

  hostWarn(message: string, onceKey?: string): void {
    if (onceKey) {
      if (this.warned.has(onceKey)) return;
      this.warned.add(onceKey);
    }
    this.hostLog('warn', message);
  }

  note(n: HostNote): void {
    this.stream()?.note(n);
  }

  private hostLog(level: LogLevel, message: string): void {
    this.emitLog(makeLogEntry(level, message, 'host', this.clock?.nowMs(), this.thread ?? this.worker));
  }

  private emitLog(e: LogEntry): void {
    const s = this.stream();
    if (s) {
      if (!s.log(e)) return;
    } else {
      this.pushBackground('logs', e);
      if (!this.backgroundRate.allow()) return;
    }
    try {
      this.options.onLog?.(e);
    } catch {
      /* a listener must not break the plugin */
    }
  }

  private pushBackground(kind: 'logs' | 'timeline' | 'callouts', item: LogEntry | TimelineEntry | CalloutRecord): void {
    if (this.starting && kind !== 'callouts') (kind === 'logs' ? this.startLog : this.startTimeline).push(item as never);
    (this.capture?.[kind] as unknown[] | undefined)?.push(item);
    const list = kind === 'logs' ? this.backgroundLogs : kind === 'timeline' ? this.backgroundTimeline : this.backgroundCallouts;
    pushBounded(list as unknown[], item, BACKGROUND_KEEP);
  }

  private onStdio(fd: 1 | 2, text: string): void {
    // Kept per call: a Go panic's message and stack become part of the VM error.
    if (fd === 2) this.stdio += text;
    else this.emitLog(makeLogEntry('info', text.replace(/\n$/, ''), 'plugin', this.clock?.nowMs(), this.thread ?? this.worker));
  }

  private flushStdio(): void {
    if (!this.stdio) return;
    const text = this.stdio;
    this.stdio = '';
    this.emitLog(makeLogEntry('error', text.replace(/\n$/, ''), 'plugin', this.clock?.nowMs(), this.thread ?? this.worker));
  }

  configBuffer(type: number): Uint8Array | undefined {
    if (type === BufferType.VmConfiguration && this.configPhase === 'vm_start') return this.vmConfigBytes;
    if (type === BufferType.PluginConfiguration && this.configPhase === 'configure') return this.pluginConfigBytes;
    return undefined;
  }

  getProperty(path: string[]): Uint8Array | undefined {
    return resolveProperty(path, this.propertyEnv, this.stream());
  }

  setProperty(path: string[], value: Uint8Array): boolean {
    const s = this.stream();
    if (!s) return false;
    s.filterState.set(path.join('\0'), value);
    // The Higress fork's buffer-limit properties (E127 Context::setProperty): one limit per stream.
    if (path.length === 1 && (path[0] === 'set_decoder_buffer_limit' || path[0] === 'set_encoder_buffer_limit')) {
      const text = new TextDecoder().decode(value);
      if (/^\d+$/.test(text) && Number(text) <= 0xffffffff) s.bufferLimit = Number(text);
    }
    return true;
  }

  httpCall(cluster: string, headers: Headers, body: Uint8Array, trailers: Headers, timeoutMs: number): { result: number; token: number } {
    const s = this.stream();
    const io: StreamIo['httpCall'] | undefined = s?.io?.httpCall?.bind(s.io) ?? this.options.io?.httpCall?.bind(this.options.io);
    return this.callouts.dispatch(cluster, headers, body, trailers, timeoutMs, s, io, (n) => s?.note(n));
  }

  private deliverCallout(d: CalloutDelivery): void {
    if (this.failure || this.closed) return; // E: responses to a failed VM are dropped
    this.calloutResponse = d.response ?? undefined;
    const r = d.response;
    this.invoke(
      'http_call_response',
      ROOT_CONTEXT_ID,
      'proxy_on_http_call_response',
      [ROOT_CONTEXT_ID, d.token, r?.headers.length ?? 0, r?.body.length ?? 0, r?.trailers.length ?? 0],
      d.ctx,
      true,
      undefined,
      { detail: `${d.record.cluster} -> ${r ? r.headers[0][1] : `reset (${d.record.error})`}` },
    );
    this.calloutResponse = undefined;
    // The callback ran on the root context: wake its stream if it asked for anything.
    if (d.ctx?.hasActions()) d.ctx.onActions?.();
  }

  redisInit(cluster: string, username: string, password: string, timeoutMs: number): number {
    const s = this.stream();
    return this.redis.init(cluster, username, password, timeoutMs, s, (n) => s?.note(n));
  }

  redisCall(cluster: string, query: Uint8Array): { result: number; token: number } {
    const s = this.stream();
    return this.redis.call(cluster, query, s, (n) => s?.note(n));
  }

  private deliverRedis(d: RedisDelivery): void {
    if (this.failure || this.closed) return; // ENVOY onRedisCallSuccess: a failed VM drops the reply
    this.redisResponse = d.response;
    this.invoke(
      'redis_call_response',
      ROOT_CONTEXT_ID,
      'proxy_on_redis_call_response',
      [ROOT_CONTEXT_ID, d.token, d.status, d.response.length],
      d.ctx,
      true,
      undefined,
      { detail: `${d.record.command} -> ${d.record.reply ?? `failed (${d.record.error})`}` },
    );
    this.redisResponse = undefined;
    if (d.ctx?.hasActions()) d.ctx.onActions?.();
  }

  setTickPeriod(ms: number): void {
    if (this.closed || this.failure) return;
    this.ticks.set(ms);
  }

  /** Runs proxy_on_tick (the real timer, or the plugin's advanceTime on a virtual clock). */
  onTick(): void {
    if (this.failure || this.closed) return this.stopTimers();
    const t0 = performance.now();
    if (!this.clock && !this.tickBudget.allows(t0)) {
      const limit = this.options.limits?.tickBudgetPercent;
      return this.hostWarn(`proxy_on_tick takes more than ${limit}% of the time: the playground skips ticks until they fit (the gateway would let them hold its worker)`, 'tick-budget');
    }
    this.invoke('tick', ROOT_CONTEXT_ID, 'proxy_on_tick', [ROOT_CONTEXT_ID], undefined, true);
    const t1 = performance.now();
    this.tickBudget.spent(t1, t1 - t0);
  }

  registerQueue(name: string): number {
    return this.queues.register(this.vmId, name, this.queueNotify);
  }

  private onQueueReady(id: number): void {
    if (this.failure || this.closed) return;
    this.invoke('queue_ready', ROOT_CONTEXT_ID, 'proxy_on_queue_ready', [ROOT_CONTEXT_ID, id], undefined, true, undefined, { detail: `queue ${id}` });
  }

  /** Timers, queue subscriptions and Redis connections end with the VM (or its failure). */
  private stopTimers(): void {
    this.ticks.stop();
    this.queues.unregister(this.queueNotify);
    this.redis.close();
  }
}

/** The ABI marker of a loadable module (CPPH bytecode_util.cc getAbiVersion), or a clear error. */
function checkModule(module: WebAssembly.Module): string {
  const names = WebAssembly.Module.exports(module).map((e) => e.name);
  const marker = names.find((n) => n.startsWith('proxy_abi_version_'));
  if (!marker) {
    throw new Error('not a proxy-wasm module: no proxy_abi_version_0_2_* export (build with -buildmode=c-shared and the proxy-wasm Go SDK)');
  }
  // The gateway also loads 0_1_0 modules; Go SDKs never build them and this host implements 0.2.
  if (!['proxy_abi_version_0_2_0', 'proxy_abi_version_0_2_1', 'proxy_abi_version_0_2_100'].includes(marker)) {
    throw new Error(`unsupported proxy-wasm ABI ${marker}: this host runs 0_2_0, 0_2_1 and 0_2_100 (Higress' Go SDK builds 0_2_100)`);
  }
  if (!names.includes('_initialize')) {
    throw new Error('the module is not a WASI reactor (no _initialize export): build it with `go build -buildmode=c-shared`');
  }
  return marker;
}

function boolName(v: number): string {
  return v ? 'true' : 'false';
}
