import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from '../src/api/app.js';
import { createPlayground } from '../src/playground.js';
import { LLM_SETTINGS_HEADER } from '../src/runtime/upstream/llm/settings.js';
import { examplesDir } from '../src/toolchain/paths.js';
import { median, ms, rawGoBuild } from './support.js';

const LATENCY_REQUESTS = 2000;
/** Requests before measuring, on each path alike: V8 needs a few thousand before the gateway thread's code is optimized (tiered up), as in a busy gateway; after 500 it still runs partly unoptimized (~40% more CPU per request). */
const WARMUP_REQUESTS = 4000;
const RUNS = 5;
const IDLE_SESSIONS = 12;

/** One GET with a keep-alive agent; resolves with the elapsed milliseconds. */
function timedGet(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))));
    })
      .on('error', reject)
      .end();
  });
}

const STREAM_CHUNK_MS = 20;
const STREAM_RUNS = 30;

/** POSTs a streaming request STREAM_RUNS times; medians of the time to the first body bytes and to the end. */
async function firstChunk(url: string, body: string, headers: Record<string, string>): Promise<{ first: number; total: number }> {
  const firsts: number[] = [];
  const totals: number[] = [];
  for (let i = 0; i < STREAM_RUNS + 3; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench', ...headers }, body });
    const reader = res.body!.getReader();
    let first = 0;
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
      first ||= performance.now() - t0;
    }
    if (i < 3) continue; // warm-up
    firsts.push(first);
    totals.push(performance.now() - t0);
  }
  return { first: median(firsts), total: median(totals) };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

async function latency(url: string): Promise<{ p50: number; p99: number; rps: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < WARMUP_REQUESTS; i++) await timedGet(url, agent);
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < LATENCY_REQUESTS; i++) times.push(await timedGet(url, agent));
  const rps = LATENCY_REQUESTS / ((performance.now() - started) / 1000);
  agent.destroy();
  return { p50: pct(times, 50), p99: pct(times, 99), rps };
}

/** A bare Node.js proxy (its source, run here and in a worker thread alike). */
const BARE_PROXY = `
  const { Agent, createServer, request } = require('node:http');
  function bareProxy(host, port, listening) {
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const server = createServer((req, res) => {
      const r = request({ host, port, path: req.url, method: req.method, headers: req.headers, agent }, (ur) => {
        res.writeHead(ur.statusCode || 502, ur.headers);
        ur.pipe(res);
      });
      req.pipe(r);
    });
    server.listen(0, '127.0.0.1', () => listening(server.address().port));
    return () => (server.close(), agent.destroy());
  }`;

/**
 * A bare Node.js proxy to the same upstream: the floor under any gateway written on Node's http
 * module (the session gateway adds a plugin and Envoy's semantics on top). In this process's main
 * thread, which the benchmark's client shares, or in a worker thread of its own, as a session's
 * gateway runs: each request then also wakes another thread.
 */
async function bareProxy(upstream: string, inWorker: boolean): Promise<{ url: string; close: () => void }> {
  const up = new URL(upstream);
  if (inWorker) {
    const worker = new Worker(`${BARE_PROXY}; const { parentPort, workerData: d } = require('node:worker_threads'); bareProxy(d.host, d.port, (p) => parentPort.postMessage(p));`, {
      eval: true,
      workerData: { host: up.hostname, port: up.port },
    });
    const port = await new Promise<number>((r) => worker.once('message', r));
    return { url: `http://127.0.0.1:${port}`, close: () => void worker.terminate() };
  }
  const start = new Function('require', `${BARE_PROXY}; return bareProxy;`)(createRequire(import.meta.url));
  let close: () => void = () => undefined;
  const port = await new Promise<number>((r) => (close = start(up.hostname, up.port, r)));
  return { url: `http://127.0.0.1:${port}`, close };
}

/** Gateway vs httpbin latency, /api/run latency vs raw go build, and idle sessions per GiB. */
export async function runSessionBench(): Promise<void> {
  process.env.PLAYGROUND_SESSIONS_PER_CLIENT = String(IDLE_SESSIONS + 10);
  const playground = await createPlayground({ slots: 1 });
  const app = createApp(playground);
  const server = await new Promise<ReturnType<typeof app.listen>>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  const post = async (route: string, body: unknown) => {
    const started = performance.now();
    const res = await fetch(api + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { ms: performance.now() - started, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const source = await readFile(path.join(examplesDir, 'hello-world', 'main.go'), 'utf8');
  const request = { method: 'GET', path: '/get', headers: [], body: '' };
  try {
    // 1. Through the gateway vs straight to httpbin.
    const run = await post('/run', { files: { 'main.go': source }, config: 'mockEnable: false', request });
    const session = run.json.session;
    const direct = await latency(`${playground.httpbin.baseUrl}/get`);
    const bare = await bareProxy(playground.httpbin.baseUrl, false);
    const proxied = await latency(`${bare.url}/get`);
    bare.close();
    const bareThread = await bareProxy(playground.httpbin.baseUrl, true);
    const proxiedThread = await latency(`${bareThread.url}/get`);
    bareThread.close();
    const gateway = await latency(`${session.gatewayUrl}/get`);
    await fetch(`${api}/sessions/${session.sessionId}`, { method: 'DELETE' });

    // 2. POST /api/run: changed source (warm build) and unchanged (cached), beside raw go build.
    const stamp = Date.now();
    const changed: number[] = [];
    const cached: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const files = { 'main.go': `${source}\n// bench ${stamp} ${i}\n` };
      const a = await post('/run', { files, config: 'mockEnable: false', request });
      changed.push(a.ms);
      await fetch(`${api}/sessions/${a.json.session.sessionId}`, { method: 'DELETE' });
      const b = await post('/run', { files, config: 'mockEnable: false', request });
      if (!b.json.build.cached) throw new Error('expected a cached build');
      cached.push(b.ms);
      await fetch(`${api}/sessions/${b.json.session.sessionId}`, { method: 'DELETE' });
      raw.push(await rawGoBuild(`${source}\n// raw ${stamp} ${i}\n`, { modCache: playground.builder.paths.modCache, goCache: playground.builder.paths.goCache }));
    }

    // 3. A streamed LLM answer: time to the first chunk, straight from the stand-in and through a
    // plugin that reads every chunk (the ai-token-counter example), 20 ms between chunks.
    const counter = (await (await fetch(`${api}/examples/ai-token-counter`)).json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const services = [{ kind: 'llm', name: 'llm-openai', chunkDelayMs: STREAM_CHUNK_MS }];
    const ai = await post('/run', { files: counter.files, config: counter.config, services, gateway: counter.gateway, request: counter.requests[0] });
    const streamBody = counter.requests[0].body as string;
    const straight = await firstChunk(`${playground.llm.baseUrl}/v1/chat/completions`, streamBody, { [LLM_SETTINGS_HEADER]: JSON.stringify({ chunkDelayMs: STREAM_CHUNK_MS }) });
    const viaPlugin = await firstChunk(`${ai.json.session.gatewayUrl}/v1/chat/completions`, streamBody, {});
    await fetch(`${api}/sessions/${ai.json.session.sessionId}`, { method: 'DELETE' });

    // 4. Idle sessions: resident memory added per live session (VM + worker thread + listener).
    const built = await post('/build', { files: { 'main.go': source } });
    global.gc?.();
    const before = process.memoryUsage().rss;
    const ids: string[] = [];
    for (let i = 0; i < IDLE_SESSIONS; i++) ids.push((await post('/sessions', { buildId: built.json.buildId, config: '' })).json.sessionId);
    await new Promise((r) => setTimeout(r, 500));
    const perSession = (process.memoryUsage().rss - before) / IDLE_SESSIONS;
    for (const id of ids) await fetch(`${api}/sessions/${id}`, { method: 'DELETE' });

    console.log('\nSessions: hello-world plugin (mockEnable: false), keep-alive, one client, same run\n');
    console.log(`${''.padEnd(28)} ${'p50'.padStart(10)} ${'p99'.padStart(10)} ${'req/s'.padStart(8)}`);
    const rows = [
      ['straight to httpbin', direct],
      ['a bare Node.js proxy', proxied],
      ['the same, in a worker thread', proxiedThread],
      ['through the gateway', gateway],
    ] as const;
    for (const [name, r] of rows) console.log(`${name.padEnd(28)} ${ms(r.p50).padStart(10)} ${ms(r.p99).padStart(10)} ${r.rps.toFixed(0).padStart(8)}`);
    console.log(
      `gateway adds ${ms(gateway.p50 - direct.p50)} at p50 (target: under 0.4 ms); a bare Node.js proxy adds ${ms(proxied.p50 - direct.p50)}, ${ms(proxiedThread.p50 - direct.p50)} in a worker thread as the gateway runs\n`,
    );
    const rawMs = median(raw);
    console.log(`POST /api/run, changed source: ${ms(median(changed))} = ${(median(changed) / rawMs).toFixed(2)}x raw warm go build (${ms(rawMs)}); target 1.5x`);
    console.log(`POST /api/run, unchanged:      ${ms(median(cached))} (target: under 100 ms)`);
    console.log(`idle session: ${(perSession / 2 ** 20).toFixed(1)} MiB resident each -> about ${Math.floor(2 ** 30 / perSession)} per GiB\n`);
    console.log(`Streamed chat completion (${STREAM_CHUNK_MS} ms between chunks), medians of ${STREAM_RUNS}: first chunk / whole stream`);
    console.log(`straight from the LLM stand-in        ${ms(straight.first).padStart(9)} / ${ms(straight.total)}`);
    console.log(`through ai-token-counter (gateway)    ${ms(viaPlugin.first).padStart(9)} / ${ms(viaPlugin.total)}`);
    console.log(`the plugin adds ${ms(viaPlugin.first - straight.first)} to the first chunk\n`);
  } finally {
    server.close();
    await playground.stop();
  }
}
