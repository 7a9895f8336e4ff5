import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Builder } from '../src/compile/builder.js';
import { dataPaths } from '../src/toolchain/paths.js';
import { median, ms } from './support.js';

const projectDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'projects', 'sjson-uuid');

async function loadProject(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of await readdir(projectDir)) files[name] = await readFile(path.join(projectDir, name), 'utf8');
  return files;
}

/**
 * The dependency step for a project with its own go.mod (sjson + uuid): answered from the resolve
 * cache, resolved offline from the module cache, and resolved with an empty module cache (every
 * module downloaded through the proxy).
 */
export async function runResolveBench(): Promise<void> {
  const files = await loadProject();
  const vary = (tag: string) => ({ ...files, 'go.mod': `${files['go.mod']}\n// ${tag}\n` });
  const builder = await Builder.create({ slots: 1 });
  const stamp = Date.now();
  await builder.resolver.resolve(vary(`warm-${stamp}`));
  const cached: number[] = [];
  const offline: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await builder.resolver.resolve(vary(`warm-${stamp}`));
    cached.push(r.durationMs);
    const o = await builder.resolver.resolve(vary(`offline-${stamp}-${i}`));
    if (!o.ok || o.network) throw new Error('expected an offline resolve');
    offline.push(o.durationMs);
  }
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'resolve-bench-'));
  let fresh = NaN;
  let freshNote = '';
  try {
    const real = dataPaths();
    const empty = await Builder.create({ slots: 1, paths: { ...real, modCache: path.join(scratch, 'mod'), dataDir: scratch, work: path.join(scratch, 'work'), builds: path.join(scratch, 'builds') } });
    const r = await empty.resolver.resolve(vary(`fresh-${stamp}`));
    fresh = r.durationMs;
    freshNote = r.ok ? `${r.modules} modules downloaded` : `failed: ${r.diagnostics[0]?.message}`;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  console.log('\nDependency step (project with its own go.mod: wasm-go, sjson, uuid)\n');
  console.log(`answered from the resolve cache (median of 5)     ${ms(median(cached)).padStart(10)}`);
  console.log(`resolved offline from the module cache (median)   ${ms(median(offline)).padStart(10)}`);
  console.log(`resolved with an empty module cache               ${ms(fresh).padStart(10)}  (${freshNote})\n`);
}
