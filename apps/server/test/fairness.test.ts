// Fair shares under hostile use: clients told apart by address (PLAYGROUND_TRUST_PROXY, as behind
// a load balancer), each with its own sessions, a share of the global cap, and caps on requests in
// flight, so no user starves another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server.js';
import { example } from './support/plugins.js';

let server: TestServer;
let buildId: string;
beforeAll(async () => {
  process.env.PLAYGROUND_TRUST_PROXY = 'loopback';
  process.env.PLAYGROUND_SESSIONS_TOTAL = '4';
  process.env.PLAYGROUND_SESSIONS_PER_CLIENT = '4';
  process.env.PLAYGROUND_SESSION_IN_FLIGHT = '4';
  server = await startServer();
  const built = await server.post('/api/build', { files: (await example('hello-world')).files });
  buildId = built.json.buildId;
});
afterAll(async () => {
  for (const k of ['PLAYGROUND_TRUST_PROXY', 'PLAYGROUND_SESSIONS_TOTAL', 'PLAYGROUND_SESSIONS_PER_CLIENT', 'PLAYGROUND_SESSION_IN_FLIGHT']) delete process.env[k];
  await server.close();
});

const GET = { method: 'GET', path: '/get', headers: [], body: '' };
/** A request from client `ip` (the load balancer's X-Forwarded-For). */
async function as(ip: string, method: string, path: string, body?: unknown) {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
const session = async (ip: string) => (await as(ip, 'POST', '/api/sessions', { buildId, config: 'mockEnable: false' })).json;

describe('sessions', () => {
  it('a client may drive and end only its own sessions; another client gets 403 and cannot replace it through /api/run', async () => {
    const mine = await session('10.1.0.1');
    expect((await as('10.1.0.2', 'POST', `/api/sessions/${mine.sessionId}/exchanges`, GET)).status).toBe(403);
    expect((await as('10.1.0.2', 'DELETE', `/api/sessions/${mine.sessionId}`)).status).toBe(403);
    expect((await as('10.1.0.2', 'GET', `/api/sessions/${mine.sessionId}/metrics`)).status).toBe(403);
    const { files } = await example('hello-world');
    const run = await as('10.1.0.2', 'POST', '/api/run', { files, config: 'mockEnable: true', request: GET, sessionId: mine.sessionId });
    expect(run.status).toBe(200);
    expect((await as('10.1.0.1', 'POST', `/api/sessions/${mine.sessionId}/exchanges`, GET)).status).toBe(200);
    // The gateway port is open to anyone, as a gateway's is.
    expect((await fetch(`${mine.gatewayUrl}/get`)).status).toBe(200);
    await as('10.1.0.2', 'DELETE', `/api/sessions/${run.json.session.sessionId}`);
    expect((await as('10.1.0.1', 'DELETE', `/api/sessions/${mine.sessionId}`)).status).toBe(204);
  });

  it('a full server still lets a new client in: the client holding the most sessions gives up its least recently used one', async () => {
    const hog = [];
    for (let i = 0; i < 4; i++) hog.push(await session('10.2.0.1'));
    // Use all but the first, so the first is the least recently used.
    for (const s of hog.slice(1)) await as('10.2.0.1', 'POST', `/api/sessions/${s.sessionId}/exchanges`, GET);
    const newcomer = await as('10.2.0.2', 'POST', '/api/sessions', { buildId, config: 'mockEnable: false' });
    expect(newcomer.status).toBe(201);
    const evicted = await as('10.2.0.1', 'POST', `/api/sessions/${hog[0].sessionId}/exchanges`, GET);
    expect(evicted.status).toBe(404);
    expect((await as('10.2.0.1', 'POST', `/api/sessions/${hog[1].sessionId}/exchanges`, GET)).status).toBe(200);
    // Between equals nobody is evicted: the server answers that it is full.
    const third = await as('10.2.0.3', 'POST', '/api/sessions', { buildId, config: 'mockEnable: false' });
    expect(third.status).toBe(201);
    const fourth = await as('10.2.0.4', 'POST', '/api/sessions', { buildId, config: 'mockEnable: false' });
    expect(fourth.status).toBe(201);
    const full = await as('10.2.0.5', 'POST', '/api/sessions', { buildId, config: 'mockEnable: false' });
    expect(full.status).toBe(429);
    expect(full.json.error).toMatch(/maximum of 4 sessions/);
    for (const [ip, s] of [['10.2.0.2', newcomer.json], ['10.2.0.3', third.json], ['10.2.0.4', fourth.json], ['10.2.0.1', hog[1]]] as const) {
      await as(ip, 'DELETE', `/api/sessions/${s.sessionId}`);
    }
  });

  it('at its own cap a client\'s least recently used session that no page watches makes room; watched ones never do', async () => {
    const mine = [];
    for (let i = 0; i < 4; i++) mine.push(await session('10.4.0.1'));
    for (const s of mine.slice(1)) await as('10.4.0.1', 'POST', `/api/sessions/${s.sessionId}/exchanges`, GET);
    const fifth = await as('10.4.0.1', 'POST', '/api/sessions', { buildId, config: 'mockEnable: false' });
    expect(fifth.status).toBe(201);
    expect((await as('10.4.0.1', 'POST', `/api/sessions/${mine[0].sessionId}/exchanges`, GET)).status).toBe(404);
    // Every session open in a page (subscribed to its events): the next one is refused, and says what to do.
    const open = [...mine.slice(1), fifth.json];
    const streams = await Promise.all(open.map((s) => fetch(`${server.url}/api/sessions/${s.sessionId}/events`, { headers: { 'x-forwarded-for': '10.4.0.1' } })));
    const refused = await as('10.4.0.1', 'POST', '/api/sessions', { buildId, config: 'mockEnable: false' });
    expect(refused.status).toBe(429);
    expect(refused.json.error).toMatch(/close a playground tab you no longer use/);
    for (const r of streams) await r.body?.cancel();
    for (const s of open) await as('10.4.0.1', 'DELETE', `/api/sessions/${s.sessionId}`);
  });
});

describe('requests in flight', () => {
  it("a flood through one session's port is capped, and another session's requests are not held behind it", async () => {
    const flooded = await session('10.3.0.1');
    const other = await session('10.3.0.2');
    const answers: { status: number; at: number }[] = [];
    const flood = Array.from({ length: 12 }, () => fetch(`${flooded.gatewayUrl}/delay/2`).then((r) => void answers.push({ status: r.status, at: performance.now() })));
    await new Promise((r) => setTimeout(r, 300));
    const other_ = await as('10.3.0.2', 'POST', `/api/sessions/${other.sessionId}/exchanges`, GET);
    const otherDone = performance.now();
    expect(other_.status).toBe(200);
    await Promise.all(flood);
    expect(answers.filter((a) => a.status === 503).length).toBe(8);
    const delayed = answers.filter((a) => a.status === 200);
    expect(delayed.length).toBe(4);
    // The other session was answered while the flood's own requests still waited on httpbin.
    expect(otherDone).toBeLessThan(Math.min(...delayed.map((a) => a.at)));
    await as('10.3.0.1', 'DELETE', `/api/sessions/${flooded.sessionId}`);
    await as('10.3.0.2', 'DELETE', `/api/sessions/${other.sessionId}`);
  });

  it('CONNECT is refused with a clear 400, through the API and the gateway port', async () => {
    const s = await session('10.4.0.1');
    const api = await as('10.4.0.1', 'POST', `/api/sessions/${s.sessionId}/exchanges`, { ...GET, method: 'CONNECT' });
    expect(api.status).toBe(400);
    expect(api.json.error).toMatch(/CONNECT asks for a tunnel/);
    const { execFile } = await import('node:child_process');
    const out = await new Promise<string>((resolve) =>
      execFile('curl', ['-s', '-i', '--max-time', '5', '-X', 'CONNECT', '--request-target', 'example.com:443', s.gatewayUrl], (_e, stdout) => resolve(stdout)),
    );
    expect(out).toMatch(/^HTTP\/1\.1 400/);
    await as('10.4.0.1', 'DELETE', `/api/sessions/${s.sessionId}`);
  });
});
