// Host overhead figures (printed, not asserted): hello-world plugin vs. the same driver without a
// plugin, headers-only and with a 64 KiB body; VM start-up time (in-process and isolated: no pool vs
// warm pool, bytes vs precompiled module, and a whole "Run" = start + one request to a local HTTP
// upstream); memory per VM. The machine may be shared: start-up figures are medians of RUNS runs.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bufferedUpstream, compilePlugin, GatewayPlugin, handleWithoutPlugin, IsolatedPlugin, WorkerPool, type HttpRequest, type StreamIo } from '../src/index.js';
import { buildPlugin } from '../test/support/build-plugin.js';

const body64k = new Uint8Array(64 * 1024).fill(97);
const io: StreamIo = {
  upstream: bufferedUpstream((req) => ({ status: 200, headers: [['content-type', 'text/plain'], ['content-length', String(req.body?.length ?? 0)]], body: req.body ?? new Uint8Array(0) })),
};
/** One worker: the throughput figures are per VM. */
const ONE = { profileOverrides: { workers: 1 } };
const headersOnly: HttpRequest = { method: 'GET', path: '/get', authority: 'example.com', headers: [['user-agent', 'bench'], ['accept', '*/*']] };
const withBody: HttpRequest = { ...headersOnly, method: 'POST', headers: [...headersOnly.headers, ['content-length', String(body64k.length)]], body: body64k };

async function measure(name: string, fn: () => Promise<unknown>, ms = 3000): Promise<number> {
  for (let i = 0; i < 200; i++) await fn(); // warm-up
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 50; i++) await fn();
    n += 50;
  }
  const el = performance.now() - t0;
  const us = (el * 1000) / n;
  console.log(`${name.padEnd(44)} ${String(Math.round((n / el) * 1000)).padStart(8)} req/s ${us.toFixed(1).padStart(8)} µs/req`);
  return us;
}

const wasm = await buildPlugin('examples/hello-world');
const { vm } = await GatewayPlugin.start(wasm, { pluginConfig: '{"mockEnable":false}', ...ONE });

console.log('# throughput (single VM, sequential requests, in-process upstream)');
const base1 = await measure('driver without plugin, headers only', () => handleWithoutPlugin(headersOnly, io));
const plug1 = await measure('hello-world plugin, headers only', () => vm.handle(headersOnly, io));
// Body runs are GC-sensitive: measure each twice, interleaved, and keep the best.
let base2 = await measure('driver without plugin, 64 KiB body', () => handleWithoutPlugin(withBody, io), 2000);
let plug2 = await measure('hello-world plugin, 64 KiB body', () => vm.handle(withBody, io), 2000);
base2 = Math.min(base2, await measure('driver without plugin, 64 KiB body (again)', () => handleWithoutPlugin(withBody, io), 2000));
plug2 = Math.min(plug2, await measure('hello-world plugin, 64 KiB body (again)', () => vm.handle(withBody, io), 2000));
console.log(`host overhead: headers only ${(plug1 - base1).toFixed(1)} µs/req, 64 KiB body ${(plug2 - base2).toFixed(1)} µs/req`);

console.log('\n# plugin start-up until the first worker serves (compile, then the configuration canary and worker 0: each instantiate + _initialize + vm_start + configure); the other workers and the main thread follow');
const times: number[] = [];
const vms: GatewayPlugin[] = [];
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  const r = await GatewayPlugin.start(wasm, { pluginConfig: '{"mockEnable":false}' });
  times.push(performance.now() - t0);
  vms.push(r.vm);
}
const module = await WebAssembly.compile(wasm);
const tm: number[] = [];
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  const r = await GatewayPlugin.start(module, { pluginConfig: '{"mockEnable":false}' });
  tm.push(performance.now() - t0);
  vms.push(r.vm);
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`start from bytes: median ${med(times).toFixed(1)} ms (first ${times[0].toFixed(1)} ms); from a compiled module: median ${med(tm).toFixed(1)} ms`);

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const stat = (a: number[]) => `median ${med(a).toFixed(1).padStart(6)} ms  (min ${Math.min(...a).toFixed(1)}, max ${Math.max(...a).toFixed(1)}, n=${a.length})`;
const capped = await compilePlugin(wasm); // what a server caches per build
const cfg = { pluginConfig: '{"mockEnable":false}' }; // two worker VMs, the Higress default

// A local HTTP upstream (stands in for httpbin) for the end-to-end "Run" figure.
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end(JSON.stringify({ url: req.url, headers: req.headers })));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;
const httpIo: StreamIo = {
  upstream: bufferedUpstream(async (req) => {
    const r = await fetch(`http://127.0.0.1:${port}${req.path}`, { method: req.method, headers: req.headers.filter(([k]) => k !== 'host') });
    return { status: r.status, headers: [...r.headers], body: new Uint8Array(await r.arrayBuffer()) };
  }),
};
await fetch(`http://127.0.0.1:${port}/warm`).then((r) => r.arrayBuffer());

async function sample(label: string, run: () => Promise<void>, before?: () => Promise<void>): Promise<void> {
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await before?.();
    const t0 = performance.now();
    await run();
    t.push(performance.now() - t0);
  }
  console.log(`${label.padEnd(58)} ${stat(t)}`);
}

console.log(`\n# start-up, in-process vs isolated (the configuration canary and worker 0 started and configured; medians of ${RUNS})`);
await sample('in-process GatewayPlugin, bytes', async () => (await GatewayPlugin.start(wasm, cfg)).vm.close());
await sample('in-process GatewayPlugin, compilePlugin() module', async () => (await GatewayPlugin.start(capped, cfg)).vm.close());
await sample('isolated, no pool (spawn per start), bytes', async () => {
  const r = await IsolatedPlugin.start(wasm, cfg, { pool: false });
  void r.vm.close();
});
await sample('isolated, no pool (spawn per start), module', async () => {
  const r = await IsolatedPlugin.start(capped, cfg, { pool: false });
  void r.vm.close();
});
const pool = new WorkerPool({ spares: 1 });
const closing: Promise<void>[] = [];
const settle = async () => {
  await Promise.all(closing.splice(0));
  await pool.warm();
};
await sample(
  'isolated, warm pool, bytes',
  async () => {
    const r = await IsolatedPlugin.start(wasm, cfg, { pool });
    if (!r.vm.pooled) throw new Error('expected a pooled worker');
    closing.push(r.vm.close());
  },
  settle,
);
await sample(
  'isolated, warm pool, module',
  async () => {
    const r = await IsolatedPlugin.start(capped, cfg, { pool });
    closing.push(r.vm.close());
  },
  settle,
);
console.log(`\n# a whole Run: start + one request through a local HTTP upstream (medians of ${RUNS})`);
await sample('in-process GatewayPlugin, module', async () => {
  const r = await GatewayPlugin.start(capped, cfg);
  await r.vm.handle(headersOnly, httpIo);
  r.vm.close();
});
await sample('isolated, no pool, bytes (before this change)', async () => {
  const r = await IsolatedPlugin.start(wasm, cfg, { pool: false });
  await r.vm.handle(headersOnly, httpIo);
  closing.push(r.vm.close());
}, settle);
await sample(
  'isolated, warm pool, module',
  async () => {
    const r = await IsolatedPlugin.start(capped, cfg, { pool });
    const rec = await r.vm.handle(headersOnly, httpIo);
    if (rec.response.status !== 200) throw new Error(`unexpected ${rec.response.status}`);
    closing.push(r.vm.close());
  },
  settle,
);
const pool2 = new WorkerPool({ spares: 2 });
await sample(
  'isolated, 2nd Run right after a 1st (pool of 2 spares), module',
  async () => {
    const r = await IsolatedPlugin.start(capped, cfg, { pool: pool2 });
    await r.vm.handle(headersOnly, httpIo);
    closing.push(r.vm.close());
  },
  async () => {
    await Promise.all(closing.splice(0));
    await pool2.warm();
    const first = await IsolatedPlugin.start(capped, cfg, { pool: pool2 });
    await first.vm.handle(headersOnly, httpIo);
    closing.push(first.vm.close());
  },
);
await pool2.shutdown();
await settle();
const rssIdle0 = process.memoryUsage().rss;
const pool3 = new WorkerPool({ spares: 3 });
await pool3.warm();
console.log(`idle pooled worker: ~${((process.memoryUsage().rss - rssIdle0) / 3 / 1048576).toFixed(1)} MiB RSS each`);
await pool3.shutdown();
await pool.shutdown();
server.close();

console.log('\n# memory per VM');
const rssBefore = process.memoryUsage().rss;
const extra: GatewayPlugin[] = [];
for (let i = 0; i < 20; i++) extra.push((await GatewayPlugin.start(module, { pluginConfig: '{}', ...ONE })).vm);
for (const v of extra) await v.handle(headersOnly, io);
const rssAfter = process.memoryUsage().rss;
console.log(`guest linear memory: ${(vm.memoryBytes() / 1048576).toFixed(1)} MiB per VM after traffic; process RSS growth: ${((rssAfter - rssBefore) / 20 / 1048576).toFixed(1)} MiB per VM (20 VMs)`);
for (const v of [vm, ...vms, ...extra]) v.close();

console.log('\n# a Redis call through the host, beside a direct PING from Node (same redis-server, same run)');
{
  const { startRedis } = await import('../test/support/redis-server.js');
  const net = await import('node:net');
  const redis = await startRedis();
  const percentiles = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return `median ${s[Math.floor(s.length / 2)].toFixed(3)} ms, p99 ${s[Math.floor(s.length * 0.99)].toFixed(3)} ms`;
  };
  // Direct: one connection, PING after PING.
  const socket = net.connect(redis.target.path!);
  await new Promise((r) => socket.once('connect', r));
  const ping = () =>
    new Promise<number>((resolve) => {
      const t0 = performance.now();
      socket.once('data', () => resolve(performance.now() - t0));
      socket.write('*1\r\n$4\r\nPING\r\n');
    });
  const direct: number[] = [];
  for (let i = 0; i < 2200; i++) {
    const ms = await ping();
    if (i >= 200) direct.push(ms);
  }
  socket.destroy();
  // Through the host: the wasm-go RedisClusterClient's PING, from dispatch to reply (as the exchange records it).
  const { vm: redisVm } = await GatewayPlugin.start(await buildPlugin('redis'), {
    pluginConfig: JSON.stringify({ cluster: 'redis.static', timeout: 1000, command: ['PING'] }),
    clusters: ['redis'],
    redis: { redis: redis.target },
    ...ONE,
  });
  const viaHost: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < 2200; i++) {
    const t0 = performance.now();
    const rec = await redisVm.handle(headersOnly, io);
    if (i >= 200) {
      viaHost.push(rec.redisCalls[0].durationMs);
      whole.push(performance.now() - t0);
    }
  }
  console.log(`direct PING from Node:                 ${percentiles(direct)}`);
  console.log(`PING through the host (call to reply): ${percentiles(viaHost)}`);
  console.log(`the whole request around it:           ${percentiles(whole)}`);
  redisVm.close();
  await redis.stop();
}
