import { bodyBytes, bytesToBody, clusterNameFor, type Exchange, type HttpRequestMessage, type LogEntry } from '@playground/shared';
import type { ExchangeRecord, HttpRequest, HttpResponse, LogEntry as HostLogEntry } from '@playground/proxy-wasm-host';

const has = (headers: [string, string][], name: string) => headers.some(([k]) => k.toLowerCase() === name);

/**
 * API request -> host request, as a real client would send it: a body gets a content-length (or,
 * sent in chunks, transfer-encoding: chunked) unless the request sets its own framing.
 */
export function toHostRequest(req: HttpRequestMessage, authority: string, connection?: HttpRequest['connection']): HttpRequest {
  const host = req.headers.find(([k]) => k.toLowerCase() === 'host')?.[1];
  const headers: [string, string][] = req.headers.filter(([k]) => k.toLowerCase() !== 'host').map(([k, v]) => [k.toLowerCase(), v]);
  const chunks = req.bodyChunks?.map((c) => ({ data: bodyBytes(c.body), delayMs: c.delayMs }));
  const body = chunks ? undefined : bodyBytes(req.body);
  const framed = has(headers, 'content-length') || has(headers, 'transfer-encoding');
  if (!framed && chunks?.some((c) => c.data.length)) headers.push(['transfer-encoding', 'chunked']);
  else if (!framed && body?.length) headers.push(['content-length', String(body.length)]);
  const remote = req.clientAddress ? withPort(req.clientAddress) : connection?.remoteAddress;
  return {
    method: req.method.toUpperCase(),
    path: req.path,
    authority: host ?? authority,
    scheme: 'http',
    headers,
    ...(chunks ? { bodyChunks: chunks } : { body }),
    // The route and service a request names reach the plugin as the gateway's properties.
    properties: {
      ...(req.route ? { route_name: req.route } : {}),
      ...(req.service ? { cluster_name: clusterNameFor(req.service) } : {}),
    },
    ...(connection || remote ? { connection: { ...connection, ...(remote ? { remoteAddress: remote } : {}) } } : {}),
  };
}

/** An address without a port gets an ephemeral one, as a client socket has. */
function withPort(address: string): string {
  if (/^\[.*\]:\d+$/.test(address) || /^[\d.]+:\d+$/.test(address)) return address;
  return address.includes(':') ? `[${address}]:51000` : `${address}:51000`;
}

function fromHostRequest(req: HttpRequest): HttpRequestMessage {
  const headers: [string, string][] = req.authority ? [['host', req.authority], ...req.headers] : req.headers;
  const chunks = req.bodyChunks;
  return {
    method: req.method,
    path: req.path,
    headers,
    body: bytesToBody(req.body ?? new Uint8Array()),
    ...(chunks ? { bodyChunks: chunks.map((c) => ({ body: bytesToBody(c.data), delayMs: c.delayMs ?? 0 })) } : {}),
    ...(req.connection?.remoteAddress ? { clientAddress: req.connection.remoteAddress } : {}),
  };
}

function fromHostResponse(res: HttpResponse) {
  return { status: res.status, headers: res.headers, body: bytesToBody(res.body) };
}

/** Host log entry -> the API's (the parsed prefix fields stay behind). */
export const toLog = ({ level, message, time, source, requestId, worker, thread }: HostLogEntry): LogEntry => ({
  level,
  message,
  time,
  source,
  requestId,
  ...(worker !== undefined ? { worker } : {}),
  ...(thread !== undefined ? { thread } : {}),
});

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
    ...(rec.redisCalls.length ? { redisCalls: rec.redisCalls.map((r) => ({ ...r })) } : {}),
    notes: rec.notes,
    ...(rec.worker >= 0 ? { worker: rec.worker } : {}),
    ...(rec.responseCodeDetails !== undefined ? { responseCodeDetails: rec.responseCodeDetails } : {}),
    ...(rec.reset ? { reset: rec.reset } : {}),
    error: rec.error,
    requestId: rec.requestId,
    durationMs,
  };
}
