import { PluginVm, IsolatedPluginVm, compilePlugin } from '../src/index.js';
import { buildPlugin } from '../test/support/build-plugin.js';
const wasm = await buildPlugin('clock');
const io = { async upstream(r: any) { return { status: 200, headers: [], body: new Uint8Array() }; } };
const { vm, configured, logs } = await PluginVm.start(wasm, { pluginConfig: '{}', clock: 'virtual', clockStartMs: Date.UTC(2025, 0, 1) });
console.log(configured, logs.map(l => l.message));
const r = vm.advanceTime(1000);
console.log(r.ticks, r.logs.map(l => l.message + ' ' + l.time), r.timeline.map(t => t.startUs));
for (let i = 0; i < 3; i++) { const rec = await vm.handle({ method: 'GET', path: '/', headers: [] }, io); console.log(rec.response.status, rec.upstreamRequest?.headers.filter(([k]) => k.startsWith('x-')), rec.response.headers.filter(([k]) => k.startsWith('x-'))); }
vm.advanceTime(1000);
const rec = await vm.handle({ method: 'GET', path: '/', headers: [] }, io); console.log(rec.response.status, rec.upstreamRequest?.headers.filter(([k]) => k.startsWith('x-')));
const s = await PluginVm.start(wasm, { pluginConfig: '{"sleepMs":250}', clock: 'virtual' });
const t0 = Date.now();
const rec2 = await s.vm.handle({ method: 'GET', path: '/', headers: [] }, io); console.log('sleep', Date.now() - t0, rec2.error, rec2.upstreamRequest?.headers.filter(([k]) => k.startsWith('x-')));
const iso = await IsolatedPluginVm.start(await compilePlugin(wasm), { pluginConfig: '{}', clock: 'virtual' });
const ra = await iso.vm.advanceTime(350); console.log('iso', ra.ticks, ra.logs.map(l=>l.message), ra.elapsedMs);
await iso.vm.close();
