// Buffers (ENVOY context.cc getBuffer): the request/response body the current body callback was
// given, the http_call response body (only inside its callback), and the VM/plugin configuration
// (only in vm_start/configure). set_buffer_bytes follows Envoy's Buffer::copyFrom: (0,0)
// prepends, (0,>=size) replaces, start>=size appends, anything else is BadArgument.
import { BufferType, WasmResult } from '../abi/enums.js';
import { concatBytes } from '../memory.js';
import type { HostEnv } from './host.js';

function readable(h: HostEnv, type: number): Uint8Array | null | undefined {
  switch (type) {
    case BufferType.RequestBody:
      return h.stream()?.requestBody;
    case BufferType.ResponseBody:
      return h.stream()?.responseBody;
    case BufferType.HttpCallResponseBody:
      return h.calloutResponse?.body;
    case BufferType.RedisCallResponse:
      return h.redisResponse;
    case BufferType.VmConfiguration:
    case BufferType.PluginConfiguration:
      return h.configBuffer(type);
    default:
      return undefined;
  }
}

export function bufferImports(h: HostEnv) {
  const mem = h.mem;
  return {
    proxy_get_buffer_bytes(type: number, start: number, max: number, rvp: number, rvl: number): number {
      const buf = readable(h, type);
      if (!buf) return WasmResult.NotFound;
      start >>>= 0;
      max >>>= 0;
      if (start > buf.length) return WasmResult.BadArgument;
      const end = Math.min(buf.length, start + max);
      mem.returnBytes(buf.subarray(start, end), rvp, rvl);
      return WasmResult.Ok;
    },
    proxy_set_buffer_bytes(type: number, start: number, len: number, dp: number, dl: number): number {
      if (type !== BufferType.RequestBody && type !== BufferType.ResponseBody) {
        return readable(h, type) ? WasmResult.BadArgument : WasmResult.NotFound;
      }
      const s = h.stream();
      const cur = type === BufferType.RequestBody ? s?.requestBody : s?.responseBody;
      if (!s || !cur) return WasmResult.NotFound;
      start >>>= 0;
      len >>>= 0;
      const data = mem.read(dp, dl);
      let next: Uint8Array;
      if (start === 0 && len === 0) next = concatBytes(data, cur);
      else if (start === 0 && len >= cur.length) next = data;
      else if (start >= cur.length) next = concatBytes(cur, data);
      else return WasmResult.BadArgument;
      if (type === BufferType.RequestBody) s.requestBody = next;
      else s.responseBody = next;
      return WasmResult.Ok;
    },
  };
}
