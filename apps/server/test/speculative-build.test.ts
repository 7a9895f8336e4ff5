// Speculative builds (POST /api/build?speculative=1): the editor builds the sources after a pause
// in typing, so Run finds the build ready; such a build runs only on an idle queue and gives way to
// any build someone asked for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nonce, startServer, type TestServer } from './support/server.js';
import { example } from './support/plugins.js';

let server: TestServer;
let main: string;
beforeAll(async () => {
  server = await startServer({ slots: 1 });
  main = (await example('hello-world')).files['main.go'];
});
afterAll(() => server.close());

const build = (files: Record<string, string>, speculative = false) => server.post(`/api/build${speculative ? '?speculative=1' : ''}`, { files });

describe('speculative builds', () => {
  it('on an idle queue, build the sources, so the Run that follows finds them cached', async () => {
    const files = { 'main.go': main + nonce() };
    const spec = await build(files, true);
    expect(spec.status).toBe(200);
    expect(spec.json).toMatchObject({ ok: true, cached: false });
    const run = await server.post('/api/run', { files, config: 'mockEnable: true', request: { method: 'GET', path: '/', headers: [], body: '' } });
    expect(run.json.build.cached).toBe(true);
    await fetch(`${server.url}/api/sessions/${run.json.session.sessionId}`, { method: 'DELETE' });
  });

  it('are skipped while the queue is busy', async () => {
    const requested = build({ 'main.go': main + nonce() });
    await new Promise((r) => setTimeout(r, 100));
    const spec = await build({ 'main.go': main + nonce() }, true);
    expect(spec.status).toBe(202);
    expect(spec.json.skipped).toMatch(/busy/);
    expect((await requested).json.ok).toBe(true);
  });

  it('stop when a build someone asked for needs the slot', async () => {
    const spec = build({ 'main.go': main + nonce() }, true);
    await new Promise((r) => setTimeout(r, 150));
    const requested = await build({ 'main.go': main + nonce() });
    expect(requested.json.ok).toBe(true);
    const skipped = await spec;
    expect(skipped.status).toBe(202);
    expect(skipped.json.skipped).toMatch(/needed the slot/);
  });

  it('can be turned off', async () => {
    process.env.PLAYGROUND_SPECULATIVE_BUILDS = '0';
    try {
      const spec = await build({ 'main.go': main + nonce() }, true);
      expect(spec.status).toBe(202);
      expect(spec.json.skipped).toMatch(/turned off/);
    } finally {
      delete process.env.PLAYGROUND_SPECULATIVE_BUILDS;
    }
  });
});
