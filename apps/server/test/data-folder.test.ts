// Several server processes on one data folder (a restart that overlaps, a test run beside a
// running server): each builds in a work folder of its own and removes only its own.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { dataPaths } from '../src/toolchain/paths.js';
import { startServer, nonce, type TestServer } from './support/server.js';
import { example } from './support/plugins.js';

const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

describe('one data folder, two servers', () => {
  it('both build at once, and a starting server leaves the other one\'s work alone', async () => {
    const work = dataPaths().work;
    // What a crashed server left behind (a process id that cannot be running) is swept away.
    const stale = path.join(work, '999999999-0badc0de');
    mkdirSync(stale, { recursive: true });
    servers.push(await startServer());
    const first = servers[0];
    const { files } = await example('hello-world');
    // The second server starts while the first builds.
    const building = first.post('/api/build', { files: { 'main.go': files['main.go'] + nonce() } });
    servers.push(await startServer());
    const second = servers[1];
    const [a, b] = await Promise.all([building, second.post('/api/build', { files: { 'main.go': files['main.go'] + nonce() } })]);
    expect(a.json.ok, a.json.output).toBe(true);
    expect(b.json.ok, b.json.output).toBe(true);
    expect(existsSync(stale)).toBe(false);
    const own = readdirSync(work).filter((n) => n.startsWith(`${process.pid}-`));
    expect(own.length).toBeGreaterThanOrEqual(2);
  });
});
