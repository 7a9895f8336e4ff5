// The virtual clock: ticks fire from advanceTime (not a timer), in order, with the plugin's time
// (WASI clocks, Go's time.Now()) moving with them; requests see the time stand still in between.
// One worker VM, and the main thread's VM beside it, which ticks too (ENVOY thread_local_impl.cc
// SlotImpl::set; per-worker ticks are in plugin.test.ts): the worker's own ticks are checked here.
import { describe, expect, it } from 'vitest';
import { compilePlugin, IsolatedPlugin, GatewayPlugin, type ExchangeRecord } from '../src/index.js';
import { buildPlugin } from './support/build-plugin.js';
import { echoIo, get, header, ONE_WORKER } from './support/harness.js';

const T0 = Date.UTC(2025, 0, 1);
const nowOf = (rec: ExchangeRecord) => Number(header(rec.upstreamRequest?.headers ?? rec.response.headers, 'x-now-ms'));

describe('virtual clock (in-process)', () => {
  it('advancing 1000 ms with a 100 ms tick fires exactly 10 ticks, each at its due time', async () => {
    const { vm, configured } = await GatewayPlugin.start(await buildPlugin('clock'), { pluginConfig: '{}', clock: 'virtual', clockStartMs: T0, ...ONE_WORKER });
    expect(configured).toBe(true);
    await new Promise((r) => setTimeout(r, 250)); // real time passing fires nothing
    expect(vm.vms[0]!.backgroundTimeline.filter((t) => t.phase === 'tick')).toHaveLength(0);
    const r = await vm.advanceTime(1000);
    expect(r.ticks).toBe(20); // 10 on the worker, 10 on the main thread
    expect(r.error).toBeUndefined();
    expect(r.nowMs).toBe(T0 + 1000);
    expect(r.elapsedMs).toBe(1000);
    // wrapper.RegisterTickFunc runs the function only when time.Now() moved by >= 100 ms: 10 runs.
    const ticks = r.logs.filter((l) => /tick \d+ at/.test(l.message) && l.worker === 0);
    expect(ticks.map((l) => l.message.replace(/^.*\] /, ''))).toEqual(Array.from({ length: 10 }, (_, i) => `tick ${i + 1} at ${T0 + (i + 1) * 100}`));
    expect(r.logs.filter((l) => /tick \d+ at/.test(l.message) && l.thread === 'main')).toHaveLength(10);
    expect(ticks[0].time).toBe(new Date(T0 + 100).toISOString());
    expect(r.timeline.filter((t) => t.phase === 'tick' && t.worker === 0).map((t) => t.startUs)).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * 100_000));
    // Partial periods accumulate: 50 + 50 ms makes one more tick on each VM.
    expect((await vm.advanceTime(50)).ticks).toBe(0);
    expect((await vm.advanceTime(50)).ticks).toBe(2);
    vm.close();
  });

  it('a rate limit on time.Now() sees the time move only when advanced', async () => {
    const { vm } = await GatewayPlugin.start(await buildPlugin('clock'), { pluginConfig: '{"limit":2,"windowMs":1000}', clock: 'virtual', clockStartMs: T0, ...ONE_WORKER });
    const io = echoIo();
    const first = [await vm.handle(get(), io), await vm.handle(get(), io), await vm.handle(get(), io)];
    expect(first.map((r) => r.response.status)).toEqual([200, 200, 429]);
    expect(first.map(nowOf)).toEqual([T0, T0, T0]);
    expect(header(first[0].upstreamRequest!.headers, 'x-since-start-ms')).toBe('0');
    await vm.advanceTime(1000);
    const later = await vm.handle(get(), io);
    expect(later.response.status).toBe(200);
    expect(nowOf(later)).toBe(T0 + 1000);
    expect(header(later.upstreamRequest!.headers, 'x-since-start-ms')).toBe('1000'); // monotonic clock too
    expect(header(later.upstreamRequest!.headers, 'x-ticks')).toBe('10');
    vm.close();
  });

  it('a sleep inside a callback advances the virtual clock instead of blocking', async () => {
    const { vm } = await GatewayPlugin.start(await buildPlugin('clock'), { pluginConfig: '{"sleepMs":5000}', clock: 'virtual', clockStartMs: T0, ...ONE_WORKER });
    const t0 = Date.now();
    const rec = await vm.handle(get(), echoIo());
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(header(rec.upstreamRequest!.headers, 'x-slept-ms')).toBe('5000');
    expect(nowOf(rec)).toBe(T0 + 5000);
    vm.close();
  });

  it('proxy_set_tick_period on the bare SDK: 20 ms period, 100 ms -> 5 ticks', async () => {
    const { vm } = await GatewayPlugin.start(await buildPlugin('raw'), { pluginConfig: '{"mode":"tick"}', clock: 'virtual', ...ONE_WORKER });
    const r = await vm.advanceTime(100);
    expect(r.ticks).toBe(10); // 5 on the worker, 5 on the main thread; stats are process-wide
    expect(vm.metrics().find((m) => m.name === 'ticks_total')!.value).toBe(10);
    vm.close();
    expect(await vm.advanceTime(100)).toMatchObject({ ticks: 0, error: 'the plugin VM is closed' });
  });

  it('the real clock stays the default and refuses advanceTime', async () => {
    const { vm } = await GatewayPlugin.start(await buildPlugin('clock'), { pluginConfig: '{}' });
    await expect(vm.advanceTime(100)).rejects.toThrow(/virtual clock/);
    const rec = await vm.handle(get(), echoIo());
    expect(Math.abs(nowOf(rec) - Date.now())).toBeLessThan(5000);
    vm.close();
  });
});

describe('virtual clock (IsolatedPlugin)', () => {
  it('advanceTime is async and returns the ticks, their logs and timeline', async () => {
    const logs: string[] = [];
    const module = await compilePlugin(await buildPlugin('clock'));
    const { vm } = await IsolatedPlugin.start(module, { pluginConfig: '{"limit":1}', clock: 'virtual', clockStartMs: T0, onLog: (e) => logs.push(e.message), ...ONE_WORKER });
    const io = echoIo();
    expect((await vm.handle(get(), io)).response.status).toBe(200);
    expect((await vm.handle(get(), io)).response.status).toBe(429);
    const r = await vm.advanceTime(1000);
    expect(r.ticks).toBe(20); // the worker's and the main thread's
    expect(r.nowMs).toBe(T0 + 1000);
    expect(r.logs.filter((l) => /tick \d+ at/.test(l.message))).toHaveLength(20);
    expect(r.timeline.filter((t) => t.phase === 'tick' && t.worker === 0)).toHaveLength(10);
    expect(logs.filter((m) => /tick \d+ at/.test(m))).toHaveLength(20);
    const after = await vm.handle(get(), io);
    expect(after.response.status).toBe(200);
    expect(nowOf(after)).toBe(T0 + 1000);
    await vm.close();
    expect((await vm.advanceTime(10)).error).toMatch(/closed/);
  });

  it('rejects advanceTime on a real-clock VM', async () => {
    const { vm } = await IsolatedPlugin.start(await buildPlugin('clock'), { pluginConfig: '{}' }, { pool: false });
    await expect(vm.advanceTime(100)).rejects.toThrow(/virtual clock/);
    await vm.close();
  });
});
