// Loaded inside each session's plugin worker thread (IsolatedPlugin's WorkerIo): the route's upstream
// (httpbin, or an LLM service) and the plugin's callouts are served there, beside the VM, and so is
// the session's gateway port: a client's request reaches the plugin and its response leaves without
// a hop to the main thread, which hears of the exchange afterwards. That is also how the gateway is
// built: each worker accepts its own connections. (Redis calls need nothing here: the host connects
// to the session's Redis servers itself.)
// It imports no more than it needs (no @playground/shared at run time, no zod): every session's thread loads it.
import type { ClientIo, HttpRequest, UpstreamIo, WorkerServeHost } from '@playground/proxy-wasm-host';
import type { Service } from '@playground/shared';
import { GatewayListener } from '../gateway.js';
import type { SessionLimits } from '../limits.js';
import { routeTarget, type UpstreamUrls } from '../services.js';
import { openUpstream } from '../upstream/forward.js';
import { CalloutGate } from './callouts.js';

export interface WorkerIoConfig {
  urls: UpstreamUrls;
  services: Service[];
  /** The service the route sends requests to (gateway.upstream; default httpbin). */
  upstream: string | undefined;
  /** Whether the session gets its own loopback listener (PLAYGROUND_SESSION_LISTENERS). */
  listen: boolean;
  /** The caps of the session's gateway port. */
  limits: Pick<SessionLimits, 'requestBodyBytes' | 'maxHeaders' | 'inFlight'>;
}

export function createStreamIo(config: WorkerIoConfig): UpstreamIo {
  const callouts = new CalloutGate(config.services, config.urls);
  const target = routeTarget(config.services, { upstream: config.upstream }, config.urls);
  const url = new URL(typeof target === 'string' ? target : target.url);
  return {
    upstream: (head) => openUpstream(target, head),
    httpCall: (call) => callouts.serve(call),
    upstreamAddress: `${url.hostname}:${url.port}`,
  };
}

/** The session's gateway port, in this thread: resolves with its URL (none when listeners are off). */
export async function serve(config: WorkerIoConfig, host: WorkerServeHost): Promise<{ gatewayUrl?: string }> {
  if (!config.listen) return {};
  const listener = new GatewayListener(async (req, authority, live) => {
    // What the socket brought, as the host takes it: the client's own framing headers stay.
    const hostReq: HttpRequest = {
      method: req.method.toUpperCase(),
      path: req.path,
      authority: req.headers.find(([k]) => k === 'host')?.[1] ?? authority,
      scheme: 'http',
      headers: req.headers.filter(([k]) => k !== 'host'),
      ...(live.readBody ? { streamedBody: true } : { body: new Uint8Array(0) }),
      connection: { id: live.connectionId, remoteAddress: live.remoteAddress, localAddress: live.localAddress },
    };
    const client: ClientIo = { downstream: live.downstream, ...(live.readBody ? { readRequestBody: live.readBody } : {}) };
    await host.handle(hostReq, client);
  }, config.limits);
  return { gatewayUrl: await listener.listen() };
}
