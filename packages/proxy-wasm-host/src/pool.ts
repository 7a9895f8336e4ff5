// A pool of idle plugin workers: spawned ahead of time with the host code loaded, so that
// IsolatedPluginVm.start pays neither the thread spawn nor module loading. Workers are single-use:
// a start takes a spare (it becomes that VM's worker and is terminated with it), and the pool
// spawns a replacement in the background. Idle workers are unref'd (they never keep the process
// alive) and run no plugin code, so a runaway VM can only kill its own, already taken, worker.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FromWorker } from './worker-protocol.js';

export interface WorkerPoolOptions {
  /** Idle workers kept ready. Default 1; 0 keeps none (every start spawns). */
  spares?: number;
  /** V8 heap limit of each worker (wasm memory is capped separately by limits.memoryMaxMiB). Default 128. */
  maxOldGenerationSizeMb?: number;
  /** Override the worker entry (defaults to worker.js next to this module, or ../dist/worker.js from src). */
  workerUrl?: URL;
  /**
   * Modules (URLs) each idle worker imports before it reports ready, so that a start using them
   * (IsolatedOptions.io) finds them loaded.
   */
  preload?: string[];
  /**
   * Delay before a take's replacement is spawned, so that loading it does not compete for CPU with
   * the VM start (and first request) that took the spare. Default 100; 0 = right after the take.
   */
  refillDelayMs?: number;
}

export interface WorkerPoolStats {
  /** Idle workers with the host code loaded. */
  ready: number;
  /** Idle workers still loading. */
  loading: number;
  /** Workers handed out to VMs since the pool was created. */
  taken: number;
  /** Workers the pool spawned (spares and on-demand). */
  spawned: number;
  /** Idle workers (ready + loading) whose thread has not exited yet, including ones being shut down. */
  alive: number;
}

export const DEFAULT_MAX_OLD_GENERATION_MB = 128;

export function defaultWorkerUrl(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  // Running from src/ (tests through vitest): use the compiled entry; run `pnpm build` first.
  const dist = new URL('../dist/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(dist))) return dist;
  throw new Error(`worker entry not found at ${fileURLToPath(here)} or ${fileURLToPath(dist)}: build the package first`);
}

/** Spawns an idle plugin worker (it posts `ready` once loaded and waits for `start`). */
export function spawnPluginWorker(workerUrl: URL, maxOldGenerationSizeMb: number, preload: string[] = []): Worker {
  const worker = new Worker(workerUrl, {
    resourceLimits: { maxOldGenerationSizeMb, maxYoungGenerationSizeMb: 32 },
    workerData: { preload },
    stdout: true,
    stderr: true,
  });
  // The worker's own stdout/stderr (e.g. Node warnings) must not reach the embedding process.
  worker.stdout.resume();
  worker.stderr.resume();
  return worker;
}

interface Spare {
  worker: Worker;
  ready: boolean;
  readyPromise: Promise<void>;
  detach(): void;
}

export class WorkerPool {
  readonly spares: number;
  readonly maxOldGenerationSizeMb: number;
  readonly workerUrl: URL;
  readonly refillDelayMs: number;
  readonly preload: string[];
  private readonly idle: Spare[] = [];
  private readonly living = new Set<Worker>();
  private taken = 0;
  private spawned = 0;
  private closed = false;
  private refillScheduled = false;

  constructor(options: WorkerPoolOptions = {}) {
    this.spares = Math.max(0, Math.floor(options.spares ?? 1));
    this.maxOldGenerationSizeMb = options.maxOldGenerationSizeMb ?? DEFAULT_MAX_OLD_GENERATION_MB;
    this.workerUrl = options.workerUrl ?? defaultWorkerUrl();
    this.refillDelayMs = Math.max(0, options.refillDelayMs ?? 100);
    this.preload = options.preload ?? [];
  }

  /** True once shutdown() was called: takes then spawn fresh workers and nothing is kept idle. */
  get isShutDown(): boolean {
    return this.closed;
  }

  stats(): WorkerPoolStats {
    const ready = this.idle.filter((s) => s.ready).length;
    return { ready, loading: this.idle.length - ready, taken: this.taken, spawned: this.spawned, alive: this.living.size };
  }

  /** Fills the pool up to `spares` and resolves when every spare has loaded (or died trying). */
  async warm(): Promise<void> {
    this.refill();
    await Promise.all(this.idle.map((s) => s.readyPromise));
  }

  /**
   * A worker for one VM: a loaded spare if there is one, else one still loading, else a fresh one.
   * The worker is ref'd again (it is the VM's now) and a replacement is spawned in the background.
   */
  take(): { worker: Worker; pooled: boolean } {
    const i = this.idle.findIndex((s) => s.ready);
    const spare = i >= 0 ? this.idle.splice(i, 1)[0] : this.idle.shift();
    let worker: Worker;
    if (spare) {
      spare.detach();
      this.living.delete(spare.worker);
      worker = spare.worker;
      worker.ref();
    } else {
      worker = spawnPluginWorker(this.workerUrl, this.maxOldGenerationSizeMb, this.preload);
      this.spawned++;
    }
    this.taken++;
    this.scheduleRefill();
    return { worker, pooled: !!spare };
  }

  /** Terminates the idle workers; later takes spawn fresh workers and nothing is refilled. Running VMs are not affected. */
  async shutdown(): Promise<void> {
    this.closed = true;
    const spares = this.idle.splice(0);
    await Promise.all(
      spares.map(async (s) => {
        s.detach();
        s.worker.on('error', () => undefined);
        await s.worker.terminate();
        this.living.delete(s.worker);
      }),
    );
  }

  private scheduleRefill(): void {
    if (this.refillScheduled || this.closed) return;
    this.refillScheduled = true;
    // After the current start has posted its work: the spawn itself costs the caller's thread a little.
    const run = () => {
      this.refillScheduled = false;
      this.refill();
    };
    if (this.refillDelayMs > 0) setTimeout(run, this.refillDelayMs).unref();
    else setImmediate(run).unref();
  }

  private refill(): void {
    while (!this.closed && this.idle.length < this.spares) this.idle.push(this.spawnSpare());
  }

  private spawnSpare(): Spare {
    const worker = spawnPluginWorker(this.workerUrl, this.maxOldGenerationSizeMb, this.preload);
    worker.unref();
    this.spawned++;
    this.living.add(worker);
    let settle!: () => void;
    const spare: Spare = { worker, ready: false, readyPromise: new Promise<void>((r) => (settle = r)), detach: () => undefined };
    const onMessage = (m: FromWorker) => {
      if (m.type !== 'ready') return;
      spare.ready = true;
      settle();
    };
    // A spare that dies while idle is dropped (not respawned here, so a broken entry cannot spin).
    const onGone = () => {
      const j = this.idle.indexOf(spare);
      if (j >= 0) this.idle.splice(j, 1);
      this.living.delete(worker);
      settle();
    };
    worker.on('message', onMessage);
    worker.on('error', onGone);
    worker.on('exit', onGone);
    spare.detach = () => {
      worker.off('message', onMessage);
      worker.off('error', onGone);
      worker.off('exit', onGone);
      settle();
    };
    return spare;
  }
}
