// A proxy-wasm VM: one compiled plugin instance with its root context, as Envoy runs it per worker.
//
// Start-up (HOST context.cc): compile (memory capped) -> check ABI marker -> instantiate with env +
// WASI -> `_initialize` (Go runtime + the plugin's init()) -> proxy_on_context_create(root, 0) ->
// proxy_on_vm_start -> proxy_on_configure. Streams are driven by HttpStream; this class owns
// every call into the guest, so it can turn traps, Go panics and exits into a failed VM.
import { BufferType, LOG_LEVELS, LogLevelNum, WasmResult } from './abi/enums.js';
import { VirtualClock } from './clock.js';
import { checkModuleCap, DEFAULT_MEMORY_MAX_MIB } from './compile.js';
import { describeGuestFault, VmFailedError } from './errors.js';
import { buildEnvImports } from './imports/index.js';
import type { CalloutResponseView, ImportHost } from './imports/host.js';
import { makeLogEntry } from './log.js';
import { encode, GuestMemory } from './memory.js';
import { DEFAULT_PROPERTIES, resolveProperty, type PropertyEnv } from './properties.js';
import { Metrics, SharedStore } from './shared.js';
import { HttpStream, type StreamVm } from './stream.js';
import type {
  AdvanceResult,
  CalloutRecord,
  ExchangeRecord,
  Headers,
  HttpCallRequest,
  HttpRequest,
  HttpResponse,
  LogEntry,
  LogLevel,
  MetricSnapshot,
  Phase,
  ProxyWasmVm,
  StartResult,
  StreamIo,
  TimelineEntry,
  VmOptions,
} from './types.js';
import { capMemory } from './wasm-binary.js';
import './webassembly.js';
import { createWasi } from './wasi.js';

export const DEFAULT_LIMITS = { memoryMaxMiB: DEFAULT_MEMORY_MAX_MIB, callbackTimeoutMs: 5000, streamTimeoutMs: 30000 };
const ROOT_CONTEXT_ID = 1;
const BACKGROUND_KEEP = 500;
const MAX_LOGS_PER_STREAM = 1000;
const MAX_BACKGROUND_LOGS_PER_SECOND = 200;
/** advanceTime stops (with an error) after this many ticks in one call. */
const MAX_TICKS_PER_ADVANCE = 100_000;

/** Internal hooks used by the isolated worker (callback watchdog). */
export interface VmHooks {
  enter?(phase: Phase): void;
  exit?(): void;
  /** Extra options the worker resolves itself (functions cannot cross threads). */
  shared?: SharedStore;
}

type Exports = Record<string, (...args: number[]) => number>;

export class PluginVm implements ProxyWasmVm, ImportHost, StreamVm {
  // ImportHost / StreamVm state
  readonly mem = new GuestMemory();
  readonly vmId: string;
  readonly shared: SharedStore;
  readonly metricsStore = new Metrics();
  readonly logLevelNum: number;
  readonly rootContextId = ROOT_CONTEXT_ID;
  readonly streamTimeoutMs: number;
  headersStopIterationAllowed = true;
  calloutResponse: CalloutResponseView | undefined;

  /** Logs / timeline outside any stream (start-up, ticks, queues, root callouts), most recent kept. */
  readonly backgroundLogs: LogEntry[] = [];
  readonly backgroundTimeline: TimelineEntry[] = [];
  readonly backgroundCallouts: CalloutRecord[] = [];

  private exports: Exports = {};
  private readonly streams = new Map<number, HttpStream>();
  private nextContextId = ROOT_CONTEXT_ID + 1;
  private effectiveId = ROOT_CONTEXT_ID;
  private configPhase: 'vm_start' | 'configure' | undefined;
  private readonly vmConfigBytes: Uint8Array;
  private readonly pluginConfigBytes: Uint8Array;
  private readonly propertyEnv: PropertyEnv;
  private readonly warned = new Set<string>();
  private stdio = '';
  private failure: string | undefined;
  private closed = false;
  private tickTimer: NodeJS.Timeout | undefined;
  private nextToken = 1;
  private readonly pendingCalls = new Map<number, HttpStream | undefined>();
  private readonly t0 = performance.now();
  private readonly queueNotify = (id: number) => this.onQueueReady(id);
  private readonly startLog: LogEntry[] = [];
  private readonly startTimeline: TimelineEntry[] = [];
  private starting = true;
  /** Set with `clock: 'virtual'`. */
  private readonly clock: VirtualClock | undefined;
  private tickPeriodMs = 0;
  /** Virtual clock: elapsed ns at which the next tick is due. */
  private nextTickNs = 0;
  /** While advanceTime runs: what it collects. */
  private capture: { logs: LogEntry[]; timeline: TimelineEntry[]; callouts: CalloutRecord[] } | undefined;
  /** Background log lines forwarded in the current second (see emitLog). */
  private backgroundSecond = 0;
  private backgroundForwarded = 0;

  private constructor(
    private readonly options: VmOptions,
    private readonly hooks: VmHooks,
  ) {
    this.vmId = options.vmId ?? '';
    if (options.clock === 'virtual') this.clock = new VirtualClock(options.clockStartMs);
    this.shared = hooks.shared ?? new SharedStore();
    this.logLevelNum = LogLevelNum[options.logLevel ?? 'info'];
    this.streamTimeoutMs = options.limits?.streamTimeoutMs ?? DEFAULT_LIMITS.streamTimeoutMs;
    this.vmConfigBytes = encode(options.vmConfig ?? '');
    this.pluginConfigBytes = encode(options.pluginConfig ?? '');
    this.propertyEnv = {
      pluginName: options.pluginName ?? 'playground-plugin',
      vmId: this.vmId,
      memoryBytes: () => this.mem.byteLength,
      configured: { ...(options.properties ?? {}) },
      rootState: new Map(),
    };
  }

  /**
   * Loads, initializes and configures a plugin. Throws only when the module cannot be loaded at all
   * (not wasm, no proxy-wasm ABI marker, unsatisfiable imports); a plugin that fails to start
   * resolves with `configured: false` and the reason in `error` and `logs`.
   */
  static async start(wasm: Uint8Array | WebAssembly.Module, options: VmOptions, hooks: VmHooks = {}): Promise<StartResult<PluginVm>> {
    const maxMiB = options.limits?.memoryMaxMiB ?? DEFAULT_LIMITS.memoryMaxMiB;
    let module: WebAssembly.Module;
    if (wasm instanceof WebAssembly.Module) {
      // Already compiled: its memory limits cannot be rewritten any more. A module from compilePlugin
      // carries its cap, which must not be looser than the requested one; any other module is uncapped.
      checkModuleCap(wasm, maxMiB);
      module = wasm;
    } else {
      module = await WebAssembly.compile(capMemory(wasm, maxMiB * 1024 * 1024).bytes);
    }
    const exportNames = WebAssembly.Module.exports(module).map((e) => e.name);
    const marker = exportNames.find((n) => n.startsWith('proxy_abi_version_'));
    if (!marker || !/^proxy_abi_version_0_2_\d+$/.test(marker)) {
      throw new Error(
        marker
          ? `unsupported proxy-wasm ABI ${marker} (this host implements 0.2.x)`
          : 'not a proxy-wasm module: no proxy_abi_version_0_2_* export (build with -buildmode=c-shared and the proxy-wasm Go SDK)',
      );
    }
    if (!exportNames.includes('_initialize')) {
      throw new Error('the module is not a WASI reactor (no _initialize export): build it with `go build -buildmode=c-shared`');
    }
    const vm = new PluginVm(options, hooks);
    // cpp-host converts a headers StopIteration to StopAll for the community ABIs; Higress' 0_2_100 honours it.
    vm.headersStopIterationAllowed = marker === 'proxy_abi_version_0_2_100';
    const wasi = createWasi((fd, text) => vm.onStdio(fd, text), vm.clock);
    const instance = await WebAssembly.instantiate(module, {
      env: buildEnvImports(vm, module),
      wasi_snapshot_preview1: wasi.imports,
    });
    const memory = instance.exports.memory as WebAssembly.Memory;
    vm.exports = instance.exports as unknown as Exports;
    wasi.bindMemory(memory);
    vm.mem.bind(memory, (size) => vm.exports.proxy_on_memory_allocate(size));

    let configured = false;
    try {
      vm.guarded('vm_start', () => wasi.initialize(instance), 'runtime init');
      vm.invoke('vm_start', ROOT_CONTEXT_ID, 'proxy_on_context_create', [ROOT_CONTEXT_ID, 0], undefined, false);
      vm.configPhase = 'vm_start';
      const started = vm.invoke('vm_start', ROOT_CONTEXT_ID, 'proxy_on_vm_start', [ROOT_CONTEXT_ID, vm.vmConfigBytes.length], undefined, true, boolName);
      vm.configPhase = 'configure';
      const ok = started !== 0 && vm.invoke('configure', ROOT_CONTEXT_ID, 'proxy_on_configure', [ROOT_CONTEXT_ID, vm.pluginConfigBytes.length], undefined, true, boolName) !== 0;
      configured = ok;
      if (started === 0) vm.hostLog('error', 'proxy_on_vm_start returned false: the VM failed to start');
      else if (!ok) vm.hostLog('error', 'proxy_on_configure returned false: the plugin rejected its configuration');
    } catch (e) {
      if (!(e instanceof VmFailedError)) throw e;
    } finally {
      vm.configPhase = undefined;
      vm.starting = false;
    }
    return {
      vm,
      configured: configured && !vm.failure,
      logs: vm.startLog,
      timeline: vm.startTimeline,
      ...(vm.failure ? { error: vm.failure } : !configured ? { error: 'the plugin failed to start (proxy_on_vm_start / proxy_on_configure returned false)' } : {}),
    };
  }

  // ---- public API -------------------------------------------------------------------------

  /** Runs one HTTP exchange through the plugin. Never rejects: failures are in `error`. */
  async handle(req: HttpRequest, io: StreamIo): Promise<ExchangeRecord> {
    const id = this.nextContextId++;
    const s = new HttpStream(this, id, req, io, { ...DEFAULT_PROPERTIES, ...(this.options.properties ?? {}) });
    if (this.clock) s.startedAtMs = Math.floor(this.clock.nowMs());
    this.streams.set(id, s);
    try {
      return await s.run();
    } finally {
      this.streams.delete(id);
    }
  }

  metrics(): MetricSnapshot[] {
    return this.metricsStore.snapshot();
  }

  /** Size of the guest linear memory (what the plugin allocated from the host). */
  memoryBytes(): number {
    return this.mem.byteLength;
  }

  /** Why the VM stopped working, if it did. */
  get failed(): string | undefined {
    return this.failure;
  }

  /** The plugin's wall time (epoch ms): the virtual clock's, or the real time. */
  clockNow(): number {
    return this.clock ? this.clock.nowMs() : Date.now();
  }

  /**
   * Virtual clock only: moves the plugin's time forward by `ms`, firing every tick that falls due
   * in order (the clock reads the tick's due time during each tick), then sets the clock to the end
   * of the interval. Returns the ticks' timeline entries, logs and callouts.
   */
  advanceTime(ms: number): AdvanceResult {
    const clock = this.clock;
    if (!clock) throw new Error("advanceTime needs a virtual clock: start the VM with clock: 'virtual'");
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceTime: ms must be a finite number >= 0 (got ${ms})`);
    const capture = { logs: [] as LogEntry[], timeline: [] as TimelineEntry[], callouts: [] as CalloutRecord[] };
    const target = clock.elapsedNs + Math.round(ms * 1e6);
    let ticks = 0;
    let error: string | undefined;
    this.capture = capture;
    try {
      while (!this.failure && !this.closed && this.tickPeriodMs > 0 && this.nextTickNs <= target) {
        if (ticks >= MAX_TICKS_PER_ADVANCE) {
          error = `advanceTime stopped after ${MAX_TICKS_PER_ADVANCE} ticks (tick period ${this.tickPeriodMs} ms)`;
          break;
        }
        clock.elapsedNs = Math.max(clock.elapsedNs, this.nextTickNs);
        // Re-armed before the call: a set_tick_period inside the tick re-arms from now, like Envoy.
        this.nextTickNs += this.tickPeriodMs * 1e6;
        this.onTick();
        ticks++;
      }
      if (clock.elapsedNs < target) clock.elapsedNs = target;
    } finally {
      this.capture = undefined;
    }
    error ??= this.failure ?? (this.closed ? 'the plugin VM is closed' : undefined);
    return {
      advancedMs: ms,
      nowMs: clock.nowMs(),
      elapsedMs: clock.elapsedNs / 1e6,
      ticks,
      timeline: capture.timeline,
      logs: capture.logs,
      callouts: capture.callouts,
      ...(error ? { error } : {}),
    };
  }

  /** Tears down the root context (on_done, on_delete) and stops timers. */
  close(): void {
    if (this.closed) return;
    if (!this.failure) {
      try {
        this.invoke('done', ROOT_CONTEXT_ID, 'proxy_on_done', [ROOT_CONTEXT_ID], undefined, true, boolName);
        this.invoke('delete', ROOT_CONTEXT_ID, 'proxy_on_delete', [ROOT_CONTEXT_ID], undefined, true);
      } catch {
        /* failure recorded */
      }
    }
    this.closed = true;
    this.stopTimers();
  }

  // ---- calls into the guest ---------------------------------------------------------------

  /** Runs `fn` as a guest call: any throw is a guest fault that fails the VM. */
  private guarded<T>(phase: Phase, fn: () => T, what: string): T {
    if (this.failure) throw new VmFailedError(`the plugin VM is not running: ${this.failure}`);
    if (this.closed) throw new VmFailedError('the plugin VM is closed');
    this.hooks.enter?.(phase);
    try {
      return fn();
    } catch (e) {
      this.fail(e, what);
      throw new VmFailedError(this.failure!);
    } finally {
      this.hooks.exit?.();
      this.flushStdio();
    }
  }

  /**
   * Calls an export on context `ctxId`, records a timeline entry, then applies the streams'
   * after-VM-call actions. Missing exports count as returning 0.
   */
  private invoke(
    phase: Phase,
    ctxId: number,
    name: string,
    args: number[],
    stream: HttpStream | undefined,
    record: boolean,
    actionName?: (v: number) => string,
    detail?: string,
  ): number {
    const fn = this.exports[name];
    if (!fn) return 0;
    const prev = this.effectiveId;
    this.effectiveId = ctxId;
    const t0 = performance.now();
    let r: number;
    try {
      r = this.guarded(phase, () => fn(...args), name);
    } finally {
      this.effectiveId = prev;
    }
    if (record) {
      const base = stream ? stream.t0 : this.t0;
      const entry: TimelineEntry = {
        phase,
        durationUs: Math.round((performance.now() - t0) * 1000),
        // Outside a stream, a virtual clock places the entry on the plugin's time line.
        startUs: !stream && this.clock ? Math.round(this.clock.elapsedNs / 1000) : Math.round((t0 - base) * 1000),
      };
      if (actionName) entry.action = actionName(r);
      if (detail) entry.detail = detail;
      if (stream) stream.timeline.push(entry);
      else this.pushBackground(this.backgroundTimeline, entry, this.startTimeline);
    }
    for (const s of this.streams.values()) s.applyDeferred();
    return r;
  }

  callStream(s: HttpStream, phase: Phase, exportName: string, args: number[], actionName?: (v: number) => string): number {
    if (!s.created) {
      s.created = true;
      this.invoke(phase, s.id, 'proxy_on_context_create', [s.id, ROOT_CONTEXT_ID], s, false);
    }
    return this.invoke(phase, s.id, exportName, args, s, true, actionName);
  }

  finishStream(s: HttpStream): string | undefined {
    for (const t of s.pendingCallouts) this.pendingCalls.delete(t); // like ENVOY ~Context: cancel callouts
    s.pendingCallouts.clear();
    if (!s.created || this.failure || this.closed) return undefined;
    try {
      this.invoke('log', s.id, 'proxy_on_log', [s.id], s, true);
      this.invoke('done', s.id, 'proxy_on_done', [s.id], s, true, boolName);
      this.invoke('delete', s.id, 'proxy_on_delete', [s.id], s, true);
      return undefined;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  private fail(e: unknown, what: string): void {
    if (this.failure) return;
    const msg = `${describeGuestFault(e, this.stdio)}`;
    this.stdio = '';
    this.failure = `plugin failed in ${what}: ${msg}`;
    this.hostLog('critical', this.failure);
    this.stopTimers();
    const err = new VmFailedError(this.failure);
    for (const s of this.streams.values()) s.fail(err);
  }

  /** Marks the VM failed from outside (e.g. the isolated worker's watchdog). */
  markFailed(reason: string): void {
    this.fail(new Error(reason), 'host');
  }

  // ---- ImportHost -------------------------------------------------------------------------

  stream(): HttpStream | undefined {
    return this.effectiveId === ROOT_CONTEXT_ID ? undefined : this.streams.get(this.effectiveId);
  }

  setEffectiveContext(id: number): boolean {
    if (id !== ROOT_CONTEXT_ID && !this.streams.has(id)) return false;
    this.effectiveId = id;
    return true;
  }

  pluginLog(level: LogLevel, message: string): void {
    this.emitLog(makeLogEntry(level, message, 'plugin', this.clock?.nowMs()));
  }

  hostWarn(message: string, onceKey?: string): void {
    if (onceKey) {
      if (this.warned.has(onceKey)) return;
      this.warned.add(onceKey);
    }
    this.hostLog('warn', message);
  }

  private hostLog(level: LogLevel, message: string): void {
    this.emitLog(makeLogEntry(level, message, 'host', this.clock?.nowMs()));
  }

  private emitLog(e: LogEntry): void {
    const s = this.stream();
    if (s) {
      // A plugin logging in a loop must not fill the host's memory: keep the first lines of a stream.
      if (s.logs.length >= MAX_LOGS_PER_STREAM) {
        if (s.logs.length === MAX_LOGS_PER_STREAM) {
          s.logs.push(makeLogEntry('warn', `the plugin logged more than ${MAX_LOGS_PER_STREAM} lines for this request; the rest are dropped`, 'host'));
        }
        return;
      }
      s.logs.push(e);
    } else {
      this.pushBackground(this.backgroundLogs, e, this.startLog);
      // Outside requests (ticks, queues) a plugin could log without end: forward a bounded rate.
      const second = Math.floor(Date.now() / 1000);
      if (second !== this.backgroundSecond) [this.backgroundSecond, this.backgroundForwarded] = [second, 0];
      if (++this.backgroundForwarded > MAX_BACKGROUND_LOGS_PER_SECOND) return;
    }
    try {
      this.options.onLog?.(e);
    } catch {
      /* a listener must not break the plugin */
    }
  }

  private pushBackground<T>(list: T[], item: T, startList: T[]): void {
    if (this.starting) startList.push(item);
    if (this.capture) {
      const c = this.capture;
      const into = (list as unknown[]) === this.backgroundLogs ? c.logs : (list as unknown[]) === this.backgroundTimeline ? c.timeline : c.callouts;
      (into as T[]).push(item);
    }
    list.push(item);
    if (list.length > BACKGROUND_KEEP) list.splice(0, list.length - BACKGROUND_KEEP);
  }

  private onStdio(fd: 1 | 2, text: string): void {
    // Kept per call: a Go panic's message and stack become part of the VM error.
    this.stdio += fd === 2 ? text : '';
    if (fd === 1) this.emitLog(makeLogEntry('info', text.replace(/\n$/, ''), 'plugin', this.clock?.nowMs()));
  }

  private flushStdio(): void {
    if (!this.stdio) return;
    const text = this.stdio;
    this.stdio = '';
    this.emitLog(makeLogEntry('error', text.replace(/\n$/, ''), 'plugin', this.clock?.nowMs()));
  }

  configBuffer(type: number): Uint8Array | undefined {
    if (type === BufferType.VmConfiguration && this.configPhase === 'vm_start') return this.vmConfigBytes;
    if (type === BufferType.PluginConfiguration && this.configPhase === 'configure') return this.pluginConfigBytes;
    return undefined;
  }

  getProperty(path: string[]): Uint8Array | undefined {
    return resolveProperty(path, this.propertyEnv, this.stream());
  }

  setProperty(path: string[], value: Uint8Array): void {
    const s = this.stream();
    (s ? s.filterState : this.propertyEnv.rootState).set(path.join('\0'), value);
  }

  httpCall(cluster: string, headers: Headers, body: Uint8Array, trailers: Headers, timeoutMs: number): { result: number; token: number } {
    const get = (k: string) => headers.find(([n]) => n === k)?.[1];
    if (timeoutMs < 0 || !cluster || !get(':path') || !get(':method') || !get(':authority')) {
      this.hostWarn(`proxy_http_call to "${cluster}": bad argument (needs :method, :path, :authority and a timeout >= 0)`);
      return { result: WasmResult.BadArgument, token: 0 };
    }
    const s = this.stream();
    const io = s?.io.httpCall?.bind(s.io) ?? this.options.io?.httpCall?.bind(this.options.io);
    if (!io) {
      this.hostWarn(`proxy_http_call to "${cluster}": no callout handler is configured`);
      return { result: WasmResult.BadArgument, token: 0 };
    }
    const token = this.nextToken++;
    const record: CalloutRecord = {
      cluster,
      request: { method: get(':method')!, path: get(':path')!, authority: get(':authority')!, headers: headers.filter(([k]) => !k.startsWith(':')), body },
      response: null,
      durationMs: 0,
    };
    if (s) {
      s.callouts.push(record);
      s.pendingCallouts.add(token);
    } else {
      this.pushBackground(this.backgroundCallouts, record, []);
    }
    this.pendingCalls.set(token, s);
    const call: HttpCallRequest = { cluster, headers, body, timeoutMs, ...(trailers.length ? { trailers } : {}) };
    const t0 = performance.now();
    // Never run the callout (nor its callback) inside the import: start it on the next tick.
    void Promise.resolve()
      .then(() => withTimeout(io(call), timeoutMs))
      .then(
        (r) => this.deliverCallout(token, record, t0, r, undefined),
        (e) => this.deliverCallout(token, record, t0, null, e instanceof Error ? e.message : String(e)),
      );
    return { result: WasmResult.Ok, token };
  }

  private deliverCallout(token: number, record: CalloutRecord, t0: number, resp: HttpResponse | null, error: string | undefined): void {
    record.durationMs = Math.round((performance.now() - t0) * 1000) / 1000;
    record.response = resp;
    if (error) record.error = error;
    if (!this.pendingCalls.has(token)) return; // the stream ended first: cancelled
    const s = this.pendingCalls.get(token);
    this.pendingCalls.delete(token);
    s?.pendingCallouts.delete(token);
    if (this.failure || this.closed) return;
    const view: CalloutResponseView | undefined = resp
      ? {
          headers: [[':status', String(resp.status)], ...resp.headers.map(([k, v]) => [k.toLowerCase(), v] as [string, string])],
          body: resp.body ?? new Uint8Array(0),
          trailers: resp.trailers ?? [],
        }
      : undefined;
    this.calloutResponse = view;
    try {
      // A reset arrives as (0, 0, 0); wasm-go maps that to status 502.
      this.invoke(
        'http_call_response',
        ROOT_CONTEXT_ID,
        'proxy_on_http_call_response',
        [ROOT_CONTEXT_ID, token, view?.headers.length ?? 0, view?.body.length ?? 0, view?.trailers.length ?? 0],
        s,
        true,
        undefined,
        `${record.cluster} -> ${resp ? resp.status : `reset (${error})`}`,
      );
    } catch {
      /* VM failure already propagated to streams */
    } finally {
      this.calloutResponse = undefined;
    }
  }

  setTickPeriod(ms: number): void {
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.tickTimer = undefined;
    this.tickPeriodMs = ms;
    if (this.clock) {
      // No timer: advanceTime fires the ticks. The first is due one period from now.
      this.nextTickNs = this.clock.elapsedNs + ms * 1e6;
      return;
    }
    if (ms > 0 && !this.closed && !this.failure) {
      this.tickTimer = setInterval(() => this.onTick(), ms);
      this.tickTimer.unref();
    }
  }

  private onTick(): void {
    if (this.failure || this.closed) return this.stopTimers();
    try {
      this.invoke('tick', ROOT_CONTEXT_ID, 'proxy_on_tick', [ROOT_CONTEXT_ID], undefined, true);
    } catch {
      /* recorded */
    }
  }

  registerQueue(name: string): number {
    return this.shared.registerQueue(this.vmId, name, this.queueNotify);
  }

  private onQueueReady(id: number): void {
    if (this.failure || this.closed) return;
    try {
      this.invoke('queue_ready', ROOT_CONTEXT_ID, 'proxy_on_queue_ready', [ROOT_CONTEXT_ID, id], undefined, true, undefined, `queue ${id}`);
    } catch {
      /* recorded */
    }
  }

  private stopTimers(): void {
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.tickTimer = undefined;
    this.tickPeriodMs = 0;
    this.shared.unregisterNotify(this.queueNotify);
  }
}

function boolName(v: number): string {
  return v ? 'true' : 'false';
}

function withTimeout(p: Promise<HttpResponse>, ms: number): Promise<HttpResponse> {
  if (!(ms > 0)) return p;
  return new Promise((resolve, reject) => {
    // Envoy's AsyncClient answers a timeout with a 504 response, not a reset.
    const t = setTimeout(() => resolve({ status: 504, headers: [['content-type', 'text/plain']], body: encode('upstream request timeout') }), ms);
    p.then(
      (r) => {
        clearTimeout(t);
        resolve(r);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

export { LOG_LEVELS };
