import { diffHeaders, type Body, type Exchange, type HeaderList } from '@playground/shared';

/** One place where two runtimes' exchanges of the same scenario disagree. */
export interface Difference {
  /** Which message: what the client received, or what the upstream received. */
  part: 'response' | 'upstreamRequest' | 'exchange';
  kind: 'local-reply' | 'status' | 'method' | 'path' | 'header-added' | 'header-removed' | 'header-changed' | 'body' | 'missing';
  /** The header name, or the JSON path inside a body. */
  name?: string;
  /** The value on each side; absent where a side has none. */
  left?: string;
  right?: string;
}

/**
 * Values that differ between two runs of the same runtime (ids, clocks, addresses): not divergences.
 * Content-length follows the body, whose differences are reported themselves.
 */
export const VOLATILE_HEADERS = new Set(['date', 'x-request-id', 'x-envoy-upstream-service-time', 'req-start-time', 'content-length']);
const VOLATILE_JSON_KEYS = new Set(['origin', ...VOLATILE_HEADERS]);

const stable = (headers: HeaderList): HeaderList => headers.filter(([k]) => !VOLATILE_HEADERS.has(k.toLowerCase()));
const text = (b: Body) => (typeof b === 'string' ? b : `base64:${b.base64}`);

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** Differing leaves of two JSON values, as paths (`headers.Hello`), skipping volatile keys at any depth. */
function jsonDifferences(a: unknown, b: unknown, at: string, out: Difference[], part: Difference['part']): void {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (VOLATILE_JSON_KEYS.has(key.toLowerCase())) continue;
      jsonDifferences(a[key], b[key], at ? `${at}.${key}` : key, out, part);
    }
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const show = (v: unknown) => (v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v));
  out.push({ part, kind: 'body', name: at || '$', left: show(a), right: show(b) });
}

function bodyDifferences(a: Body, b: Body, part: Difference['part'], out: Difference[]): void {
  const [x, y] = [text(a), text(b)];
  if (x === y) return;
  const [jx, jy] = [parseJson(x), parseJson(y)];
  // httpbin echoes are JSON: name the fields that differ rather than dumping both bodies.
  if (jx !== undefined && jy !== undefined) jsonDifferences(jx, jy, '', out, part);
  else out.push({ part, kind: 'body', left: x, right: y });
}

function headerDifferences(a: HeaderList, b: HeaderList, part: Difference['part'], out: Difference[]): void {
  const d = diffHeaders(stable(a), stable(b));
  for (const [name, value] of d.added) out.push({ part, kind: 'header-added', name, right: value });
  for (const [name, value] of d.removed) out.push({ part, kind: 'header-removed', name, left: value });
  for (const c of d.changed) out.push({ part, kind: 'header-changed', name: c.name, left: c.before.join(', '), right: c.after.join(', ') });
}

/**
 * Where two exchanges of one scenario differ: whether the plugin answered locally, the response the
 * client got (status, headers, body), and the request the upstream got (method, path, headers,
 * body). "Added" means present only on the right. Upstream responses are not compared: a runtime
 * may not observe its own (the docker runtime repeats the client's response there).
 */
export function compareExchanges(left: Exchange, right: Exchange): Difference[] {
  const out: Difference[] = [];
  if (left.localReply !== right.localReply) {
    out.push({ part: 'exchange', kind: 'local-reply', left: String(left.localReply), right: String(right.localReply) });
  }
  if (left.response.status !== right.response.status) {
    out.push({ part: 'response', kind: 'status', left: String(left.response.status), right: String(right.response.status) });
  }
  headerDifferences(left.response.headers, right.response.headers, 'response', out);
  bodyDifferences(left.response.body, right.response.body, 'response', out);

  const [a, b] = [left.upstreamRequest, right.upstreamRequest];
  if (a && b) {
    if (a.method !== b.method) out.push({ part: 'upstreamRequest', kind: 'method', left: a.method, right: b.method });
    if (a.path !== b.path) out.push({ part: 'upstreamRequest', kind: 'path', left: a.path, right: b.path });
    headerDifferences(a.headers, b.headers, 'upstreamRequest', out);
    bodyDifferences(a.body, b.body, 'upstreamRequest', out);
  } else if (a || b) {
    // One side saw the upstream request and the other did not (a local reply, or no echo to read it from).
    out.push({ part: 'upstreamRequest', kind: 'missing', ...(a ? { left: 'observed' } : { right: 'observed' }) });
  }
  return out;
}
