// Header maps (ENVOY context.cc getMap / getConstMap and the *HeaderMap* functions): the stream's
// request/response headers and trailers, and the http_call response maps (only inside
// proxy_on_http_call_response). Reads use the access log's copies in on_log; a map that is not
// available is BadArgument (NotFound for a read in on_log), except that reading all pairs of one
// yields an empty list. Keys are lower-cased; get returns the first value.
import { MapType, WasmResult } from '../abi/enums.js';
import type { StreamContext } from '../context.js';
import { deserializePairs, serializePairs } from '../memory.js';
import type { Headers } from '../types.js';
import type { HostEnv } from './host.js';

const MAP_NAMES = ['request headers', 'request trailers', 'response headers', 'response trailers'];

/** getConstMap: what reads see. */
function readMap(h: HostEnv, type: number): Headers | null {
  if (type === MapType.HttpCallResponseHeaders || type === MapType.HttpCallResponseTrailers) {
    const r = h.calloutResponse;
    return r ? (type === MapType.HttpCallResponseHeaders ? r.headers : r.trailers) : null;
  }
  const s = h.stream();
  if (!s) return null;
  if (s.accessLog) {
    if (type === MapType.RequestHeaders) return s.accessLog.requestHeaders;
    if (type === MapType.ResponseHeaders) return s.accessLog.responseHeaders;
    if (type === MapType.ResponseTrailers) return s.accessLog.responseTrailers;
    return null;
  }
  return streamMap(s, type, false);
}

function streamMap(s: StreamContext, type: number, create: boolean): Headers | null {
  switch (type) {
    case MapType.RequestHeaders:
      return s.requestHeaders;
    case MapType.RequestTrailers:
      // A last body callback may add trailers to a stream that has none (addDecodedTrailers).
      if (create && !s.requestTrailers && s.requestBody && s.endOfStream && !s.hasTrailers.request) s.requestTrailers = s.addedTrailers.request = [];
      return s.requestTrailers;
    case MapType.ResponseHeaders:
      return s.responseHeaders;
    case MapType.ResponseTrailers:
      if (create && !s.responseTrailers && s.responseBody && s.endOfStream && !s.hasTrailers.response) s.responseTrailers = s.addedTrailers.response = [];
      return s.responseTrailers;
    default:
      return null;
  }
}

/** getMap: what writes change; notes why a write is refused or lost. */
function writeMap(h: HostEnv, type: number, call: string): Headers | null {
  const s = h.stream();
  if (!s || s.accessLog || type > MapType.ResponseTrailers) return null;
  const m = streamMap(s, type, true);
  const name = MAP_NAMES[type];
  const dir = type <= MapType.RequestTrailers ? 'request' : 'response';
  if (!m) {
    if (type === MapType.RequestHeaders && s.releasedByContinue) {
      h.note({
        code: 'header_after_resume',
        message: `${call} after ResumeHttpRequest/ResumeHttpResponse in the same callback: Envoy releases the request headers when the stream is continued (Context::continueStream), so the call returned BadArgument and the change never reaches the upstream`,
        fix: 'change the headers first, then call ResumeHttpRequest() last',
      });
    } else {
      h.note({
        code: 'header_map_unavailable',
        message: `${call} on the ${name} when Envoy no longer (or not yet) holds them: BadArgument, nothing changed`,
        fix: `change the ${name} in the callback that receives them (or while they are paused)`,
      });
    }
    return null;
  }
  if (type === MapType.RequestHeaders || type === MapType.ResponseHeaders) {
    if (s.headersSent[dir]) {
      h.note({
        code: 'header_map_unavailable',
        message: `${call} on the ${name} after they were sent ${dir === 'request' ? 'upstream' : 'to the client'}: Envoy still holds the map, so the call returns Ok, but the change goes nowhere`,
        fix: `change the ${name} before the stream continues`,
      });
    }
  }
  return m;
}

export function headerImports(h: HostEnv) {
  const mem = h.mem;
  return {
    proxy_get_header_map_value(type: number, kp: number, kl: number, rvp: number, rvl: number): number {
      const m = readMap(h, type);
      if (!m) return h.stream()?.accessLog ? WasmResult.NotFound : WasmResult.BadArgument;
      const key = mem.readString(kp, kl).toLowerCase();
      const hit = m.find(([k]) => k === key);
      if (!hit) return WasmResult.NotFound;
      mem.returnString(hit[1], rvp, rvl);
      return WasmResult.Ok;
    },
    proxy_get_header_map_pairs(type: number, rvp: number, rvl: number): number {
      mem.returnBytes(serializePairs(readMap(h, type) ?? []), rvp, rvl);
      return WasmResult.Ok;
    },
    proxy_set_header_map_pairs(type: number, p: number, l: number): number {
      let pairs: Headers;
      try {
        pairs = deserializePairs(mem.read(p, l));
      } catch {
        return WasmResult.SerializationFailure;
      }
      const m = writeMap(h, type, 'SetHttp…Headers');
      if (!m) return WasmResult.BadArgument;
      m.splice(0, m.length, ...pairs.map(([k, v]) => [k.toLowerCase(), v] as [string, string]));
      return WasmResult.Ok;
    },
    proxy_add_header_map_value(type: number, kp: number, kl: number, vp: number, vl: number): number {
      const key = mem.readString(kp, kl).toLowerCase();
      const m = writeMap(h, type, `Add…Header("${key}")`);
      if (!m) return WasmResult.BadArgument;
      m.push([key, mem.readString(vp, vl)]);
      return WasmResult.Ok;
    },
    proxy_replace_header_map_value(type: number, kp: number, kl: number, vp: number, vl: number): number {
      const key = mem.readString(kp, kl).toLowerCase();
      const m = writeMap(h, type, `Replace…Header("${key}")`);
      if (!m) return WasmResult.BadArgument;
      const value = mem.readString(vp, vl);
      const i = m.findIndex(([k]) => k === key);
      if (i < 0) {
        m.push([key, value]);
      } else {
        m[i] = [key, value];
        for (let j = m.length - 1; j > i; j--) if (m[j][0] === key) m.splice(j, 1);
      }
      return WasmResult.Ok;
    },
    proxy_remove_header_map_value(type: number, kp: number, kl: number): number {
      const key = mem.readString(kp, kl).toLowerCase();
      const m = writeMap(h, type, `Remove…Header("${key}")`);
      if (!m) return WasmResult.BadArgument;
      for (let j = m.length - 1; j >= 0; j--) if (m[j][0] === key) m.splice(j, 1);
      return WasmResult.Ok;
    },
  };
}
