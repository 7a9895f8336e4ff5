import { Agent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { EventQueue, type HttpResponse, type ResponseEvent, type UpstreamRequestHead, type UpstreamStream } from '@playground/proxy-wasm-host';

/** Headers Node sets itself, or that describe the hop rather than the message. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te']);

/** A failed upstream request; `connect`: the server was never reached (Envoy's connection failure). */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly connect = false,
  ) {
    super(message);
  }
}

/** One pool of connections to the local upstreams, bounded so no plugin can open sockets without limit. */
const agent = new Agent({ keepAlive: true, maxSockets: 64, maxTotalSockets: 256 });

/** The largest upstream response a stream may receive; past it the upstream is reset. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

function outgoingHeaders(req: { authority?: string; headers: [string, string][] }): [string, string][] {
  const headers: [string, string][] = req.headers.filter(([k]) => !k.startsWith(':') && !HOP_BY_HOP.has(k.toLowerCase()));
  if (req.authority && !headers.some(([k]) => k.toLowerCase() === 'host')) headers.unshift(['host', req.authority]);
  return headers;
}

function responseHeaders(res: IncomingMessage): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const name = res.rawHeaders[i].toLowerCase();
    if (!HOP_BY_HOP.has(name)) pairs.push([name, res.rawHeaders[i + 1]]);
  }
  return pairs;
}

/**
 * Where a request goes: a base URL, or one with headers for this hop only (the LLM stand-in's
 * settings), which are never part of the recorded message.
 */
export type UpstreamTarget = string | { url: string; hopHeaders: [string, string][] };

/** Base URLs parsed once: every request of a session goes to the same upstream. */
const origins = new Map<string, { host: string; port: string }>();

function send(target: UpstreamTarget, req: { method: string; path: string; authority?: string; headers: [string, string][] }, timeoutMs: number): ClientRequest {
  const baseUrl = typeof target === 'string' ? target : target.url;
  let o = origins.get(baseUrl);
  if (!o) {
    const url = new URL(baseUrl);
    o = { host: url.hostname, port: url.port };
    origins.set(baseUrl, o);
  }
  const headers = outgoingHeaders(req);
  if (typeof target !== 'string') headers.push(...target.hopHeaders);
  return httpRequest({ host: o.host, port: o.port, method: req.method, path: req.path, headers: headers.flat(), timeout: timeoutMs, agent });
}

const connectError = (err: Error) =>
  err instanceof UpstreamError ? err : new UpstreamError(`upstream connect error: ${(err as NodeJS.ErrnoException).code ?? err.message}`, true);

/**
 * Sends one request to an HTTP server and collects the whole response (callouts, the docker
 * runtime). The `host` header the upstream sees is the request's authority, as Envoy forwards it.
 */
export function forward(
  target: UpstreamTarget,
  req: { method: string; path: string; authority?: string; headers: [string, string][]; body?: Uint8Array },
  timeoutMs = 15_000,
  maxBodyBytes = MAX_RESPONSE_BYTES,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const r = send(target, req, timeoutMs);
    r.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBodyBytes) return void res.destroy(new UpstreamError(`the upstream response is over ${maxBodyBytes} bytes`));
        chunks.push(c);
      });
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: responseHeaders(res), body: new Uint8Array(Buffer.concat(chunks)) }));
    });
    r.on('timeout', () => r.destroy(new UpstreamError(`the upstream did not answer within ${timeoutMs} ms`)));
    r.on('error', (err) => reject(connectError(err)));
    r.end(req.body && req.body.length ? Buffer.from(req.body) : undefined);
  });
}

/**
 * The route's upstream request, streamed both ways as Envoy's router does: the request body is
 * written as the filter chain forwards it (framed by the headers as the plugin left them), and the
 * response reaches the filter chain chunk by chunk, as the upstream sends it. A reset destroys the
 * connection, so a request cut short never leaves a half-written socket in the pool.
 */
export function openUpstream(target: UpstreamTarget, head: UpstreamRequestHead): UpstreamStream {
  const events = new EventQueue<ResponseEvent>();
  let finished = false;
  const finish = (e: ResponseEvent) => {
    if (finished) return;
    finished = true;
    events.push(e);
  };
  // No idle timeout of our own: the filter chain's stall and route timeouts decide.
  let r = send(target, head, 0);
  let started = false;
  let bodyBytes = 0;
  let ended: { trailers?: [string, string][] } | undefined;
  let retried = false;
  const onResponse = (res: IncomingMessage) => {
    started = true;
    const trailers = () => {
      const t: [string, string][] = [];
      for (let i = 0; i < res.rawTrailers.length; i += 2) t.push([res.rawTrailers[i].toLowerCase(), res.rawTrailers[i + 1]]);
      return t;
    };
    // A response that cannot have a body ends with its headers (no body callback), as in Envoy's codec.
    const noBody = head.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304 || res.headers['content-length'] === '0';
    events.push({ type: 'headers', status: res.statusCode ?? 502, headers: responseHeaders(res), endOfStream: noBody });
    if (noBody) {
      finished = true;
      return void res.resume();
    }
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_RESPONSE_BYTES) {
        finish({ type: 'reset', reason: `the upstream response is over ${MAX_RESPONSE_BYTES} bytes (the playground's bound)` });
        return void r.destroy();
      }
      // The last bytes of the message carry end_stream, as Envoy's codec delivers them (no empty
      // data frame after a complete body); trailers, when there are some, end it instead.
      const last = res.complete && res.readableLength === 0 && res.rawTrailers.length === 0;
      if (last) finish({ type: 'data', data: new Uint8Array(c), endOfStream: true });
      else events.push({ type: 'data', data: new Uint8Array(c), endOfStream: false });
    });
    res.on('end', () => {
      const t = trailers();
      if (t.length) finish({ type: 'trailers', trailers: t });
      else finish({ type: 'data', data: new Uint8Array(0), endOfStream: true });
    });
    res.on('error', (err) => finish({ type: 'reset', reason: err.message }));
    res.on('aborted', () => finish({ type: 'reset', reason: 'the upstream closed the connection' }));
  };
  const onError = (err: NodeJS.ErrnoException) => {
    // Under many new connections at once, a fresh loopback connection to httpbin is now and then
    // reset before it answers anything (ECONNRESET, nothing read). That is our machine, not the
    // gateway: a request with no body is sent once more on a new connection.
    if (!started && !retried && !finished && err.code === 'ECONNRESET' && bodyBytes === 0 && ended && !r.reusedSocket && (r.socket?.bytesRead ?? 0) === 0) {
      retried = true;
      r = send(target, head, 0);
      r.on('response', onResponse);
      r.on('error', onError);
      if (ended.trailers?.length) r.addTrailers(ended.trailers);
      return void r.end();
    }
    const e = started ? err : connectError(err);
    finish({ type: 'reset', reason: e.message, connect: !started && (e as UpstreamError).connect });
  };
  r.on('response', onResponse);
  r.on('error', onError);
  return {
    write: (data) => {
      bodyBytes += data.length;
      r.write(Buffer.from(data));
    },
    end: (trailers) => {
      ended = trailers?.length ? { trailers } : {};
      if (trailers?.length) r.addTrailers(trailers);
      r.end();
    },
    reset: () => {
      finished = true;
      r.destroy();
    },
    next: () => events.next(),
  };
}
