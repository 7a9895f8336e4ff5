// The services the gateway has (HTTP callouts, Redis, the LLM stand-in) and
// the route's upstream that may name one of them. Pure.
import { Service } from '@playground/shared';
import type { GatewaySettings } from '../api/types';

export type ServiceKind = Service['kind'];

export const SERVICE_KINDS: { kind: ServiceKind; label: string }[] = [
  { kind: 'http', label: 'HTTP' },
  { kind: 'redis', label: 'Redis' },
  { kind: 'llm', label: 'LLM provider' },
];

/**
 * The well-formed services of a saved or shared list, each checked on its own (one being typed
 * does not take the others with it); those saved before services had a kind are HTTP services.
 * Null when `v` is not a list.
 */
export function readServices(v: unknown): Service[] | null {
  if (!Array.isArray(v)) return null;
  return v.flatMap((item) => {
    const parsed = Service.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

/** A new service of `kind` with that kind's starting values; switching kind keeps the name. */
export function blankService(kind: ServiceKind, name = ''): Service {
  if (kind === 'http') return { kind, name, status: 200, headers: [['content-type', 'application/json']], body: '{}' };
  return { kind, name };
}

/** "gpt-4o, qwen-max" -> the list; nothing typed -> undefined (the stand-in's default models). */
export function modelsFromText(text: string): string[] | undefined {
  const models = text
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  return models.length ? models : undefined;
}

/** The names of the declared LLM services: what the route may go to besides httpbin. */
export const llmServiceNames = (services: Service[]): string[] => services.filter((s) => s.kind === 'llm' && s.name.trim()).map((s) => s.name);

export const hasRedis = (services: Service[]): boolean => services.some((s) => s.kind === 'redis');

/**
 * The gateway settings without an upstream that no longer names a declared LLM service (it was
 * removed or renamed): the route falls back to httpbin rather than sending one the server refuses.
 */
export function withValidUpstream(gateway: GatewaySettings, services: Service[]): GatewaySettings {
  if (gateway.upstream === undefined || llmServiceNames(services).includes(gateway.upstream)) return gateway;
  const { upstream: _dropped, ...rest } = gateway;
  return rest;
}
