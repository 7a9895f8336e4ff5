// Pre-spawned worker pool and precompiled modules for IsolatedPlugin: a start takes a loaded
// spare, spares are refilled, shutdown leaves no idle worker, a runaway VM only kills its own
// worker, and the memory cap holds for modules compiled with compilePlugin.
import { afterAll, describe, expect, it } from 'vitest';
import { compilePlugin, IsolatedPlugin, moduleMemoryCap, GatewayPlugin, WorkerPool } from '../src/index.js';
import { buildPlugin } from './support/build-plugin.js';
import { dec, echoIo, get } from './support/harness.js';

const hello = { pluginConfig: '{"mockEnable":true}' };
const pools: WorkerPool[] = [];
const newPool = (spares = 1, refillDelayMs?: number) => {
  const p = new WorkerPool({ spares, refillDelayMs });
  pools.push(p);
  return p;
};
afterAll(async () => {
  for (const p of pools) await p.shutdown();
});

describe('WorkerPool', () => {
  it('a start takes a loaded spare and the pool refills in the background', async () => {
    const pool = newPool(1);
    await pool.warm();
    expect(pool.stats()).toMatchObject({ ready: 1, loading: 0, taken: 0, spawned: 1 });
    const { vm, configured } = await IsolatedPlugin.start(await buildPlugin('examples/hello-world'), hello, { pool });
    expect(configured).toBe(true);
    expect(vm.pooled).toBe(true);
    expect(pool.stats().taken).toBe(1);
    expect(dec((await vm.handle(get(), echoIo())).response.body)).toBe('hello world');
    // Refilled on its own (after refillDelayMs), without warm().
    const until = Date.now() + 10_000;
    while (pool.stats().ready < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(pool.stats()).toMatchObject({ ready: 1, loading: 0, taken: 1, spawned: 2 });
    await vm.close();
  });

  it('takes several spares, then spawns when none is left; every VM works', async () => {
    const pool = newPool(2);
    await pool.warm();
    const wasm = await compilePlugin(await buildPlugin('examples/hello-world'));
    const started = await Promise.all([0, 1, 2].map(() => IsolatedPlugin.start(wasm, hello, { pool })));
    expect(started.map((s) => s.vm.pooled).sort()).toEqual([false, true, true]);
    for (const { vm } of started) expect(dec((await vm.handle(get(), echoIo())).response.body)).toBe('hello world');
    await Promise.all(started.map((s) => s.vm.close()));
    await pool.warm();
    expect(pool.stats().ready).toBe(2);
  });

  it('shutdown terminates the idle workers and leaves none running; later starts still work', async () => {
    const pool = newPool(2);
    await pool.warm();
    expect(pool.stats().alive).toBe(2);
    await pool.shutdown();
    expect(pool.stats()).toMatchObject({ ready: 0, loading: 0, alive: 0 });
    expect(pool.isShutDown).toBe(true);
    const { vm } = await IsolatedPlugin.start(await buildPlugin('examples/hello-world'), hello, { pool });
    expect(vm.pooled).toBe(false);
    expect(dec((await vm.handle(get(), echoIo())).response.body)).toBe('hello world');
    await vm.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(pool.stats()).toMatchObject({ ready: 0, loading: 0, alive: 0 });
  });

  it('shutdown while spares are still loading leaves none running', async () => {
    const pool = newPool(2, 0);
    void pool.take().worker.terminate(); // triggers a refill of 2 loading spares
    await new Promise((r) => setImmediate(r));
    expect(pool.stats().loading + pool.stats().ready).toBe(2);
    await pool.shutdown();
    expect(pool.stats()).toMatchObject({ ready: 0, loading: 0, alive: 0 });
  });

  it('a runaway VM is terminated alone: the idle spare survives and serves the next start', async () => {
    const pool = newPool(1);
    await pool.warm();
    const { vm } = await IsolatedPlugin.start(await buildPlugin('raw'), { pluginConfig: '{"mode":"loop"}', limits: { callbackTimeoutMs: 300 } }, { pool });
    expect(vm.pooled).toBe(true);
    await pool.warm();
    const spawnedBefore = pool.stats().spawned;
    const rec = await vm.handle(get(), echoIo());
    expect(rec.error).toMatch(/ran longer than 300 ms/);
    expect(vm.failed).toMatch(/endless loop/);
    // The kill did not touch the pool: its spare is still there and loaded.
    expect(pool.stats()).toMatchObject({ ready: 1, alive: 1, spawned: spawnedBefore });
    const next = await IsolatedPlugin.start(await buildPlugin('examples/hello-world'), hello, { pool });
    expect(next.vm.pooled).toBe(true);
    expect(dec((await next.vm.handle(get(), echoIo())).response.body)).toBe('hello world');
    await next.vm.close();
    await vm.close();
  });

  it('the default pool is used when none is given; a different heap limit bypasses it', async () => {
    const pool = newPool(1);
    IsolatedPlugin.setDefaultPool(pool);
    try {
      await pool.warm();
      const a = await IsolatedPlugin.start(await buildPlugin('examples/hello-world'), hello);
      expect(a.vm.pooled).toBe(true);
      const b = await IsolatedPlugin.start(await buildPlugin('examples/hello-world'), hello, { maxOldGenerationSizeMb: 96 });
      expect(b.vm.pooled).toBe(false);
      const c = await IsolatedPlugin.start(await buildPlugin('examples/hello-world'), hello, { pool: false });
      expect(c.vm.pooled).toBe(false);
      await Promise.all([a.vm.close(), b.vm.close(), c.vm.close()]);
    } finally {
      IsolatedPlugin.setDefaultPool(null);
    }
  });
});

describe('precompiled modules (compilePlugin)', () => {
  it('records the cap the module was compiled with', async () => {
    const m = await compilePlugin(await buildPlugin('examples/hello-world'), { memoryMaxMiB: 64 });
    expect(moduleMemoryCap(m)).toBe(64);
    expect(moduleMemoryCap(await compilePlugin(await buildPlugin('examples/hello-world')))).toBe(256);
    expect(moduleMemoryCap(await WebAssembly.compile(await buildPlugin('examples/hello-world')))).toBeUndefined();
  });

  it('isolated: the memory bomb still fails with out of memory under the compiled cap', async () => {
    const pool = newPool(1);
    await pool.warm();
    const module = await compilePlugin(await buildPlugin('raw'), { memoryMaxMiB: 48 });
    const { vm, configured } = await IsolatedPlugin.start(module, { pluginConfig: '{"mode":"bomb"}', limits: { memoryMaxMiB: 48 } }, { pool });
    expect(configured).toBe(true);
    expect(vm.pooled).toBe(true);
    const rec = await vm.handle(get(), echoIo());
    expect(rec.error).toMatch(/out of memory/);
    expect(rec.response.status).toBe(503);
    await vm.close();
  });

  it('in-process: the memory bomb fails with out of memory under the compiled cap', async () => {
    const module = await compilePlugin(await buildPlugin('raw'), { memoryMaxMiB: 48 });
    const { vm } = await GatewayPlugin.start(module, { pluginConfig: '{"mode":"bomb"}', limits: { memoryMaxMiB: 48 } });
    const rec = await vm.handle(get(), echoIo());
    expect(rec.error).toMatch(/out of memory/);
    expect(vm.vms[rec.worker]!.memoryBytes()).toBeLessThanOrEqual(48 * 1024 * 1024);
  });

  it('refuses a module whose cap is looser than the requested one, and an uncapped module in isolation', async () => {
    const loose = await compilePlugin(await buildPlugin('raw'), { memoryMaxMiB: 256 });
    await expect(IsolatedPlugin.start(loose, { pluginConfig: '{}', limits: { memoryMaxMiB: 48 } }, { pool: false })).rejects.toThrow(/compiled with memoryMaxMiB 256/);
    await expect(GatewayPlugin.start(loose, { pluginConfig: '{}', limits: { memoryMaxMiB: 48 } })).rejects.toThrow(/compiled with memoryMaxMiB 256/);
    const uncapped = await WebAssembly.compile(await buildPlugin('examples/hello-world'));
    await expect(IsolatedPlugin.start(uncapped, hello, { pool: false })).rejects.toThrow(/no memory cap/);
    // A tighter compiled cap than requested is fine.
    const tight = await compilePlugin(await buildPlugin('examples/hello-world'), { memoryMaxMiB: 64 });
    const { vm, configured } = await IsolatedPlugin.start(tight, hello, { pool: false });
    expect(configured).toBe(true);
    await vm.close();
  });
});
