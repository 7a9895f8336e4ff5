// src/isolated.ts: the plugin in a worker thread: same behaviour through message passing, and an
// endless loop in a Go callback is cut off by the watchdog without hanging the test process.
import { describe, expect, it } from 'vitest';
import { IsolatedPlugin, type LogEntry } from '../src/index.js';
import { buildPlugin } from './support/build-plugin.js';
import { dec, echoIo, get, header, ONE_WORKER } from './support/harness.js';

describe('IsolatedPlugin', () => {
  it('runs hello world with upstream and logs proxied to the parent', async () => {
    const logs: LogEntry[] = [];
    const { vm, configured } = await IsolatedPlugin.start(await buildPlugin('examples/hello-world'), { pluginConfig: '{"mockEnable":false}', onLog: (e) => logs.push(e) });
    expect(configured).toBe(true);
    const io = echoIo();
    const rec = await vm.handle(get(), io);
    expect(io.upstreamCalls).toHaveLength(1);
    expect(header(rec.upstreamRequest!.headers, 'hello')).toBe('world');
    expect(JSON.parse(dec(rec.response.body)).headers.hello).toBe('world');
    expect(logs.some((l) => l.message.includes('plugin start successfully'))).toBe(true);
    expect(await vm.memoryBytes()).toBeGreaterThan(1024 * 1024);
    await vm.close();
  });

  it('proxies callouts', async () => {
    const config = JSON.stringify({ serviceSource: 'ip', serviceName: 'auth', servicePort: 80, requestPath: '/t', tokenHeader: 'x-token' });
    const { vm } = await IsolatedPlugin.start(await buildPlugin('examples/http-call'), { pluginConfig: config });
    const rec = await vm.handle(get(), echoIo());
    expect(rec.callouts[0].cluster).toBe('outbound|80||auth.static');
    expect(header(rec.upstreamRequest!.headers, 'x-token')).toBe('tok-123');
    await vm.close();
  });

  it('an endless loop fails that VM after callbackTimeoutMs; another VM keeps working', async () => {
    const other = await IsolatedPlugin.start(await buildPlugin('examples/hello-world'), { pluginConfig: '{"mockEnable":true}' });
    const { vm } = await IsolatedPlugin.start(await buildPlugin('raw'), { pluginConfig: '{"mode":"loop"}', limits: { callbackTimeoutMs: 300 } });
    const t0 = Date.now();
    const rec = await vm.handle(get(), echoIo());
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(rec.error).toMatch(/ran longer than 300 ms/);
    // In the gateway that worker would hang; the playground drops the connection and says why.
    expect(rec.response.status).toBe(0);
    expect(rec.notes[0]).toMatchObject({ code: 'playground_bound' });
    expect(vm.failed).toMatch(/endless loop/);
    const later = await vm.handle(get(), echoIo());
    expect(later.error).toBeDefined();
    const ok = await other.vm.handle(get(), echoIo());
    expect(dec(ok.response.body)).toBe('hello world');
    await other.vm.close();
    await vm.close();
  });

  // CPPH exports.cc wasi_unstable_poll_oneoff answers at once with no events: Go spins on the clock
  // instead of sleeping, so a sleeping callback is as interruptible as a loop.
  it('a callback sleeping for an hour ends at its time limit, and its thread really stops', async () => {
    const { vm } = await IsolatedPlugin.start(await buildPlugin('clock'), { pluginConfig: '{"sleepMs":3600000}', limits: { callbackTimeoutMs: 300 }, ...ONE_WORKER });
    const rec = await vm.handle(get(), echoIo());
    expect(rec.error).toMatch(/ran longer than 300 ms/);
    // close() resolves when the worker thread has exited: with a blocking sleep it would wait the hour.
    await vm.close();
    expect(vm.threadExited).toBe(true);
  });

  it('a short sleep in a callback takes its time, as a spin on the clock', async () => {
    const { vm } = await IsolatedPlugin.start(await buildPlugin('clock'), { pluginConfig: '{"sleepMs":200}', ...ONE_WORKER });
    const rec = await vm.handle(get(), echoIo());
    expect(Number(header(rec.upstreamRequest!.headers, 'x-slept-ms'))).toBeGreaterThanOrEqual(200);
    await vm.close();
  });

  it('a panic in the worker is a stream error, not a crash; the next request gets a rebuilt VM', async () => {
    const { vm } = await IsolatedPlugin.start(await buildPlugin('raw'), { pluginConfig: '{"mode":"panic"}', ...ONE_WORKER });
    const rec = await vm.handle(get(), echoIo());
    expect(rec.error).toContain('boom from request headers');
    expect(rec.response.status).toBe(503);
    expect(vm.failed).toBeUndefined();
    const next = await vm.handle(get(), echoIo());
    expect(next.notes.map((n) => n.code)).toContain('vm_recovered');
    await vm.close();
  });
});
