/**
 * Which part of a Higress plugin config applies to a request: the global keys or one of the
 * `_rules_`. This follows wasm-go's rule matcher (pkg/matcher): a rule's kind is decided by its
 * `_match_*` keys (route, with or without service; else domain; else service; else route prefix),
 * rules are tried in order, the first match wins, and without a match the global config applies
 * when there is one. The playground shows the result beside each exchange.
 */
export interface MatchInput {
  /** `:authority`; a port is ignored. */
  host: string;
  /** The `route_name` property. */
  route: string;
  /** The `cluster_name` property: `outbound|<port>|<subset>|<fqdn>`. */
  cluster: string;
}

export interface ConfigMatch {
  /** `global`, `rule N` (1-based, in `_rules_` order) or `none` (the plugin does nothing). */
  applied: string;
  reason: string;
}

type Rule = Record<string, unknown>;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

function stripPort(host: string): string {
  const colon = host.lastIndexOf(':');
  const v6End = host.lastIndexOf(']');
  return colon !== -1 && (v6End === -1 || v6End < colon) ? host.slice(0, colon) : host;
}

function hostMatches(patterns: string[], host: string): string | null {
  const h = stripPort(host);
  for (const p of patterns) {
    if (p.startsWith('*') ? h.endsWith(p.slice(1)) : p.endsWith('*') ? h.startsWith(p.slice(0, -1)) : h === p) return p;
  }
  return null;
}

function serviceMatches(services: string[], cluster: string): string | null {
  const parts = cluster.split('|');
  if (parts.length !== 4) return null;
  const [, port, , fqdn] = parts;
  for (const s of services) {
    const colon = s.lastIndexOf(':');
    if ((colon !== -1 && fqdn === s.slice(0, colon) && port === s.slice(colon + 1)) || fqdn === s) return s;
  }
  return null;
}

/** Explains which config a request gets. `config` is the parsed plugin config JSON (or null). */
export function explainConfigMatch(config: unknown, input: MatchInput): ConfigMatch {
  const obj = config && typeof config === 'object' && !Array.isArray(config) ? (config as Record<string, unknown>) : {};
  const rules: Rule[] = Array.isArray(obj._rules_) ? (obj._rules_ as Rule[]) : [];
  const hasGlobal = Object.keys(obj).filter((k) => k !== '_rules_').length > 0 || Object.keys(obj).length === 0;
  for (const [i, rule] of rules.entries()) {
    const name = `rule ${i + 1}`;
    const routes = strings(rule._match_route_);
    const hosts = strings(rule._match_domain_);
    const services = strings(rule._match_service_);
    const prefixes = strings(rule._match_route_prefix_);
    if (routes.length) {
      if (!routes.includes(input.route)) continue;
      if (services.length) {
        const s = serviceMatches(services, input.cluster);
        if (s) return { applied: name, reason: `route "${input.route}" and service "${s}" match its _match_route_ and _match_service_` };
        continue;
      }
      return { applied: name, reason: `route "${input.route}" is in its _match_route_` };
    }
    if (hosts.length) {
      const p = hostMatches(hosts, input.host);
      if (p) return { applied: name, reason: `domain "${stripPort(input.host)}" matches "${p}" in its _match_domain_` };
      continue;
    }
    if (services.length) {
      const s = serviceMatches(services, input.cluster);
      if (s) return { applied: name, reason: `service "${s}" matches cluster "${input.cluster}"` };
      continue;
    }
    const prefix = prefixes.find((p) => input.route.startsWith(p));
    if (prefix) return { applied: name, reason: `route "${input.route}" starts with "${prefix}" from its _match_route_prefix_` };
  }
  const tried = rules.length ? `no rule of ${rules.length} matched (route "${input.route}", domain "${stripPort(input.host)}", cluster "${input.cluster}")` : 'there are no _rules_';
  return hasGlobal
    ? { applied: 'global', reason: `${tried}, so the global config applies` }
    : { applied: 'none', reason: `${tried} and there is no global config, so the plugin does nothing for this request` };
}

/** The cluster name a Higress gateway reports for a service given as `fqdn` or `fqdn:port`. */
export function clusterNameFor(service: string): string {
  const colon = service.lastIndexOf(':');
  const [fqdn, port] = colon > 0 ? [service.slice(0, colon), service.slice(colon + 1)] : [service, '80'];
  return `outbound|${port}||${fqdn}`;
}

/** The route and upstream service every playground request goes through unless it names others. */
export const GATEWAY_DEFAULTS = { route: 'playground-route', service: 'httpbin.playground.svc.cluster.local:80' } as const;
