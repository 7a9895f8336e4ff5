import {
  compilePlugin,
  handleWithoutPlugin,
  IsolatedPlugin,
  resolveProfile,
  WorkerPool,
  type ExchangeRecord,
  type HttpRequest,
  type LogEntry as HostLogEntry,
  type ServedSummary,
  type StreamIo,
} from '@playground/proxy-wasm-host';
import {
  clusterNameFor,
  GATEWAY_DEFAULTS,
  type ClockAdvance,
  type Exchange,
  type GatewayProfile,
  type GatewaySettings,
  type HttpRequestMessage,
  type LogEntry,
  type Metric,
  type RedisKeysView,
} from '@playground/shared';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExchangeOptions, Runtime, RuntimeSession, SessionStart } from '../runtime.js';
import { llmRouteCluster, routeTarget, ServiceUnavailable, type UpstreamUrls } from '../services.js';
import type { HttpbinSupervisor } from '../upstream/httpbin.js';
import type { LlmSupervisor } from '../upstream/llm/supervisor.js';
import { openUpstream } from '../upstream/forward.js';
import { RedisServer } from '../upstream/redis.js';
import { stringSetting } from '../../settings.js';
import { toExchange, toHostRequest, toLog } from './convert.js';
import type { WorkerIoConfig } from './worker-io.js';

export interface EmbeddedLimits {
  memoryMaxMiB: number;
  callbackTimeoutMs: number;
  streamTimeoutMs: number;
  /** The share of time a session's ticks (all its VMs together) may take. */
  tickBudgetPercent: number;
  /** The caps of a session's gateway port. */
  requestBodyBytes: number;
  maxHeaders: number;
  /** Requests a session's gateway port serves at once. */
  inFlight: number;
  /** maxmemory of each Redis service. */
  redisMemoryMiB: number;
}

/** The cluster a gateway gives the playground's single route to httpbin. */
export const ROUTE_CLUSTER = clusterNameFor(GATEWAY_DEFAULTS.service);


/**
 * The module the plugin's worker thread loads to reach httpbin and the services itself: the
 * compiled one (from src, as the tests run, the dist build beside it).
 */
function workerIoModule(): string {
  const here = new URL('./worker-io.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here.href;
  const dist = new URL('../../../dist/runtime/embedded/worker-io.js', import.meta.url);
  if (existsSync(fileURLToPath(dist))) return dist.href;
  throw new Error(`worker-io.js not found beside ${fileURLToPath(here)} or in dist: build the server first (pnpm build)`);
}

/** The host's profile options for a session's gateway settings (where the route goes is ours, not the profile's). */
function profileOptions(g: GatewaySettings) {
  const { profile, upstream: _upstream, ...overrides } = g;
  return { profile, profileOverrides: overrides };
}

/** A session's Redis services, each its own server; all or none (a failed start stops the others). */
async function startRedisServers(opts: SessionStart, memoryMiB: number): Promise<Map<string, RedisServer>> {
  const servers = new Map<string, RedisServer>();
  const redis = opts.services.filter((s) => s.kind === 'redis');
  const started = await Promise.allSettled(
    redis.map((s) => RedisServer.start({ sessionId: opts.sessionId, service: s.name, memoryMiB, ...(s.password ? { password: s.password } : {}) })),
  );
  started.forEach((r, i) => r.status === 'fulfilled' && servers.set(redis[i].name, r.value));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all([...servers.values()].map((s) => s.stop()));
    throw new ServiceUnavailable(`the Redis service could not start: ${(failed.reason as Error).message}`);
  }
  return servers;
}

/**
 * The default runtime: each session's plugin runs in the embedded proxy-wasm host (one VM per
 * gateway worker), isolated in a worker thread with memory and time limits, in front of the
 * supervised httpbin.
 */
export class EmbeddedRuntime implements Runtime {
  readonly name = 'embedded' as const;
  /** Compiled, memory-capped modules by build id, so a rerun skips compiling 6 MB of wasm. */
  private modules = new Map<string, Promise<WebAssembly.Module>>();
  /** Workers started ahead of time, so a session start does not wait for one. */
  private readonly pool: WorkerPool;
  private readonly maxModules: number;

  constructor(
    private readonly httpbin: HttpbinSupervisor,
    /** Started with the first session that declares an llm service. */
    private readonly llm: LlmSupervisor,
    private readonly limits: EmbeddedLimits,
    opts: { spareWorkers?: number; cachedModules?: number } = {},
  ) {
    // Idle workers load the module that serves a session's port and upstream before they are needed.
    this.pool = new WorkerPool({ spares: opts.spareWorkers ?? 2, preload: [workerIoModule()] });
    this.maxModules = opts.cachedModules ?? 8;
  }

  /** Starts the spare workers now rather than on the first Run. */
  warm(): Promise<void> {
    return this.pool.warm();
  }

  async stop(): Promise<void> {
    await this.pool.shutdown();
    await this.llm.stop();
  }

  private module(buildId: string, wasm: () => Promise<Uint8Array>): Promise<WebAssembly.Module> {
    let m = this.modules.get(buildId);
    if (m) {
      // Most recently used last, so the first key is the one to drop.
      this.modules.delete(buildId);
    } else {
      m = wasm().then((bytes) => compilePlugin(bytes, { memoryMaxMiB: this.limits.memoryMaxMiB }));
      m.catch(() => this.modules.delete(buildId));
    }
    this.modules.set(buildId, m);
    if (this.modules.size > this.maxModules) this.modules.delete(this.modules.keys().next().value!);
    return m;
  }

  async start(opts: SessionStart): Promise<RuntimeSession> {
    const needsLlm = opts.services.some((s) => s.kind === 'llm');
    await Promise.all([
      this.httpbin.ready(),
      needsLlm ? this.llm.ready().catch((e: Error) => Promise.reject(new ServiceUnavailable(`the LLM stand-in could not start: ${e.message}`))) : undefined,
    ]);
    const redis = await startRedisServers(opts, this.limits.redisMemoryMiB);
    try {
      return await this.startPlugin(opts, redis, { httpbin: this.httpbin.baseUrl, ...(needsLlm ? { llm: this.llm.baseUrl } : {}) });
    } catch (e) {
      await Promise.all([...redis.values()].map((s) => s.stop()));
      throw e;
    }
  }

  private async startPlugin(opts: SessionStart, redis: Map<string, RedisServer>, urls: UpstreamUrls): Promise<RuntimeSession> {
    const routeCluster = llmRouteCluster(opts.services, opts.gateway) ?? ROUTE_CLUSTER;
    const clusters = [...new Set([routeCluster, ROUTE_CLUSTER, ...opts.services.map((s) => s.name)])];
    const properties = { route_name: GATEWAY_DEFAULTS.route, cluster_name: routeCluster };
    const profile = resolveProfile(opts.gateway.profile, profileOptions(opts.gateway).profileOverrides);
    const started = await IsolatedPlugin.start(
      await this.module(opts.buildId, opts.wasm),
      {
        pluginName: 'playground-plugin',
        pluginConfig: opts.configJson,
        logLevel: 'debug',
        properties,
        limits: {
          memoryMaxMiB: this.limits.memoryMaxMiB,
          callbackTimeoutMs: this.limits.callbackTimeoutMs,
          streamTimeoutMs: this.limits.streamTimeoutMs,
          tickBudgetPercent: this.limits.tickBudgetPercent,
        },
        clock: opts.clock,
        clusters,
        redis: Object.fromEntries([...redis].map(([name, server]) => [name, { path: server.socketPath }])),
        ...profileOptions(opts.gateway),
        onLog: (e) => opts.onLog(toLog(e)),
      },
      {
        pool: this.pool,
        io: {
          module: workerIoModule(),
          config: {
            urls,
            services: opts.services,
            upstream: opts.gateway.upstream,
            listen: stringSetting('PLAYGROUND_SESSION_LISTENERS') !== '0',
            limits: { requestBodyBytes: this.limits.requestBodyBytes, maxHeaders: this.limits.maxHeaders, inFlight: this.limits.inFlight },
          } satisfies WorkerIoConfig,
        },
        // Traffic on the session's own port (served in the worker) is reported once it is done.
        onServed: (summary, record) => session?.served(summary, record),
      },
    );
    const gatewayUrl = (started.served as { gatewayUrl?: string } | undefined)?.gatewayUrl;
    const session: EmbeddedSession = new EmbeddedSession(started.vm, started, { opts, profile, clusters, gatewayUrl, properties, urls, redis });
    return session;
  }
}

/** What a session runs with besides its plugin. */
interface SessionParts {
  opts: SessionStart;
  profile: GatewayProfile;
  clusters: string[];
  gatewayUrl: string | undefined;
  /** route_name and cluster_name. */
  properties: Record<string, string>;
  urls: UpstreamUrls;
  redis: Map<string, RedisServer>;
}

class EmbeddedSession implements RuntimeSession {
  readonly configured: boolean;
  readonly startLogs: LogEntry[];
  readonly startError?: string;
  readonly gateway: GatewayProfile;
  readonly clusters: string[];
  readonly gatewayUrl: string | undefined;
  private readonly events: Pick<SessionStart, 'onFailure' | 'onExchange'>;
  private failedReported = false;

  constructor(
    private readonly vm: IsolatedPlugin,
    start: { configured: boolean; logs: HostLogEntry[]; error?: string },
    private readonly parts: SessionParts,
  ) {
    this.configured = start.configured;
    this.startLogs = start.logs.map(toLog);
    this.startError = start.error;
    this.gateway = parts.profile;
    this.clusters = parts.clusters;
    this.gatewayUrl = parts.gatewayUrl;
    this.events = parts.opts;
  }

  /** The plugin's worker serves the upstream and callouts itself; only the client's side goes with the request. */
  handle(request: HttpRequestMessage, opts: ExchangeOptions = {}): Promise<Exchange> {
    return this.run(request, opts, (req, io) => this.vm.handle(req, { ...(io.downstream ? { downstream: io.downstream } : {}), ...(io.readRequestBody ? { readRequestBody: io.readRequestBody } : {}) }));
  }

  handleWithoutPlugin(request: HttpRequestMessage, opts: ExchangeOptions = {}): Promise<Exchange> {
    const { name, bufferLimitBytes, routeTimeoutMs } = this.gateway;
    return this.run(request, opts, (req, io) =>
      handleWithoutPlugin(req, io, { profile: name, profileOverrides: { bufferLimitBytes, routeTimeoutMs }, properties: this.parts.properties }),
    );
  }

  private async run(request: HttpRequestMessage, opts: ExchangeOptions, through: (req: HttpRequest, io: StreamIo) => Promise<ExchangeRecord>): Promise<Exchange> {
    const started = performance.now();
    const live = opts.live;
    const hostReq = toHostRequest(
      request,
      opts.authority ?? 'playground.local',
      live ? { id: live.connectionId, remoteAddress: live.remoteAddress, localAddress: live.localAddress } : undefined,
    );
    if (live?.readBody) {
      hostReq.streamedBody = true;
      delete hostReq.body;
    }
    const { services, gateway } = this.parts.opts;
    const target = routeTarget(services, gateway, this.parts.urls);
    const url = new URL(typeof target === 'string' ? target : target.url);
    const record = await through(hostReq, {
      upstream: (head) => openUpstream(target, head),
      upstreamAddress: `${url.hostname}:${url.port}`,
      ...(live ? { downstream: live.downstream, ...(live.readBody ? { readRequestBody: live.readBody } : {}) } : opts.downstream ? { downstream: opts.downstream } : {}),
    });
    return this.toApi(record, Math.round(performance.now() - started));
  }

  /** An exchange the worker served on the session's own port (the whole record while watched). */
  served(summary: ServedSummary, record: ExchangeRecord | undefined): void {
    this.checkFailure();
    if (!record) return this.events.onExchange(summary, undefined);
    const start = record.timeline[0];
    const last = record.timeline[record.timeline.length - 1];
    const durationMs = start && last ? Math.round(((last.startUs ?? 0) + last.durationUs - (start.startUs ?? 0)) / 1000) : 0;
    this.events.onExchange(summary, this.toApi(record, durationMs));
  }

  watch(on: boolean): void {
    this.vm.watch(on);
  }

  private checkFailure(): void {
    if (this.vm.failed && !this.failedReported) {
      this.failedReported = true;
      this.events.onFailure(this.vm.failed);
    }
  }

  private toApi(record: ExchangeRecord, durationMs: number): Exchange {
    const upstreamFailed = !!record.error && /the upstream could not be reached/.test(record.error);
    const errorKind = record.error ? classifyError(record, upstreamFailed) : undefined;
    this.checkFailure();
    return { ...toExchange(record, durationMs), profile: this.gateway.name, ...(errorKind ? { errorKind } : {}) };
  }

  async advanceTime(ms: number): Promise<ClockAdvance> {
    const r = await this.vm.advanceTime(ms);
    if (r.error) throw new Error(r.error);
    return { advancedMs: r.advancedMs, elapsedMs: r.elapsedMs, ticks: r.ticks, logs: r.logs.map(toLog), timeline: r.timeline };
  }

  memoryBytes(): Promise<number> {
    return Promise.resolve(this.vm.memoryBytes());
  }

  metrics(): Promise<Metric[]> {
    return this.vm.metrics();
  }

  /** The keys of each Redis service. */
  async redisKeys(): Promise<RedisKeysView> {
    return { services: await Promise.all([...this.parts.redis.values()].map((s) => s.keys())) };
  }

  /** Deletes every key of one Redis service, or of all. */
  async redisFlush(service?: string): Promise<void> {
    if (!this.parts.redis.size) throw new Error('this session has no Redis services');
    const servers = service ? [this.parts.redis.get(service)] : [...this.parts.redis.values()];
    if (servers.some((s) => !s)) throw new Error(`the session has no Redis service named "${service}"`);
    await Promise.all(servers.map((s) => s!.flush()));
  }

  async close(): Promise<void> {
    await this.vm.close();
    await Promise.all([...this.parts.redis.values()].map((s) => s.stop()));
  }
}

/** Sorts the host's failure messages into the kinds the API reports. */
function classifyError(rec: ExchangeRecord, upstream: boolean): NonNullable<Exchange['errorKind']> {
  const error = rec.error ?? '';
  if (upstream) return 'upstream';
  if (/out of memory/i.test(error)) return 'memory';
  if (/ran longer than|time limit/i.test(error)) return 'timeout';
  if (rec.responseCodeDetails === 'stream_idle_timeout' || /did not resume|no progress/i.test(error)) return 'stalled';
  if (rec.response.status === 0 || rec.reset) return 'reset';
  return 'crash';
}
