import type { Service } from '@playground/shared';
import { clusterHost, type HttpCallRequest, type HttpResponse } from '@playground/proxy-wasm-host';
import { findService, llmTarget, type UpstreamUrls } from '../services.js';
import { forward, UpstreamError } from '../upstream/forward.js';

const header = (headers: [string, string][], name: string) => headers.find(([k]) => k === name)?.[1];

/**
 * Serves a plugin callout without leaving the machine: an http service answers with its fixed
 * response or a path on httpbin, an llm service is the LLM stand-in, and the route's own cluster is
 * httpbin. (The host already refused clusters the gateway lacks.)
 */
export async function serveCallout(call: HttpCallRequest, services: Service[], urls: UpstreamUrls): Promise<HttpResponse> {
  const service = findService(call.cluster, services);
  const method = header(call.headers, ':method') ?? 'GET';
  const authority = header(call.headers, ':authority') ?? clusterHost(call.cluster);
  // A timeout of 0 means none in Envoy; we still stop at 30 s.
  const timeoutMs = call.timeoutMs > 0 ? call.timeoutMs : 30_000;
  const path = header(call.headers, ':path') ?? '/';
  switch (service?.kind) {
    case 'redis':
      // Redis hangs up on what looks like HTTP; Envoy's codec sees the connection reset before headers.
      throw new UpstreamError(`"${service.name}" is a Redis service: it does not speak HTTP, so the connection is reset`);
    case 'llm':
      if (!urls.llm) throw new UpstreamError('the LLM stand-in is not running', true);
      return forward(llmTarget(service, urls.llm), { method, path, authority, headers: call.headers, body: call.body }, timeoutMs);
    case 'http':
      if (service.via !== 'httpbin' && service.httpbinPath === undefined) {
        return { status: service.status, headers: service.headers.map(([k, v]) => [k.toLowerCase(), v]), body: new TextEncoder().encode(service.body) };
      }
      return forward(urls.httpbin, { method, path: service.httpbinPath ?? path, authority, headers: call.headers, body: call.body }, timeoutMs);
    default:
      return forward(urls.httpbin, { method, path, authority, headers: call.headers, body: call.body }, timeoutMs);
  }
}

/** Callouts one session may have in flight; more are refused (the plugin sees a reset). */
const MAX_IN_FLIGHT = 16;

/** A session's callouts, served within a cap on how many run at once. */
export class CalloutGate {
  private inFlight = 0;

  constructor(
    private readonly services: Service[],
    private readonly urls: UpstreamUrls,
  ) {}

  async serve(call: HttpCallRequest): Promise<HttpResponse> {
    if (this.inFlight >= MAX_IN_FLIGHT) throw new Error(`more than ${MAX_IN_FLIGHT} callouts in flight; the playground refused this one`);
    this.inFlight++;
    try {
      return await serveCallout(call, this.services, this.urls);
    } finally {
      this.inFlight--;
    }
  }
}
