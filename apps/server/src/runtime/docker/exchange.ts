import { bytesToBody, type Exchange, type HttpRequestMessage, type HttpResponseMessage, type LogEntry } from '@playground/shared';
import type { HttpResponse } from '@playground/proxy-wasm-host';

/** What the timeline says about a docker exchange, since Envoy does not report per-callback timings. */
export const DOCKER_TIMELINE_NOTE =
  'Real gateway (Envoy in the Higress image): per-callback timings are not observable from outside, so this is the whole exchange. ' +
  "The upstream request is httpbin's echo of what it received (use an echo path such as /anything to see it); " +
  'Envoy does not expose the upstream response, so it repeats the response the client received.';

const header = (headers: [string, string][], name: string) => headers.find(([k]) => k.toLowerCase() === name)?.[1];

/** A body as httpbin echoes it: text, or a data URL for binary (go-httpbin). */
function echoedBody(data: unknown): HttpRequestMessage['body'] {
  if (typeof data !== 'string') return '';
  const m = /^data:[^,]*;base64,(.*)$/s.exec(data);
  return m ? { base64: m[1] } : data;
}

/**
 * The request httpbin received, read from its echo (`/anything`, `/get`, `/post`, ... answer with
 * the method, URL, headers and body they saw). Header values may be strings (kennethreitz/httpbin)
 * or lists (go-httpbin). Null when the body is not such an echo.
 */
export function upstreamRequestFromEcho(response: HttpResponse, clientMethod: string): HttpRequestMessage | null {
  if (!/json/i.test(header(response.headers, 'content-type') ?? '')) return null;
  let echo: { headers?: unknown; url?: unknown; method?: unknown; data?: unknown };
  try {
    echo = JSON.parse(Buffer.from(response.body).toString('utf8'));
  } catch {
    return null;
  }
  if (!echo || typeof echo !== 'object' || typeof echo.url !== 'string' || !echo.headers || typeof echo.headers !== 'object') return null;
  const headers: [string, string][] = [];
  for (const [name, value] of Object.entries(echo.headers as Record<string, unknown>)) {
    for (const v of Array.isArray(value) ? value : [value]) headers.push([name.toLowerCase(), String(v)]);
  }
  let path: string;
  try {
    const url = new URL(echo.url);
    path = url.pathname + url.search;
  } catch {
    return null;
  }
  // /get, /post, ... only answer their own method and leave it out of the echo.
  const method = typeof echo.method === 'string' ? echo.method : clientMethod;
  return { method, path, headers, body: echoedBody(echo.data) };
}

export interface ObservedExchange {
  request: HttpRequestMessage;
  response: HttpResponse;
  requestId: string;
  logs: LogEntry[];
  durationMs: number;
}

/**
 * The four messages of an exchange seen through the gateway's listener. The router adds
 * `x-envoy-upstream-service-time` to what came from the upstream, so a response without it (and
 * without an echo) is a local reply.
 */
export function toDockerExchange(o: ObservedExchange): Exchange {
  const response: HttpResponseMessage = { status: o.response.status, headers: o.response.headers, body: bytesToBody(o.response.body) };
  const upstreamRequest = upstreamRequestFromEcho(o.response, o.request.method);
  const localReply = !upstreamRequest && header(o.response.headers, 'x-envoy-upstream-service-time') === undefined;
  return {
    request: o.request,
    upstreamRequest: localReply ? null : upstreamRequest,
    upstreamResponse: localReply ? null : response,
    response,
    localReply,
    logs: o.logs,
    timeline: [{ phase: 'gateway', durationUs: Math.round(o.durationMs * 1000), detail: DOCKER_TIMELINE_NOTE }],
    callouts: [],
    notes: [],
    requestId: o.requestId,
    durationMs: Math.round(o.durationMs),
  };
}

/** The exchange of a request that never got an answer from the gateway (the container died, a timeout). */
export function failedDockerExchange(request: HttpRequestMessage, requestId: string, reason: string, logs: LogEntry[], durationMs: number): Exchange {
  return {
    request,
    upstreamRequest: null,
    upstreamResponse: null,
    response: { status: 503, headers: [['content-type', 'text/plain']], body: `${reason}\n` },
    localReply: true,
    logs,
    timeline: [],
    callouts: [],
    notes: [],
    error: reason,
    requestId,
    durationMs: Math.round(durationMs),
  };
}
