import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Builder } from '../src/compile/builder.js';
import { buildLimits, capMessage } from '../src/compile/limits.js';
import { runCapped } from '../src/compile/run-capped.js';
import { sandboxed } from '../src/compile/sandbox.js';
import { examplesDir } from '../src/toolchain/paths.js';
import { nonce, startServer, type TestServer } from './support/server.js';

let hello: string;
beforeAll(async () => {
  hello = await readFile(path.join(examplesDir, 'hello-world', 'main.go'), 'utf8');
});

describe('the sandbox', () => {
  it('has no network: a module download aimed at a live proxy on loopback never reaches it', async () => {
    let hits = 0;
    const proxy = createServer((_req, res) => {
      hits++;
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const builder = await Builder.create();
    const workDir = await mkdtemp(path.join(builder.paths.work, 'net-'));
    try {
      const cmd = sandboxed('bwrap', { go: builder.go, modCache: builder.paths.modCache, goCache: builder.paths.goCache, workDir }, [
        'go', 'mod', 'download', '-json', 'example.com/nothing@v1.0.0',
      ]);
      // Point GOPROXY at the live proxy instead of "off": only the missing network can stop the fetch.
      const args = cmd.args.map((a, i) => (cmd.args[i - 1] === 'GOPROXY' ? proxyUrl : a));
      const caps = { wallTimeMs: 30_000, memoryBytes: 1 << 30, outputBytes: 1 << 20 };
      const run = await runCapped(cmd.file, args, { cwd: cmd.cwd, env: cmd.env, caps });
      expect(run.exitCode).not.toBe(0);
      expect(run.output).toMatch(/connection refused|network is unreachable|dial tcp/);
      expect(hits).toBe(0);
      // The same request from outside the sandbox does reach it, so the test can fail.
      await fetch(proxyUrl + '/example.com/nothing/@v/v1.0.0.info');
      expect(hits).toBe(1);
    } finally {
      proxy.close();
      await rm(workDir, { recursive: true, force: true });
    }
  });
});

describe('caps', () => {
  it('stops a build that runs past its time limit and says so', async () => {
    process.env.PLAYGROUND_BUILD_TIMEOUT_MS = '50';
    const builder = await Builder.create();
    delete process.env.PLAYGROUND_BUILD_TIMEOUT_MS;
    const result = await builder.build({ 'main.go': hello + nonce() });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics[0].message).toMatch(/stopped after 0.05 s/);
  });

  it('says the memory cap in MiB, also the 2 GiB default (a 32-bit shift once made it -2048)', () => {
    expect(capMessage('memory', buildLimits())).toBe('the build was stopped: it used more than 2048 MiB of memory');
  });

  it('stops a command that uses more memory than allowed', async () => {
    const run = await runCapped('/usr/bin/node', ['-e', 'const a=[]; for(;;) a.push(Buffer.alloc(1<<20, 1))'], {
      cwd: '/tmp',
      env: { PATH: '/usr/bin:/bin' },
      caps: { wallTimeMs: 30_000, memoryBytes: 200 << 20, outputBytes: 1 << 20 },
    });
    expect(run.killedFor).toBe('memory');
  });

  it('stops a command that prints too much', async () => {
    const run = await runCapped('/usr/bin/yes', [], {
      cwd: '/tmp',
      env: { PATH: '/usr/bin:/bin' },
      caps: { wallTimeMs: 30_000, memoryBytes: 1 << 30, outputBytes: 64 * 1024 },
    });
    expect(run.killedFor).toBe('output');
    expect(run.output.length).toBeLessThanOrEqual(64 * 1024);
  });
});

describe('the build queue', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ slots: 1 });
  });
  afterAll(() => server.close());

  it('queues builds beyond its slots, says so, and keeps answering health and cached builds', async () => {
    const cachedFiles = { 'main.go': hello + nonce() };
    expect((await server.post('/api/build', { files: cachedFiles })).json.ok).toBe(true);
    const a = server.post('/api/build', { files: { 'main.go': hello + nonce() } });
    const b = server.post('/api/build', { files: { 'main.go': hello + nonce() } });
    await new Promise((r) => setTimeout(r, 50));
    const health = await (await server.get('/api/health')).json();
    expect(health.builds).toMatchObject({ running: 1, queued: 1, slots: 1 });
    const cached = await server.post('/api/build', { files: cachedFiles });
    expect(cached.json.cached).toBe(true);
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.json.ok && rb.json.ok).toBe(true);
    expect(rb.json.output).toMatch(/waited \d+ ms in the build queue \(position 1\)/);
  });

  it('drops a queued build when its client goes away, and never compiles it', async () => {
    const running = server.post('/api/build', { files: { 'main.go': hello + nonce() } });
    const leaving = { 'main.go': hello + nonce() };
    const gone = new AbortController();
    const request = fetch(`${server.url}/api/build`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ files: leaving }),
      signal: gone.signal,
    }).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 50));
    expect((await (await server.get('/api/health')).json()).builds.queued).toBe(1);
    gone.abort();
    expect(await request).toBe('aborted');
    await new Promise((r) => setTimeout(r, 50));
    expect((await (await server.get('/api/health')).json()).builds.queued).toBe(0);
    expect((await running).json.ok).toBe(true);
    // Had it been compiled, it would now be a cache hit.
    expect((await server.post('/api/build', { files: leaving })).json.cached).toBe(false);
  });
});
