// The gopls workspaces of one server: whether intelligence is offered at all (gopls installed, a
// sandbox that runs it), one workspace per open project, a bound on how many gopls run at once (in
// all and per client; the least recently used stops first), the memory cap checked for all of them
// with one reading of /proc, and everything stopped at shutdown.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FileMap, IntelligenceStatus, LspOpenAnswer } from '@playground/shared';
import type { Builder } from '../compile/builder.js';
import { BOX, sandboxed, type SandboxMode } from '../compile/sandbox.js';
import { validateFiles } from '../compile/validate.js';
import type { ReplicaRegistry } from '../replicas/registry.js';
import { flagSetting, numberSetting, stringSetting } from '../settings.js';
import { log } from '../util/log.js';
import type { PathMap } from './convert.js';
import { ProcessTable } from '../util/process-table.js';
import { GOPLS_VERSION } from './version.js';
import { GoplsWorkspace, type WorkspaceCaps } from './workspace.js';

const run = promisify(execFile);

/** How often memory is measured. */
const TICK_MS = 1000;
/** Workspaces that are off are remembered this long (their calls answer why), at most this many. */
const FORGET_OFF_MS = 60 * 60_000;
const MAX_OFF_REMEMBERED = 1000;
const REQUEST_TIMEOUT_MS = 10_000;
const DIAGNOSTICS_WAIT_MS = 1500;

type Availability = { available: true; mode: Exclude<SandboxMode, 'docker'>; version: string; binary: string } | { available: false; reason: string };

/** Whether gopls is there and runs in the sandbox (`gopls version` in bubblewrap), or why not. */
async function detect(builder: Builder, binary: string): Promise<Availability> {
  if (stringSetting('PLAYGROUND_GOPLS') === '0') return { available: false, reason: 'Go intelligence is turned off on this server (PLAYGROUND_GOPLS=0)' };
  if (!existsSync(binary)) {
    return { available: false, reason: `gopls is not installed: run \`pnpm run setup\` (it installs gopls ${GOPLS_VERSION} into the data folder's bin)` };
  }
  const mounts = { go: builder.go, modCache: builder.paths.modCache, goCache: builder.paths.goCache, workDir: builder.paths.work };
  const version = async (mode: 'bwrap' | 'none') => {
    const cmd = sandboxed(mode, mounts, ['gopls', 'version'], { tool: binary });
    const { stdout } = await run(cmd.file, cmd.args, { cwd: cmd.cwd, env: mode === 'none' ? cmd.env : {}, timeout: 20_000 });
    return /gopls (v\S+)/.exec(stdout)?.[1] ?? 'unknown';
  };
  try {
    return { available: true, mode: 'bwrap', version: await version('bwrap'), binary };
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    if (!flagSetting('PLAYGROUND_ALLOW_UNSANDBOXED')) {
      return { available: false, reason: `gopls does not run in the bubblewrap sandbox (${why}); Go intelligence runs only sandboxed, like builds` };
    }
    try {
      return { available: true, mode: 'none', version: await version('none'), binary };
    } catch (e) {
      return { available: false, reason: `gopls does not run (${(e as Error).message.split('\n')[0]})` };
    }
  }
}

export class GoplsPool {
  private readonly workspaces = new Map<string, GoplsWorkspace>();
  private readonly offAt = new Map<string, number>();
  private readonly tick: NodeJS.Timeout;
  private measuring = false;
  private stopped = false;
  /** Where other replicas learn that a workspace is ours, so its requests come here. */
  private registry?: ReplicaRegistry;

  private constructor(
    private readonly builder: Builder,
    private readonly availability: Availability,
  ) {
    this.tick = setInterval(() => void this.check(), TICK_MS);
    this.tick.unref();
  }

  static async create(builder: Builder): Promise<GoplsPool> {
    const availability = await detect(builder, path.join(builder.paths.bin, 'gopls'));
    if (availability.available) log.info('lsp.ready', { gopls: availability.version, sandbox: availability.mode });
    else log.warn('lsp.unavailable', { reason: availability.reason });
    return new GoplsPool(builder, availability);
  }

  /** With several replicas: each workspace is claimed, so any replica forwards its requests here. */
  shareOwnershipWith(registry: ReplicaRegistry): void {
    this.registry = registry;
  }

  private claim(id: string): Promise<void> {
    return this.registry?.claim(id).catch((e: Error) => log.warn('lsp.claim-failed', { workspaceId: id, message: e.message })) ?? Promise.resolve();
  }

  private forget(id: string): void {
    this.workspaces.delete(id);
    this.offAt.delete(id);
    void this.registry?.release(id).catch((e: Error) => log.warn('lsp.release-failed', { workspaceId: id, message: e.message }));
  }

  private get max(): number {
    return Math.max(1, numberSetting('PLAYGROUND_GOPLS_MAX'));
  }

  private running(): GoplsWorkspace[] {
    return [...this.workspaces.values()].filter((w) => w.running);
  }

  /** For /api/health. */
  status(): IntelligenceStatus {
    const a = this.availability;
    if (!a.available) return { available: false, reason: a.reason };
    return { available: true, gopls: a.version, running: this.running().length, max: this.max };
  }

  /** A workspace by id, whoever owns it (the routes check the owner). */
  find(id: string): GoplsWorkspace | undefined {
    return this.workspaces.get(id);
  }

  /** Starts gopls on a project for a client; `off` when intelligence is not offered. Throws BadSourcesError. */
  async open(files: FileMap, client: string): Promise<LspOpenAnswer> {
    const a = this.availability;
    if (!a.available) return { off: a.reason, cause: 'unavailable', retry: false };
    if (this.stopped) return { off: 'the server is shutting down', cause: 'shutdown', retry: true };
    validateFiles(files, this.builder.limits);
    this.makeRoom(client);
    const id = randomBytes(12).toString('base64url');
    const dir = path.join(this.builder.paths.work, 'lsp', id);
    const { go, paths, limits } = this.builder;
    const mounts = { go, modCache: paths.modCache, goCache: paths.goCache, workDir: dir };
    // gopls's own cache (type information of the SDK and the standard library) beside the build cache,
    // shared by every workspace, so that a project's first completion does not type-check the SDK again.
    const goplsCache = a.mode === 'bwrap' ? `${BOX.goCache}/gopls` : path.join(paths.goCache, 'gopls');
    const command = sandboxed(a.mode, mounts, ['gopls', 'serve'], { tool: a.binary, env: { GOPLSCACHE: goplsCache } });
    const pathMap: PathMap = {
      view: a.mode === 'bwrap' ? { root: BOX.src, modCache: BOX.modCache, goroot: BOX.goroot } : { root: dir, modCache: paths.modCache, goroot: go.goroot },
      host: { root: dir, modCache: paths.modCache, goroot: go.goroot },
    };
    const caps: WorkspaceCaps = {
      memoryBytes: numberSetting('PLAYGROUND_GOPLS_MEMORY_MB') * 1024 * 1024,
      idleMs: numberSetting('PLAYGROUND_GOPLS_IDLE_MS'),
      startTimeoutMs: numberSetting('PLAYGROUND_GOPLS_START_TIMEOUT_MS'),
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      diagnosticsWaitMs: DIAGNOSTICS_WAIT_MS,
    };
    const ws = new GoplsWorkspace({
      id,
      client,
      dir,
      command,
      paths: pathMap,
      caps,
      fileLimits: limits,
      template: this.builder.templateFiles,
      resolve: async (project) => {
        const r = await this.builder.resolver.resolve(project, (job) => this.builder.queue.run(job, { client }));
        return r.ok ? { goMod: r.goMod, goSum: r.goSum } : null;
      },
      resolveKey: (project) => this.builder.resolver.key(project),
      onOff: (w) => this.offAt.set(w.id, Date.now()),
    });
    this.workspaces.set(id, ws);
    await this.claim(id);
    log.info('lsp.open', { workspaceId: id, client, files: Object.keys(files).length });
    await ws.start(files);
    if (ws.off) return ws.off;
    return { workspaceId: id, goplsVersion: a.version };
  }

  /** Per client, then in all: the least recently used gopls stops to make room for a new one. */
  private makeRoom(client: string): void {
    const lru = (a: GoplsWorkspace, b: GoplsWorkspace) => a.lastUsed - b.lastUsed;
    const perClient = Math.max(1, numberSetting('PLAYGROUND_GOPLS_PER_CLIENT'));
    const mine = this.running().filter((w) => w.client === client).sort(lru);
    while (mine.length >= perClient) {
      mine.shift()!.turnOff('evicted', `Go intelligence stopped for this project: another one was opened (at most ${perClient} at once per client)`);
    }
    // Server full: the client running the most gives up its least recently used.
    for (let all = this.running(); all.length >= this.max; all = this.running()) {
      const held = new Map<string, number>();
      for (const w of all) held.set(w.client, (held.get(w.client) ?? 0) + 1);
      const most = Math.max(...held.values());
      const victim = all.filter((w) => held.get(w.client) === most).sort(lru)[0];
      victim.turnOff('evicted', `Go intelligence stopped for this project to make room for another (at most ${this.max} at once on this server)`);
    }
  }

  /** Stops a workspace and forgets it (its id then answers 404). */
  async close(id: string): Promise<void> {
    const ws = this.workspaces.get(id);
    if (!ws) return;
    this.forget(id);
    await ws.stop('evicted', 'the workspace was closed');
  }

  /** Memory caps (one reading of /proc for every gopls), and forgetting workspaces long off. */
  private async check(): Promise<void> {
    if (this.measuring) return;
    this.measuring = true;
    try {
      const running = this.running().filter((w) => w.pid);
      if (running.length) {
        const table = await ProcessTable.read();
        for (const w of running) w.checkMemory(table);
      }
      const now = Date.now();
      const off = [...this.offAt].sort((a, b) => a[1] - b[1]);
      for (const [i, [id, at]] of off.entries()) {
        if (now - at < FORGET_OFF_MS && off.length - i <= MAX_OFF_REMEMBERED) break;
        this.forget(id);
      }
    } catch (e) {
      log.warn('lsp.check-failed', { message: (e as Error).message });
    } finally {
      this.measuring = false;
    }
  }

  /** Stops every gopls (server shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.tick);
    await Promise.all(this.running().map((w) => w.stop('shutdown', 'the server is shutting down')));
    await Promise.allSettled([...this.workspaces.keys()].map((id) => this.registry?.release(id)));
  }
}
