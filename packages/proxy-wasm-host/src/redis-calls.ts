// proxy_redis_init / proxy_redis_call for one VM (ENVOY context.cc Context::redisInit, redisCall,
// onRedisCallSuccess, onRedisCallFailure; CPPH exports.cc redis_init / redis_call). Both act on the
// root context. The cluster is named without its query (`outbound|6379||redis.static?db=1`); one
// the gateway does not have is BadArgument with no callback. The reply arrives later through
// proxy_on_redis_call_response(root, token, status, size) with the reply's bytes in buffer 9.
import { WasmResult } from './abi/enums.js';
import { clusterHost, knownCluster } from './callouts.js';
import type { StreamContext } from './context.js';
import { RedisClusterClient, type RedisReply } from './redis.js';
import { describeCommand, describeReply, parseCommand } from './resp.js';
import type { HostNote, RedisCallRecord, RedisTarget } from './types.js';

/** proxy-wasm RedisStatus: wasm-go treats anything but Ok as "cannot connect to redis cluster". */
export const RedisStatus = { Ok: 0, NetworkError: 1 } as const;

/** CPPH wasm.h: call ids of one kind step by 4 from their kind (RedisCall = 3), so kinds never collide. */
const REDIS_CALL_KIND = 3;
const CALLOUT_INCREMENT = 4;

export interface RedisDelivery {
  token: number;
  ctx: StreamContext | undefined;
  record: RedisCallRecord;
  status: number;
  response: Uint8Array;
}

export class RedisCalls {
  private readonly clients = new Map<string, RedisClusterClient>();
  private nextToken = REDIS_CALL_KIND;
  /** Calls sent whose reply (or failure) has not come back yet. */
  private waiting = 0;

  get inFlight(): number {
    return this.waiting;
  }

  constructor(
    /** The clusters the gateway has (undefined: all). */
    private readonly clusters: string[] | undefined,
    /** Redis servers by service name. */
    private readonly targets: Record<string, RedisTarget>,
    private readonly deliver: (d: RedisDelivery) => void,
    private readonly warn: (message: string) => void,
    private readonly background: (r: RedisCallRecord) => void,
  ) {}

  private lookup(name: string, ctx: StreamContext | undefined, note: (n: HostNote) => void, call: string): RedisClusterClient | undefined {
    const cluster = name.slice(0, name.includes('?') ? name.indexOf('?') : undefined);
    if (!knownCluster(cluster, this.clusters) && cluster !== ctx?.properties.cluster_name) {
      this.warn(`${call} to "${cluster}": the gateway has no such cluster (BadArgument)`);
      note({
        code: 'unknown_cluster',
        message: `the plugin used Redis cluster "${cluster}", which this gateway does not have: Envoy returns BadArgument at once and no callback follows`,
        fix: `declare a Redis service named "${clusterHost(cluster).split('.')[0]}" (Services), or use a cluster the gateway has`,
      });
      return undefined;
    }
    let client = this.clients.get(cluster);
    if (!client) {
      const service = Object.keys(this.targets).find((s) => knownCluster(cluster, [s]));
      client = new RedisClusterClient(service ? this.targets[service] : undefined);
      this.clients.set(cluster, client);
    }
    return client;
  }

  init(name: string, username: string, password: string, timeoutMs: number, ctx: StreamContext | undefined, note: (n: HostNote) => void): number {
    const client = this.lookup(name, ctx, note, 'proxy_redis_init');
    if (!client) return WasmResult.BadArgument;
    const params = new Map(new URLSearchParams(name.includes('?') ? name.slice(name.indexOf('?') + 1) : ''));
    client.initialize({ username, password, timeoutMs, params });
    return WasmResult.Ok;
  }

  call(name: string, query: Uint8Array, ctx: StreamContext | undefined, note: (n: HostNote) => void): { result: number; token: number } {
    const client = this.lookup(name, ctx, note, 'proxy_redis_call');
    if (!client) return { result: WasmResult.BadArgument, token: 0 };
    const cluster = name.split('?')[0];
    const parsed = parseCommand(query);
    const record: RedisCallRecord = {
      cluster,
      command: 'args' in parsed ? describeCommand(parsed.args) : `(malformed) ${JSON.stringify(new TextDecoder().decode(query.subarray(0, 120)))}`,
      reply: null,
      status: 'pending',
      durationMs: 0,
    };
    if ('error' in parsed) {
      note({
        code: 'redis_malformed',
        message: `the Redis query is not one well-formed command (${parsed.error}, at byte ${parsed.at}); the gateway sends it as it is, and Redis answers it, waits for the rest, or closes the connection`,
        fix: 'build commands with RedisClusterClient (Command, Eval, Get, ...) or resp.Writer.WriteArray',
      });
    }
    const token = (this.nextToken += CALLOUT_INCREMENT);
    if (ctx) ctx.redisCalls.push(record);
    else this.background(record);
    const t0 = performance.now();
    this.waiting++;
    client.send(query, (r: RedisReply) => {
      this.waiting--;
      record.durationMs = Math.round((performance.now() - t0) * 1000) / 1000;
      if (r.data) {
        record.status = 'ok';
        record.reply = describeReply(r.data);
        if (/^\(error\) NOPERM/.test(record.reply)) {
          ctx?.note({
            code: 'playground_bound',
            message: `the playground's Redis refused ${record.command.split(' ')[0]}: administrative commands (CONFIG, SHUTDOWN, REPLICAOF, MONITOR, ACL, ...) are off for plugins here`,
          });
        }
      } else {
        record.status = 'network_error';
        record.error = r.error;
        ctx?.note({
          code: 'redis_failed',
          message: `the Redis call to "${cluster}" failed (${r.error}): the gateway answers the plugin with status NetworkError and an empty reply, which wasm-go turns into the error "cannot connect to redis cluster"`,
          fix: r.error === 'the cluster is not a Redis server' ? `declare "${clusterHost(cluster).split('.')[0]}" as a Redis service` : 'check the service is up, and the timeout given to Init (the op timeout, in ms)',
        });
      }
      this.deliver({ token, ctx, record, status: r.data ? RedisStatus.Ok : RedisStatus.NetworkError, response: r.data ?? new Uint8Array(0) });
    });
    return { result: WasmResult.Ok, token };
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
