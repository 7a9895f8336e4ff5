// What an operator gets (src/ops, src/index.ts): Prometheus metrics at /metrics, and a SIGTERM that
// drains: new sessions refused and health answering 503 while live ones finish, then an exit.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/toolchain/paths.js';
import { startServer, type TestServer } from './support/server.js';
import { example } from './support/plugins.js';

describe('GET /metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('counts builds, exchanges and sessions in the Prometheus format', async () => {
    const { files } = await example('hello-world');
    const run = await server.post('/api/run', { files, config: 'mockEnable: true', request: { method: 'GET', path: '/', headers: [], body: '' } });
    expect(run.status).toBe(200);
    const res = await server.get('/metrics');
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^playground_builds_total\{outcome="(cached|ok)"\} [1-9]/m);
    expect(text).toMatch(/^playground_exchanges_total\{status="2xx",local="true"\} [1-9]/m);
    expect(text).toMatch(/^playground_sessions\{state="live"\} 1$/m);
    expect(text).toMatch(/^playground_build_queue\{state="waiting"\} 0$/m);
    await fetch(`${server.url}/api/sessions/${run.json.session.sessionId}`, { method: 'DELETE' });
  });
});

describe('SIGTERM', () => {
  it('refuses new sessions and answers health 503 while a live session finishes its work, then exits', async () => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', path.join(repoRoot, 'apps/server/dist/index.js')], {
      env: { ...process.env, PORT: '0', PLAYGROUND_DRAIN_MS: '20000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve) => child.stdout!.on('data', (d: Buffer) => /Playground ready: (\S+)/.exec(d.toString())?.[1] && resolve(/Playground ready: (\S+)/.exec(d.toString())![1])));
    const post = async (p: string, body: unknown) => {
      const r = await fetch(url + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: r.status, json: await r.json() };
    };
    const { files } = await example('hello-world');
    const built = await post('/api/build', { files });
    const live = (await post('/api/sessions', { buildId: built.json.buildId, config: 'mockEnable: false' })).json;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(503);
    expect((await health.json()).draining).toBe(true);
    const refused = await post('/api/sessions', { buildId: built.json.buildId, config: '' });
    expect(refused.status).toBe(503);
    expect(refused.json.error).toMatch(/shutting down/);
    // A Run that would replace the live session is refused before ending it: the client keeps it.
    const rerun = await post('/api/run', { files, config: '', sessionId: live.sessionId, request: { method: 'GET', path: '/get', headers: [], body: '' } });
    expect(rerun.status).toBe(503);
    expect(rerun.json.replaced).toBeUndefined();
    // The live session still serves, until it ends; then the server goes.
    expect((await post(`/api/sessions/${live.sessionId}/exchanges`, { method: 'GET', path: '/get', headers: [], body: '' })).status).toBe(200);
    await fetch(`${url}/api/sessions/${live.sessionId}`, { method: 'DELETE' });
    expect(await exited).toBe(0);
  });
});
