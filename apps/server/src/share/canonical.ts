import { createHash } from 'node:crypto';
import { Scenario } from '@playground/shared';

/**
 * The canonical text of a scenario: only the contract's fields, in a fixed order, files sorted by
 * name. Equal scenarios give equal text, hence equal ids.
 */
export function canonicalScenario(input: Scenario): string {
  const s = Scenario.parse(input);
  const files = Object.fromEntries(Object.keys(s.files).sort().map((k) => [k, s.files[k]]));
  const requests = s.requests.map((r) => ({
    name: r.name,
    method: r.method,
    path: r.path,
    headers: r.headers,
    body: r.body,
    ...(r.route !== undefined ? { route: r.route } : {}),
    ...(r.service !== undefined ? { service: r.service } : {}),
  }));
  const extras = {
    ...(s.services?.length ? { services: s.services } : {}),
    ...(s.clock === 'virtual' ? { clock: s.clock } : {}),
  };
  return JSON.stringify({ files, config: s.config, requests, ...extras });
}

/** A short id from the content hash: 72 bits in base64url, too many to enumerate. */
export function shareId(canonical: string): string {
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 12);
}
