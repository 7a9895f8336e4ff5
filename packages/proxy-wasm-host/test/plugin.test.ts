// src/plugin.ts: GatewayPlugin's own behaviours, with hand-made proxy-wasm modules instead of Go
// plugins (test/support/wasm-module.ts): which worker serves a connection, when the other workers'
// VMs start, VM recovery at most once per 5 s per worker (E127 wasm_filter.h FilterConfig::
// createFilter -> PluginHandleSharedPtrThreadLocal::recover, MIN_RECOVER_INTERVAL_SECONDS) under
// FAIL_CLOSE and FAIL_OPEN, and advanceTime firing every worker's ticks in order.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayPlugin, MIN_RECOVER_INTERVAL_MS, type HttpRequest, type VmOptions } from '../src/index.js';
import { echoIo, enc, get } from './support/harness.js';
import { I32, i32, op, proxyModule } from './support/wasm-module.js';

const plugins: GatewayPlugin[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const p of plugins.splice(0)) p.close();
});

async function start(wasm: Uint8Array, options: Partial<VmOptions> = {}) {
  const r = await GatewayPlugin.start(wasm, { pluginConfig: '', ...options });
  plugins.push(r.vm);
  return r;
}

/** A plugin that does nothing: every callback it does not export counts as Continue. */
const NOOP = proxyModule();
/** A plugin that traps in on_request_body: a request with a body kills its VM, one without is served. */
const TRAPS_ON_BODY = proxyModule({ funcs: [{ export: 'proxy_on_request_body', params: [I32, I32, I32], results: [I32], body: [op.unreachable] }] });
/** A plugin that sets a tick period in vm_start; proxy_on_tick does nothing. */
const ticking = (periodMs: number) =>
  proxyModule({
    imports: [{ module: 'env', name: 'proxy_set_tick_period_milliseconds', params: [I32], results: [I32] }],
    vmStart: [...i32(periodMs), op.call, 0, op.drop],
    funcs: [{ export: 'proxy_on_tick', params: [I32] }],
  });

const on = (connection: number, req: HttpRequest = get()): HttpRequest => ({ ...req, connection: { id: connection } });
const poison = (): HttpRequest => ({ method: 'POST', path: '/', authority: 'example.com', headers: [], body: enc('boom') });

describe('start', () => {
  it('resolves once worker 0\'s VM is configured; the other workers\' VMs start later, and ready() waits for them', async () => {
    const { vm, configured } = await start(NOOP);
    expect(configured).toBe(true);
    expect(vm.profile.workers).toBe(2);
    expect(vm.vms[0]).toBeDefined();
    expect(vm.vms[1]).toBeUndefined();
    await vm.ready();
    expect(vm.vms.every((v) => v && !v.failed)).toBe(true);
    // Each VM has its own memory (one page here).
    expect(vm.memoryBytes()).toBe(2 * 65536);
  });

  it('a plugin that rejects its configuration: configured false with the reason, and the plugin is closed', async () => {
    const r = await start(proxyModule({ configured: false }));
    expect(r.configured).toBe(false);
    expect(r.error).toMatch(/proxy_on_configure/);
    expect(r.vm.failed).toBe('the plugin VM is closed');
  });

  it('a module that is not proxy-wasm throws', async () => {
    await expect(GatewayPlugin.start(proxyModule({ abi: 'not_an_abi_marker' }), { pluginConfig: '' })).rejects.toThrow(/not a proxy-wasm module/);
  });
});

describe('connections and workers', () => {
  it('a connection stays on its worker; new connections take the workers in turn', async () => {
    const { vm } = await start(NOOP);
    const io = echoIo();
    const workers: number[] = [];
    for (const c of [10, 20, 10, 30, 20, 40]) workers.push((await vm.handle(on(c), io)).worker);
    expect(workers).toEqual([0, 1, 0, 0, 1, 1]);
  });

  it('a request without a connection is a new connection each time', async () => {
    const { vm } = await start(NOOP, { profileOverrides: { workers: 3 } });
    const workers: number[] = [];
    for (let i = 0; i < 4; i++) workers.push((await vm.handle(get(), echoIo())).worker);
    expect(workers).toEqual([0, 1, 2, 0]);
  });

  // HttpRequest.connection.id: "Default: a new connection": requests without one get ids of their
  // own, so they never land on a connection (and its worker) a client named.
  it('a request without a connection never joins a connection a client named', async () => {
    const { vm } = await start(NOOP);
    const named = await vm.handle(on(1), echoIo());
    const anonymous = await vm.handle(get(), echoIo());
    expect(named.worker).toBe(0);
    // A new connection takes the next worker in turn.
    expect(anonymous.worker).toBe(1);
  });
});

describe('VM recovery (at most once per 5 s per worker)', () => {
  const ONE = { profileOverrides: { workers: 1 } } as const;

  it('fail-closed: the failing request gets 503; the next one a fresh VM; a second failure within 5 s leaves the worker failed until the interval passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { vm } = await start(TRAPS_ON_BODY, ONE);
    const first = vm.vms[0];

    const failed = await vm.handle(poison(), echoIo());
    expect(failed.response.status).toBe(503);
    expect(failed.responseCodeDetails).toBe('wasm_fail_stream');

    // Never rebuilt before: the rebuild is immediate.
    const recovered = await vm.handle(get(), echoIo());
    expect(recovered.response.status).toBe(200);
    expect(recovered.notes.map((n) => n.code)).toContain('vm_recovered');
    expect(vm.vms[0]).not.toBe(first);

    expect((await vm.handle(poison(), echoIo())).response.status).toBe(503);
    const io = echoIo();
    const refused = await vm.handle(get(), io);
    expect(refused.response.status).toBe(503);
    expect(io.upstreamCalls).toHaveLength(0);
    expect(refused.notes.find((n) => n.code === 'vm_failed')!.message).toMatch(/at most once every 5 s/);

    vi.setSystemTime(Date.now() + MIN_RECOVER_INTERVAL_MS);
    const again = await vm.handle(get(), echoIo());
    expect(again.response.status).toBe(200);
    expect(again.notes.map((n) => n.code)).toContain('vm_recovered');
  });

  it('fail-open: while the worker cannot be rebuilt its requests go on without the plugin', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { vm } = await start(TRAPS_ON_BODY, { profileOverrides: { workers: 1, failStrategy: 'FAIL_OPEN' } });
    // The failing request itself goes on without the plugin.
    const failing = await vm.handle(poison(), echoIo());
    expect(failing.response.status).toBe(200);
    await vm.handle(get(), echoIo()); // rebuilt
    await vm.handle(poison(), echoIo()); // fails again
    const io = echoIo();
    const skipped = await vm.handle(get(), io);
    expect(skipped.response.status).toBe(200);
    expect(io.upstreamCalls).toHaveLength(1);
    expect(skipped.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['vm_failed', 'fail_open']));
    expect(skipped.timeline.some((t) => t.phase === 'request_headers')).toBe(false);
  });

  it('a failed VM only affects its own worker', async () => {
    const { vm } = await start(TRAPS_ON_BODY);
    await vm.ready();
    expect((await vm.handle(on(1, poison()), echoIo())).worker).toBe(0);
    const other = await vm.handle(on(2), echoIo());
    expect(other.worker).toBe(1);
    expect(other.response.status).toBe(200);
    expect(other.notes).toEqual([]);
  });

  it('after close every request is refused (fail-closed)', async () => {
    const { vm } = await start(NOOP, ONE);
    vm.close();
    expect(vm.failed).toBe('the plugin VM is closed');
    expect((await vm.handle(get(), echoIo())).response.status).toBe(503);
  });
});

describe('advanceTime (virtual clock)', () => {
  it('fires every VM\'s due ticks in time order, the main thread then lower workers first on a tie, each at its due time; partial periods carry over', async () => {
    const { vm } = await start(ticking(100), { clock: 'virtual', clockStartMs: 0 });
    const r = await vm.advanceTime(350);
    expect(r.ticks).toBe(9);
    const ticks = r.timeline.filter((t) => t.phase === 'tick');
    expect(ticks.map((t) => `${t.startUs}@${t.thread ?? t.worker}`)).toEqual(
      ['100000', '200000', '300000'].flatMap((at) => [`${at}@main`, `${at}@0`, `${at}@1`]),
    );
    expect(r.elapsedMs).toBe(350);
    expect(r.nowMs).toBe(350);
    expect(vm.clockNow()).toBe(350);
    // 350 -> 400: the 50 ms left of the period make the next tick due.
    expect((await vm.advanceTime(50)).ticks).toBe(3);
    expect((await vm.advanceTime(99)).ticks).toBe(0);
  });

  it('stops after 100000 ticks in one call and says so', async () => {
    const { vm } = await start(ticking(1), { clock: 'virtual', profileOverrides: { workers: 1 } });
    const r = await vm.advanceTime(150_000);
    expect(r.ticks).toBe(100_000);
    expect(r.error).toMatch(/stopped after 100000 ticks/);
  });

  it('needs a virtual clock and a finite, non-negative time', async () => {
    const { vm: real } = await start(NOOP);
    await expect(real.advanceTime(10)).rejects.toThrow(/needs a virtual clock/);
    const { vm } = await start(NOOP, { clock: 'virtual' });
    await expect(vm.advanceTime(-1)).rejects.toThrow(RangeError);
    await expect(vm.advanceTime(Number.NaN)).rejects.toThrow(RangeError);
  });
});
