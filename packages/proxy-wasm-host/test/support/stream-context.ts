// A StreamContext as the filter manager would build it for one request, for tests that call a
// module directly (properties, callouts, Redis calls) without running a stream.
import { StreamContext, type StreamInfo } from '../../src/context.js';
import type { Headers } from '../../src/index.js';

export function streamInfo(over: Partial<StreamInfo> = {}): StreamInfo {
  return {
    startMs: 1_700_000_000_123,
    startPerf: performance.now(),
    connection: { id: 7, remoteAddress: '192.168.1.7:51000', localAddress: '10.0.0.2:10000', ssl: false },
    sourceAddress: '192.168.1.7:51000',
    requestId: 'req-1',
    protocol: 'HTTP/1.1',
    bytesReceived: 0,
    requestHeaderBytes: 0,
    bytesSent: 0,
    responseHeaderBytes: 0,
    responseFlags: 0,
    routeName: 'playground-route',
    clusterName: 'outbound|80||httpbin.dns',
    ...over,
  };
}

/** A stream context holding `requestHeaders` (pseudo-headers included, as Envoy's map has them). */
export function streamContext(opts: { requestHeaders?: Headers; properties?: Record<string, string>; info?: Partial<StreamInfo>; bufferLimit?: number } = {}): StreamContext {
  const ctx = new StreamContext(
    2,
    streamInfo(opts.info),
    { route_name: 'playground-route', cluster_name: 'outbound|80||httpbin.dns', ...(opts.properties ?? {}) },
    opts.bufferLimit ?? 32 * 1024,
    0,
  );
  ctx.requestHeaders = opts.requestHeaders ?? null;
  return ctx;
}
