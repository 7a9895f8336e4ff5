import { createHash } from 'node:crypto';
import { Scenario } from '@playground/shared';

/**
 * The canonical text of a scenario: only the contract's fields, in a fixed order, files sorted by
 * name. Equal scenarios give equal text, hence equal ids.
 */
export function canonicalScenario(input: Scenario): string {
  const s = Scenario.parse(input);
  const files = Object.fromEntries(Object.keys(s.files).sort().map((k) => [k, s.files[k]]));
  const requests = s.requests.map(({ name, method, path, headers, body, ...optional }) => ({ name, method, path, headers, body, ...sortedDefined(optional) }));
  const extras = {
    ...(s.services?.length ? { services: s.services } : {}),
    ...(s.clock === 'virtual' ? { clock: s.clock } : {}),
    ...(s.gateway ? { gateway: sortedDefined(s.gateway) } : {}),
  };
  return JSON.stringify({ files, config: s.config, requests, ...extras });
}

/** The defined fields of an object, by name: the order a client sent them in does not change the id. */
function sortedDefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  ) as Partial<T>;
}

/** A short id from the content hash: 72 bits in base64url, too many to enumerate. */
export function shareId(canonical: string): string {
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 12);
}
