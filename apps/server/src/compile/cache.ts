import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic, FileMap } from '@playground/shared';
import { log } from '../util/log.js';
import { processAlive } from '../util/process.js';

/** Bump when the build recipe (flags, environment) changes, so old artefacts are not reused. */
const RECIPE = 'wasip1-c-shared-trimpath-v1';

export interface CachedBuild {
  buildId: string;
  wasmBytes: number;
  output: string;
  diagnostics: Diagnostic[];
  durationMs: number;
  /** The module files the build used (absent in entries from before trees were supported). */
  goMod?: string;
  goSum?: string;
}


/** The build id: a hash of everything that decides the output, in a canonical order. */
export function buildKey(files: FileMap, template: { goMod: string; goSum: string }, goVersion: string): string {
  const h = createHash('sha256');
  const field = (s: string) => h.update(`${Buffer.byteLength(s)}:${s};`);
  field(RECIPE);
  field(goVersion);
  field(template.goMod);
  field(template.goSum);
  for (const name of Object.keys(files).sort()) {
    field(name);
    field(files[name]);
  }
  return h.digest('hex').slice(0, 24);
}

/**
 * Successful builds on disk, one folder per build id (main.wasm + meta.json), bounded in total
 * size with least-recently-used eviction. Writes go to a temp folder renamed into place, so a
 * crash never leaves a half-written entry.
 */
export class BuildCache {
  private entries = new Map<string, { bytes: number; lastUsed: number }>();

  constructor(
    readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  async load(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const id of await readdir(this.dir)) {
      if (id.startsWith('.')) {
        // A half-written entry: ours from a crash, or another live server's (it renames it soon).
        const pid = Number(/^\.tmp-.*-(\d+)-\d+$/.exec(id)?.[1]);
        if (!pid || !processAlive(pid)) await rm(path.join(this.dir, id), { recursive: true, force: true });
        continue;
      }
      const s = await stat(path.join(this.dir, id, 'main.wasm')).catch(() => null);
      if (s) this.entries.set(id, { bytes: s.size, lastUsed: s.mtimeMs });
      else await rm(path.join(this.dir, id), { recursive: true, force: true });
    }
  }

  wasmPath(id: string): string {
    return path.join(this.dir, id, 'main.wasm');
  }

  /** Also finds an entry another server on the same data folder added since this one loaded. */
  has(id: string): boolean {
    if (this.entries.has(id)) return true;
    const s = statSync(this.wasmPath(id), { throwIfNoEntry: false });
    if (s) this.entries.set(id, { bytes: s.size, lastUsed: s.mtimeMs });
    return !!s;
  }

  async get(id: string): Promise<CachedBuild | null> {
    const entry = this.entries.get(id);
    if (!entry) return null;
    try {
      const meta = JSON.parse(await readFile(path.join(this.dir, id, 'meta.json'), 'utf8')) as CachedBuild;
      this.touch(id);
      return meta;
    } catch {
      this.entries.delete(id);
      return null;
    }
  }

  /** Marks a build as used now (memory and file time, so the order survives a restart). */
  touch(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.lastUsed = Date.now();
    const now = new Date();
    utimes(this.wasmPath(id), now, now).catch(() => {});
  }

  async put(meta: CachedBuild, wasmFile: string): Promise<void> {
    const tmp = path.join(this.dir, `.tmp-${meta.buildId}-${process.pid}-${Date.now()}`);
    await mkdir(tmp, { recursive: true });
    await rename(wasmFile, path.join(tmp, 'main.wasm'));
    await writeFile(path.join(tmp, 'meta.json'), JSON.stringify(meta));
    const final = path.join(this.dir, meta.buildId);
    await rm(final, { recursive: true, force: true });
    await rename(tmp, final);
    this.entries.set(meta.buildId, { bytes: meta.wasmBytes, lastUsed: Date.now() });
    await this.evict();
  }

  totalBytes(): number {
    let total = 0;
    for (const e of this.entries.values()) total += e.bytes;
    return total;
  }

  private async evict(): Promise<void> {
    let total = this.totalBytes();
    if (total <= this.maxBytes) return;
    const oldestFirst = [...this.entries].sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [id, e] of oldestFirst) {
      if (total <= this.maxBytes) break;
      this.entries.delete(id);
      total -= e.bytes;
      await rm(path.join(this.dir, id), { recursive: true, force: true });
      log.info('build.evicted', { buildId: id, bytes: e.bytes });
    }
  }
}
