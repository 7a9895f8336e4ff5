import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic, FileMap } from '@playground/shared';
import type { GoToolchain } from '../toolchain/go.js';
import type { DataPaths } from '../toolchain/paths.js';
import { log } from '../util/log.js';
import { parseDiagnostics, scrubPaths } from './diagnostics.js';
import { goImports } from './imports.js';
import type { BuildLimits } from './limits.js';
import { runCapped } from './run-capped.js';
import { sandboxed, type SandboxMode } from './sandbox.js';
import { writeProject } from './workspace.js';

/** Where the dependency step may download from: the user's GOPROXY without `direct`, and GOSUMDB. */
export interface ModuleSource {
  goproxy: string | null;
  gosumdb: string;
}

export type ResolveResult =
  | { ok: true; goMod: string; goSum: string; cached: boolean; network: boolean; modules: number; durationMs: number }
  | { ok: false; diagnostics: Diagnostic[]; output: string; durationMs: number };

/**
 * The dependency step for projects with their own go.mod: makes every module the build needs
 * present in the shared module cache and returns the go.mod/go.sum the compile will use. It tries
 * offline first (the cache often has everything); only then, inside a sandbox whose only network
 * is the module proxy (GOVCS off, no direct fetches), does it download. Results are cached by
 * go.mod, go.sum and the set of imports, so editing code does not run it again.
 */
export class Resolver {
  private inflight = new Map<string, Promise<ResolveResult>>();
  private memo = new Map<string, ResolveResult>();

  constructor(
    private readonly go: GoToolchain,
    private readonly paths: DataPaths,
    private readonly mode: SandboxMode,
    private readonly limits: BuildLimits,
    private readonly source: ModuleSource,
  ) {}

  private get dir(): string {
    return path.join(this.paths.dataDir, 'resolve');
  }

  key(files: FileMap, withTests = false): string {
    const h = createHash('sha256');
    h.update(`${this.go.version}\0${withTests}\0${files['go.mod']}\0${files['go.sum'] ?? ''}\0`);
    for (const p of Object.keys(files).filter((f) => f.endsWith('.go')).sort()) {
      h.update(`${path.posix.dirname(p)}\0${goImports(files[p]).join(',')}\0`);
    }
    return h.digest('hex').slice(0, 24);
  }

  /** Resolves, or answers from the cache; `slot` runs the real work where builds queue. */
  async resolve(
    files: FileMap,
    slot: <T>(job: () => Promise<T>) => Promise<T> = (job) => job(),
    /** Also resolve what the project's tests import (for exported bundles). */
    withTests = false,
  ): Promise<ResolveResult> {
    const started = performance.now();
    const key = this.key(files, withTests);
    const known = this.memo.get(key) ?? (await this.load(key));
    if (known?.ok) return { ...known, cached: true, network: false, durationMs: Math.round(performance.now() - started) };
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = slot(() => this.run(key, files, started, withTests)).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /** Keeps recent results in memory (bounded); older ones are read back from disk when needed. */
  private remember(key: string, r: ResolveResult): void {
    this.memo.delete(key);
    this.memo.set(key, r);
    if (this.memo.size > 500) this.memo.delete(this.memo.keys().next().value!);
  }

  private async load(key: string): Promise<ResolveResult | null> {
    try {
      const r = JSON.parse(await readFile(path.join(this.dir, `${key}.json`), 'utf8')) as ResolveResult;
      this.remember(key, r);
      return r;
    } catch {
      return null;
    }
  }

  private async run(key: string, files: FileMap, started: number, withTests: boolean): Promise<ResolveResult> {
    const workDir = path.join(this.paths.work, `resolve-${key}-${process.pid}-${Date.now()}`);
    try {
      await writeProject(workDir, files);
      const offline = await this.attempt(workDir, { GOPROXY: 'off', GOSUMDB: 'off' }, false, withTests);
      let outcome = offline;
      if (!offline.ok && this.source.goproxy && /GOPROXY=off|verifying|cannot find module|missing go\.sum entry/.test(offline.output)) {
        log.info('resolve.download', { key, goproxy: this.source.goproxy });
        outcome = await this.attempt(
          workDir,
          {
            GOPROXY: this.source.goproxy,
            GOSUMDB: this.source.gosumdb,
            GOVCS: '*:off',
            GOPRIVATE: '',
            GONOPROXY: '',
            GONOSUMDB: '',
            GOINSECURE: '',
          },
          true,
          withTests,
        );
      }
      const durationMs = Math.round(performance.now() - started);
      if (!outcome.ok) {
        const diagnostics = moduleDiagnostics(outcome.output, files);
        log.info('resolve.failed', { key, durationMs });
        return { ok: false, diagnostics, output: outcome.output, durationMs };
      }
      const goMod = await readFile(path.join(workDir, 'go.mod'), 'utf8');
      const goSum = await readFile(path.join(workDir, 'go.sum'), 'utf8').catch(() => '');
      const check = await this.checkSize(workDir);
      if (typeof check === 'string') {
        return { ok: false, diagnostics: [{ file: 'go.mod', line: 1, column: 1, severity: 'error', message: check }], output: '', durationMs };
      }
      const result: ResolveResult = { ok: true, goMod, goSum, cached: false, network: outcome.network, modules: check, durationMs };
      await this.store(key, result);
      log.info('resolve.done', { key, durationMs, network: outcome.network, modules: check });
      return result;
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  private async attempt(workDir: string, env: Record<string, string>, network: boolean, withTests: boolean) {
    const cmd = sandboxed(
      this.mode,
      { go: this.go, modCache: this.paths.modCache, goCache: this.paths.goCache, workDir },
      ['go', 'list', '-deps', ...(withTests ? ['-test'] : []), './...'],
      { env, network, writableModCache: true },
    );
    const caps = { wallTimeMs: this.limits.resolveTimeMs, memoryBytes: this.limits.memoryBytes, outputBytes: this.limits.outputBytes };
    // Only the errors matter here, not the package list on stdout.
    const run = await runCapped(cmd.file, cmd.args, { cwd: cmd.cwd, env: cmd.env, caps, dropStdout: true });
    const output = scrubPaths(run.output, cmd.scrub);
    if (run.killedFor) return { ok: false, network, output: `the dependency step was stopped (${run.killedFor} limit)\n${output}` };
    return { ok: run.exitCode === 0, network, output };
  }

  /** Counts the modules the build uses and the bytes of their zips; over a cap is an error message. */
  private async checkSize(workDir: string): Promise<number | string> {
    const cmd = sandboxed(this.mode, { go: this.go, modCache: this.paths.modCache, goCache: this.paths.goCache, workDir }, [
      'go', 'list', '-deps', '-f', '{{with .Module}}{{.Path}} {{.Version}}{{end}}', './...',
    ]);
    const caps = { wallTimeMs: 30_000, memoryBytes: this.limits.memoryBytes, outputBytes: this.limits.outputBytes };
    const run = await runCapped(cmd.file, cmd.args, { cwd: cmd.cwd, env: cmd.env, caps });
    if (run.exitCode !== 0) return `the module list could not be read: ${scrubPaths(run.output, cmd.scrub).trim()}`;
    const modules = [...new Set(run.output.split('\n').map((l) => l.trim()))].map((l) => l.split(' ')).filter((p) => p.length === 2);
    if (modules.length > this.limits.maxModules) {
      return `the project needs ${modules.length} modules (at most ${this.limits.maxModules})`;
    }
    let bytes = 0;
    for (const [mod, version] of modules) {
      const zip = path.join(this.paths.modCache, 'cache', 'download', escapeModulePath(mod), '@v', `${version}.zip`);
      bytes += (await stat(zip).catch(() => null))?.size ?? 0;
    }
    if (bytes > this.limits.maxModuleBytes) {
      return `the project's modules take ${(bytes / 2 ** 20).toFixed(0)} MiB (at most ${(this.limits.maxModuleBytes / 2 ** 20).toFixed(0)} MiB)`;
    }
    return modules.length;
  }

  private async store(key: string, result: ResolveResult): Promise<void> {
    this.remember(key, result);
    await mkdir(this.dir, { recursive: true });
    const tmp = path.join(this.dir, `.${key}.${process.pid}.tmp`);
    await writeFile(tmp, JSON.stringify(result));
    await rename(tmp, path.join(this.dir, `${key}.json`));
  }
}

/** The module cache spells upper-case letters as "!" + lower case. */
function escapeModulePath(p: string): string {
  return p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/**
 * Puts dependency failures where the user can act on them: on the go.mod line that asks for the
 * module, or at the import in a .go file.
 */
export function moduleDiagnostics(output: string, files: FileMap): Diagnostic[] {
  const goModLines = (files['go.mod'] ?? '').split('\n');
  // A failure seen from inside a dependency is the same failure; drop the dependency's file position.
  const cleaned = output.replace(/^\/gomodcache\/\S+?\.go:\d+:\d+: /gm, 'go: ');
  const required = goModLines
    .map((text, i) => ({ i, mod: /^\s*(?:require\s+)?([^\s/]+\.[^\s]+\/[^\s]+)\s+v\S+/.exec(text)?.[1] }))
    .filter((r): r is { i: number; mod: string } => !!r.mod);
  const out: Diagnostic[] = [];
  for (const d of parseDiagnostics(cleaned, Object.keys(files))) {
    if (d.file) {
      out.push(d);
      continue;
    }
    const hit = required.filter((r) => d.message.includes(`${r.mod}@`)).sort((a, b) => b.mod.length - a.mod.length)[0];
    if (!hit) {
      out.push(d);
      continue;
    }
    out.push({
      file: 'go.mod',
      line: hit.i + 1,
      column: goModLines[hit.i].indexOf(hit.mod) + 1,
      severity: 'error',
      message: `module ${hit.mod} cannot be had: ${d.message.replace(/^go: /, '')}`,
    });
  }
  const seen = new Set<string>();
  return out.filter((d) => (seen.has(`${d.file}:${d.line}`) ? false : (seen.add(`${d.file}:${d.line}`), true)));
}
