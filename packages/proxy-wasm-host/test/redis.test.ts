// Redis calls against a real redis-server, through wasm-go's RedisClusterClient (test/plugins/redis),
// each behaviour citing the Higress Envoy source it reproduces (higress-group/envoy, branch
// envoy-1.27: E127): common/redis/async_client_impl.cc (AsyncClientImpl),
// extensions/filters/network/common/redis/raw_client_impl.cc (RawClientImpl) and
// extensions/common/wasm/context.cc (Context::redisInit / redisCall / onRedisCall*).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayPlugin, type VmOptions } from '../src/index.js';
import { buildPlugin } from './support/build-plugin.js';
import { echoIo, get, header, ONE_WORKER } from './support/harness.js';
import { startRedis, type TestRedis } from './support/redis-server.js';

const CLUSTER = 'outbound|6379||redis.static';
let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

async function plugin(config: object, extra: Partial<VmOptions> = {}) {
  const r = await GatewayPlugin.start(await buildPlugin('redis'), {
    pluginConfig: JSON.stringify({ cluster: 'redis.static', timeout: 1000, ...config }),
    clusters: ['redis'],
    redis: { redis: redis.target },
    ...ONE_WORKER,
    ...extra,
  });
  expect(r.configured, r.error).toBe(true);
  return r.vm;
}

const send = async (vm: GatewayPlugin, connection?: number) => {
  const rec = await vm.handle({ ...get(), ...(connection ? { connection: { id: connection, remoteAddress: '10.0.0.1:5000', localAddress: '10.0.0.2:80' } } : {}) }, echoIo());
  return { rec, reply: header(rec.response.headers, 'x-redis-reply'), error: header(rec.response.headers, 'x-redis-error') };
};

describe('proxy_redis_call', () => {
  // E127 Context::redisCall -> AsyncClientImpl::send; Context::onRedisCallSuccess delivers the raw reply
  // (buffer RedisCallResponse) to proxy_on_redis_call_response with RedisStatus::Ok.
  it('a command reaches Redis and its reply reaches the plugin; the exchange shows the call', async () => {
    await redis.command('DEL', 'hits');
    const vm = await plugin({ command: ['INCR', 'hits'] });
    const first = await send(vm);
    const second = await send(vm);
    expect([first.reply, second.reply]).toEqual(['1', '2']);
    expect(await redis.command('GET', 'hits')).toBe('"2"');
    expect(second.rec.redisCalls).toEqual([expect.objectContaining({ cluster: CLUSTER, command: 'INCR hits', reply: '(integer) 2', status: 'ok' })]);
    expect(second.rec.timeline.map((t) => t.phase)).toContain('redis_call_response');
    vm.close();
  });

  it('worker VMs share the Redis server: a counter counts across them', async () => {
    await redis.command('DEL', 'shared');
    const vm = await plugin({ command: ['INCR', 'shared'] }, { profileOverrides: { workers: 2 } });
    await vm.ready();
    const a = await send(vm, 1);
    const b = await send(vm, 2);
    expect(new Set([a.rec.worker, b.rec.worker]).size).toBe(2);
    expect([a.reply, b.reply].sort()).toEqual(['1', '2']);
    vm.close();
  });

  // E127 Context::redisInit / redisCall: getThreadLocalCluster(name without ?query) == nullptr -> BadArgument.
  it('a cluster the gateway does not have is BadArgument: Init fails, Command says so, no call is made', async () => {
    const vm = await plugin({ cluster: 'cache.static', command: ['PING'] });
    const { rec, error } = await send(vm);
    expect(error).toMatch(/dispatch: .*bad argument/i);
    expect(rec.redisCalls).toEqual([]);
    expect(rec.notes.map((n) => n.code)).toContain('unknown_cluster');
    expect(rec.notes.find((n) => n.code === 'unknown_cluster')!.fix).toMatch(/Redis service named "cache"/);
    vm.close();
  });

  // RawClientImpl::onEvent(RemoteClose) before connecting: every pending request -> onFailure ->
  // Context::onRedisCallFailure -> RedisStatus::NetworkError, empty reply.
  it('Redis down: the plugin gets NetworkError, which wasm-go reports as "cannot connect to redis cluster"', async () => {
    const vm = await plugin({ command: ['PING'] }, { redis: { redis: { path: '/nonexistent/redis.sock' } } });
    const { rec, error } = await send(vm);
    expect(error).toBe('cannot connect to redis cluster');
    expect(rec.redisCalls[0]).toMatchObject({ status: 'network_error' });
    expect(rec.notes.map((n) => n.code)).toContain('redis_failed');
    vm.close();
  });

  it('a declared cluster that is not a Redis server fails the same way, and the note says what to declare', async () => {
    const vm = await plugin({ command: ['PING'] }, { redis: {} });
    const { rec, error } = await send(vm);
    expect(error).toBe('cannot connect to redis cluster');
    expect(rec.notes.find((n) => n.code === 'redis_failed')!.fix).toMatch(/declare "redis" as a Redis service/);
    vm.close();
  });

  // RawClientImpl::initialize: SELECT from the cluster's ?db= parameter (AsyncClientImpl keeps params_).
  it('WithDataBase(n) selects that database before the plugin\'s commands', async () => {
    const vm = await plugin({ db: 3, command: ['SET', 'in-db', 'three'] });
    expect((await send(vm)).reply).toBe('OK');
    expect(await redis.command('GET', 'in-db')).toBe('(nil)');
    expect(await redis.command('EVAL', "redis.call('SELECT', 3) return redis.call('GET', 'in-db')", '0')).toBe('"three"');
    vm.close();
  });

  // RawClientImpl::onConnectOrOpTimeout: the op timeout (Init's timeout) closes the connection and
  // fails every pending call.
  it('a reply slower than Init\'s timeout fails the call', async () => {
    const vm = await plugin({ timeout: 200, command: ['BLPOP', 'never-filled', '0'] });
    const { rec, error } = await send(vm);
    expect(error).toBe('cannot connect to redis cluster');
    expect(rec.redisCalls[0].error).toMatch(/op timeout \(200 ms\)/);
    vm.close();
  });

  // RawDecoderImpl::parseSlice knows RESP2 only: a RESP3 map after HELLO 3 is a ProtocolError, and
  // RawClientImpl::onData closes the connection.
  it('a RESP3 reply (after HELLO 3) is a protocol error for the gateway: the call fails', async () => {
    const vm = await plugin({ command: ['HELLO', '3'] });
    const { rec, error } = await send(vm);
    expect(error).toBe('cannot connect to redis cluster');
    expect(rec.redisCalls[0].error).toMatch(/unknown RESP type byte "%"/);
    vm.close();
  });

  it('a malformed query is sent as it is; the exchange explains what is wrong with it', async () => {
    const vm = await plugin({ mode: 'raw', raw: '*2\r\n$3\r\nGET\r\n', timeout: 200 });
    const { rec, error } = await send(vm);
    expect(error).toBe('cannot connect to redis cluster');
    const note = rec.notes.find((n) => n.code === 'redis_malformed')!;
    expect(note.message).toMatch(/incomplete/);
    expect(rec.redisCalls[0].command).toMatch(/^\(malformed\)/);
    vm.close();
  });
});

describe('proxy_redis_init with credentials', () => {
  let secured: TestRedis;
  beforeAll(async () => {
    secured = await startRedis({ password: 's3cret' });
  });
  afterAll(() => secured?.stop());

  // RawClientImpl::initialize sends AUTH first, with nobody waiting for its reply.
  it('the right password authenticates the connection; a wrong one leaves Redis answering NOAUTH', async () => {
    const ok = await plugin({ password: 's3cret', command: ['PING'] }, { redis: { redis: secured.target } });
    expect((await send(ok)).reply).toBe('PONG');
    ok.close();
    const wrong = await plugin({ password: 'nope', command: ['PING'] }, { redis: { redis: secured.target } });
    expect((await send(wrong)).error).toMatch(/^NOAUTH/);
    wrong.close();
  });
});
