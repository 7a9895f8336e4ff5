// src/properties.ts called directly on a stream context (no VM): the paths proxy_get_property serves
// and the bytes Envoy would give for them. Envoy's sources: ENVOY extensions/filters/common/expr/
// context.cc (RequestWrapper / ResponseWrapper / ConnectionWrapper / UpstreamWrapper / XDSWrapper,
// and context.h getAllOfHeaderAsString for repeated headers) and wasm context.cc
// Context::getProperty / findValue / serializeValue (integers as 8-byte little-endian, durations
// and timestamps as int64 nanoseconds, maps in the header-pairs format).
import { describe, expect, it } from 'vitest';
import { deserializePairs } from '../src/memory.js';
import { DEFAULT_NODE, resolveProperty, type PropertyEnv } from '../src/properties.js';
import type { StreamContext } from '../src/context.js';
import { dec, enc } from './support/harness.js';
import { streamContext } from './support/stream-context.js';

function env(over: Partial<PropertyEnv> = {}): PropertyEnv {
  return {
    pluginName: 'my-plugin',
    vmId: 'vm-a',
    memoryBytes: () => 3 * 65536,
    configured: { route_name: 'vm-route', cluster_name: 'outbound|80||vm.dns' },
    rootState: new Map(),
    node: DEFAULT_NODE,
    ...over,
  };
}

const REQ: [string, string][] = [
  [':authority', 'example.com'],
  [':path', '/a/b?x=1&y=2#frag'],
  [':method', 'POST'],
  [':scheme', 'http'],
  ['content-length', '1234'],
  ['x-dup', 'a'],
  ['user-agent', 'curl/8'],
  ['x-dup', 'b'],
  ['referer', 'https://example.org/page'],
  ['x-request-id', 'rid-9'],
];

const get = (s: StreamContext | undefined, path: string, e = env()) => resolveProperty(path.split('.'), e, s);
const str = (s: StreamContext | undefined, path: string) => {
  const v = get(s, path);
  return v === undefined ? undefined : dec(v);
};
/** An Envoy int64: exactly 8 bytes, little-endian. */
const int = (s: StreamContext | undefined, path: string) => {
  const v = get(s, path);
  if (v === undefined) return undefined;
  expect(v).toHaveLength(8);
  return new DataView(v.buffer, v.byteOffset, 8).getBigInt64(0, true);
};

describe('request.*', () => {
  it('integers are 8-byte little-endian: request.size from content-length', () => {
    const s = streamContext({ requestHeaders: REQ });
    expect([...get(s, 'request.size')!]).toEqual([0xd2, 0x04, 0, 0, 0, 0, 0, 0]);
  });

  it('request.size: a content-length that is not a number is NotFound; without one, the bytes received (RequestWrapper Size)', () => {
    expect(int(streamContext({ requestHeaders: [[':path', '/'], ['content-length', 'abc']] }), 'request.size')).toBeUndefined();
    expect(int(streamContext({ requestHeaders: [[':path', '/']], info: { bytesReceived: 42 } }), 'request.size')).toBe(42n);
  });

  it('strings are raw bytes: path, url_path (query cut), query (fragment cut), host, scheme, method, referer, useragent, id', () => {
    const s = streamContext({ requestHeaders: REQ });
    expect(str(s, 'request.path')).toBe('/a/b?x=1&y=2#frag');
    expect(str(s, 'request.url_path')).toBe('/a/b');
    expect(str(s, 'request.query')).toBe('x=1&y=2');
    expect(str(s, 'request.host')).toBe('example.com');
    expect(str(s, 'request.scheme')).toBe('http');
    expect(str(s, 'request.method')).toBe('POST');
    expect(str(s, 'request.referer')).toBe('https://example.org/page');
    expect(str(s, 'request.useragent')).toBe('curl/8');
    expect(str(s, 'request.id')).toBe('rid-9');
    expect(str(s, 'request.protocol')).toBe('HTTP/1.1');
    expect(str(streamContext({ requestHeaders: [[':path', '/plain']] }), 'request.query')).toBe('');
  });

  it('a header that is absent is NotFound, not an empty string', () => {
    const s = streamContext({ requestHeaders: [[':path', '/']] });
    expect(get(s, 'request.referer')).toBeUndefined();
    expect(get(s, 'request.useragent')).toBeUndefined();
    expect(get(s, 'request.headers.x-missing')).toBeUndefined();
  });

  it('repeated headers are joined with "," (getAllOfHeaderAsString); the name is matched case-insensitively', () => {
    const s = streamContext({ requestHeaders: REQ });
    expect(str(s, 'request.headers.x-dup')).toBe('a,b');
    expect(str(s, 'request.headers.X-Dup')).toBe('a,b');
  });

  it('request.headers is a header-pairs map: each name once, repeated values joined', () => {
    const s = streamContext({ requestHeaders: REQ });
    const map = deserializePairs(get(s, 'request.headers')!);
    const names = map.map(([k]) => k);
    expect(new Set(names).size).toBe(names.length);
    expect(map).toContainEqual(['x-dup', 'a,b']);
    expect(map).toContainEqual(['content-length', '1234']);
    expect(map).toContainEqual(['user-agent', 'curl/8']);
  });

  // E127 expr/context.h HeadersWrapper::ListKeys iterates the whole header map, pseudo-headers
  // included, so a plugin reading request.headers in the gateway also sees :authority, :path,
  // :method and :scheme.
  it('request.headers includes the pseudo-headers, as Envoy\'s map iteration does', () => {
    const map = deserializePairs(get(streamContext({ requestHeaders: REQ }), 'request.headers')!);
    expect(map).toContainEqual([':path', '/a/b?x=1&y=2#frag']);
    expect(map).toContainEqual([':authority', 'example.com']);
  });

  it('the live map is read: a rewritten :path shows at once', () => {
    const s = streamContext({ requestHeaders: [[':path', '/old']] });
    s.requestHeaders![0][1] = '/new?q';
    expect(str(s, 'request.path')).toBe('/new?q');
    expect(str(s, 'request.url_path')).toBe('/new');
  });

  it('request.time is int64 nanoseconds since the epoch; request.duration NotFound until the request completed', () => {
    const s = streamContext({ requestHeaders: REQ, info: { startMs: 1_700_000_000_123.7, startPerf: 1000 } });
    expect(int(s, 'request.time')).toBe(1_700_000_000_123n * 1_000_000n);
    expect(get(s, 'request.duration')).toBeUndefined();
    s.info.requestCompletePerf = 1012.5;
    expect(int(s, 'request.duration')).toBe(12_500_000n);
  });

  it('request.total_size adds the header bytes to the body bytes', () => {
    const s = streamContext({ requestHeaders: REQ, info: { bytesReceived: 100, requestHeaderBytes: 60 } });
    expect(int(s, 'request.total_size')).toBe(160n);
  });

  it('once the request headers were continued, header-derived values are NotFound; stream-info values stay (E127 findValue: request_headers_ is null)', () => {
    const s = streamContext({ requestHeaders: REQ, info: { bytesReceived: 9 } });
    s.requestContinue('request');
    for (const p of ['request.path', 'request.url_path', 'request.query', 'request.host', 'request.method', 'request.referer', 'request.id', 'request.headers.x-dup']) {
      expect(get(s, p), p).toBeUndefined();
    }
    expect(int(s, 'request.time')).toBeGreaterThan(0n);
    // No content-length to read any more: the bytes received (RequestWrapper Size).
    expect(int(s, 'request.size')).toBe(9n);
    expect(str(s, 'request.protocol')).toBe('HTTP/1.1');
  });

  // ENVOY expr/context.cc RequestWrapper::operator[] answers `headers` before it checks for a null
  // header map: CelValue::CreateMap(&headers_), and HeadersWrapper::ListKeys of a null map is the
  // empty list. So after continue Envoy serializes an empty map (Ok, the 4 bytes of a zero count),
  // as for response.headers.
  it('after continue, request.headers is an empty map (Ok), not NotFound', () => {
    const s = streamContext({ requestHeaders: REQ });
    s.requestContinue('request');
    expect(get(s, 'request.headers')).toEqual(new Uint8Array([0, 0, 0, 0]));
  });

  it('on_log reads the access log\'s copy of the headers again', () => {
    const s = streamContext({ requestHeaders: REQ });
    s.requestContinue('request');
    s.accessLog = { requestHeaders: [[':path', '/final'], ['x-dup', 'z']], responseHeaders: [['x-r', '1']], responseTrailers: null };
    expect(str(s, 'request.path')).toBe('/final');
    expect(str(s, 'request.headers.x-dup')).toBe('z');
    expect(str(s, 'response.headers.x-r')).toBe('1');
  });

  it('a path below a leaf is NotFound', () => {
    const s = streamContext({ requestHeaders: REQ });
    expect(get(s, 'request.path.more')).toBeUndefined();
    expect(get(s, 'request.nope')).toBeUndefined();
  });
});

describe('response.*', () => {
  it('response.code is NotFound until the code is known, then int64', () => {
    const s = streamContext();
    expect(get(s, 'response.code')).toBeUndefined();
    s.info.responseCode = 404;
    s.info.responseCodeDetails = 'via_upstream';
    expect(int(s, 'response.code')).toBe(404n);
    expect(str(s, 'response.code_details')).toBe('via_upstream');
    expect(int(s, 'response.flags')).toBe(0n);
  });

  it('sizes: body bytes sent, and the total with header bytes and the trailers\' bytes', () => {
    const s = streamContext({ info: { bytesSent: 10, responseHeaderBytes: 20 } });
    s.responseTrailers = [['grpc-status', '0']];
    expect(int(s, 'response.size')).toBe(10n);
    expect(int(s, 'response.total_size')).toBe(10n + 20n + BigInt('grpc-status'.length + 1));
  });

  it('headers and trailers: one entry joined, or the whole map; no map yet is an empty map', () => {
    const s = streamContext();
    expect(deserializePairs(get(s, 'response.headers')!)).toEqual([]);
    s.responseHeaders = [['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['content-type', 'text/plain']];
    s.responseTrailers = [['x-t', '1']];
    expect(str(s, 'response.headers.set-cookie')).toBe('a=1,b=2');
    expect(deserializePairs(get(s, 'response.headers')!)).toEqual([['set-cookie', 'a=1,b=2'], ['content-type', 'text/plain']]);
    expect(str(s, 'response.trailers.x-t')).toBe('1');
    expect(deserializePairs(get(s, 'response.trailers')!)).toEqual([['x-t', '1']]);
  });
});

describe('connection, source, destination, upstream', () => {
  it('addresses are strings, ports int64; IPv6 in brackets', () => {
    const s = streamContext({ info: { sourceAddress: '[2001:db8::1]:8443' } });
    expect(str(s, 'source.address')).toBe('[2001:db8::1]:8443');
    expect(int(s, 'source.port')).toBe(8443n);
    expect(str(s, 'destination.address')).toBe('10.0.0.2:10000');
    expect(int(s, 'destination.port')).toBe(10000n);
    expect(int(s, 'connection.id')).toBe(7n);
    expect(int(s, 'connection_id')).toBe(7n);
    expect([...get(s, 'connection.mtls')!]).toEqual([0]);
  });

  it('upstream.* is NotFound until an upstream host was chosen', () => {
    const s = streamContext();
    expect(get(s, 'upstream.address')).toBeUndefined();
    s.info.upstream = { address: '10.1.2.3:8080', localAddress: '10.0.0.2:41000' };
    expect(str(s, 'upstream.address')).toBe('10.1.2.3:8080');
    expect(int(s, 'upstream.port')).toBe(8080n);
    expect(str(s, 'upstream.local_address')).toBe('10.0.0.2:41000');
  });
});

describe('configuration, xds, node and plugin', () => {
  it('xds.route_name / xds.cluster_name come from the stream\'s properties; metadata messages are empty (Ok, zero bytes)', () => {
    const s = streamContext({ properties: { route_name: 'r1', cluster_name: 'outbound|80||svc.dns' } });
    expect(str(s, 'xds.route_name')).toBe('r1');
    expect(str(s, 'xds.cluster_name')).toBe('outbound|80||svc.dns');
    expect(get(s, 'xds.route_metadata')).toEqual(new Uint8Array(0));
    expect(get(s, 'route_metadata')).toEqual(new Uint8Array(0));
  });

  it('a configured property (any dotted path) wins, per stream or VM-wide outside one', () => {
    const s = streamContext({ properties: { 'my.custom.key': 'v1', 'request.path': 'shadowed' } });
    expect(str(s, 'my.custom.key')).toBe('v1');
    expect(str(s, 'request.path')).toBe('shadowed');
    expect(str(undefined, 'route_name')).toBe('vm-route');
    expect(get(undefined, 'my.custom.key')).toBeUndefined();
  });

  it('plugin_name, plugin_root_id, plugin_vm_id are strings; plugin_vm_memory the guest memory as int64', () => {
    expect(str(undefined, 'plugin_name')).toBe('my-plugin');
    expect(str(undefined, 'plugin_root_id')).toBe('my-plugin');
    expect(str(undefined, 'plugin_vm_id')).toBe('vm-a');
    expect(int(undefined, 'plugin_vm_memory')).toBe(3n * 65536n);
  });

  it('node.id, node.cluster, node.metadata (a map) and node.metadata.<key>', () => {
    expect(str(undefined, 'node.id')).toBe(DEFAULT_NODE.id);
    expect(str(undefined, 'node.cluster')).toBe('higress-gateway');
    expect(str(undefined, 'node.metadata.NAMESPACE')).toBe('higress-system');
    expect(get(undefined, 'node.metadata.NOPE')).toBeUndefined();
    expect(deserializePairs(get(undefined, 'node.metadata')!)).toContainEqual(['ISTIO_VERSION', '1.19.5']);
  });

  it('node is an envoy.config.core.v3.Node message: id = 1, cluster = 2, metadata = 3 (a Struct)', () => {
    const node = { id: 'n-1', cluster: 'c-1', metadata: { K: 'V' } };
    const fields = protoFields(get(undefined, 'node', env({ node }))!);
    expect(dec(fields.get(1)![0])).toBe('n-1');
    expect(dec(fields.get(2)![0])).toBe('c-1');
    // Struct { fields = 1: map entry { key = 1, value = 2: Value { string_value = 3 } } }
    const entry = protoFields(protoFields(fields.get(3)![0]).get(1)![0]);
    expect(dec(entry.get(1)![0])).toBe('K');
    expect(dec(protoFields(entry.get(2)![0]).get(3)![0])).toBe('V');
  });

  it('outside a stream, stream paths are NotFound; values stored with set_property are read back', () => {
    const e = env();
    expect(get(undefined, 'request.path', e)).toBeUndefined();
    expect(get(undefined, 'xds.route_name', e)).toBeUndefined();
    e.rootState.set(['my', 'state'].join('\0'), enc('root'));
    expect(dec(get(undefined, 'my.state', e))).toBe('root');
    const s = streamContext();
    s.filterState.set(['x_request_id'].join('\0'), enc('from-plugin'));
    expect(str(s, 'x_request_id')).toBe('from-plugin');
  });
});

/** Length-delimited fields of a protobuf message, by field number. */
function protoFields(b: Uint8Array): Map<number, Uint8Array[]> {
  const out = new Map<number, Uint8Array[]>();
  let i = 0;
  const varint = () => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const byte = b[i++];
      v += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return v;
      shift += 7;
    }
  };
  while (i < b.length) {
    const key = varint();
    expect(key & 7).toBe(2);
    const len = varint();
    const no = key >>> 3;
    out.set(no, [...(out.get(no) ?? []), b.subarray(i, i + len)]);
    i += len;
  }
  return out;
}
