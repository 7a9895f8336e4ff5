import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from '../src/api/app.js';
import { createPlayground } from '../src/playground.js';
import { examplesDir } from '../src/toolchain/paths.js';
import { median, ms, rawGoBuild } from './support.js';

const COMPLETIONS = 30;
const DIAGNOSTICS = 10;
const RUNS = 5;
const PROJECTS = 3;

const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];

/**
 * Go intelligence: completion latency after `proxywasm.`, a change to its type-error diagnostic,
 * an edit to a finished Run through a speculative build beside a raw warm `go build`, and the
 * resident memory of gopls per open project. Prints figures; asserts nothing.
 */
export async function runLspBench(): Promise<void> {
  process.env.PLAYGROUND_GOPLS_PER_CLIENT = String(PROJECTS + 2);
  process.env.PLAYGROUND_GOPLS_MAX = String(PROJECTS + 2);
  const playground = await createPlayground({ slots: 1 });
  const status = playground.lsp.status();
  if (!status.available) {
    console.log(`\nGo intelligence: not measured (${status.reason})\n`);
    await playground.stop();
    return;
  }
  const app = createApp(playground);
  const server = await new Promise<ReturnType<typeof app.listen>>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bench reads answers loosely
  const call = async (method: string, route: string, body?: unknown): Promise<{ ms: number; json: any }> => {
    const started = performance.now();
    const res = await fetch(api + route, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { ms: performance.now() - started, json: text ? JSON.parse(text) : undefined };
  };
  const source = await readFile(path.join(examplesDir, 'hello-world', 'main.go'), 'utf8');
  const anchor = '\tproxywasm.AddHttpRequestHeader("hello", "world")\n';
  const typing = (i: number) => source.replace(anchor, `${anchor}\t// typed ${i}\n\tproxywasm.\n`);
  const dotAt = (text: string) => ({ line: text.split('\n').indexOf('\tproxywasm.') + 1, column: '\tproxywasm.'.length + 1 });
  const ids: string[] = [];
  try {
    // 1. Open: the project loaded (gopls started in the sandbox, the SDK packages loaded), then the first completion.
    const opened = await call('POST', '/lsp', { files: { 'main.go': source } });
    const id = opened.json.workspaceId as string;
    ids.push(id);
    const first = await call('POST', `/lsp/${id}/completion`, { path: 'main.go', ...dotAt(typing(-1)), text: typing(-1) });
    const openToFirst = opened.ms + first.ms;
    const loadMs = (await call('GET', `/lsp/${id}`)).json.startMs as number;

    // 2. Completion after `proxywasm.`, warm: the same text, and each time after an edit (as typed).
    const same: number[] = [];
    const typed: number[] = [];
    let offered = 0;
    for (let i = 0; i < COMPLETIONS; i++) {
      const a = await call('POST', `/lsp/${id}/completion`, { path: 'main.go', ...dotAt(typing(-1)), text: typing(-1) });
      same.push(a.ms);
      offered = a.json.items.length;
      const text = typing(i);
      typed.push((await call('POST', `/lsp/${id}/completion`, { path: 'main.go', ...dotAt(text), text })).ms);
    }

    // 3. A change (the editor sends it after a pause in typing) to its type-error diagnostic, and to the fix clearing it.
    const toError: number[] = [];
    const toClear: number[] = [];
    let unsettled = 0;
    for (let i = 0; i < DIAGNOSTICS; i++) {
      const bad = source.replace('func main() {}', `func main() {\n\tvar n int = "text ${i}"\n\t_ = n\n}`);
      const e = await call('POST', `/lsp/${id}/files`, { path: 'main.go', text: bad });
      if (!e.json.diagnostics?.some((d: { severity: string }) => d.severity === 'error')) throw new Error('expected a type error');
      if (!e.json.settled) unsettled++;
      toError.push(e.ms);
      const ok = await call('POST', `/lsp/${id}/files`, { path: 'main.go', text: source + `\n// fixed ${i}\n` });
      toClear.push(ok.ms);
    }

    // 4. Edit → finished Run: the speculative build the editor starts after a pause in typing, then Run
    // (which finds the build cached); beside a raw warm `go build` of the same source and a Run that builds.
    const request = { method: 'GET', path: '/get', headers: [], body: '' };
    const stamp = Date.now();
    const editToRun: number[] = [];
    const runAfterSpec: number[] = [];
    const runBuilding: number[] = [];
    const raw: number[] = [];
    const warm = { 'main.go': `${source}\n// bench warm-up ${stamp}\n` };
    await call('POST', '/build', { files: warm });
    await rawGoBuild(warm['main.go'], { modCache: playground.builder.paths.modCache, goCache: playground.builder.paths.goCache });
    for (let i = 0; i < RUNS; i++) {
      const files = { 'main.go': `${source}\n// bench spec ${stamp} ${i}\n` };
      const spec = await call('POST', '/build?speculative=1', { files });
      if (!spec.json.ok) throw new Error(`speculative build: ${JSON.stringify(spec.json)}`);
      const run = await call('POST', '/run', { files, config: 'mockEnable: false', request });
      if (!run.json.build?.cached) throw new Error('expected the Run to find the speculative build');
      editToRun.push(spec.ms + run.ms);
      runAfterSpec.push(run.ms);
      await call('DELETE', `/sessions/${run.json.session.sessionId}`);
      const plain = await call('POST', '/run', { files: { 'main.go': `${source}\n// bench run ${stamp} ${i}\n` }, config: 'mockEnable: false', request });
      runBuilding.push(plain.ms);
      await call('DELETE', `/sessions/${plain.json.session.sessionId}`);
      raw.push(await rawGoBuild(`${source}\n// bench raw ${stamp} ${i}\n`, { modCache: playground.builder.paths.modCache, goCache: playground.builder.paths.goCache }));
    }

    // 5. Memory: gopls's resident memory (its process tree, as the cap measures it) per open project.
    for (let i = 1; i < PROJECTS; i++) {
      const other = await call('POST', '/lsp', { files: { 'main.go': source.replace('hello-world', `hello-world-${i}`) } });
      ids.push(other.json.workspaceId);
      await call('POST', `/lsp/${other.json.workspaceId}/completion`, { path: 'main.go', ...dotAt(typing(-1)), text: typing(-1) });
    }
    await new Promise((r) => setTimeout(r, 2500));
    const rss: number[] = [];
    for (const w of ids) rss.push((await call('GET', `/lsp/${w}`)).json.memoryBytes ?? NaN);

    const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
    console.log(`\nGo intelligence: gopls ${status.gopls} in the sandbox, hello-world, one client, same run\n`);
    console.log(`open → project loaded ${ms(loadMs)}; open → first completion ${ms(openToFirst)}`);
    console.log(`completion after \`proxywasm.\` (${offered} items), median / p90 of ${COMPLETIONS}:`);
    console.log(`  same text                  ${ms(median(same)).padStart(9)} / ${ms(p90(same))}`);
    console.log(`  after an edit (text sent)  ${ms(median(typed)).padStart(9)} / ${ms(p90(typed))}`);
    console.log(`change → type-error diagnostic, median / p90 of ${DIAGNOSTICS}: ${ms(median(toError))} / ${ms(p90(toError))}; fix → cleared: ${ms(median(toClear))}${unsettled ? ` (${unsettled} not settled in the wait)` : ''}`);
    console.log(`edit → finished Run (medians of ${RUNS}):`);
    console.log(`  speculative build + Run    ${ms(median(editToRun)).padStart(9)}  (the Run alone, build cached: ${ms(median(runAfterSpec))})`);
    console.log(`  Run that builds            ${ms(median(runBuilding)).padStart(9)}`);
    console.log(`  raw warm go build          ${ms(median(raw)).padStart(9)}`);
    console.log(`gopls resident memory per open project: ${rss.map(mib).join(', ')} (median ${mib(median(rss))})\n`);
  } finally {
    for (const w of ids) await call('DELETE', `/lsp/${w}`).catch(() => {});
    server.close();
    await playground.stop();
    delete process.env.PLAYGROUND_GOPLS_PER_CLIENT;
    delete process.env.PLAYGROUND_GOPLS_MAX;
  }
}
