// Headers the gateway itself adds or removes around the plugin:
// - before any filter, the HCM's request mutations (ENVOY http/conn_manager_utility.cc
//   ConnectionManagerUtility::mutateRequestHeaders, E127 fork);
// - on the way upstream and back, the router's (ENVOY router/router.cc Filter::decodeHeaders,
//   setTimeoutHeaders, onUpstreamHeaders);
// - for local replies, Utility::prepareLocalReply (ENVOY http/utility.cc).
import type { GatewayProfile } from './profile.js';
import type { Headers } from './types.js';

/** The downstream connection as the HCM sees it. */
export interface ConnectionInfo {
  remoteAddress: string;
  localAddress: string;
  /** TLS downstream (never here: the playground listener is plain HTTP). */
  ssl: boolean;
}

/** `ip:port` or `[v6]:port` -> ip. */
export function ipOf(address: string): string {
  if (address.startsWith('[')) return address.slice(1, address.indexOf(']'));
  const i = address.lastIndexOf(':');
  return i > 0 && address.indexOf(':') === i ? address.slice(0, i) : address;
}

/** `ip:port` -> port (0 when none). */
export function portOf(address: string): number {
  const m = /:(\d+)$/.exec(address);
  return m && (address.startsWith('[') || address.indexOf(':') === address.lastIndexOf(':')) ? Number(m[1]) : 0;
}

function v4(ip: string): number[] | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.map(Number);
}

export function isLoopback(ip: string): boolean {
  const b = v4(ip);
  return b ? b[0] === 127 : ip === '::1';
}

/** ENVOY network/utility.cc Utility::isInternalAddress: RFC1918, loopback, fd00::/8. */
export function isInternalAddress(ip: string): boolean {
  const b = v4(ip);
  if (b) return b[0] === 10 || (b[0] === 192 && b[1] === 168) || (b[0] === 172 && b[1] >= 16 && b[1] <= 31) || (b[0] === 127 && b[1] === 0 && b[2] === 0 && b[3] === 1);
  return ip.toLowerCase().startsWith('fd') || ip === '::1';
}

const get = (h: Headers, name: string) => h.find(([k]) => k === name)?.[1];
const remove = (h: Headers, ...names: string[]) => {
  for (let i = h.length - 1; i >= 0; i--) if (names.includes(h[i][0])) h.splice(i, 1);
};
const set = (h: Headers, name: string, value: string) => {
  remove(h, name);
  h.push([name, value]);
};

/** Stripped from external requests (cleanInternalHeaders). */
const INTERNAL_ONLY = [
  'x-envoy-retriable-status-codes',
  'x-envoy-retriable-header-names',
  'x-envoy-retry-on',
  'x-envoy-retry-grpc-on',
  'x-envoy-max-retries',
  'x-envoy-upstream-alt-stat-name',
  'x-envoy-upstream-rq-timeout-ms',
  'x-envoy-upstream-rq-per-try-timeout-ms',
  'x-envoy-upstream-rq-timeout-alt-response',
  'x-envoy-expected-rq-timeout-ms',
  'x-envoy-force-trace',
  'x-envoy-ip-tags',
  'x-envoy-original-url',
  'x-envoy-hedge-on-per-try-timeout',
];

export interface HcmResult {
  /** The request header map the first filter sees (pseudo-headers first). */
  headers: Headers;
  requestId: string;
  /** The address Envoy reports as `source.address` (the peer, or the client found in x-forwarded-for). */
  sourceAddress: string;
}

/** Headers the HCM drops from every request (before x-forwarded-* are decided). */
const HOP_BY_HOP = new Set(['x-envoy-internal', 'keep-alive', 'proxy-connection', 'transfer-encoding']);
const EDGE_ONLY = new Set(['x-envoy-decorator-operation', 'x-envoy-downstream-service-cluster', 'x-envoy-downstream-service-node']);
const INTERNAL_ONLY_SET = new Set(INTERNAL_ONLY);

/**
 * ConnectionManagerUtility::mutateRequestHeaders: hop-by-hop headers removed, x-forwarded-for and
 * x-forwarded-proto as use_remote_address / xff_num_trusted_hops say, the scheme overwrite,
 * x-envoy-internal or x-envoy-external-address, x-envoy-original-host (Higress), x-request-id.
 */
export function mutateRequestHeaders(pseudo: { authority: string; path: string; method: string; scheme: string }, clientHeaders: Headers, conn: ConnectionInfo, profile: GatewayProfile): HcmResult {
  let connection: string | undefined;
  let hasUpgrade = false;
  let referers = 0;
  const h: Headers = [];
  for (const [name, value] of clientHeaders) {
    const k = name.toLowerCase();
    if (k === 'host' || k.charCodeAt(0) === 58 /* : */ || HOP_BY_HOP.has(k)) continue;
    if (k === 'connection') connection = value;
    else if (k === 'upgrade') hasUpgrade = true;
    else if (k === 'referer') referers++;
    h.push([k, String(value)]);
  }
  if (!(hasUpgrade && connection !== undefined && /\bupgrade\b/i.test(connection))) remove(h, 'connection', 'upgrade');
  // A referer that is repeated or not a valid URL is dropped.
  if (referers > 1 || (referers === 1 && !validReferer(get(h, 'referer')!))) remove(h, 'referer');

  const peer = addressInfo(conn.remoteAddress);
  let finalRemote: string | undefined;
  let allowTrustedChecks = false;
  if (profile.useRemoteAddress) {
    allowTrustedChecks = get(h, 'x-forwarded-for') === undefined;
    if (profile.xffNumTrustedHops > 0) finalRemote = lastXffAddress(h, profile.xffNumTrustedHops - 1);
    finalRemote ??= conn.remoteAddress;
    appendXff(h, peer.loopback ? ipOf(conn.localAddress) : peer.ip);
    if (profile.xffNumTrustedHops === 0 || get(h, 'x-forwarded-proto') === undefined) set(h, 'x-forwarded-proto', conn.ssl ? 'https' : 'http');
  } else {
    // The default original-IP detection: the x-forwarded-for entry xff_num_trusted_hops from the right.
    finalRemote = lastXffAddress(h, profile.xffNumTrustedHops);
    if (finalRemote) allowTrustedChecks = true;
  }
  if (get(h, 'x-forwarded-proto') === undefined) h.push(['x-forwarded-proto', conn.ssl ? 'https' : 'http']);
  let scheme = pseudo.scheme;
  if (profile.schemeOverwrite) {
    scheme = profile.schemeOverwrite;
    set(h, 'x-forwarded-proto', profile.schemeOverwrite);
  }
  const internal = allowTrustedChecks && finalRemote !== undefined && addressInfo(finalRemote).internal;
  finalRemote ??= conn.remoteAddress;
  const edge = !internal && profile.useRemoteAddress;
  if (internal) set(h, 'x-envoy-internal', 'true');
  else {
    for (let i = h.length - 1; i >= 0; i--) if (INTERNAL_ONLY_SET.has(h[i][0]) || (edge && EDGE_ONLY.has(h[i][0]))) h.splice(i, 1);
  }
  set(h, 'x-envoy-original-host', pseudo.authority);
  if (edge) set(h, 'x-envoy-external-address', addressInfo(finalRemote).ip);
  // Edge requests get a fresh id (preserve_external_request_id is off); others keep theirs.
  let requestId = get(h, 'x-request-id');
  if (!requestId || edge) {
    requestId = crypto.randomUUID();
    set(h, 'x-request-id', requestId);
  }
  h.unshift([':authority', pseudo.authority], [':path', pseudo.path], [':method', pseudo.method], [':scheme', scheme]);
  return { headers: h, requestId, sourceAddress: finalRemote };
}

/** A client's IP classified once: clients come back. */
const addresses = new Map<string, { ip: string; loopback: boolean; internal: boolean }>();
function addressInfo(address: string) {
  const ip = ipOf(address);
  let a = addresses.get(ip);
  if (!a) {
    a = { ip, loopback: isLoopback(ip), internal: isInternalAddress(ip) };
    if (addresses.size > 1000) addresses.clear();
    addresses.set(ip, a);
  }
  return a;
}

function validReferer(v: string): boolean {
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

/** Utility::appendXff. */
function appendXff(h: Headers, ip: string): void {
  const i = h.findIndex(([k]) => k === 'x-forwarded-for');
  if (i < 0) h.push(['x-forwarded-for', ip]);
  else h[i] = ['x-forwarded-for', `${h[i][1]},${ip}`];
}

/** Utility::getLastAddressFromXFF: the entry `skip` places from the right, if it is an IP. */
function lastXffAddress(h: Headers, skip: number): string | undefined {
  const xff = get(h, 'x-forwarded-for');
  if (!xff) return undefined;
  const parts = xff.split(',').map((s) => s.trim());
  const entry = parts[parts.length - 1 - skip];
  if (entry === undefined || !(v4(entry) || entry.includes(':'))) return undefined;
  return entry.includes(':') && !entry.startsWith('[') ? `[${entry}]:0` : `${entry}:0`;
}

/**
 * Router::Filter::decodeHeaders on the way upstream, after every filter: the route timeout as
 * x-envoy-expected-rq-timeout-ms (setTimeoutHeaders; only when the route has one), and the Higress
 * fork's req-start-time (stream start, ms since epoch) and x-envoy-route-identifier
 * (RouteEntryImplBase::finalizeRequestHeaders). The plugin never sees these.
 */
const ROUTER_REQUEST = new Set(['x-envoy-expected-rq-timeout-ms', 'req-start-time', 'x-envoy-route-identifier']);
const ROUTER_RESPONSE = new Set(['x-envoy-upstream-service-time', 'req-cost-time', 'req-arrive-time', 'resp-start-time']);

/** The headers without those in `drop` (the ones the router then sets), in one pass. */
function without(headers: Headers, drop: Set<string>): Headers {
  const out: Headers = [];
  for (const h of headers) if (!drop.has(h[0])) out.push(h);
  return out;
}

export function routerRequestHeaders(headers: Headers, profile: GatewayProfile, startMs: number): Headers {
  const out = without(headers, ROUTER_REQUEST);
  if (profile.routeTimeoutMs > 0) out.push(['x-envoy-expected-rq-timeout-ms', String(profile.routeTimeoutMs)]);
  out.push(['req-start-time', String(Math.floor(startMs))], ['x-envoy-route-identifier', 'true']);
  return out;
}

/**
 * Router::Filter::onUpstreamHeaders: x-envoy-upstream-service-time (ms from the upstream request to
 * its response headers), and, once the whole request was received, the Higress fork's
 * req-cost-time (ms from the stream start), req-arrive-time and resp-start-time (ms since epoch).
 */
export function routerResponseHeaders(
  headers: Headers,
  t: { requestStartMs: number; upstreamStartMs: number; responseStartMs: number; requestComplete: boolean },
): Headers {
  const out = without(headers, ROUTER_RESPONSE);
  out.push(['x-envoy-upstream-service-time', String(Math.round(t.responseStartMs - t.upstreamStartMs))]);
  if (t.requestComplete) {
    out.push(
      ['req-cost-time', String(Math.round(t.responseStartMs - t.requestStartMs))],
      ['req-arrive-time', String(Math.floor(t.requestStartMs))],
      ['resp-start-time', String(Math.floor(t.responseStartMs))],
    );
  }
  return out;
}

/**
 * Utility::prepareLocalReply: the plugin's headers are added; a body gets content-length and, when
 * none is set, content-type text/plain; an empty body loses content-length and content-type, even
 * ones the plugin supplied (the HTTP/1 codec then writes content-length: 0).
 */
export function localReplyHeaders(status: number, body: Uint8Array, pluginHeaders: Headers): Headers {
  const h: Headers = [[':status', String(status)], ...pluginHeaders.filter(([k]) => !k.startsWith(':')).map(([k, v]) => [k, v] as [string, string])];
  if (body.length) {
    set(h, 'content-length', String(body.length));
    if (get(h, 'content-type') === undefined) h.push(['content-type', 'text/plain']);
  } else {
    remove(h, 'content-length', 'content-type');
  }
  return h;
}
