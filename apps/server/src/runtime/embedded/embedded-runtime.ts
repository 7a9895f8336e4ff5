import {
  compilePlugin,
  handleWithoutPlugin,
  IsolatedPlugin,
  resolveProfile,
  WorkerPool,
  type ExchangeRecord,
  type HttpRequest,
  type LogEntry as HostLogEntry,
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
} from '@playground/shared';
import type { ExchangeOptions, Runtime, RuntimeSession, SessionStart } from '../runtime.js';
import type { HttpbinSupervisor } from '../upstream/httpbin.js';
import { openUpstream } from '../upstream/forward.js';
import { CalloutGate } from './callouts.js';
import { toExchange, toHostRequest, toLog } from './convert.js';

export interface EmbeddedLimits {
  memoryMaxMiB: number;
  callbackTimeoutMs: number;
  streamTimeoutMs: number;
}

/** The cluster a gateway gives the playground's single route to httpbin. */
export const ROUTE_CLUSTER = clusterNameFor(GATEWAY_DEFAULTS.service);

/** Route and cluster a gateway would report for the playground's single route to httpbin. */
const GATEWAY_PROPERTIES = { route_name: GATEWAY_DEFAULTS.route, cluster_name: ROUTE_CLUSTER };

/** The host's profile options for a session's gateway settings. */
function profileOptions(g: GatewaySettings) {
  const { profile, ...overrides } = g;
  return { profile, profileOverrides: overrides };
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
    private readonly limits: EmbeddedLimits,
    opts: { spareWorkers?: number; cachedModules?: number } = {},
  ) {
    this.pool = new WorkerPool({ spares: opts.spareWorkers ?? 2 });
    this.maxModules = opts.cachedModules ?? 8;
  }

  /** Starts the spare workers now rather than on the first Run. */
  warm(): Promise<void> {
    return this.pool.warm();
  }

  async stop(): Promise<void> {
    await this.pool.shutdown();
  }

  private module(buildId: string, wasm: Uint8Array): Promise<WebAssembly.Module> {
    let m = this.modules.get(buildId);
    if (m) {
      // Most recently used last, so the first key is the one to drop.
      this.modules.delete(buildId);
    } else {
      m = compilePlugin(wasm, { memoryMaxMiB: this.limits.memoryMaxMiB });
      m.catch(() => this.modules.delete(buildId));
    }
    this.modules.set(buildId, m);
    if (this.modules.size > this.maxModules) this.modules.delete(this.modules.keys().next().value!);
    return m;
  }

  async start(opts: SessionStart): Promise<RuntimeSession> {
    await this.httpbin.ready();
    const callouts = new CalloutGate(opts.services, this.httpbin.baseUrl);
    const clusters = [ROUTE_CLUSTER, ...opts.services.map((s) => s.name)];
    const profile = resolveProfile(opts.gateway.profile, profileOptions(opts.gateway).profileOverrides);
    const started = await IsolatedPlugin.start(
      await this.module(opts.buildId, opts.wasm),
      {
        pluginName: 'playground-plugin',
        pluginConfig: opts.configJson,
        logLevel: 'debug',
        properties: GATEWAY_PROPERTIES,
        limits: this.limits,
        clock: opts.clock,
        clusters,
        ...profileOptions(opts.gateway),
        onLog: (e) => opts.onLog(toLog(e)),
        io: { httpCall: (call) => callouts.serve(call) },
      },
      { pool: this.pool },
    );
    return new EmbeddedSession(started.vm, started, this.httpbin, callouts, opts.onFailure, profile, clusters);
  }
}

class EmbeddedSession implements RuntimeSession {
  readonly configured: boolean;
  readonly startLogs: LogEntry[];
  readonly startError?: string;
  private failedReported = false;

  constructor(
    private readonly vm: IsolatedPlugin,
    start: { configured: boolean; logs: HostLogEntry[]; error?: string },
    private readonly httpbin: HttpbinSupervisor,
    private readonly callouts: CalloutGate,
    private readonly onFailure: (reason: string) => void,
    readonly gateway: GatewayProfile,
    readonly clusters: string[],
  ) {
    this.configured = start.configured;
    this.startLogs = start.logs.map(toLog);
    this.startError = start.error;
  }

  handle(request: HttpRequestMessage, opts: ExchangeOptions = {}): Promise<Exchange> {
    return this.run(request, opts, (req, io) => this.vm.handle(req, io));
  }

  handleWithoutPlugin(request: HttpRequestMessage, opts: ExchangeOptions = {}): Promise<Exchange> {
    const { name, bufferLimitBytes, routeTimeoutMs } = this.gateway;
    return this.run(request, opts, (req, io) =>
      handleWithoutPlugin(req, io, { profile: name, profileOverrides: { bufferLimitBytes, routeTimeoutMs }, properties: GATEWAY_PROPERTIES }),
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
    const url = new URL(this.httpbin.baseUrl);
    const record = await through(hostReq, {
      upstream: (head) => openUpstream(this.httpbin.baseUrl, head),
      httpCall: (call) => this.callouts.serve(call),
      upstreamAddress: `${url.hostname}:${url.port}`,
      ...(live ? { downstream: live.downstream, ...(live.readBody ? { readRequestBody: live.readBody } : {}) } : {}),
    });
    const upstreamFailed = !!record.error && /the upstream could not be reached/.test(record.error);
    const errorKind = record.error ? classifyError(record, upstreamFailed) : undefined;
    if (this.vm.failed && !this.failedReported) {
      this.failedReported = true;
      this.onFailure(this.vm.failed);
    }
    return { ...toExchange(record, Math.round(performance.now() - started)), profile: this.gateway.name, ...(errorKind ? { errorKind } : {}) };
  }

  async advanceTime(ms: number): Promise<ClockAdvance> {
    const r = await this.vm.advanceTime(ms);
    if (r.error) throw new Error(r.error);
    return { advancedMs: r.advancedMs, elapsedMs: r.elapsedMs, ticks: r.ticks, logs: r.logs.map(toLog), timeline: r.timeline };
  }

  memoryBytes(): Promise<number> {
    return Promise.resolve(this.vm.memoryBytes());
  }

  async close(): Promise<void> {
    await this.vm.close();
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
