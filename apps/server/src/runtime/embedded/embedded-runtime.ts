import {
  compilePlugin,
  handleWithoutPlugin,
  IsolatedPluginVm,
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
  type HttpRequestMessage,
  type LogEntry,
} from '@playground/shared';
import type { Runtime, RuntimeSession, SessionStart } from '../runtime.js';
import type { HttpbinSupervisor } from '../upstream/httpbin.js';
import { forward } from '../upstream/forward.js';
import { CalloutGate } from './callouts.js';
import { toExchange, toHostRequest, toLog } from './convert.js';

export interface EmbeddedLimits {
  memoryMaxMiB: number;
  callbackTimeoutMs: number;
  streamTimeoutMs: number;
}


/** Route and cluster a gateway would report for the playground's single route to httpbin. */
const GATEWAY_PROPERTIES = {
  route_name: GATEWAY_DEFAULTS.route,
  cluster_name: clusterNameFor(GATEWAY_DEFAULTS.service),
};

/**
 * The default runtime: each session's plugin runs in the embedded proxy-wasm host, isolated in a
 * worker thread with memory and time limits, in front of the supervised httpbin.
 */
export class EmbeddedRuntime implements Runtime {
  readonly name = 'embedded' as const;
  /** Compiled, memory-capped modules by build id, so a rerun skips compiling 6 MB of wasm. */
  private modules = new Map<string, Promise<WebAssembly.Module>>();
  /** Workers started ahead of time, so a session start does not wait for one. */
  private readonly pool: WorkerPool;

  constructor(
    private readonly httpbin: HttpbinSupervisor,
    private readonly limits: EmbeddedLimits,
    opts: { spareWorkers?: number; cachedModules?: number } = {},
  ) {
    this.pool = new WorkerPool({ spares: opts.spareWorkers ?? 2 });
    this.maxModules = opts.cachedModules ?? 8;
  }

  private readonly maxModules: number;

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
    const started = await IsolatedPluginVm.start(
      await this.module(opts.buildId, opts.wasm),
      {
        pluginName: 'playground-plugin',
        pluginConfig: opts.configJson,
        logLevel: 'debug',
        properties: GATEWAY_PROPERTIES,
        limits: this.limits,
        clock: opts.clock,
        onLog: (e) => opts.onLog(toLog(e)),
        io: { httpCall: (call) => callouts.serve(call) },
      },
      { pool: this.pool },
    );
    return new EmbeddedSession(started.vm, started, this.httpbin, callouts, opts.onFailure);
  }
}

class EmbeddedSession implements RuntimeSession {
  readonly configured: boolean;
  readonly startLogs: LogEntry[];
  readonly startError?: string;
  private failedReported = false;

  constructor(
    private readonly vm: IsolatedPluginVm,
    start: { configured: boolean; logs: HostLogEntry[]; error?: string },
    private readonly httpbin: HttpbinSupervisor,
    private readonly callouts: CalloutGate,
    private readonly onFailure: (reason: string) => void,
  ) {
    this.configured = start.configured;
    this.startLogs = start.logs.map(toLog);
    this.startError = start.error;
  }

  handle(request: HttpRequestMessage, opts: { authority?: string } = {}): Promise<Exchange> {
    return this.run(request, opts, (req, io) => this.vm.handle(req, io));
  }

  handleWithoutPlugin(request: HttpRequestMessage, opts: { authority?: string } = {}): Promise<Exchange> {
    return this.run(request, opts, handleWithoutPlugin);
  }

  private async run(
    request: HttpRequestMessage,
    opts: { authority?: string },
    through: (req: HttpRequest, io: StreamIo) => Promise<ExchangeRecord>,
  ): Promise<Exchange> {
    const started = performance.now();
    const hostReq = toHostRequest(request, opts.authority ?? 'playground.local');
    let upstreamError: string | undefined;
    const record = await through(hostReq, {
      upstream: (req: HttpRequest) =>
        forward(this.httpbin.baseUrl, req).catch((err: Error) => {
          // The host answers 503 as Envoy does; the exchange also says what went wrong.
          upstreamError = `the upstream (httpbin) could not be reached: ${err.message}`;
          throw err;
        }),
      httpCall: (call) => this.callouts.serve(call),
    });
    if (upstreamError && !record.error) record.error = upstreamError;
    const errorKind = record.error ? classifyError(record.error, record.response.status, !!upstreamError) : undefined;
    if (this.vm.failed && !this.failedReported) {
      this.failedReported = true;
      this.onFailure(this.vm.failed);
    }
    return { ...toExchange(record, Math.round(performance.now() - started)), ...(errorKind ? { errorKind } : {}) };
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
function classifyError(error: string, status: number, upstream: boolean): NonNullable<Exchange['errorKind']> {
  if (upstream) return 'upstream';
  if (/out of memory/i.test(error)) return 'memory';
  if (/ran longer than|time limit/i.test(error)) return 'timeout';
  if (status === 408 || /stream timeout|never resumed/i.test(error)) return 'stalled';
  if (status === 0) return 'reset';
  return 'crash';
}
