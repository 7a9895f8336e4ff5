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

  it("answers as the plugin and upstream decide: repeated headers kept, no page headers, a query right after the id", async () => {
    const s = (await server.post('/api/sessions', { buildId, config: 'mockEnable: false' })).json;
    // httpbin sends one header per value; Envoy passes both on (a page's security headers must not flatten them).
    const res = await fetch(`${server.url}${s.gatewayPath}/response-headers?x-rep=1&x-rep=2`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-rep')).toBe('1, 2');
    expect(res.headers.get('content-security-policy')).toBeNull();
    // /gw/{id}?q=1 is the path /?q=1, as the session's own listener would see it.
    const root = await fetch(`${server.url}${s.gatewayPath}?q=1`);
    expect(root.status).toBe(200);
    expect(await root.text()).toMatch(/httpbin/i);
    await fetch(`${server.url}/api/sessions/${s.sessionId}`, { method: 'DELETE' });
  });

  it('CONNECT on the main origin answers 400, as on a session listener', async () => {
    const { connect } = await import('node:net');
    const port = new URL(server.url).port;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('does not tunnel');
  });

  it('an unknown or ended session answers 404 saying so', async () => {
    const res = await fetch(`${server.url}/gw/nope/get`);
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/no live session "nope"/);
  });
});
