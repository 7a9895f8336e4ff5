// Many Runs at once: 64 concurrent Runs of one cached build each start a session, send a request
// through the real httpbin and end, with no spurious failures (a report once saw 503 ECONNRESET).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server.js';
import { example } from './support/plugins.js';

let server: TestServer;
beforeAll(async () => {
  process.env.PLAYGROUND_SESSIONS_PER_CLIENT = '64';
  server = await startServer();
});
afterAll(async () => {
  delete process.env.PLAYGROUND_SESSIONS_PER_CLIENT;
  await server.close();
});

describe('64 concurrent Runs of a cached build', () => {
  it('all answer 200 with the plugin applied, twice over', async () => {
    const { files } = await example('hello-world');
    const run = async () => {
      const { status, json } = await server.post('/api/run', { files, config: 'mockEnable: false', request: { method: 'GET', path: '/get', headers: [], body: '' } });
      if (json.session) await fetch(`${server.url}/api/sessions/${json.session.sessionId}`, { method: 'DELETE' });
      return `${status} ${json.exchange?.response.status} ${json.exchange?.error ?? ''}`.trim();
    };
    expect(await run()).toBe('200 200');
    for (let round = 0; round < 2; round++) {
      const results = await Promise.all(Array.from({ length: 64 }, run));
      expect(results.filter((r) => r !== '200 200')).toEqual([]);
    }
  });
});
