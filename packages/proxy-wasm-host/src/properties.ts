// Property values as Envoy serializes them (ENVOY serializeValue): strings raw, integers 8-byte
// little-endian, booleans one byte, maps in the header-pairs format. Configured properties
// (VM options, then per-request) win over computed ones; `set_property` values (filter state) are
// read back for names that are not built in.
import { encode, serializePairs, u64le } from './memory.js';
import type { HttpStream } from './stream.js';

export interface PropertyEnv {
  pluginName: string;
  vmId: string;
  memoryBytes(): number;
  configured: Record<string, string>;
  /** set_property values outside any stream. */
  rootState: Map<string, Uint8Array>;
}

/** Defaults a gateway route would carry; override them with VmOptions.properties / HttpRequest.properties. */
export const DEFAULT_PROPERTIES: Record<string, string> = {
  route_name: 'playground-route',
  cluster_name: 'outbound|80||httpbin.dns',
  'source.address': '127.0.0.1:50000',
  'destination.address': '127.0.0.1:8080',
};

function header(h: [string, string][] | undefined, name: string): string | undefined {
  return h?.find(([k]) => k === name)?.[1];
}

export function resolveProperty(path: string[], env: PropertyEnv, s: HttpStream | undefined): Uint8Array | undefined {
  const dotted = path.join('.');
  const conf = s ? s.properties : env.configured;
  if (conf[dotted] !== undefined) return encode(conf[dotted]);

  switch (dotted) {
    case 'plugin_name':
    case 'plugin_root_id':
      return encode(env.pluginName);
    case 'plugin_vm_id':
      return encode(env.vmId);
    case 'plugin_vm_memory':
      return u64le(env.memoryBytes());
  }
  if (s) {
    const rq = s.clientRequestHeaders;
    switch (dotted) {
      case 'request.path':
        return encode(header(rq, ':path') ?? '');
      case 'request.url_path':
        return encode((header(rq, ':path') ?? '').split('?')[0]);
      case 'request.query': {
        const p = header(rq, ':path') ?? '';
        const i = p.indexOf('?');
        return encode(i < 0 ? '' : p.slice(i + 1));
      }
      case 'request.host':
        return encode(header(rq, ':authority') ?? '');
      case 'request.method':
        return encode(header(rq, ':method') ?? '');
      case 'request.scheme':
        return encode(header(rq, ':scheme') ?? '');
      case 'request.id':
        return encode(s.requestId);
      case 'request.protocol':
        return encode('HTTP/1.1');
      case 'request.time':
        return u64le(BigInt(s.startedAtMs) * 1_000_000n);
      case 'request.headers':
        return serializePairs(rq.filter(([k]) => !k.startsWith(':')));
      case 'response.code':
        return s.responseStatus === undefined ? undefined : u64le(s.responseStatus);
      case 'response.code_details':
        return s.responseCodeDetails === undefined ? undefined : encode(s.responseCodeDetails);
      case 'response.headers':
        return s.responseHeadersView ? serializePairs(s.responseHeadersView.filter(([k]) => !k.startsWith(':'))) : undefined;
      case 'connection.mtls':
        return new Uint8Array([0]);
    }
    if (path.length === 3 && path[0] === 'request' && path[1] === 'headers') {
      const v = header(rq, path[2].toLowerCase());
      return v === undefined ? undefined : encode(v);
    }
    if (path.length === 3 && path[0] === 'response' && path[1] === 'headers') {
      const v = header(s.responseHeadersView, path[2].toLowerCase());
      return v === undefined ? undefined : encode(v);
    }
    const fs = s.filterState.get(path.join('\0'));
    if (fs) return fs;
  }
  return env.rootState.get(path.join('\0'));
}
