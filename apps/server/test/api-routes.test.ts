// The API's routes over the real app (src/api/*.ts) with stand-ins for the builder and the sessions:
// what each answer's status and shape is for each outcome, without a Go toolchain or a plugin.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BuildResult, Exchange, SessionInfo } from '@playground/shared';
import { createApp } from '../src/api/app.js';
import type { Builder } from '../src/compile/builder.js';
import { QueueFullError } from '../src/compile/queue.js';
import { buildLimits } from '../src/compile/limits.js';
import { LocalRegistry } from '../src/replicas/registry.js';
import { ScenarioRunner } from '../src/runner.js';
import { sessionLimits } from '../src/runtime/limits.js';
import { SessionError, type SessionManager } from '../src/runtime/sessions.js';
import type { ExampleCatalog } from '../src/examples/catalog.js';
import type { ShareStore } from '../src/share/store.js';
import { RateLimiter } from '../src/share/rate-limit.js';

const ok: BuildResult = { ok: true, buildId: 'b'.repeat(24), cached: true, durationMs: 1, wasmBytes: 1, output: '', diagnostics: [] };
const session: SessionInfo = { sessionId: 's1', gatewayUrl: 'http://127.0.0.1:1', configJson: '{}', runtime: 'embedded', logs: [] };
const exchange = { request: { method: 'GET', path: '/get', headers: [], body: '' }, upstreamRequest: null, upstreamResponse: null, response: { status: 200, headers: [['content-type', 'text/plain']], body: 'hi' }, localReply: false, logs: [], timeline: [], callouts: [] } as Exchange;

/** What the stand-ins do next, set per test. */
let build: () => Promise<BuildResult>;
let create: () => Promise<SessionInfo>;
const ended: string[] = [];

const builder = {
  build: () => build(),
  limits: buildLimits(),
  info: () => ({ go: { version: 'go1.24.0' }, sandbox: { mode: 'bwrap', available: true }, queue: { running: 0, queued: 0, slots: 1 } }),
} as unknown as Builder;
const sessions = {
  limits: sessionLimits(),
  counts: () => ({ live: 0, starting: 0, ending: 0 }),
  ownedBy: (id: string) => id === 'mine',
  refuseWhenDraining: () => {},
  checkOwner: () => {},
  end: async (id: string) => void ended.push(id),
  create: () => create(),
  exchange: async (_id: string, _req: unknown, opts: { downstream?: { headers(s: number, h: [string, string][]): void; data(d: Uint8Array): void; end(): void } } = {}) => {
    opts.downstream?.headers(200, [['content-type', 'text/plain']]);
    opts.downstream?.data(new TextEncoder().encode('hi'));
    opts.downstream?.end();
    return exchange;
  },
} as unknown as SessionManager;

let server: Server;
let url: string;
beforeAll(async () => {
  const app = createApp({
    builder,
    sessions,
    registry: new LocalRegistry(),
    runner: new ScenarioRunner(builder, sessions),
    examples: {} as ExampleCatalog,
    shares: {} as ShareStore,
    shareLimiter: new RateLimiter(1, 1),
    docker: { available: false, reason: 'none here', images: {} },
  });
  server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  build = async () => ok;
  create = async () => session;
  ended.length = 0;
});

const RUN = { files: { 'main.go': 'package main' }, config: '', request: { method: 'GET', path: '/get', headers: [], body: '' } };
const post = async (path: string, body: unknown) => {
  const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
};

describe('POST /api/run', () => {
  it('answers the build, the session and the exchange; the previous session of the same client is replaced and named', async () => {
    const { status, text } = await post('/api/run', { ...RUN, sessionId: 'mine' });
    expect(status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ build: { ok: true }, session: { sessionId: 's1' }, exchange: { response: { status: 200 } }, replaced: 'mine' });
    expect(ended).toEqual(['mine']);
  });

  it("leaves another client's session alone", async () => {
    const { text } = await post('/api/run', { ...RUN, sessionId: 'theirs' });
    expect(JSON.parse(text).replaced).toBeUndefined();
    expect(ended).toEqual([]);
  });

  it('a failed build is a 200 whose build says why; no session is started', async () => {
    build = async () => ({ ok: false, durationMs: 1, output: 'main.go:1:1: expected', diagnostics: [{ file: 'main.go', line: 1, column: 1, severity: 'error', message: 'expected' }] });
    create = async () => {
      throw new Error('no session should start');
    };
    const { status, text } = await post('/api/run', RUN);
    expect(status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ build: { ok: false }, session: null, exchange: null });
  });

  it('a config the plugin rejects is a 200 with the error and its position; a limit keeps its status', async () => {
    create = async () => {
      throw new SessionError(422, 'the plugin rejected its configuration', { stage: 'config', line: 2, column: 1 });
    };
    const rejected = await post('/api/run', RUN);
    expect(rejected.status).toBe(200);
    expect(JSON.parse(rejected.text).error).toMatchObject({ error: 'the plugin rejected its configuration', stage: 'config', line: 2 });
    create = async () => {
      throw new SessionError(429, 'you already have 8 live sessions', { stage: 'limit' });
    };
    expect((await post('/api/run', RUN)).status).toBe(429);
  });

  it('?stream=1 sends the build, the session, the response as it streams, then the result', async () => {
    const { status, text } = await post('/api/run?stream=1', RUN);
    expect(status).toBe(200);
    const events = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(['build', 'session', 'headers', 'data', 'end', 'result']);
    expect(events[3]).toMatchObject({ body: 'hi', bytes: 2 });
    expect(events[5]).toMatchObject({ status: 200, result: { exchange: { response: { status: 200 } } } });
  });

  it('?stream=1 turns a failure into an error event with the status the plain route would answer', async () => {
    build = async () => {
      throw new QueueFullError('you already have 4 builds waiting (at most 4)');
    };
    expect((await post('/api/run', RUN)).status).toBe(429);
    const { text } = await post('/api/run?stream=1', RUN);
    expect(JSON.parse(text.trim())).toEqual({ type: 'error', status: 429, error: 'you already have 4 builds waiting (at most 4)' });
  });
});

describe('every route', () => {
  it('answers bad JSON with a 400, an unknown field with a 400 naming it, and an unknown route with a 404 in JSON', async () => {
    expect(await post('/api/run', '{"files":')).toEqual({ status: 400, text: JSON.stringify({ error: 'request body is not valid JSON' }) });
    const extra = await post('/api/run', { ...RUN, surprise: 1 });
    expect(extra.status).toBe(400);
    expect(JSON.parse(extra.text).error).toMatch(/surprise/);
    const none = await fetch(`${url}/api/nothing-here`);
    expect(none.status).toBe(404);
    expect(await none.json()).toEqual({ error: 'no route GET /api/nothing-here' });
  });

  it('/api/compare without the docker runtime is a 503 saying why', async () => {
    const { status, text } = await post('/api/compare', RUN);
    expect(status).toBe(503);
    expect(JSON.parse(text).error).toMatch(/none here/);
  });
});
