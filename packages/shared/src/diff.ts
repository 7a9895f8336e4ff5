import type { Exchange } from './exchange.js';
import type { Body, HeaderList } from './http.js';

export interface HeaderChange {
  name: string;
  before: string[];
  after: string[];
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

/** Groups values by lower-cased name, keeping order, since HTTP names are case-insensitive. */
function byName(headers: HeaderList): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const [k, v] of headers) {
    const name = k.toLowerCase();
    m.set(name, [...(m.get(name) ?? []), v]);
  }
  return m;
}

export function diffHeaders(before: HeaderList, after: HeaderList): HeadersDiff {
  const a = byName(before);
  const b = byName(after);
  const out: HeadersDiff = { added: [], removed: [], changed: [] };
  for (const [name, values] of b) {
    const old = a.get(name);
    if (!old) values.forEach((v) => out.added.push([name, v]));
    else if (old.join('\n') !== values.join('\n')) out.changed.push({ name, before: old, after: values });
  }
  for (const [name, values] of a) if (!b.has(name)) values.forEach((v) => out.removed.push([name, v]));
  return out;
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
