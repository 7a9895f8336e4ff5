import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalScenario, shareId } from '../src/share/canonical.js';
import { RateLimiter } from '../src/share/rate-limit.js';
import { startServer, type TestServer } from './support/server.js';

const PG_URL = process.env.PLAYGROUND_TEST_DATABASE_URL;
if (!PG_URL) {
  if (process.env.CI) throw new Error('PLAYGROUND_TEST_DATABASE_URL is not set: .ci/run starts PostgreSQL and sets it');
  console.warn('[shares.test] PostgreSQL store tests SKIPPED: set PLAYGROUND_TEST_DATABASE_URL (scripts/start-postgres.sh prints one)');
}

const scenario = (n: number | string = Math.random()) => ({
  files: { 'main.go': `package main\n\nfunc main() {}\n// ${n}\n`, 'util.go': 'package main\n' },
  config: 'mockEnable: true\n',
  requests: [{ name: 'get', method: 'GET', path: '/get', headers: [['accept', '*/*']], body: '' }],
});

/** Counts stored records with the store's own database, so "one record" is checked for real. */
async function countRecords(kind: string, id: string): Promise<number> {
  if (kind === 'sqlite') {
    const db = new Database(process.env.PLAYGROUND_SHARE_FILE!, { readonly: true });
    const n = (db.prepare('SELECT count(*) AS n FROM shares WHERE id = ?').get(id) as { n: number }).n;
    db.close();
    return n;
  }
  const client = new pg.Client(PG_URL);
  await client.connect();
  const { rows } = await client.query('SELECT count(*)::int AS n FROM shares WHERE id = $1', [id]);
  await client.end();
  return rows[0].n;
}

const stores = [['sqlite', undefined], ...(PG_URL ? [['postgres', PG_URL]] : [])] as [string, string | undefined][];

describe.each(stores)('shares in %s', (kind, databaseUrl) => {
  let server: TestServer;
  let dataDir: string;
  const restart = async () => {
    await server.close();
    server = await startServer();
  };

  beforeAll(async () => {
    // A SQLite file of its own, so each run starts from an empty store.
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'shares-'));
    process.env.PLAYGROUND_SHARE_FILE = path.join(dataDir, 'shares.sqlite');
    if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
    else delete process.env.DATABASE_URL;
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
    delete process.env.PLAYGROUND_SHARE_FILE;
    delete process.env.DATABASE_URL;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('round-trips a scenario and gives the same content the same id', async () => {
    const s = scenario();
    const a = await server.post('/api/share', s);
    expect(a.status).toBe(201);
    expect(a.json.url).toBe(`/p/${a.json.id}`);
    expect(a.json.id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    // Same content, other key order: same id.
    const reordered = { requests: s.requests, config: s.config, files: { 'util.go': s.files['util.go'], 'main.go': s.files['main.go'] } };
    expect((await server.post('/api/share', reordered)).json.id).toBe(a.json.id);
    expect((await server.post('/api/share', scenario())).json.id).not.toBe(a.json.id);
    const back = await (await server.get(`/api/share/${a.json.id}`)).json();
    expect(back).toEqual(s);
  });

  it('keeps services of every kind, the gateway settings, the clock, request routing, client addresses and chunked bodies', async () => {
    const s = {
      ...scenario('extras'),
      requests: [
        { name: 'vip', method: 'GET', path: '/get', headers: [], body: '', route: 'vip', service: 'orders.shop:8080' },
        { name: 'slow', method: 'POST', path: '/post', headers: [], body: '', bodyChunks: [{ body: 'a', delayMs: 0 }, { body: 'b', delayMs: 50 }], clientAddress: '192.168.1.7' },
      ],
      services: [
        { kind: 'http', name: 'token-service', status: 200, headers: [['x-token', 't']], body: '' },
        { kind: 'redis', name: 'redis', password: 'pw' },
        { kind: 'llm', name: 'llm-openai', models: ['gpt-4o'], chunkDelayMs: 10 },
      ],
      gateway: { profile: 'envoy', upstream: 'llm-openai' },
      clock: 'virtual',
    };
    const { json } = await server.post('/api/share', s);
    expect(await (await server.get(`/api/share/${json.id}`)).json()).toEqual(s);
    // A service saved before kinds existed is an http service.
    const old = await server.post('/api/share', { ...s, services: [{ name: 'token-service', status: 200, headers: [['x-token', 't']], body: '' }] });
    expect((await (await server.get(`/api/share/${old.json.id}`)).json()).services[0].kind).toBe('http');
    const plain = await server.post('/api/share', { ...s, services: undefined, clock: undefined });
    expect(plain.json.id).not.toBe(json.id);
  });

  it('survives a server restart', async () => {
    const s = scenario('restart');
    const { json } = await server.post('/api/share', s);
    await restart();
    expect(await (await server.get(`/api/share/${json.id}`)).json()).toEqual(s);
  });

  it('stores concurrent shares of the same content once, under one id', async () => {
    const s = scenario();
    const answers = await Promise.all(Array.from({ length: 12 }, () => server.post('/api/share', s)));
    const ids = new Set(answers.map((a) => a.json.id));
    expect(answers.every((a) => a.status === 201)).toBe(true);
    expect(ids.size).toBe(1);
    expect(await countRecords(kind, [...ids][0])).toBe(1);
  });

  it('404s unknown ids, including ones that are not ids at all', async () => {
    expect((await server.get('/api/share/AAAAAAAAAAAA')).status).toBe(404);
    expect((await server.get('/api/share/..%2F..%2Fetc')).status).toBe(404);
  });

  it('refuses oversized and malformed scenarios with clear errors', async () => {
    const big = scenario();
    big.files['main.go'] = 'x'.repeat(600 * 1024);
    const tooBig = await server.post('/api/share', big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error).toMatch(/at most/);
    const extra = await server.post('/api/share', { ...scenario(), secret: 1 });
    expect(extra.status).toBe(400);
    expect(extra.json.error).toMatch(/secret/);
    const noFiles = await server.post('/api/share', { config: '' });
    expect(noFiles.status).toBe(400);
    expect(noFiles.json.error).toMatch(/files/);
    const badRequest = await server.post('/api/share', { ...scenario(), requests: [{ method: 'GET', path: 'no-slash' }] });
    expect(badRequest.status).toBe(400);
    expect(badRequest.json.error).toMatch(/requests\.0\.path/);
  });

  it('refuses file names a build would refuse, naming the file', async () => {
    for (const name of ['../../etc/passwd', '<img src=x onerror=alert(1)>.go', '.env']) {
      const bad = await server.post('/api/share', { ...scenario(), files: { 'main.go': 'package main', [name]: 'x' } });
      expect(bad.status).toBe(400);
      expect(bad.json.field).toBe(`files.${name}`);
    }
  });

  it('stops taking shares when the store is full, and forgets shares past their retention', async () => {
    process.env.PLAYGROUND_SHARES_MAX_MB = '0.0001';
    try {
      const full = await server.post('/api/share', scenario());
      expect(full.status).toBe(507);
      expect(full.json.error).toMatch(/share storage is full/);
    } finally {
      delete process.env.PLAYGROUND_SHARES_MAX_MB;
    }
    const kept = await server.post('/api/share', scenario());
    expect(kept.status).toBe(201);
    // Shares made before a minute ago go (older test runs' in a shared database); this one stays.
    await server.playground.shares.expire(Date.now() - 60_000);
    expect((await server.get(`/api/share/${kept.json.id}`)).status).toBe(200);
    expect(await server.playground.shares.expire(Date.now() + 60_000)).toBeGreaterThan(0);
    expect((await server.get(`/api/share/${kept.json.id}`)).status).toBe(404);
  });
});

describe('the SQLite store after a crash mid-write', () => {
  it('holds only whole records', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'share-crash-'));
    const file = path.join(dir, 'shares.sqlite');
    try {
      // One process (node with tsx's loader), so the SIGKILL ends the writer itself, not a wrapper.
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/share-writer.ts', file], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, 400));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const db = new Database(file);
      const rows = db.prepare('SELECT id, body FROM shares').all() as { id: string; body: string }[];
      db.close();
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(shareId(canonicalScenario(JSON.parse(row.body)))).toBe(row.id);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the share rate limit', () => {
  it('lets a burst through, then answers with the wait', () => {
    const limiter = new RateLimiter(2, 2);
    expect(limiter.take('a', 0).ok).toBe(true);
    expect(limiter.take('a', 0).ok).toBe(true);
    expect(limiter.take('a', 0)).toEqual({ ok: false, retryAfterS: 30 });
    expect(limiter.take('b', 0).ok).toBe(true);
    expect(limiter.take('a', 30_000).ok).toBe(true);
  });

  it('answers 429 over HTTP', async () => {
    process.env.PLAYGROUND_SHARES_PER_MINUTE = '2';
    const server = await startServer();
    delete process.env.PLAYGROUND_SHARES_PER_MINUTE;
    try {
      await server.post('/api/share', scenario());
      await server.post('/api/share', scenario());
      const third = await server.post('/api/share', scenario());
      expect(third.status).toBe(429);
      expect(third.json.error).toMatch(/too many shares; try again in \d+ s/);
    } finally {
      await server.close();
    }
  });
});
