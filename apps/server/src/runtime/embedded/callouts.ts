import type { MockService } from '@playground/shared';
import { clusterHost, knownCluster, type HttpCallRequest, type HttpResponse } from '@playground/proxy-wasm-host';
import { forward } from '../upstream/forward.js';

/** The mock service a cluster names, if any (the host already refused clusters the gateway lacks). */
export function findService(cluster: string, services: MockService[]): MockService | undefined {
  return services.find((s) => knownCluster(cluster, [s.name]));
}

const header = (headers: [string, string][], name: string) => headers.find(([k]) => k === name)?.[1];

/**
 * Serves a plugin callout without leaving the machine: a declared service answers with its fixed
 * response or a path on httpbin; the route's own cluster is httpbin.
 */
export async function serveCallout(call: HttpCallRequest, services: MockService[], httpbinUrl: string): Promise<HttpResponse> {
  const service = findService(call.cluster, services);
  if (service && service.via !== 'httpbin' && service.httpbinPath === undefined) {
    return { status: service.status, headers: service.headers.map(([k, v]) => [k.toLowerCase(), v]), body: new TextEncoder().encode(service.body) };
  }
  const method = header(call.headers, ':method') ?? 'GET';
  const path = service?.httpbinPath ?? header(call.headers, ':path') ?? '/';
  const authority = header(call.headers, ':authority') ?? clusterHost(call.cluster);
  // A timeout of 0 means none in Envoy; we still stop at 30 s.
  const timeoutMs = call.timeoutMs > 0 ? call.timeoutMs : 30_000;
  return forward(httpbinUrl, { method, path, authority, headers: call.headers, body: call.body }, timeoutMs);
}

/** Callouts one session may have in flight; more are refused (the plugin sees a reset). */
const MAX_IN_FLIGHT = 16;

/** A session's callouts, served within a cap on how many run at once. */
export class CalloutGate {
  private inFlight = 0;

  constructor(
    private readonly services: MockService[],
    private readonly httpbinUrl: string,
  ) {}

  async serve(call: HttpCallRequest): Promise<HttpResponse> {
    if (this.inFlight >= MAX_IN_FLIGHT) throw new Error(`more than ${MAX_IN_FLIGHT} callouts in flight; the playground refused this one`);
    this.inFlight++;
    try {
      return await serveCallout(call, this.services, this.httpbinUrl);
    } finally {
      this.inFlight--;
    }
  }
}
