import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Builder } from '../src/compile/builder.js';
import { createApp } from '../src/api/app.js';
import { createPlayground } from '../src/playground.js';
import { dataPaths, examplesDir } from '../src/toolchain/paths.js';
import { median, ms, rawGoBuild } from './support.js';
import type { AddressInfo } from 'node:net';

const WARM_RUNS = 5;
const HIT_RUNS = 30;

/** Cold (empty build cache), warm after a one-line change, and cache hit, beside raw go build. */
export async function runBuildBench(): Promise<void> {
  const source = await readFile(path.join(examplesDir, 'hello-world', 'main.go'), 'utf8');
  const vary = (i: number, tag: string) => source.replace('log.Info("added header hello: world")', `log.Info("added header hello: world ${tag} ${i}")`);
  const real = dataPaths();
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'bench-'));
  const rows: [string, number, number][] = [];
  try {
    // Cold: both start from their own empty Go build cache.
    const coldPaths = { ...real, goCache: path.join(scratch, 'gocache-pg'), builds: path.join(scratch, 'builds'), work: path.join(scratch, 'work') };
    const cold = await Builder.create({ paths: coldPaths, slots: 1 });
    const coldPg = (await cold.build({ 'main.go': vary(0, 'cold') })).durationMs;
    const coldRaw = await rawGoBuild(vary(0, 'cold'), { modCache: real.modCache, goCache: path.join(scratch, 'gocache-raw') });
    rows.push(['cold build (empty build cache)', coldPg, coldRaw]);

    // Warm: one-line change each time, through the HTTP API, against the playground's real caches.
    const playground = await createPlayground({ slots: 1 });
    const app = createApp(playground);
    const server = await new Promise<ReturnType<typeof app.listen>>((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/build`;
    const post = async (files: Record<string, string>) => {
      const started = performance.now();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ files }) });
      const json = (await res.json()) as { ok: boolean; cached: boolean };
      if (!json.ok) throw new Error('bench build failed');
      return { ms: performance.now() - started, cached: json.cached };
    };
    const stamp = Date.now();
    await post({ 'main.go': vary(-1, `warmup-${stamp}`) });
    await rawGoBuild(vary(-1, `warmup-${stamp}`), { modCache: real.modCache, goCache: real.goCache });
    const warmPg: number[] = [];
    const warmRaw: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      warmPg.push((await post({ 'main.go': vary(i, `pg-${stamp}`) })).ms);
      warmRaw.push(await rawGoBuild(vary(i, `raw-${stamp}`), { modCache: real.modCache, goCache: real.goCache }));
    }
    rows.push([`warm build, one-line change (median of ${WARM_RUNS}, over HTTP)`, median(warmPg), median(warmRaw)]);

    // Cache hit: the same source again; the baseline is a raw warm build of it.
    const hitFiles = { 'main.go': vary(0, `pg-${stamp}`) };
    const hits: number[] = [];
    for (let i = 0; i < HIT_RUNS; i++) {
      const r = await post(hitFiles);
      if (!r.cached) throw new Error('expected a cache hit');
      hits.push(r.ms);
    }
    rows.push([`cache hit (median of ${HIT_RUNS}, over HTTP)`, median(hits), median(warmRaw)]);
    server.close();
    await playground.stop();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }

  console.log('\nBuilds: playground vs raw `go build -buildmode=c-shared` of the same source (same run)\n');
  console.log(`${'case'.padEnd(52)} ${'playground'.padStart(12)} ${'raw go build'.padStart(13)} ${'ratio'.padStart(7)}`);
  for (const [name, pg, raw] of rows) {
    console.log(`${name.padEnd(52)} ${ms(pg).padStart(12)} ${ms(raw).padStart(13)} ${(pg / raw).toFixed(2).padStart(6)}x`);
  }
  console.log('\nTargets: warm within 1.3x of raw warm; cache hit under 50 ms.\n');
}
