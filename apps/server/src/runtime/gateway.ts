import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { HttpRequestMessage, HttpResponseMessage } from '@playground/shared';
import type { SessionLimits } from './limits.js';
import type { LiveClient } from './runtime.js';

/** Runs one request through a session: streams through `live`, or answers with the whole response (docker). */
export type GatewayHandler = (req: HttpRequestMessage, authority: string, live: LiveClient) => Promise<{ response: HttpResponseMessage } | void>;

/** Hop-by-hop headers the listener's own HTTP framing replaces. */
const HOP_BY_HOP = new Set(['transfer-encoding', 'connection', 'keep-alive']);

/**
 * A session's own HTTP listener on loopback: whatever arrives (from curl or a browser) goes through
 * the plugin to the upstream and back, streamed both ways like the gateway's port: the request body
 * reaches the plugin as it arrives, and the response leaves as the plugin forwards it. Each TCP
 * connection keeps its gateway worker. The same caps as the API apply: body size, header count, an
 * origin-form path. The embedded runtime runs it inside the plugin's worker thread (worker-io.ts);
 * the docker runtime in the main thread, in front of the container.
 */
export class GatewayListener {
  private server: Server | null = null;
  private nextConnection = 1;
  private readonly connectionIds = new WeakMap<Socket, number>();
  private inFlight = 0;
  url = '';

  constructor(
    /** Streams through `live`; a handler that cannot stream answers with the whole response instead. */
    private readonly handle: GatewayHandler,
    private readonly limits: Pick<SessionLimits, 'requestBodyBytes' | 'maxHeaders' | 'inFlight'>,
  ) {}

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      // A bound of the playground's, not the gateway's: one session may not take the machine.
      if (this.inFlight >= this.limits.inFlight) {
        res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' });
        return void res.end(`the playground serves at most ${this.limits.inFlight} requests at once per session; retry when some have finished\n`);
      }
      this.inFlight++;
      res.once('close', () => this.inFlight--);
      void serveAsGateway(req, res, { path: req.url ?? '', connectionId: this.connectionId(req.socket), handle: this.handle, limits: this.limits, url: this.url });
    });
    refuseTunnels(server);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  private connectionId(socket: Socket): number {
    let id = this.connectionIds.get(socket);
    if (id === undefined) {
      id = this.nextConnection++;
      this.connectionIds.set(socket, id);
    }
    return id;
  }

  close(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

/** What a gateway request needs besides the socket: where it goes and the caps. */
export interface GatewayRoute {
  /** The origin-form path the plugin sees (for /gw/{id}/x, the /x). */
  path: string;
  /** Requests on one connection stay on one gateway worker. */
  connectionId: number;
  handle: GatewayHandler;
  limits: Pick<SessionLimits, 'requestBodyBytes' | 'maxHeaders'>;
  /** The gateway's own URL, for a request without a Host header. */
  url: string;
}

/**
 * Serves one HTTP request as the gateway's port does: the request body reaches the plugin as it
 * arrives, and the response leaves as the plugin forwards it. Used by each session's own listener
 * and by /gw/{id}/ on the main origin.
 */
export async function serveAsGateway(req: IncomingMessage, res: ServerResponse, route: GatewayRoute): Promise<void> {
  try {
  await serveOne(req, res, route);
} catch (err) {
  if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
  res.end(`playground gateway error: ${(err as Error).message}\n`);
}
}

async function serveOne(req: IncomingMessage, res: ServerResponse, route: GatewayRoute): Promise<void> {
  const { limits } = route;
  const reject = (status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(`${message}\n`);
  };
  if (!route.path.startsWith('/')) return reject(400, 'the playground gateway takes origin-form paths ("/...") only');
  if (req.rawHeaders.length / 2 > limits.maxHeaders) return reject(431, `more than ${limits.maxHeaders} headers`);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limits.requestBodyBytes) return reject(413, `request body over ${limits.requestBodyBytes} bytes`);
  const headers: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i].toLowerCase(), req.rawHeaders[i + 1]]);
  const hasBody = declared > 0 || req.headers['transfer-encoding'] !== undefined;
  const socket = req.socket;
  let wrote = false;
  const live: LiveClient = {
    connectionId: route.connectionId,
    remoteAddress: `${socket.remoteAddress}:${socket.remotePort}`,
    localAddress: `${socket.localAddress}:${socket.localPort}`,
    ...(hasBody ? { readBody: bodyReader(req, limits.requestBodyBytes) } : {}),
    downstream: {
      headers: (status, pairs) => {
        if (res.headersSent || res.destroyed) return;
        res.writeHead(status, pairs.filter(([k]) => !HOP_BY_HOP.has(k)).flat());
        // Headers go out with the body when it follows at once, else on their own, as Envoy sends
        // them when the filters pass them (an SSE client sees them before the first event).
        setImmediate(() => {
          if (!wrote && !res.destroyed && !res.writableEnded) res.flushHeaders();
        });
      },
      data: (data) => {
        wrote = true;
        if (!res.destroyed) res.write(Buffer.from(data));
      },
      end: (trailers) => {
        if (res.destroyed) return;
        if (trailers?.length) res.addTrailers(trailers);
        res.end();
      },
      // A reset: the client sees the connection drop, as with Envoy; what was already sent (headers,
      // part of the body) still reaches it first.
      reset: () => {
        if (!res.headersSent) return void res.destroy();
        const socket = res.socket as (Socket & { destroySoon?: () => void }) | null;
        if (socket?.destroySoon) socket.destroySoon();
        else res.destroy();
      },
    },
  };
  const ex = await route.handle({ method: req.method ?? 'GET', path: route.path, headers, body: '' }, req.headers.host ?? new URL(route.url).host, live);
  // The runtime answered without streaming (docker): write the whole response.
  if (ex && !res.headersSent && !res.destroyed) {
    if (ex.response.status === 0) return void res.destroy();
    const body = typeof ex.response.body === 'string' ? Buffer.from(ex.response.body) : Buffer.from(ex.response.body.base64, 'base64');
    res.writeHead(ex.response.status, ex.response.headers.filter(([k]) => !HOP_BY_HOP.has(k) && k !== 'content-length').flat());
    res.end(body);
  }
}

/** Reads a request body chunk by chunk; past the cap the request is destroyed (a reset). */
function bodyReader(req: IncomingMessage, max: number): () => Promise<{ data?: Uint8Array; end: boolean }> {
  const iterator = req[Symbol.asyncIterator]();
  let size = 0;
  return async () => {
    const r = await iterator.next().catch(() => ({ done: true as const, value: undefined }));
    if (r.done) return { end: true };
    const data = new Uint8Array(r.value as Buffer);
    size += data.length;
    if (size > max) {
      req.destroy(new Error(`request body over ${max} bytes`));
      return { end: true };
    }
    return { data, end: false };
  };
}

/** CONNECT asks for a tunnel, which the gateway's HTTP route cannot carry (here or at /gw): a 400, not a dropped socket. */
export function refuseTunnels(server: Server): void {
  server.on('connect', (_req, socket: Socket) => {
    socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nthe playground gateway does not tunnel: CONNECT is not served\n');
  });
}
