// Host overhead figures (printed, not asserted): hello-world plugin vs. the same driver without a
// plugin, headers-only and with a 64 KiB body; VM start-up time; memory per VM.
import { handleWithoutPlugin, PluginVm, type HttpRequest, type StreamIo } from '../src/index.js';
import { buildPlugin } from '../test/support/build-plugin.js';

const body64k = new Uint8Array(64 * 1024).fill(97);
const io: StreamIo = {
  async upstream(req) {
    return { status: 200, headers: [['content-type', 'text/plain'], ['content-length', String(req.body?.length ?? 0)]], body: req.body ?? new Uint8Array(0) };
  },
};
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

const wasm = await buildPlugin('hello');
const { vm } = await PluginVm.start(wasm, { pluginConfig: '{"mockEnable":false}' });

console.log('# throughput (single VM, sequential requests, in-process upstream)');
const base1 = await measure('driver without plugin, headers only', () => handleWithoutPlugin(headersOnly, io));
const plug1 = await measure('hello-world plugin, headers only', () => vm.handle(headersOnly, io));
// Body runs are GC-sensitive: measure each twice, interleaved, and keep the best.
let base2 = await measure('driver without plugin, 64 KiB body', () => handleWithoutPlugin(withBody, io), 2000);
let plug2 = await measure('hello-world plugin, 64 KiB body', () => vm.handle(withBody, io), 2000);
base2 = Math.min(base2, await measure('driver without plugin, 64 KiB body (again)', () => handleWithoutPlugin(withBody, io), 2000));
plug2 = Math.min(plug2, await measure('hello-world plugin, 64 KiB body (again)', () => vm.handle(withBody, io), 2000));
console.log(`host overhead: headers only ${(plug1 - base1).toFixed(1)} µs/req, 64 KiB body ${(plug2 - base2).toFixed(1)} µs/req`);

console.log('\n# VM start-up (compile + instantiate + _initialize + vm_start + configure)');
const times: number[] = [];
const vms: PluginVm[] = [];
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  const r = await PluginVm.start(wasm, { pluginConfig: '{"mockEnable":false}' });
  times.push(performance.now() - t0);
  vms.push(r.vm);
}
const module = await WebAssembly.compile(wasm);
const tm: number[] = [];
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  const r = await PluginVm.start(module, { pluginConfig: '{"mockEnable":false}' });
  tm.push(performance.now() - t0);
  vms.push(r.vm);
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`start from bytes: median ${med(times).toFixed(1)} ms (first ${times[0].toFixed(1)} ms); from a compiled module: median ${med(tm).toFixed(1)} ms`);

console.log('\n# memory per VM');
const rssBefore = process.memoryUsage().rss;
const extra: PluginVm[] = [];
for (let i = 0; i < 20; i++) extra.push((await PluginVm.start(module, { pluginConfig: '{}' })).vm);
for (const v of extra) await v.handle(headersOnly, io);
const rssAfter = process.memoryUsage().rss;
console.log(`guest linear memory: ${(vm.memoryBytes() / 1048576).toFixed(1)} MiB per VM after traffic; process RSS growth: ${((rssAfter - rssBefore) / 20 / 1048576).toFixed(1)} MiB per VM (20 VMs)`);
for (const v of [vm, ...vms, ...extra]) v.close();
