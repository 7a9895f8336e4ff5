// The page's defences (src/api/security.ts): the headers a public site needs, and only the host
// names the server answers to (a page on another site rebinding its DNS name to 127.0.0.1 is refused).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/** A GET with a Host header of our choosing (fetch does not let one set it). */
function get(path: string, host: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    request({ host: url.hostname, port: url.port, path, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    })
      .on('error', reject)
      .end();
  });
}

describe('security', () => {
  it('every answer carries the content security policy and the other headers of a public site', async () => {
    const res = await get('/api/health', `127.0.0.1:${new URL(server.url).port}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('answers loopback names and refuses other hosts with 421', async () => {
    expect((await get('/api/health', 'localhost:8787')).status).toBe(200);
    expect((await get('/api/health', '[::1]:8787')).status).toBe(200);
    const rebound = await get('/api/health', 'attacker.example:8787');
    expect(rebound.status).toBe(421);
  });

  it('answers the host of PLAYGROUND_PUBLIC_URL and of PLAYGROUND_ALLOWED_HOSTS', async () => {
    process.env.PLAYGROUND_PUBLIC_URL = 'https://play.example.com';
    process.env.PLAYGROUND_ALLOWED_HOSTS = 'playground.internal';
    const other = await startServer();
    try {
      const port = new URL(other.url).port;
      const at = (host: string) =>
        new Promise<number>((resolve) => request({ host: '127.0.0.1', port, path: '/api/health', headers: { host } }, (r) => (r.resume(), resolve(r.statusCode ?? 0))).end());
      expect(await at('play.example.com')).toBe(200);
      expect(await at('playground.internal:8787')).toBe(200);
      expect(await at('attacker.example')).toBe(421);
    } finally {
      delete process.env.PLAYGROUND_PUBLIC_URL;
      delete process.env.PLAYGROUND_ALLOWED_HOSTS;
      await other.close();
    }
  });
});
