import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BuildResult, Diagnostic, FileMap } from '@playground/shared';
import { findGo, type GoToolchain } from '../toolchain/go.js';
import { dataPaths, templateDir, type DataPaths } from '../toolchain/paths.js';
import { numberSetting, stringSetting } from '../settings.js';
import * as metrics from '../ops/metrics.js';
import { log } from '../util/log.js';
import { processAlive } from '../util/process.js';
import type { ReplicaRegistry } from '../replicas/registry.js';
import { BuildBudget } from './budget.js';
import { SpeculativeSkipped } from './errors.js';
import { BuildCache, buildKey, type CachedBuild } from './cache.js';
import { parseDiagnostics, scrubPaths } from './diagnostics.js';
import { Formatter } from '../tools/format.js';
import { Vet } from '../tools/vet.js';
import { SandboxUnavailableError } from './errors.js';
import { buildLimits, capMessage, type BuildLimits } from './limits.js';
import { BuildQueue } from './queue.js';
import { runCapped } from './run-capped.js';
import { detectSandbox, sandboxed, type SandboxMode } from './sandbox.js';
import { Resolver, type ModuleSource, type ResolveResult } from './resolve.js';
import { validateFiles } from './validate.js';
import { writeProject } from './workspace.js';
import { promisify } from 'node:util';

export interface BuilderInfo {
  go: GoToolchain;
  /** `goVersion`: the Go that builds, when it is not the server's (a container build image). */
  sandbox: { mode: SandboxMode; available: boolean; reason?: string; goVersion?: string };
  queue: { running: number; queued: number; slots: number };
}


/** A build under way: its result, who waits for it, and whether anyone asked for it (or only the editor's speculation). */
interface InflightBuild {
  result: Promise<BuildResult>;
  waiters: number;
  /** Drops it from the queue when every waiter went away. */
  abandon: AbortController;
  /** Stops its compile (a speculative build making way). */
  stop: AbortController;
  requested: boolean;
}

/**
 * The build coordinator: validates sources, answers from the content-addressed cache, queues
 * compiler runs, runs `go build` in the sandbox with caps, and turns output into diagnostics.
 */
export class Builder {
  /** Builds under way by id, with how many callers wait for each, so a build nobody wants can leave the queue. */
  private inflight = new Map<string, InflightBuild>();
  private idSeq = 0;
  private registry: ReplicaRegistry | undefined;
  /** Builds this process has put in the shared store. */
  private readonly shared = new Set<string>();
  /** Build seconds per client per minute (PLAYGROUND_BUILD_SECONDS_PER_MINUTE). */
  private readonly budget = new BuildBudget(numberSetting('PLAYGROUND_BUILD_SECONDS_PER_MINUTE'));

  private constructor(
    readonly go: GoToolchain,
    readonly paths: DataPaths,
    readonly sandbox: BuilderInfo['sandbox'],
    readonly limits: BuildLimits,
    readonly cache: BuildCache,
    readonly queue: BuildQueue,
    readonly templateFiles: { goMod: string; goSum: string },
    /** The template plus the test framework, for exported bundles of template projects. */
    readonly exportModuleFiles: { goMod: string; goSum: string },
    /** The dependency step (the resolve bench measures it on its own). */
    readonly resolver: Resolver,
    /** The source analyzer: lints beside each build, and its own tool. */
    readonly vet: Vet,
    /** gofmt, a tool of its own on the same sandbox. */
    readonly formatter: Formatter,
  ) {}

  static async create(opts: { paths?: DataPaths; slots?: number; cacheMaxBytes?: number } = {}): Promise<Builder> {
    const shared = opts.paths ?? dataPaths();
    const go = await findGo();
    // Several servers may share a data folder: each works in a folder of its own and removes only
    // its own, and those of processes that are gone (a crash leaves them behind).
    await sweepWorkFolders(shared.work);
    const paths = { ...shared, work: path.join(shared.work, `${process.pid}-${randomBytes(4).toString('hex')}`) };
    await Promise.all([paths.goCache, paths.modCache, paths.work, paths.builds].map((d) => mkdir(d, { recursive: true })));
    const template = {
      goMod: await readFile(path.join(templateDir, 'go.mod'), 'utf8'),
      goSum: await readFile(path.join(templateDir, 'go.sum'), 'utf8'),
    };
    const mounts = { go, modCache: paths.modCache, goCache: paths.goCache, workDir: paths.work };
    const sandbox = await detectSandbox(mounts);
    const slots =
      opts.slots ?? (numberSetting('PLAYGROUND_BUILD_SLOTS') || Math.max(1, Math.floor(os.availableParallelism() / 2)));
    const cacheMax = opts.cacheMaxBytes ?? numberSetting('PLAYGROUND_BUILD_CACHE_MB') * 1024 * 1024;
    const cache = new BuildCache(paths.builds, cacheMax);
    await cache.load();
    const limits = buildLimits();
    const source = await moduleSource(go);
    const resolver = new Resolver(go, paths, sandbox.mode, limits, source);
    log.info('builder.ready', { go: go.version, sandbox: sandbox.mode, sandboxAvailable: sandbox.available, slots, goproxy: source.goproxy });
    const exportDir = path.join(templateDir, 'prefetch', 'export-test');
    const exportModule = {
      goMod: (await readFile(path.join(exportDir, 'go.mod'), 'utf8')).replace(/^\/\/.*\n/gm, ''),
      goSum: await readFile(path.join(exportDir, 'go.sum'), 'utf8'),
    };
    // gofmt and the analyzer: short jobs, kept apart from compiles but bounded too.
    const tools = new BuildQueue(2, 64, 16);
    const vet = new Vet(go, paths, sandbox, tools);
    const formatter = new Formatter(go, paths, sandbox, limits, tools);
    const queue = new BuildQueue(slots, limits.queueWaiting, limits.queuePerClient);
    return new Builder(go, paths, sandbox, limits, cache, queue, template, exportModule, resolver, vet, formatter);
  }

  /**
   * A speculative build (the sources as typed, before Run) runs only on an idle queue, and only
   * within the client's budget: it must never keep a requested build waiting.
   */
  private checkSpeculative(client: string | undefined): void {
    if (stringSetting('PLAYGROUND_SPECULATIVE_BUILDS') === '0') throw new SpeculativeSkipped('speculative builds are turned off on this server');
    const q = this.queue.stats;
    if (q.running > 0 || q.queued > 0) throw new SpeculativeSkipped('the build queue is busy');
    if (client) {
      try {
        this.budget.check(client);
      } catch {
        throw new SpeculativeSkipped('your build time for this minute is used up');
      }
    }
  }

  /** A requested build needs the slot: a speculative one nobody has asked for yet stops. */
  private stopSpeculative(): void {
    for (const entry of this.inflight.values()) if (!entry.requested) entry.stop.abort();
  }

  /** Removes this process's work folder (at shutdown). */
  async close(): Promise<void> {
    await rm(this.paths.work, { recursive: true, force: true });
  }

  info(): BuilderInfo {
    return { go: this.go, sandbox: this.sandbox, queue: this.queue.stats };
  }

  /**
   * Validates (throws BadSourcesError) and builds, or answers from the cache. When `signal` aborts
   * (the client went away) and no one else waits for the same build, a build still queued is dropped.
   */
  async build(files: FileMap, opts: { signal?: AbortSignal; client?: string; speculative?: boolean } = {}): Promise<BuildResult> {
    const { signal, client, speculative } = opts;
    validateFiles(files, this.limits);
    const started = performance.now();
    let module = this.templateFiles;
    let note = '';
    if ('go.mod' in files) {
      if (!this.sandbox.available) throw new SandboxUnavailableError(this.sandbox.reason ?? 'no sandbox for builds');
      const resolved: ResolveResult = await this.resolver.resolve(files, (job) => this.queue.run(job, { client }));
      if (!resolved.ok) return { ok: false, diagnostics: resolved.diagnostics, output: resolved.output, durationMs: resolved.durationMs };
      if (resolved.network && !resolved.cached) metrics.downloads.inc();
      module = { goMod: resolved.goMod, goSum: resolved.goSum };
      const how = resolved.cached ? 'cached' : resolved.network ? 'downloaded through the module proxy' : 'found in the module cache';
      note = `dependencies: ${resolved.modules} modules, ${how} (${resolved.durationMs} ms)\n`;
    }
    const buildId = buildKey(files, module, this.sandbox.goVersion ?? this.go.version);
    const hit = await this.cache.get(buildId);
    if (hit) {
      metrics.builds.inc({ outcome: 'cached' });
      await this.share(buildId);
      const durationMs = Math.round(performance.now() - started);
      log.info('build.cached', { buildId, durationMs });
      return { ok: true, buildId, cached: true, durationMs, wasmBytes: hit.wasmBytes, output: note + hit.output, diagnostics: hit.diagnostics };
    }
    if (!this.sandbox.available) throw new SandboxUnavailableError(this.sandbox.reason ?? 'no sandbox for builds');
    // A speculative build that was stopped is no build to share: a new one starts.
    let entry = this.inflight.get(buildId);
    if (entry?.stop.signal.aborted) entry = undefined;
    if (speculative && !entry) this.checkSpeculative(client);
    // Identical sources submitted while a build runs share that build.
    if (client && !entry) this.budget.check(client);
    if (!speculative && !entry) this.stopSpeculative();
    if (!entry) {
      const abandon = new AbortController();
      const stop = new AbortController();
      const created: InflightBuild = { result: Promise.resolve(null as unknown as BuildResult), waiters: 0, abandon, stop, requested: !speculative };
      created.result = this.queuedBuild(buildId, files, module, started, abandon.signal, client, stop.signal)
        .then((r) => ({ ...r, output: note + r.output }))
        .finally(() => this.inflight.get(buildId) === created && this.inflight.delete(buildId));
      entry = created;
      this.inflight.set(buildId, entry);
    }
    if (!speculative) entry.requested = true;
    const shared = entry;
    shared.waiters++;
    signal?.addEventListener('abort', () => {
      if (--shared.waiters === 0) shared.abandon.abort();
    });
    const result = await shared.result;
    if (!result.ok && shared.stop.signal.aborted) throw new SpeculativeSkipped('a build someone asked for needed the slot');
    if (result.ok) await this.share(result.buildId);
    return result;
  }

  /**
   * go.mod and go.sum that build the sources and `extra` files (an exported test) offline: the
   * template's with the test framework, or the project's own resolved with the extra files' imports.
   */
  async exportModule(files: FileMap, extra: Record<string, string>): Promise<ResolveResult | { ok: true; goMod: string; goSum: string }> {
    if (!('go.mod' in files)) return { ok: true, ...this.exportModuleFiles };
    return this.resolver.resolve({ ...files, ...extra }, (job) => this.queue.run(job), true);
  }

  /** The go.mod and go.sum a build was made with (the template's, or the user's as resolved). */
  async moduleFiles(buildId: string): Promise<{ goMod: string; goSum: string } | null> {
    if (!(await this.wasmFor(buildId))) return null;
    const meta = await this.cache.get(buildId);
    return meta ? { goMod: meta.goMod ?? this.templateFiles.goMod, goSum: meta.goSum ?? this.templateFiles.goSum } : null;
  }

  /** Shares built modules with the other replicas (PostgreSQL), when there are some. */
  shareBuildsWith(registry: ReplicaRegistry): void {
    this.registry = registry;
  }

  /**
   * Puts a build in the shared store (once per build and process) before its id is handed out, so
   * a session may start from it on any replica at once.
   */
  private async share(buildId: string): Promise<void> {
    if (!this.registry?.self || this.shared.has(buildId)) return;
    const meta = await this.cache.get(buildId);
    if (!meta) return;
    await this.registry
      .putBuild(buildId, { meta, wasm: await readFile(this.cache.wasmPath(buildId)) })
      .then(() => this.shared.add(buildId), (e: Error) => log.warn('build.share-failed', { buildId, message: e.message }));
  }

  /**
   * The module of a build: from this server's cache, or (several replicas) from the one that built
   * it, through the shared store. Null for an unknown build.
   */
  async wasmFor(buildId: string): Promise<string | null> {
    const local = this.wasmPath(buildId);
    if (local || !/^[0-9a-f]{24}$/.test(buildId)) return local;
    const shared = await this.registry?.getBuild(buildId);
    if (!shared) return null;
    const file = path.join(this.paths.work, `fetched-${buildId}.wasm`);
    await writeFile(file, shared.wasm);
    await this.cache.put(shared.meta as CachedBuild, file);
    return this.wasmPath(buildId);
  }

  wasmPath(buildId: string): string | null {
    return /^[0-9a-f]{24}$/.test(buildId) && this.cache.has(buildId) ? this.cache.wasmPath(buildId) : null;
  }

  private async queuedBuild(
    buildId: string,
    files: FileMap,
    module: { goMod: string; goSum: string },
    started: number,
    abandon: AbortSignal,
    client: string | undefined,
    stop: AbortSignal,
  ): Promise<BuildResult> {
    let waitedBehind = 0;
    const result = await this.queue.run(
      async () => {
        const queuedMs = Math.round(performance.now() - started);
        metrics.buildWaitSeconds.observe(queuedMs / 1000);
        const t0 = performance.now();
        const r = await this.compile(buildId, files, module, stop);
        if (client) this.budget.spend(client, (performance.now() - t0) / 1000);
        const note = waitedBehind ? `waited ${queuedMs} ms in the build queue (position ${waitedBehind})\n` : '';
        return { ...r, output: note + r.output };
      },
      {
        client,
        onQueued: (position) => {
          waitedBehind = position;
          log.info('build.queued', { buildId, client, position });
        },
        signal: abandon,
      },
    );
    const durationMs = Math.round(performance.now() - started);
    metrics.builds.inc({ outcome: result.ok ? 'ok' : 'failed' });
    if (result.ok) metrics.buildSeconds.observe(durationMs / 1000);
    return { ...result, durationMs };
  }

  private async compile(buildId: string, files: FileMap, module: { goMod: string; goSum: string }, stop?: AbortSignal): Promise<BuildResult> {
    const workDir = await mkdtemp(path.join(this.paths.work, `${buildId}-${++this.idSeq}-`));
    try {
      await writeProject(workDir, { ...files, 'go.mod': module.goMod, 'go.sum': module.goSum });
      const cmd = sandboxed(this.sandbox.mode, this.mounts(workDir), [
        'go', 'build', '-buildmode=c-shared', '-trimpath', '-o', 'main.wasm', '.',
      ]);
      log.info('build.started', { buildId, sandbox: this.sandbox.mode });
      // Lints come from reading the same sources; they run beside the compiler and never fail a build.
      const lints = this.vet.analyzeDir(workDir).then(
        (a) => a.diagnostics,
        (err: Error) => (log.warn('build.lint-failed', { buildId, message: err.message }), [] as Diagnostic[]),
      );
      const run = await runCapped(cmd.file, cmd.args, { cwd: cmd.cwd, env: cmd.env, caps: this.limits, signal: stop });
      // "# <package>" headers say which package failed; the diagnostics carry the file anyway.
      const output = scrubPaths(run.output, cmd.scrub).replace(/^# \S+\n/gm, '');
      const warnings = await lints;
      const durationMs = Math.round(run.durationMs);
      if (run.killedFor || run.exitCode !== 0) {
        const diagnostics: Diagnostic[] = run.killedFor
          ? [{ file: '', line: 0, column: 0, severity: 'error', message: capMessage(run.killedFor, this.limits) }]
          : parseDiagnostics(output, Object.keys(files));
        if (!diagnostics.length) diagnostics.push({ file: '', line: 0, column: 0, severity: 'error', message: `go build failed (exit ${run.exitCode})` });
        log.info('build.failed', { buildId, durationMs, killedFor: run.killedFor, diagnostics: diagnostics.length });
        return { ok: false, diagnostics: [...diagnostics, ...warnings], output };
      }
      const wasmFile = path.join(workDir, 'main.wasm');
      const wasmBytes = (await stat(wasmFile)).size;
      if (wasmBytes > this.limits.wasmBytes) {
        const message = `the module is ${wasmBytes} bytes, over the ${this.limits.wasmBytes} byte cap`;
        return { ok: false, diagnostics: [{ file: '', line: 0, column: 0, severity: 'error', message }], output };
      }
      await this.cache.put({ buildId, wasmBytes, output, diagnostics: warnings, durationMs, goMod: module.goMod, goSum: module.goSum }, wasmFile);
      log.info('build.done', { buildId, durationMs, wasmBytes });
      return { ok: true, buildId, cached: false, durationMs, wasmBytes, output, diagnostics: warnings };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  private mounts(workDir: string) {
    return { go: this.go, modCache: this.paths.modCache, goCache: this.paths.goCache, workDir };
  }
}

/**
 * Where the dependency step may download from: the user's GOPROXY (as `go env` reports it) without
 * `direct` or `off`, so modules only ever come through a proxy, and the user's GOSUMDB.
 */
async function moduleSource(go: GoToolchain): Promise<ModuleSource> {
  if (stringSetting('PLAYGROUND_RESOLVE_NETWORK') === '0') return { goproxy: null, gosumdb: 'off' };
  const { stdout } = await promisify(execFile)(go.goBinary, ['env', 'GOPROXY', 'GOSUMDB'], { env: { ...process.env, GOTOOLCHAIN: 'local' } });
  const [goproxy, gosumdb] = stdout.trim().split('\n');
  const proxies = goproxy.split(/[,|]/).filter((p) => p && p !== 'direct' && p !== 'off');
  return { goproxy: proxies.length ? proxies.join(',') : null, gosumdb: gosumdb || 'sum.golang.org' };
}

/** Removes work folders whose process (`<pid>-...`) is no longer running, and unnamed leftovers. */
async function sweepWorkFolders(root: string): Promise<void> {
  const entries = await readdir(root).catch(() => [] as string[]);
  await Promise.all(
    entries.map(async (name) => {
      const pid = /^(\d+)-[0-9a-f]+$/.exec(name)?.[1];
      if (pid && processAlive(Number(pid))) return;
      await rm(path.join(root, name), { recursive: true, force: true });
    }),
  );
}

