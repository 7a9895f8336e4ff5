// Header maps: request/response headers and trailers of the effective stream, and the http_call
// response maps (only inside proxy_on_http_call_response). Keys are lower-cased; get returns the
// first value. An unavailable map is BadArgument (ENVOY getMap returns null), except that reading
// all pairs of one yields an empty list.
import { MapType, WasmResult } from '../abi/enums.js';
import { deserializePairs, serializePairs } from '../memory.js';
import type { Headers } from '../types.js';
import type { ImportHost } from './host.js';

interface MapRef {
  headers: Headers;
  writable: boolean;
}

function resolveMap(h: ImportHost, type: number): MapRef | undefined {
  if (type === MapType.HttpCallResponseHeaders || type === MapType.HttpCallResponseTrailers) {
    const r = h.calloutResponse;
    if (!r) return undefined;
    return { headers: type === MapType.HttpCallResponseHeaders ? r.headers : r.trailers, writable: false };
  }
  return h.stream()?.getMap(type);
}

export function headerImports(h: ImportHost) {
  const mem = h.mem;
  return {
    proxy_get_header_map_value(type: number, kp: number, kl: number, rvp: number, rvl: number): number {
      const m = resolveMap(h, type);
      if (!m) return WasmResult.BadArgument;
      const key = mem.readString(kp, kl).toLowerCase();
      const hit = m.headers.find(([k]) => k === key);
      if (!hit) return WasmResult.NotFound;
      mem.returnBytes(new TextEncoder().encode(hit[1]), rvp, rvl);
      return WasmResult.Ok;
    },
    proxy_get_header_map_pairs(type: number, rvp: number, rvl: number): number {
      const m = resolveMap(h, type);
      mem.returnBytes(serializePairs(m ? m.headers : []), rvp, rvl);
      return WasmResult.Ok;
    },
    proxy_set_header_map_pairs(type: number, p: number, l: number): number {
      const m = resolveMap(h, type);
      if (!m || !m.writable) return WasmResult.BadArgument;
      let pairs: Headers;
      try {
        pairs = deserializePairs(mem.read(p, l));
      } catch {
        return WasmResult.SerializationFailure;
      }
      m.headers.splice(0, m.headers.length, ...pairs.map(([k, v]) => [k.toLowerCase(), v] as [string, string]));
      return WasmResult.Ok;
    },
    proxy_add_header_map_value(type: number, kp: number, kl: number, vp: number, vl: number): number {
      const m = resolveMap(h, type);
      if (!m || !m.writable) return WasmResult.BadArgument;
      m.headers.push([mem.readString(kp, kl).toLowerCase(), mem.readString(vp, vl)]);
      return WasmResult.Ok;
    },
    proxy_replace_header_map_value(type: number, kp: number, kl: number, vp: number, vl: number): number {
      const m = resolveMap(h, type);
      if (!m || !m.writable) return WasmResult.BadArgument;
      const key = mem.readString(kp, kl).toLowerCase();
      const value = mem.readString(vp, vl);
      const i = m.headers.findIndex(([k]) => k === key);
      if (i < 0) {
        m.headers.push([key, value]);
      } else {
        m.headers[i] = [key, value];
        for (let j = m.headers.length - 1; j > i; j--) if (m.headers[j][0] === key) m.headers.splice(j, 1);
      }
      return WasmResult.Ok;
    },
    proxy_remove_header_map_value(type: number, kp: number, kl: number): number {
      const m = resolveMap(h, type);
      if (!m || !m.writable) return WasmResult.BadArgument;
      const key = mem.readString(kp, kl).toLowerCase();
      for (let j = m.headers.length - 1; j >= 0; j--) if (m.headers[j][0] === key) m.headers.splice(j, 1);
      return WasmResult.Ok;
    },
  };
}
