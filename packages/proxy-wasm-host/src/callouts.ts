// proxy_http_call for one VM (ENVOY context.cc Context::httpCall, onHttpCallSuccess /
// onHttpCallFailure): validated at once, sent later, answered through proxy_on_http_call_response
// on the root context. A cluster the gateway does not have is BadArgument with no callback; a
// service that cannot be reached answers 503 like Envoy's AsyncClient; a timeout answers 504; a
// reset arrives as (0, 0, 0), which wasm-go reports as 502.
import { WasmResult } from './abi/enums.js';
import type { StreamContext } from './context.js';
import { encode } from './memory.js';
import type { CalloutRecord, Headers, HostNote, HttpCallRequest, HttpResponse, StreamIo } from './types.js';

/** The response view the VM exposes inside proxy_on_http_call_response (maps 6/7, buffer 4). */
export interface CalloutDelivery {
  token: number;
  ctx: StreamContext | undefined;
  record: CalloutRecord;
  /** Null: a reset, delivered as (0, 0, 0). */
  response: { headers: Headers; body: Uint8Array; trailers: Headers } | null;
}

/** The `host` part of a Higress cluster name: `outbound|80||token-service.static` -> `token-service.static`. */
export function clusterHost(cluster: string): string {
  const parts = cluster.split('|');
  return parts.length === 4 ? parts[3] : cluster;
}

/**
 * Whether the gateway has `cluster`: an exact name in `clusters`, or a service name matched against
 * the cluster's host (`token-service` matches `outbound|80||token-service.static` and
 * `outbound|8080||token-service.default.svc.cluster.local`).
 */
export function knownCluster(cluster: string, clusters: string[] | undefined): boolean {
  if (!clusters) return true;
  const host = clusterHost(cluster);
  return clusters.some((c) => c === cluster || c === host || host.startsWith(`${c}.`));
}

const CONNECT_FAILURE = 'upstream connect error or disconnect/reset before headers. reset reason: connection failure';

export class Callouts {
  private nextToken = 1;
  private readonly pending = new Map<number, StreamContext | undefined>();
  private killed = false;

  /** Callouts dispatched whose answer has not been delivered (nor cancelled) yet. */
  get inFlight(): number {
    return this.pending.size;
  }

  constructor(
    private readonly clusters: string[] | undefined,
    private readonly deliver: (d: CalloutDelivery) => void,
    private readonly warn: (message: string) => void,
    /** Where records of callouts outside streams go. */
    private readonly background: (r: CalloutRecord) => void,
  ) {}

  dispatch(
    cluster: string,
    headers: Headers,
    body: Uint8Array,
    trailers: Headers,
    timeoutMs: number,
    ctx: StreamContext | undefined,
    io: StreamIo['httpCall'] | undefined,
    note: (n: HostNote) => void,
  ): { result: number; token: number } {
    const get = (k: string) => headers.find(([n]) => n === k)?.[1];
    if (timeoutMs < 0 || !cluster || !get(':path') || !get(':method') || !get(':authority')) {
      this.warn(`proxy_http_call to "${cluster}": bad argument (needs :method, :path, :authority and a timeout >= 0)`);
      return { result: WasmResult.BadArgument, token: 0 };
    }
    // The route's own cluster (cluster_name) always exists.
    if (!knownCluster(cluster, this.clusters) && cluster !== ctx?.properties.cluster_name) {
      // ENVOY Context::httpCall: no thread-local cluster -> BadArgument, synchronously, no callback.
      this.warn(`proxy_http_call to "${cluster}": the gateway has no such cluster (BadArgument)`);
      note({
        code: 'unknown_cluster',
        message: `the plugin called cluster "${cluster}", which this gateway does not have: Envoy returns BadArgument at once and no callback follows`,
        fix: `declare a service named "${clusterHost(cluster).split('.')[0]}" (Services), or call a cluster the gateway has`,
      });
      return { result: WasmResult.BadArgument, token: 0 };
    }
    if (!io) {
      this.warn(`proxy_http_call to "${cluster}": no callout handler is configured`);
      return { result: WasmResult.BadArgument, token: 0 };
    }
    const token = this.nextToken++;
    const record: CalloutRecord = {
      cluster,
      request: { method: get(':method')!, path: get(':path')!, authority: get(':authority')!, headers: headers.filter(([k]) => !k.startsWith(':')), body },
      response: null,
      durationMs: 0,
    };
    if (ctx) {
      ctx.callouts.push(record);
      ctx.pendingCallouts.add(token);
    } else {
      this.background(record);
    }
    this.pending.set(token, ctx);
    const call: HttpCallRequest = { cluster, headers, body, timeoutMs, ...(trailers.length ? { trailers } : {}) };
    const t0 = performance.now();
    // Never run the callout (nor its callback) inside the host call: start it on the next tick,
    // unless the VM was killed by then (the canary, right after configure: Envoy cancels the request
    // while the main thread's pool is still connecting, so nothing reaches the upstream).
    void Promise.resolve()
      .then(() => (this.killed ? Promise.reject(new Error('cancelled: the VM that made it was killed')) : withTimeout(io(call), timeoutMs)))
      .then(
        (r) => this.settle(token, record, t0, r, undefined),
        (e: Error & { connect?: boolean }) =>
          e?.connect
            ? this.settle(token, record, t0, { status: 503, headers: [['content-length', String(CONNECT_FAILURE.length)], ['content-type', 'text/plain']], body: encode(CONNECT_FAILURE) }, e.message)
            : this.settle(token, record, t0, null, e instanceof Error ? e.message : String(e)),
      );
    return { result: WasmResult.Ok, token };
  }

  /** The VM is killed: every callout is cancelled (ENVOY ~Context cancels pending requests). */
  cancelAll(): void {
    this.killed = true;
    this.pending.clear();
  }

  /** A stream ended: its callouts are cancelled (ENVOY ~Context cancels pending requests). */
  cancel(ctx: StreamContext): void {
    for (const t of ctx.pendingCallouts) this.pending.delete(t);
    ctx.pendingCallouts.clear();
  }

  private settle(token: number, record: CalloutRecord, t0: number, resp: HttpResponse | null, error: string | undefined): void {
    record.durationMs = Math.round((performance.now() - t0) * 1000) / 1000;
    record.response = resp;
    if (error) record.error = error;
    if (!this.pending.has(token)) return; // cancelled: the stream ended first
    const ctx = this.pending.get(token);
    this.pending.delete(token);
    ctx?.pendingCallouts.delete(token);
    this.deliver({
      token,
      ctx,
      record,
      response: resp
        ? {
            headers: [[':status', String(resp.status)], ...resp.headers.map(([k, v]) => [k.toLowerCase(), v] as [string, string])],
            body: resp.body ?? new Uint8Array(0),
            trailers: resp.trailers ?? [],
          }
        : null,
    });
  }
}

function withTimeout(p: Promise<HttpResponse>, ms: number): Promise<HttpResponse> {
  if (!(ms > 0)) return p;
  return new Promise((resolve, reject) => {
    // Envoy's AsyncClient answers a timeout with a 504 response, not a reset.
    const body = encode('upstream request timeout');
    const t = setTimeout(() => resolve({ status: 504, headers: [['content-length', String(body.length)], ['content-type', 'text/plain']], body }), ms);
    p.then(
      (r) => {
        clearTimeout(t);
        resolve(r);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
