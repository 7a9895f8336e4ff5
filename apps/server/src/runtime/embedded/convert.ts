import { bytesToBody, bodyBytes, clusterNameFor, type Exchange, type HttpRequestMessage, type LogEntry } from '@playground/shared';
import type { ExchangeRecord, HttpRequest, HttpResponse, LogEntry as HostLogEntry } from '@playground/proxy-wasm-host';

/** API request -> host request. */
export function toHostRequest(req: HttpRequestMessage, authority: string): HttpRequest {
  const host = req.headers.find(([k]) => k.toLowerCase() === 'host')?.[1];
  return {
    method: req.method.toUpperCase(),
    path: req.path,
    authority: host ?? authority,
    scheme: 'http',
    headers: req.headers.filter(([k]) => k.toLowerCase() !== 'host').map(([k, v]) => [k.toLowerCase(), v]),
    body: bodyBytes(req.body),
    // The route and service a request names reach the plugin as the gateway's properties.
    properties: {
      ...(req.route ? { route_name: req.route } : {}),
      ...(req.service ? { cluster_name: clusterNameFor(req.service) } : {}),
    },
  };
}

function fromHostRequest(req: HttpRequest): HttpRequestMessage {
  const headers: [string, string][] = req.authority ? [['host', req.authority], ...req.headers] : req.headers;
  return { method: req.method, path: req.path, headers, body: bytesToBody(req.body ?? new Uint8Array()) };
}

function fromHostResponse(res: HttpResponse) {
  return { status: res.status, headers: res.headers, body: bytesToBody(res.body) };
}

/** Host log entry -> the API's (the parsed prefix fields stay behind). */
export const toLog = ({ level, message, time, source, requestId }: HostLogEntry): LogEntry => ({ level, message, time, source, requestId });

/** Host exchange record -> the API's exchange. */
export function toExchange(rec: ExchangeRecord, durationMs: number): Exchange {
  return {
    request: fromHostRequest(rec.request),
    upstreamRequest: rec.upstreamRequest ? fromHostRequest(rec.upstreamRequest) : null,
    upstreamResponse: rec.upstreamResponse ? fromHostResponse(rec.upstreamResponse) : null,
    response: fromHostResponse(rec.response),
    localReply: rec.localReply,
    logs: rec.logs.map(toLog),
    timeline: rec.timeline,
    callouts: rec.callouts.map((c) => ({
      cluster: c.cluster,
      request: { ...c.request, body: bytesToBody(c.request.body) },
      response: c.response ? fromHostResponse(c.response) : null,
      error: c.error,
      durationMs: c.durationMs,
    })),
    error: rec.error,
    requestId: rec.requestId,
    durationMs,
  };
}
