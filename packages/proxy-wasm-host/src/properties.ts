// Properties (ENVOY extensions/filters/common/expr/context.cc, the E127 fork; wasm context.cc
// Context::getProperty / findValue / serializeValue). Values are encoded as Envoy serializes them:
// strings raw, integers 8-byte little-endian, durations and timestamps as int64 nanoseconds,
// booleans one byte, maps in the header-pairs format, messages as protobuf bytes.
//
// Header-derived values read the live header maps: a rewritten :path shows, and once the request
// headers were continued (request_headers_ is null) request.path, request.host, ... are NotFound
// until on_log, which reads the access log's copy.
import type { StreamContext } from './context.js';
import { portOf } from './gateway-headers.js';
import { encode, serializePairs, u64le } from './memory.js';
import type { Headers } from './types.js';

export interface PropertyEnv {
  pluginName: string;
  vmId: string;
  memoryBytes(): number;
  /** VM-wide configured properties (a dotted path -> string). */
  configured: Record<string, string>;
  /** set_property values outside any stream (never set: Envoy refuses them; kept for reads). */
  rootState: Map<string, Uint8Array>;
  node: NodeInfo;
}

/** The gateway's Envoy node (`node`, `node.id`, `node.cluster`, `node.metadata.*`). */
export interface NodeInfo {
  id: string;
  cluster: string;
  metadata: Record<string, string>;
}

/** Defaults a gateway route would carry; override them with VmOptions.properties / HttpRequest.properties. */
export const DEFAULT_PROPERTIES: Record<string, string> = {
  route_name: 'playground-route',
  cluster_name: 'outbound|80||httpbin.dns',
};

export const DEFAULT_NODE: NodeInfo = {
  id: 'router~10.0.0.10~higress-gateway-playground.higress-system~higress-system.svc.cluster.local',
  cluster: 'higress-gateway',
  metadata: { CLUSTER_ID: 'Kubernetes', NAMESPACE: 'higress-system', WORKLOAD_NAME: 'higress-gateway', ISTIO_VERSION: '1.19.5' },
};

const i64 = (v: number | bigint) => u64le(BigInt(v));
const str = (v: string) => encode(v);

/** A header's values joined with "," (expr/context.h getAllOfHeaderAsString). */
function headerValue(h: Headers, name: string): string | undefined {
  const vs = h.filter(([k]) => k === name).map(([, v]) => v);
  return vs.length ? vs.join(',') : undefined;
}

/**
 * A header map as a CEL map (expr/context.h HeadersWrapper::ListKeys): every name once, the
 * pseudo-headers too, repeated values joined; a map that is gone is empty.
 */
function headerMap(h: Headers | null | undefined): Uint8Array {
  const names: string[] = [];
  for (const [k] of h ?? []) if (!names.includes(k)) names.push(k);
  return serializePairs(names.map((n) => [n, headerValue(h!, n)!]));
}

function byteSize(h: Headers | null | undefined): number {
  let n = 0;
  for (const [k, v] of h ?? []) n += k.length + v.length;
  return n;
}

/** Request attributes (RequestWrapper). */
function requestAttr(name: string, s: StreamContext): Uint8Array | undefined {
  const h = s.accessLog ? s.accessLog.requestHeaders : s.requestHeaders;
  const info = s.info;
  switch (name) {
    case 'time':
      return i64(BigInt(Math.floor(info.startMs)) * 1_000_000n);
    case 'protocol':
      return str(info.protocol);
    case 'size': {
      const cl = h ? headerValue(h, 'content-length') : undefined;
      if (cl !== undefined) return /^\d+$/.test(cl) ? i64(Number(cl)) : undefined;
      return i64(info.bytesReceived);
    }
    case 'total_size':
      return i64(info.bytesReceived + info.requestHeaderBytes);
    case 'duration':
      return info.requestCompletePerf === undefined ? undefined : i64(BigInt(Math.round((info.requestCompletePerf - info.startPerf) * 1e6)));
    // RequestWrapper::operator[] answers `headers` before it looks at the map: empty once released.
    case 'headers':
      return headerMap(h);
  }
  if (!h) return undefined;
  const path = headerValue(h, ':path') ?? '';
  switch (name) {
    case 'path':
      return str(path);
    case 'url_path':
      return str(path.split('?')[0]);
    case 'query': {
      const i = path.indexOf('?');
      return str(i < 0 ? '' : path.slice(i + 1).split('#')[0]);
    }
    case 'host':
      return strOr(headerValue(h, ':authority'));
    case 'scheme':
      return strOr(headerValue(h, ':scheme'));
    case 'method':
      return strOr(headerValue(h, ':method'));
    case 'referer':
      return strOr(headerValue(h, 'referer'));
    case 'useragent':
      return strOr(headerValue(h, 'user-agent'));
    case 'id':
      return strOr(headerValue(h, 'x-request-id'));
  }
  return undefined;
}

const strOr = (v: string | undefined) => (v === undefined ? undefined : str(v));

/** Response attributes (ResponseWrapper). */
function responseAttr(name: string, s: StreamContext): Uint8Array | undefined {
  const info = s.info;
  const h = s.accessLog ? s.accessLog.responseHeaders : s.responseHeaders;
  const t = s.accessLog ? s.accessLog.responseTrailers : s.responseTrailers;
  switch (name) {
    case 'code':
      return info.responseCode === undefined ? undefined : i64(info.responseCode);
    case 'code_details':
      return info.responseCodeDetails === undefined ? undefined : str(info.responseCodeDetails);
    case 'flags':
      return i64(info.responseFlags);
    case 'size':
      return i64(info.bytesSent);
    case 'total_size':
      return i64(info.bytesSent + info.responseHeaderBytes + byteSize(t));
    case 'headers':
      return headerMap(h);
    case 'trailers':
      return headerMap(t);
    case 'grpc_status':
      return undefined;
  }
  return undefined;
}

function connectionAttr(name: string, s: StreamContext): Uint8Array | undefined {
  switch (name) {
    case 'id':
      return i64(s.info.connection.id);
    case 'mtls':
      return new Uint8Array([0]);
    case 'requested_server_name':
      return str('');
  }
  return undefined;
}

function upstreamAttr(name: string, s: StreamContext): Uint8Array | undefined {
  const u = s.info.upstream;
  if (!u) return undefined;
  switch (name) {
    case 'address':
      return str(u.address);
    case 'port':
      return i64(portOf(u.address));
    case 'local_address':
      return str(u.localAddress);
    case 'transport_failure_reason':
      return str('');
  }
  return undefined;
}

/** xds.* (the E127 XDSWrapper). Metadata messages are empty: the playground's route has none. */
function xdsAttr(name: string, s: StreamContext | undefined, conf: Record<string, string>): Uint8Array | undefined {
  switch (name) {
    case 'cluster_name':
      return strOr(conf.cluster_name);
    case 'route_name':
      return strOr(conf.route_name);
    case 'cluster_metadata':
    case 'route_metadata':
    case 'upstream_host_metadata':
      return s ? new Uint8Array(0) : undefined;
    case 'filter_chain_name':
      return str('');
  }
  return undefined;
}

export function resolveProperty(path: string[], env: PropertyEnv, s: StreamContext | undefined): Uint8Array | undefined {
  const dotted = path.join('.');
  const conf = s ? s.properties : env.configured;
  if (conf[dotted] !== undefined) return str(conf[dotted]);

  switch (dotted) {
    case 'plugin_name':
    case 'plugin_root_id':
      return str(env.pluginName);
    case 'plugin_vm_id':
      return str(env.vmId);
    case 'plugin_vm_memory':
      return u64le(env.memoryBytes());
    case 'node':
      return nodeProto(env.node);
    case 'node.id':
      return str(env.node.id);
    case 'node.cluster':
      return str(env.node.cluster);
    case 'node.metadata':
      return serializePairs(Object.entries(env.node.metadata));
  }
  if (path[0] === 'node' && path[1] === 'metadata' && path.length === 3) return strOr(env.node.metadata[path[2]]);
  if (s) {
    const [head, name, ...rest] = path;
    let v: Uint8Array | undefined;
    switch (head) {
      case 'request':
        if (name === 'headers' && rest.length === 1) return headerEntry(s.accessLog ? s.accessLog.requestHeaders : s.requestHeaders, rest[0]);
        v = rest.length ? undefined : requestAttr(name, s);
        break;
      case 'response':
        if (name === 'headers' && rest.length === 1) return headerEntry(s.accessLog ? s.accessLog.responseHeaders : s.responseHeaders, rest[0]);
        if (name === 'trailers' && rest.length === 1) return headerEntry(s.accessLog ? s.accessLog.responseTrailers : s.responseTrailers, rest[0]);
        v = rest.length ? undefined : responseAttr(name, s);
        break;
      case 'source':
        if (name === 'address') return str(s.info.sourceAddress);
        if (name === 'port') return i64(portOf(s.info.sourceAddress));
        break;
      case 'destination':
        if (name === 'address') return str(s.info.connection.localAddress);
        if (name === 'port') return i64(portOf(s.info.connection.localAddress));
        break;
      case 'connection':
        v = rest.length ? undefined : connectionAttr(name, s);
        break;
      case 'connection_id':
        return path.length === 1 ? i64(s.info.connection.id) : undefined;
      case 'upstream':
        v = rest.length ? undefined : upstreamAttr(name, s);
        break;
      case 'xds':
        v = rest.length ? undefined : xdsAttr(name, s, conf);
        break;
      case 'route_metadata':
      case 'cluster_metadata':
      case 'upstream_host_metadata':
        return path.length === 1 ? new Uint8Array(0) : undefined;
    }
    if (v) return v;
    const fs = s.filterState.get(path.join('\0'));
    if (fs) return fs;
  }
  return env.rootState.get(path.join('\0'));
}

function headerEntry(h: Headers | null | undefined, name: string): Uint8Array | undefined {
  if (!h) return undefined;
  return strOr(headerValue(h, name.toLowerCase()));
}

// ---- a minimal protobuf writer for envoy.config.core.v3.Node { id = 1; cluster = 2; metadata = 3 (Struct) } ----

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

function field(no: number, bytes: Uint8Array | number[]): number[] {
  return [...varint((no << 3) | 2), ...varint(bytes.length), ...bytes];
}

function nodeProto(node: NodeInfo): Uint8Array {
  // google.protobuf.Struct { map<string, Value> fields = 1 }; Value { string string_value = 3 }.
  const entries = Object.entries(node.metadata).flatMap(([k, v]) => field(1, [...field(1, encode(k)), ...field(2, field(3, encode(v)))]));
  return new Uint8Array([...field(1, encode(node.id)), ...field(2, encode(node.cluster)), ...field(3, entries)]);
}
