// The plugin as a gateway runs it: one VM per worker thread, created at start on every worker (ENVOY
// http/wasm/wasm_filter.cc FilterConfig -> getOrCreateThreadLocalPlugin, CPPH wasm.cc), sharing
// only shared data, queues and stats. Each connection belongs to one worker for its whole life;
// the kernel picks the worker (SO_REUSEPORT), the playground takes them in turn so both show.
//
// Envoy's main thread runs the plugin too, never for a request. Its base VM only runs _initialize
// (CPPH createWasm; the others are clones of it): the host does not make one. Then the configuration
// canary (CPPH wasm.cc WasmHandleBase::canary, from createWasm when the config is loaded): a VM
// that runs _initialize, proxy_on_vm_start and proxy_on_configure and is then killed (no
// proxy_on_done); when its configure fails, the config is rejected and no worker VM is made. Then
// the main thread's own VM (ENVOY thread_local_impl.cc SlotImpl::set runs the filter's
// getOrCreateThreadLocalPlugin on the main dispatcher as on each worker): configured like a
// worker's, its ticks fire, its callouts and queues are answered, but no request reaches it. So a
// plugin sees proxy_on_configure workers + 2 times, and proxy_on_tick workers + 1 times a period.
// A main VM that waits for nothing after configure (no tick period, queue, callout or Redis call
// in flight) can never run again: the playground drops it then, to spare its memory.
//
// A VM that fails (a trap, a Go panic outside the wrapper's recover, out of memory) stays failed for
// the rest of its streams; the next stream on that worker rebuilds it (E127 wasm_filter.h
// FilterConfig::createFilter -> PluginHandleSharedPtrThreadLocal::recover, at most once per 5 s per
// worker): a fresh instance runs _initialize, proxy_on_vm_start and proxy_on_configure again, so Go
// globals start over. While a worker's VM is failed, its streams get 503 (FAIL_CLOSE) or skip the
// plugin (FAIL_OPEN).
import { VirtualClock } from './clock.js';
import { loadModule } from './compile.js';
import type { StreamContext } from './context.js';
import { FilterManager, type FilterVm } from './filter-manager.js';
import { Metrics } from './metrics.js';
import { resolveProfile, type GatewayProfile } from './profile.js';
import { DEFAULT_PROPERTIES } from './properties.js';
import { SharedData } from './shared-data.js';
import { SharedQueues } from './shared-queue.js';
import { TickBudget } from './ticks.js';
import type {
  AdvanceResult,
  CalloutRecord,
  ExchangeRecord,
  HostNote,
  HttpRequest,
  LogEntry,
  MetricSnapshot,
  ProxyWasmVm,
  StartResult,
  StreamIo,
  TimelineEntry,
  VmOptions,
} from './types.js';
import { DEFAULT_LIMITS, PluginVm, type PluginShared, type VmHooks } from './wasm.js';
import './webassembly.js';

/** The other workers' VMs start after the first request, or after this long without one. */
const OTHER_WORKERS_AFTER_MS = 200;

/** E127 wasm.cc MIN_RECOVER_INTERVAL_SECONDS. */
export const MIN_RECOVER_INTERVAL_MS = 5000;
/** advanceTime stops (with an error) after this many ticks in one call. */
const MAX_TICKS_PER_ADVANCE = 100_000;

interface Worker {
  vm: PluginVm | undefined;
  /** Set while the worker's first VM is starting; `waiting`: it has not been started yet. */
  starting?: Promise<void>;
  waiting?: boolean;
  /** Why the worker has no running VM. */
  failure: string | undefined;
  /** When a rebuild was last tried (0: never, so the first try is immediate). */
  lastRecoverMs: number;
  /** How many VMs this worker has had. */
  generation: number;
}

export class GatewayPlugin implements ProxyWasmVm {
  readonly profile: GatewayProfile;
  private readonly workers: Worker[] = [];
  /** The main thread's VM: started with the other workers; dropped once it waits for nothing. */
  private main: { vm?: PluginVm; starting?: Promise<void>; waiting: boolean } = { waiting: true };
  private readonly shared: PluginShared;
  private readonly connections = new Map<string, number>();
  private nextWorker = 0;
  private nextConnectionId = 1;
  private closed = false;

  private constructor(
    private readonly module: WebAssembly.Module,
    private readonly options: VmOptions,
    private readonly hooks: VmHooks,
  ) {
    this.profile = resolveProfile(options.profile, options.profileOverrides);
    this.shared = {
      sharedData: new SharedData(),
      queues: new SharedQueues(),
      metrics: new Metrics(),
      ...(options.clock === 'virtual' ? { clock: new VirtualClock(options.clockStartMs) } : {}),
      tickBudget: new TickBudget(options.limits?.tickBudgetPercent ?? 100),
    };
  }

  /**
   * Loads the plugin, runs the configuration canary, and starts one VM per worker and one for the
   * main thread (each runs _initialize, vm_start and configure). Resolves once the first worker's
   * VM is configured; the other workers and the main thread's VM start once the first request is
   * done, or after a moment without one (a request for one of them waits for it), so a session is
   * ready, and answers its first request, in two VMs' time. Throws only when the module cannot be
   * loaded; a plugin that fails to start (the canary or the first worker) resolves with
   * `configured: false` and the reason. The start's logs and timeline are the canary's, then the
   * first worker's.
   */
  static async start(wasm: Uint8Array | WebAssembly.Module, options: VmOptions, hooks: VmHooks = {}): Promise<StartResult<GatewayPlugin>> {
    const maxMiB = options.limits?.memoryMaxMiB ?? DEFAULT_LIMITS.memoryMaxMiB;
    const module = await loadModule(wasm, maxMiB);
    const plugin = new GatewayPlugin(module, options, hooks);
    // Killed by PluginVm.start as soon as it is configured.
    const canary = await PluginVm.start(module, options, plugin.shared, 'canary', hooks);
    hooks.dropped?.();
    if (!canary.configured) {
      plugin.close();
      // A fault in _initialize happens first on Envoy's base VM ("Failed to initialize Wasm code"),
      // which runs only _initialize and which the playground does not model apart from the canary.
      const where = /^plugin failed in runtime init/.test(canary.error ?? '')
        ? 'the VM failed to initialize (Envoy: "Failed to initialize Wasm code")'
        : 'the configuration canary failed';
      return { ...canary, error: `${where}, so the gateway rejects this config: ${canary.error}`, vm: plugin };
    }
    const first = await PluginVm.start(module, options, plugin.shared, 0, hooks);
    const started = { ...first, logs: [...canary.logs, ...first.logs], timeline: [...canary.timeline, ...first.timeline] };
    plugin.workers.push({ vm: first.vm, failure: first.configured ? undefined : first.error, lastRecoverMs: 0, generation: 1 });
    if (!first.configured) {
      plugin.close();
      return { ...started, vm: plugin };
    }
    for (let w = 1; w < plugin.profile.workers; w++) plugin.workers.push({ vm: undefined, failure: undefined, lastRecoverMs: 0, generation: 1, waiting: true });
    setTimeout(() => plugin.startWaiting(), OTHER_WORKERS_AFTER_MS).unref();
    return { ...started, vm: plugin };
  }

  /** Starts the main thread's VM and the workers whose VM has not been started yet. */
  private startWaiting(): void {
    if (this.main.waiting && !this.closed) {
      this.main.waiting = false;
      this.main.starting = PluginVm.start(this.module, this.options, this.shared, 'main', this.hooks).then(
        (r) => {
          // Not configured (CPPH getOrCreateThreadLocalPlugin drops it: its on_done runs), or closed,
          // or waiting for nothing: nothing can call into it again.
          if (this.closed || !r.configured) r.vm.close();
          else if (!r.vm.waitsForEvents) r.vm.kill();
          else return void (this.main.vm = r.vm);
          this.hooks.dropped?.();
        },
        () => undefined,
      );
    }
    this.workers.forEach((worker, w) => {
      if (!worker.waiting || this.closed) return;
      worker.waiting = false;
      worker.starting = PluginVm.start(this.module, this.options, this.shared, w, this.hooks).then(
        (r) => {
          worker.vm = r.vm;
          if (!r.configured) worker.failure = r.error ?? 'the VM failed to start';
          if (this.closed) r.vm.close();
        },
        (e: Error) => void (worker.failure = e.message),
      );
    });
  }

  /** Resolves once every worker's first VM has started (or failed to). */
  async ready(): Promise<void> {
    this.startWaiting();
    await Promise.all([...this.workers.map((w) => w.starting), this.main.starting]);
  }

  // ---- requests -----------------------------------------------------------------------------

  /** Runs one HTTP exchange on the worker that owns its connection. Never rejects. */
  async handle(req: HttpRequest, io: StreamIo): Promise<ExchangeRecord> {
    const connectionId = req.connection?.id ?? this.nextConnectionId++;
    // A request without a connection is a connection of its own: keyed apart from the ids clients
    // name, so it never joins one of theirs.
    const key = req.connection?.id !== undefined ? `c${connectionId}` : `a${connectionId}`;
    let w = this.connections.get(key);
    if (w === undefined) {
      w = this.nextWorker;
      this.nextWorker = (this.nextWorker + 1) % this.profile.workers;
      // Remember a few recent connections (keep-alive clients reuse theirs).
      this.connections.set(key, w);
      if (this.connections.size > 1024) this.connections.delete(this.connections.keys().next().value!);
    }
    const notes: HostNote[] = [];
    const vm = await this.vmFor(w, notes);
    const fm = new FilterManager(req, io, {
      vm: vm ?? (this.profile.failStrategy === 'FAIL_OPEN' ? null : deadVm(w, this.workers[w]?.failure ?? 'the plugin VM is closed')),
      profile: this.profile,
      stallTimeoutMs: this.options.limits?.streamTimeoutMs ?? DEFAULT_LIMITS.streamTimeoutMs,
      properties: { ...DEFAULT_PROPERTIES, ...(this.options.properties ?? {}) },
      nowMs: this.shared.clock ? () => this.shared.clock!.nowMs() : undefined,
      connectionId,
    });
    for (const n of notes) fm.ctx.note(n);
    if (!vm && this.profile.failStrategy === 'FAIL_OPEN') {
      fm.ctx.note({ code: 'fail_open', message: `worker ${w}'s VM is failed; with failStrategy FAIL_OPEN the gateway runs this request without the plugin` });
    }
    const record = await fm.run();
    if (!vm) record.worker = w;
    // The first request is answered: now the other workers' VMs and the main thread's (see start).
    if (this.main.waiting) setTimeout(() => this.startWaiting(), 0).unref();
    return record;
  }

  /** The worker's running VM, rebuilding a failed one when the recovery interval allows. */
  private async vmFor(w: number, notes: HostNote[]): Promise<PluginVm | undefined> {
    const worker = this.workers[w];
    if (!worker || this.closed) return undefined;
    if (worker.waiting) this.startWaiting();
    if (worker.starting) {
      await worker.starting;
      worker.starting = undefined;
    }
    if (worker.vm && !worker.vm.failed && !worker.failure) return worker.vm;
    worker.failure = worker.vm?.failed ?? worker.failure;
    const now = Date.now();
    if (now - worker.lastRecoverMs < MIN_RECOVER_INTERVAL_MS) {
      notes.push({
        code: 'vm_failed',
        message: `worker ${w}'s VM failed (${firstLine(worker.failure ?? '')}) and the gateway rebuilds a VM at most once every ${MIN_RECOVER_INTERVAL_MS / 1000} s; until then this worker's requests get ${this.profile.failStrategy === 'FAIL_OPEN' ? 'no plugin' : '503'}`,
      });
      return undefined;
    }
    worker.lastRecoverMs = now;
    worker.vm?.close();
    worker.vm = undefined;
    this.hooks.dropped?.();
    const r = await PluginVm.start(this.module, this.options, this.shared, w, this.hooks).catch((e: Error) => ({ configured: false, error: e.message, vm: undefined }));
    if (!r.configured || !r.vm) {
      r.vm?.close();
      worker.failure = r.error ?? 'the rebuilt VM failed to start';
      notes.push({ code: 'vm_failed', message: `worker ${w}'s VM failed and rebuilding it failed too: ${firstLine(worker.failure)}` });
      return undefined;
    }
    worker.vm = r.vm;
    worker.generation++;
    notes.push({
      code: 'vm_recovered',
      message: `worker ${w}'s VM had failed (${firstLine(worker.failure ?? '')}); the gateway built a fresh one for this request: _initialize, proxy_on_vm_start and proxy_on_configure ran again and Go globals started over (shared data survives)`,
    });
    worker.failure = undefined;
    return r.vm;
  }

  // ---- the plugin as a whole ---------------------------------------------------------------

  /** The worker VMs (undefined where a VM failed and was not rebuilt yet, or is still starting). */
  get vms(): (PluginVm | undefined)[] {
    return this.workers.map((w) => w.vm);
  }

  /** The main thread's VM while it waits for ticks, queues or answers (undefined before it started, or once dropped). */
  get mainVm(): PluginVm | undefined {
    return this.main.vm;
  }

  /** Set when the plugin was closed; a failed worker VM is rebuilt, so it is not reported here. */
  get failed(): string | undefined {
    return this.closed ? 'the plugin VM is closed' : undefined;
  }

  metrics(): MetricSnapshot[] {
    return this.shared.metrics.snapshot();
  }

  memoryBytes(): number {
    return this.workers.reduce((n, w) => n + (w.vm?.memoryBytes() ?? 0), this.main.vm?.memoryBytes() ?? 0);
  }

  /** Shared data keys of the plugin (inspection). */
  sharedDataKeys(): string[] {
    return this.shared.sharedData.keys(this.options.vmId ?? '');
  }

  /** The plugin's wall time (epoch ms): the virtual clock's, or the real time. */
  clockNow(): number {
    return this.shared.clock ? this.shared.clock.nowMs() : Date.now();
  }

  /**
   * Virtual clock only: moves the plugin's time forward by `ms`, firing every tick of every VM (the
   * main thread's and each worker's) that falls due, in order (ties: the main thread, then lower
   * workers first), with the clock at each tick's due time; then sets the clock to the end of the
   * interval. Waits for VMs still starting.
   */
  async advanceTime(ms: number): Promise<AdvanceResult> {
    const clock = this.shared.clock;
    if (!clock) throw new Error("advanceTime needs a virtual clock: start the VM with clock: 'virtual'");
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceTime: ms must be a finite number >= 0 (got ${ms})`);
    await this.ready();
    const capture = { logs: [] as LogEntry[], timeline: [] as TimelineEntry[], callouts: [] as CalloutRecord[] };
    const target = clock.elapsedNs + Math.round(ms * 1e6);
    let ticks = 0;
    let error: string | undefined;
    const live = [this.main.vm, ...this.workers.map((w) => w.vm)].filter((v): v is PluginVm => !!v && !v.failed && !v.isClosed);
    for (const vm of live) vm.capture = capture;
    try {
      for (;;) {
        let due: PluginVm | undefined;
        for (const vm of live) if (!vm.failed && vm.ticks.dueBy(target) && (!due || vm.ticks.nextDueNs < due.ticks.nextDueNs)) due = vm;
        if (!due) break;
        if (ticks >= MAX_TICKS_PER_ADVANCE) {
          error = `advanceTime stopped after ${MAX_TICKS_PER_ADVANCE} ticks (tick period ${due.ticks.periodMs} ms)`;
          break;
        }
        clock.elapsedNs = Math.max(clock.elapsedNs, due.ticks.nextDueNs);
        due.ticks.advance();
        due.onTick();
        ticks++;
      }
      if (clock.elapsedNs < target) clock.elapsedNs = target;
    } finally {
      for (const vm of live) vm.capture = undefined;
    }
    const failedNow = live.find((v) => v.failed)?.failed;
    error ??= failedNow ?? (this.closed ? 'the plugin VM is closed' : undefined);
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

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.main.vm?.close();
    for (const w of this.workers) w.vm?.close();
  }
}

/** A worker whose VM is failed and not rebuilt (fail-closed): every callback fails at once. */
function deadVm(worker: number, failure: string): FilterVm {
  return {
    worker,
    headersStopIterationAllowed: true,
    failed: failure,
    newContextId: () => 0,
    attach: () => undefined,
    callStream: () => ({ ok: false, failure: `the plugin VM is not running: ${failure}` }),
    finishStream: (_ctx: StreamContext) => undefined,
  };
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

/** The same gateway with no plugin at all: baselines and "without the plugin" comparisons. */
export function handleWithoutPlugin(req: HttpRequest, io: StreamIo, options: Pick<VmOptions, 'profile' | 'profileOverrides' | 'properties' | 'limits'> = {}): Promise<ExchangeRecord> {
  return new FilterManager(req, io, {
    vm: null,
    profile: resolveProfile(options.profile, options.profileOverrides),
    stallTimeoutMs: options.limits?.streamTimeoutMs ?? DEFAULT_LIMITS.streamTimeoutMs,
    properties: { ...DEFAULT_PROPERTIES, ...(options.properties ?? {}) },
    connectionId: 0,
  }).run();
}
