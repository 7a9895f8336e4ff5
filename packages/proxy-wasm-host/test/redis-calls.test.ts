// src/redis-calls.ts on its own, against a real redis-server (test/support/redis-server.ts) with no
// VM and no Go: which cluster a call goes to (ENVOY context.cc Context::redisInit / redisCall: a
// cluster the gateway does not have is BadArgument, the name's `?db=` query is not part of it), the
// call ids cpp-host gives (RedisCall = 3, stepping by kCalloutIncrement 4, so 7, 11, ...), what the
// plugin is delivered (onRedisCallSuccess: RedisStatus Ok and the raw reply; onRedisCallFailure:
// NetworkError and nothing) and what the exchange records.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WasmResult } from '../src/abi/enums.js';
import { RedisCalls, RedisStatus, type RedisDelivery } from '../src/redis-calls.js';
import { encodeCommand } from '../src/resp.js';
import type { HostNote, RedisCallRecord, RedisTarget } from '../src/index.js';
import { dec, enc } from './support/harness.js';
import { startRedis, type TestRedis } from './support/redis-server.js';
import { streamContext } from './support/stream-context.js';

const CLUSTER = 'outbound|6379||redis.static';
let redis: TestRedis;
const open: RedisCalls[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());
afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await redis.command('FLUSHALL');
});

function setup(opts: { clusters?: string[]; targets?: Record<string, RedisTarget> } = {}) {
  const delivered: RedisDelivery[] = [];
  const warnings: string[] = [];
  const background: RedisCallRecord[] = [];
  const notes: HostNote[] = [];
  let waiter: (() => void) | undefined;
  const calls = new RedisCalls(
    'clusters' in opts ? opts.clusters : ['redis'],
    opts.targets ?? { redis: redis.target },
    (d) => {
      delivered.push(d);
      waiter?.();
    },
    (m) => warnings.push(m),
    (r) => background.push(r),
  );
  open.push(calls);
  /** The next delivery (proxy_on_redis_call_response), in order. */
  const next = async () => {
    while (!delivered.length) await new Promise<void>((r) => (waiter = r));
    return delivered.shift()!;
  };
  return { calls, delivered, warnings, background, notes, note: (n: HostNote) => void notes.push(n), next };
}

const cmd = (...args: string[]) => encodeCommand(args);

describe('which cluster', () => {
  it('a cluster the gateway does not have: init and call are BadArgument, nothing is sent, the note names the service to declare', async () => {
    const t = setup({ clusters: ['redis'] });
    expect(t.calls.init('outbound|6379||cache.static', '', '', 1000, undefined, t.note)).toBe(WasmResult.BadArgument);
    expect(t.calls.call('outbound|6379||cache.static', cmd('SET', 'k', 'v'), undefined, t.note)).toEqual({ result: WasmResult.BadArgument, token: 0 });
    expect(t.notes[0]).toMatchObject({ code: 'unknown_cluster', fix: expect.stringContaining('"cache"') });
    expect(t.warnings).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 20));
    expect(t.delivered).toEqual([]);
    expect(t.background).toEqual([]);
    expect(await redis.command('EXISTS', 'k')).toBe('(integer) 0');
  });

  it('the ?db= query is not part of the cluster name: a declared cluster with one is known', () => {
    const t = setup({ clusters: ['redis'] });
    expect(t.calls.init(`${CLUSTER}?db=1`, '', '', 1000, undefined, t.note)).toBe(WasmResult.Ok);
    expect(t.notes).toEqual([]);
  });

  it('the route\'s own cluster is known even when not declared', async () => {
    const t = setup({ clusters: [] });
    const ctx = streamContext({ properties: { cluster_name: CLUSTER } });
    expect(t.calls.call(CLUSTER, cmd('PING'), ctx, t.note).result).toBe(WasmResult.Ok);
    expect((await t.next()).status).toBe(RedisStatus.Ok);
  });
});

describe('calls', () => {
  it('tokens are 7, 11, 15, ...; each reply (raw RESP) answers its call in order with status Ok', async () => {
    const t = setup();
    const tokens = [1, 2, 3].map(() => t.calls.call(CLUSTER, cmd('INCR', 'n'), undefined, t.note));
    expect(tokens).toEqual([7, 11, 15].map((token) => ({ result: WasmResult.Ok, token })));
    const got = [await t.next(), await t.next(), await t.next()];
    expect(got.map((d) => [d.token, d.status, dec(d.response)])).toEqual([
      [7, RedisStatus.Ok, ':1\r\n'],
      [11, RedisStatus.Ok, ':2\r\n'],
      [15, RedisStatus.Ok, ':3\r\n'],
    ]);
    expect(await redis.command('GET', 'n')).toBe('"3"');
  });

  it('a stream\'s call is recorded on the stream as redis-cli shows it; a call outside one in the background', async () => {
    const t = setup();
    const ctx = streamContext();
    t.calls.call(CLUSTER, cmd('SET', 'greeting', 'hello world'), ctx, t.note);
    const d = await t.next();
    expect(d.ctx).toBe(ctx);
    expect(ctx.redisCalls).toEqual([{ cluster: CLUSTER, command: 'SET greeting "hello world"', reply: 'OK', status: 'ok', durationMs: expect.any(Number) }]);
    t.calls.call(CLUSTER, cmd('GET', 'greeting'), undefined, t.note);
    await t.next();
    expect(t.background).toEqual([expect.objectContaining({ command: 'GET greeting', reply: '"hello world"' })]);
  });

  it('init\'s ?db= selects the database for the cluster\'s connection', async () => {
    const t = setup();
    expect(t.calls.init(`${CLUSTER}?db=3`, '', '', 1000, undefined, t.note)).toBe(WasmResult.Ok);
    t.calls.call(`${CLUSTER}?db=3`, cmd('SET', 'in-three', '1'), undefined, t.note);
    expect((await t.next()).status).toBe(RedisStatus.Ok);
    expect(await redis.command('EXISTS', 'in-three')).toBe('(integer) 0');
    expect(await redis.command('INFO', 'keyspace')).toMatch(/db3:keys=1/);
    // The record names the cluster without its query.
    expect(t.background[0].cluster).toBe(CLUSTER);
  });

  it('a malformed query is sent as it is and the exchange says what is wrong with it', async () => {
    const t = setup();
    const ctx = streamContext();
    // An inline command: Redis reads it, the gateway's RESP parser would not frame it as one array.
    t.calls.call(CLUSTER, enc('PING\r\n'), ctx, t.note);
    expect(t.notes[0]).toMatchObject({ code: 'redis_malformed', message: expect.stringContaining('at byte 0') });
    const d = await t.next();
    expect(dec(d.response)).toBe('+PONG\r\n');
    expect(ctx.redisCalls[0].command).toBe('(malformed) "PING\\r\\n"');
  });
});

describe('failures reach the plugin as NetworkError with an empty reply', () => {
  it('a declared cluster with no Redis server behind it, and the note says to declare it as Redis', async () => {
    const t = setup({ clusters: ['api'], targets: {} });
    const ctx = streamContext();
    expect(t.calls.call('outbound|80||api.static', cmd('PING'), ctx, t.note).result).toBe(WasmResult.Ok);
    const d = await t.next();
    expect([d.status, d.response.length]).toEqual([RedisStatus.NetworkError, 0]);
    expect(ctx.redisCalls[0]).toMatchObject({ status: 'network_error', reply: null, error: 'the cluster is not a Redis server' });
    expect(ctx.notes[0]).toMatchObject({ code: 'redis_failed', fix: expect.stringContaining('declare "api" as a Redis service') });
  });

  it('a server that refuses the connection', async () => {
    const t = setup({ targets: { redis: { path: '/nonexistent/redis.sock' } } });
    t.calls.call(CLUSTER, cmd('PING'), undefined, t.note);
    const d = await t.next();
    expect(d.status).toBe(RedisStatus.NetworkError);
    expect(d.record.error).toMatch(/ENOENT|ECONNREFUSED/);
  });

  it('close() (the VM stopped) fails the calls still waiting', async () => {
    const t = setup();
    // BLPOP on an empty list waits for 5 s; the op timeout (1 s before init) would fail it later.
    t.calls.call(CLUSTER, cmd('BLPOP', 'empty-list', '5'), undefined, t.note);
    await new Promise((r) => setTimeout(r, 50));
    t.calls.close();
    const d = await t.next();
    expect(d.status).toBe(RedisStatus.NetworkError);
    expect(d.record.error).toBe('the VM closed');
  });
});
