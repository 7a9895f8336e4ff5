import type { Exchange } from './exchange.js';
import type { Body, HeaderList } from './http.js';

/** A header name in two lists and its values on each side (empty where it is absent). */
export interface HeaderChange {
  name: string;
  before: string[];
  after: string[];
}

/** What happened to a header name between two lists. */
export type HeaderChangeKind = 'added' | 'removed' | 'changed' | 'same';

export interface HeaderComparison extends HeaderChange {
  kind: HeaderChangeKind;
}

export interface HeadersDiff {
  added: [string, string][];
  removed: [string, string][];
  changed: HeaderChange[];
}

export interface MessageDiff {
  headers: HeadersDiff;
  /** Pseudo-header style fields that differ, e.g. path or status. */
  fields: { name: string; before: string; after: string }[];
  body: { changed: boolean; before: string; after: string };
}

export interface ExchangeDiff {
  /** What the client sent vs what the upstream received; null when the plugin answered locally. */
  request: MessageDiff | null;
  /** What the upstream sent vs what the client received; null when there was no upstream response. */
  response: MessageDiff | null;
  localReply: boolean;
}

/** Groups values by lower-cased name, keeping order and the first spelling, since HTTP names are case-insensitive. */
function byName(headers: HeaderList): Map<string, { name: string; values: string[] }> {
  const m = new Map<string, { name: string; values: string[] }>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const entry = m.get(key) ?? { name, values: [] };
    entry.values.push(value);
    m.set(key, entry);
  }
  return m;
}

const sameValues = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Every header name of two lists, compared case-insensitively: a repeated header is one list of
 * values, changed when any value or their order differs. Names keep the spelling first seen (in
 * `before`, else in `after`); the order is `before`'s, then the names only `after` has.
 */
export function compareHeaders(before: HeaderList, after: HeaderList): HeaderComparison[] {
  const a = byName(before);
  const b = byName(after);
  const out: HeaderComparison[] = [];
  for (const [key, { name, values }] of a) {
    const other = b.get(key)?.values;
    if (!other) out.push({ name, kind: 'removed', before: values, after: [] });
    else out.push({ name, kind: sameValues(values, other) ? 'same' : 'changed', before: values, after: other });
  }
  for (const [key, { name, values }] of b) if (!a.has(key)) out.push({ name, kind: 'added', before: [], after: values });
  return out;
}

/** The header changes between two lists, by lower-cased name: one entry per added or removed value. */
export function diffHeaders(before: HeaderList, after: HeaderList): HeadersDiff {
  const all = compareHeaders(before, after);
  const pairs = (kind: HeaderChangeKind, side: 'before' | 'after') =>
    all.filter((c) => c.kind === kind).flatMap((c) => c[side].map((v): [string, string] => [c.name.toLowerCase(), v]));
  // Changed names in the order `after` has them.
  const order = [...byName(after).keys()];
  const changed = all
    .filter((c) => c.kind === 'changed')
    .map(({ name, before: was, after: is }) => ({ name: name.toLowerCase(), before: was, after: is }))
    .sort((x, y) => order.indexOf(x.name) - order.indexOf(y.name));
  return { added: pairs('added', 'after'), removed: pairs('removed', 'before'), changed };
}

const bodyText = (b: Body) => (typeof b === 'string' ? b : `base64:${b.base64}`);

function diffMessage(
  before: { headers: HeaderList; body: Body },
  after: { headers: HeaderList; body: Body },
  fields: [string, string, string][],
): MessageDiff {
  const b = bodyText(before.body);
  const a = bodyText(after.body);
  return {
    headers: diffHeaders(before.headers, after.headers),
    fields: fields.filter(([, x, y]) => x !== y).map(([name, x, y]) => ({ name, before: x, after: y })),
    body: { changed: a !== b, before: b, after: a },
  };
}

/** The two diffs the playground shows for an exchange. */
export function diffExchange(ex: Exchange): ExchangeDiff {
  const request = ex.upstreamRequest
    ? diffMessage(ex.request, ex.upstreamRequest, [
        ['method', ex.request.method, ex.upstreamRequest.method],
        ['path', ex.request.path, ex.upstreamRequest.path],
      ])
    : null;
  const response = ex.upstreamResponse
    ? diffMessage(ex.upstreamResponse, ex.response, [['status', String(ex.upstreamResponse.status), String(ex.response.status)]])
    : null;
  return { request, response, localReply: ex.localReply };
}

/** Headers that differ between any two runs, whatever a plugin does (times the gateway stamps). */
const VOLATILE = new Set(['date', 'x-envoy-upstream-service-time', 'req-start-time', 'req-cost-time', 'req-arrive-time', 'resp-start-time']);
const stable = (headers: HeaderList) => headers.filter(([k]) => !VOLATILE.has(k.toLowerCase()));

export interface PluginEffect {
  /** Upstream request without the plugin vs with it; null when the plugin answered locally. */
  request: MessageDiff | null;
  /** Client response without the plugin vs with it. */
  response: MessageDiff;
  localReply: boolean;
}

/** POST /api/sessions/{id}/plugin-effect: the same request through the plugin and around it, and what the plugin changed. */
export interface PluginComparison {
  withPlugin: Exchange;
  withoutPlugin: Exchange;
  effect: PluginEffect;
}

/**
 * What a plugin changed: the same request sent around the plugin and through it, compared at the
 * upstream (what it received) and at the client (what came back).
 */
export function pluginEffect(withPlugin: Exchange, withoutPlugin: Exchange): PluginEffect {
  const request =
    withPlugin.upstreamRequest && withoutPlugin.upstreamRequest
      ? diffMessage(
          { ...withoutPlugin.upstreamRequest, headers: stable(withoutPlugin.upstreamRequest.headers) },
          { ...withPlugin.upstreamRequest, headers: stable(withPlugin.upstreamRequest.headers) },
          [
            ['method', withoutPlugin.upstreamRequest.method, withPlugin.upstreamRequest.method],
            ['path', withoutPlugin.upstreamRequest.path, withPlugin.upstreamRequest.path],
          ],
        )
      : null;
  const response = diffMessage(
    { ...withoutPlugin.response, headers: stable(withoutPlugin.response.headers) },
    { ...withPlugin.response, headers: stable(withPlugin.response.headers) },
    [['status', String(withoutPlugin.response.status), String(withPlugin.response.status)]],
  );
  return { request, response, localReply: withPlugin.localReply };
}
