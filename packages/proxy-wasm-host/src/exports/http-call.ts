// proxy_http_call: validation happens at once (ENVOY httpCall), the call itself is asynchronous
// and its response is delivered later through proxy_on_http_call_response on the root context.
import { WasmResult } from '../abi/enums.js';
import { deserializePairs } from '../memory.js';
import type { HostEnv } from './host.js';

export function httpCallImports(h: HostEnv) {
  const mem = h.mem;
  return {
    proxy_http_call(
      cp: number,
      cl: number,
      hp: number,
      hl: number,
      bp: number,
      bl: number,
      tp: number,
      tl: number,
      timeoutMs: number,
      tokenPtr: number,
    ): number {
      let headers, trailers;
      try {
        headers = deserializePairs(mem.read(hp, hl));
        trailers = deserializePairs(mem.read(tp, tl));
      } catch {
        return WasmResult.SerializationFailure;
      }
      const { result, token } = h.httpCall(
        mem.readString(cp, cl),
        headers.map(([k, v]) => [k.toLowerCase(), v] as [string, string]),
        mem.read(bp, bl),
        trailers,
        timeoutMs | 0,
      );
      if (result === WasmResult.Ok) mem.writeU32(tokenPtr, token);
      return result;
    },
  };
}
