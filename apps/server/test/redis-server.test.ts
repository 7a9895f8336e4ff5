// A session's Redis (src/runtime/upstream/redis.ts): a real redis-server that only its session
// reaches, which plugins cannot reconfigure, fill beyond its cap or keep busy, and which comes back
// when it dies.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { RedisClient } from '../src/runtime/upstream/redis-client.js';
import { RedisServer } from '../src/runtime/upstream/redis.js';

const servers: RedisServer[] = [];
const clients: RedisClient[] = [];
async function start(opts: { password?: string; memoryMiB?: number } = {}) {
  const s = await RedisServer.start({ sessionId: 'test', service: 'redis', memoryMiB: opts.memoryMiB ?? 32, ...(opts.password ? { password: opts.password } : {}) });
  servers.push(s);
  return s;
}
/** A connection as a plugin's: the default user. */
function connect(s: RedisServer) {
  const c = new RedisClient(s.socketPath);
  clients.push(c);
  return c;
}
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

describe('a session\'s Redis', () => {
  it('serves plugins but refuses them administrative commands', async () => {
    const s = await start();
    const c = connect(s);
    expect(await c.command(['SET', 'k', 'v'])).toBe('OK');
    expect(await c.command(['GET', 'k'])).toBe('v');
    for (const cmd of [['CONFIG', 'SET', 'maxmemory', '0'], ['REPLICAOF', '10.0.0.1', '6379'], ['SHUTDOWN', 'NOSAVE'], ['ACL', 'SETUSER', 'x', 'on']]) {
      expect(String(await c.command(cmd))).toMatch(/^Error: NOPERM/);
    }
  });

  it('requires AUTH when the service has a password', async () => {
    const s = await start({ password: 'pw' });
    const c = connect(s);
    expect(String(await c.command(['GET', 'k']))).toMatch(/^Error: NOAUTH/);
    expect(await c.command(['AUTH', 'pw'])).toBe('OK');
    expect(await c.command(['GET', 'k'])).toBeNull();
  });

  it('answers OOM once its data reaches the cap, as Redis does', async () => {
    const s = await start({ memoryMiB: 2 });
    const c = connect(s);
    const big = 'x'.repeat(256 * 1024);
    let reply: unknown = 'OK';
    for (let i = 0; i < 40 && reply === 'OK'; i++) reply = await c.command(['SET', `k${i}`, big]);
    expect(String(reply)).toMatch(/^Error: OOM/);
  });

  it('lists its keys with types, TTLs and values, and deletes them all on request', async () => {
    const s = await start();
    const c = connect(s);
    await c.command(['SET', 'counter', '3', 'PX', '60000']);
    await c.command(['RPUSH', 'queue', 'a', 'b']);
    await c.command(['SELECT', '2']);
    await c.command(['HSET', 'h', 'f', 'v']);
    const view = await s.keys();
    expect(view.databases).toEqual([
      { db: 0, size: 2, truncated: false, keys: [expect.objectContaining({ key: 'counter', type: 'string', value: '3' }), { key: 'queue', type: 'list', ttlMs: null, value: '["a","b"]' }] },
      { db: 2, size: 1, truncated: false, keys: [{ key: 'h', type: 'hash', ttlMs: null, value: '["f","v"]' }] },
    ]);
    expect(view.databases[0].keys[0].ttlMs).toBeGreaterThan(0);
    await s.flush();
    expect((await s.keys()).databases).toEqual([]);
  });

  it('ends a script that keeps it busy, so its session can go on', async () => {
    const s = await start();
    const busy = connect(s);
    const looping = busy.command(['EVAL', 'while true do end', '0'], 15_000);
    expect(String(await looping)).toMatch(/Script killed/);
    expect(await connect(s).command(['PING'])).toBe('PONG');
  });

  it('restarts, empty, when it dies', async () => {
    const s = await start();
    await connect(s).command(['SET', 'k', 'v']);
    const pid = s.pid;
    process.kill(pid!, 'SIGKILL');
    let reply: unknown;
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (s.pid === pid) continue;
      reply = await new RedisClient(s.socketPath).command(['GET', 'k']).catch(() => 'not yet');
      if (reply !== 'not yet') break;
    }
    expect(s.pid).not.toBe(pid);
    expect(reply).toBeNull();
  });

  it('leaves nothing behind when stopped', async () => {
    const s = await start();
    await s.stop();
    expect(existsSync(s.socketPath)).toBe(false);
    expect(() => process.kill(s.pid!, 0)).toThrow();
  });
});
