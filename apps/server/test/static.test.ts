// The web app as the server hands it out (src/api/app.ts): compressed, content-hashed assets cached
// for a year, the page itself always revalidated, and client routes (/p/{id}) answered by the page.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppParts } from '../src/api/app.js';
import { sessionLimits } from '../src/runtime/limits.js';
import { LocalRegistry } from '../src/replicas/registry.js';

let server: Server;
let url: string;
let dist: string;
beforeAll(async () => {
  dist = mkdtempSync(path.join(tmpdir(), 'web-dist-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>playground</title>');
  writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log("x");\n'.repeat(2000));
  const sessions = { limits: sessionLimits(), counts: () => ({ live: 0, starting: 0, ending: 0 }), has: () => false };
  const builder = { info: () => ({ queue: { running: 0, queued: 0, slots: 1 } }) };
  const app = createApp({ builder, sessions, registry: new LocalRegistry(), webDist: dist } as unknown as AppParts);
  server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(dist, { recursive: true, force: true });
});

const get = (p: string) =>
  new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
    request(`${url}${p}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    })
      .on('error', reject)
      .end();
  });

describe('the web app', () => {
  it('serves hashed assets compressed and cached for a year', async () => {
    const res = await get('/assets/index-abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('serves the page, and client routes, always revalidated', async () => {
    for (const p of ['/', '/p/abcdefabcdef']) {
      const res = await get(p);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });
});
