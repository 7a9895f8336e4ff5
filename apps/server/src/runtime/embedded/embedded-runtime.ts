import { IsolatedPluginVm, type HttpRequest, type LogEntry as HostLogEntry } from '@playground/proxy-wasm-host';
import type { Exchange, HttpRequestMessage, LogEntry, MockService } from '@playground/shared';
import type { Runtime, RuntimeSession, SessionStart } from '../runtime.js';
import type { HttpbinSupervisor } from '../upstream/httpbin.js';
import { forward } from '../upstream/forward.js';
import { serveCallout } from './callouts.js';
import { toExchange, toHostRequest } from './convert.js';

export interface EmbeddedLimits {
  memoryMaxMiB: number;
  callbackTimeoutMs: number;
  streamTimeoutMs: number;
}

const toLog = ({ level, message, time, source, requestId }: HostLogEntry): LogEntry => ({ level, message, time, source, requestId });

/** Route and cluster a gateway would report for the playground's single route to httpbin. */
const GATEWAY_PROPERTIES = {
  route_name: 'playground-route',
  cluster_name: 'outbound|80||httpbin.playground.svc.cluster.local',
};

/**
 * The default runtime: each session's plugin runs in the embedded proxy-wasm host, isolated in a
 * worker thread with memory and time limits, in front of the supervised httpbin.
 */
export class EmbeddedRuntime implements Runtime {
  readonly name = 'embedded' as const;

  constructor(
    private readonly httpbin: HttpbinSupervisor,
    private readonly limits: EmbeddedLimits,
  ) {}

  async start(opts: SessionStart): Promise<RuntimeSession> {
    await this.httpbin.ready();
    const started = await IsolatedPluginVm.start(opts.wasm, {
      pluginName: 'playground-plugin',
      pluginConfig: opts.configJson,
      logLevel: 'debug',
      properties: GATEWAY_PROPERTIES,
      limits: this.limits,
      onLog: (e) => opts.onLog(toLog(e)),
      io: { httpCall: (call) => serveCallout(call, opts.services, this.httpbin.baseUrl) },
    });
    return new EmbeddedSession(started.vm, started, this.httpbin, opts.services, opts.onFailure);
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
    private readonly services: MockService[],
    private readonly onFailure: (reason: string) => void,
  ) {
    this.configured = start.configured;
    this.startLogs = start.logs.map(toLog);
    this.startError = start.error;
  }

  async handle(request: HttpRequestMessage, opts: { authority?: string } = {}): Promise<Exchange> {
    const started = performance.now();
    const hostReq = toHostRequest(request, opts.authority ?? 'playground.local');
    let upstreamError: string | undefined;
    const record = await this.vm.handle(hostReq, {
      upstream: (req: HttpRequest) =>
        forward(this.httpbin.baseUrl, req).catch((err: Error) => {
          // The host answers 503 as Envoy does; the exchange also says what went wrong.
          upstreamError = `the upstream (httpbin) could not be reached: ${err.message}`;
          throw err;
        }),
      httpCall: (call) => serveCallout(call, this.services, this.httpbin.baseUrl),
    });
    if (upstreamError && !record.error) record.error = upstreamError;
    if (this.vm.failed && !this.failedReported) {
      this.failedReported = true;
      this.onFailure(this.vm.failed);
    }
    return toExchange(record, Math.round(performance.now() - started));
  }

  async close(): Promise<void> {
    await this.vm.close();
  }
}
