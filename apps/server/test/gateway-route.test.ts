// Each session's gateway on the main origin (/gw/{id}/..., src/api/gateway-routes.ts): what a
// hosted playground's users reach instead of a loopback port. Same behaviour and events as the
// session's own listener, which can be turned off.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server.js';
import { example } from './support/plugins.js';

const run = promisify(execFile);
let server: TestServer;
let buildId: string;
beforeAll(async () => {
  process.env.PLAYGROUND_SESSION_LISTENERS = '0';
  process.env.PLAYGROUND_PUBLIC_URL = 'https://play.example.com/';
  server = await startServer();
  buildId = (await server.post('/api/build', { files: (await example('hello-world')).files })).json.buildId;
});
afterAll(async () => {
  delete process.env.PLAYGROUND_SESSION_LISTENERS;
  delete process.env.PLAYGROUND_PUBLIC_URL;
  await server.close();
});

describe('/gw/{sessionId}', () => {
  it('with listeners off, a session is reached through the main origin, and its URL is the public one', async () => {
    const s = (await server.post('/api/sessions', { buildId, config: 'mockEnable: false' })).json;
    expect(s.gatewayPath).toBe(`/gw/${s.sessionId}`);
    expect(s.gatewayUrl).toBe(`https://play.example.com/gw/${s.sessionId}`);
    const events: string[] = [];
    const sse = await fetch(`${server.url}/api/sessions/${s.sessionId}/events`);
    const reader = sse.body!.getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        events.push(new TextDecoder().decode(value));
      }
    })();
    const { stdout } = await run('curl', ['-s', '-H', 'x-demo: 1', `${server.url}${s.gatewayPath}/anything/deep?q=2`]);
    const echo = JSON.parse(stdout);
    expect(echo.url).toMatch(/\/anything\/deep\?q=2$/);
    expect(echo.headers.Hello).toEqual(['world']);
    expect(echo.headers['X-Demo']).toEqual(['1']);
    // A body streamed in by the client reaches the upstream whole.
    const posted = JSON.parse((await run('curl', ['-s', '--data-binary', 'x'.repeat(5000), `${server.url}${s.gatewayPath}/post`])).stdout);
    expect(posted.data).toHaveLength(5000);
    for (let i = 0; i < 50 && !events.join('').includes('/anything/deep'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(events.join('')).toContain('/anything/deep?q=2');
    await reader.cancel();
    await fetch(`${server.url}/api/sessions/${s.sessionId}`, { method: 'DELETE' });
  });

  it('streams a response as the upstream sends it', async () => {
    const s = (await server.post('/api/sessions', { buildId, config: 'mockEnable: false' })).json;
    const res = await fetch(`${server.url}${s.gatewayPath}/drip?numbytes=4&duration=0.4&delay=0`);
    const reader = res.body!.getReader();
    let reads = 0;
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
      reads++;
    }
    expect(res.status).toBe(200);
    expect(reads).toBeGreaterThan(1);
    await fetch(`${server.url}/api/sessions/${s.sessionId}`, { method: 'DELETE' });
  });

  it('an unknown or ended session answers 404 saying so', async () => {
    const res = await fetch(`${server.url}/gw/nope/get`);
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/no live session "nope"/);
  });
});
