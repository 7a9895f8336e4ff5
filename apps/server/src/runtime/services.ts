// What a session's services mean for its gateway: the clusters it has, where the route goes
// (httpbin, or an LLM service), and where each kind of service is served. Used by the session
// manager (to refuse bad declarations), the embedded runtime and the plugin's worker thread (so it
// imports types only from @playground/shared: no zod in every session's thread).
import type { GatewaySettings, LlmService, Service } from '@playground/shared';
import { knownCluster } from '@playground/proxy-wasm-host';
import type { UpstreamTarget } from './upstream/forward.js';
import { LLM_SETTINGS_HEADER, type LlmSettings } from './upstream/llm/settings.js';

/** A service the session declared could not be started (the API answers 503). */
export class ServiceUnavailable extends Error {}

/** Where the session's upstreams listen (the LLM stand-in only when a session declares an llm service). */
export interface UpstreamUrls {
  httpbin: string;
  llm?: string;
}

/** The service a cluster names, if any. */
export function findService(cluster: string, services: Service[]): Service | undefined {
  return services.find((s) => knownCluster(cluster, [s.name]));
}

/** The LLM service the route sends requests to, when `gateway.upstream` names one. */
export function routeService(services: Service[], gateway: Pick<GatewaySettings, 'upstream'>): LlmService | undefined {
  const s = gateway.upstream && gateway.upstream !== 'httpbin' ? services.find((x) => x.name === gateway.upstream) : undefined;
  return s?.kind === 'llm' ? s : undefined;
}

/** The route's cluster when it goes to an LLM service, named as a Higress AI route names it (else httpbin's). */
export function llmRouteCluster(services: Service[], gateway: Pick<GatewaySettings, 'upstream'>): string | undefined {
  const llm = routeService(services, gateway);
  return llm ? `outbound|443||${llm.name.includes('.') ? llm.name : `${llm.name}.dns`}` : undefined;
}

/** What is wrong with a session's services and route upstream, or undefined. */
export function checkServices(services: Service[], gateway: Pick<GatewaySettings, 'upstream'>): string | undefined {
  const up = gateway.upstream;
  if (up && up !== 'httpbin') {
    const s = services.find((x) => x.name === up);
    if (!s) return `gateway.upstream "${up}" is not a declared service (declare an llm service of that name, or use httpbin)`;
    if (s.kind !== 'llm') return `gateway.upstream "${up}" is a ${s.kind} service: the route can go to httpbin or an llm service`;
  }
  return undefined;
}

/** The stand-in's address with the service's settings for this hop. */
export function llmTarget(service: LlmService, llmUrl: string): UpstreamTarget {
  const settings: LlmSettings = {
    ...(service.models ? { models: service.models } : {}),
    ...(service.apiKey ? { apiKey: service.apiKey } : {}),
    ...(service.chunkDelayMs !== undefined ? { chunkDelayMs: service.chunkDelayMs } : {}),
    ...(service.failStatus ? { failStatus: service.failStatus } : {}),
  };
  return { url: llmUrl, hopHeaders: [[LLM_SETTINGS_HEADER, JSON.stringify(settings)]] };
}

/** Where the route's requests go. */
export function routeTarget(services: Service[], gateway: Pick<GatewaySettings, 'upstream'>, urls: UpstreamUrls): UpstreamTarget {
  const llm = routeService(services, gateway);
  if (!llm) return urls.httpbin;
  if (!urls.llm) throw new Error('the LLM stand-in is not running');
  return llmTarget(llm, urls.llm);
}
