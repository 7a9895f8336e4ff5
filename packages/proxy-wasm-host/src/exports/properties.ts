// proxy_get_property / proxy_set_property (ENVOY context.cc getProperty / setProperty). Paths are
// segments joined by \0; values are resolved by src/properties.ts. A write stores filter state
// `wasm.<path>` (how `x_request_id` round-trips), and needs a stream: on the root context Envoy has
// no stream info and answers NotFound.
import { WasmResult } from '../abi/enums.js';
import type { HostEnv } from './host.js';

export function propertyImports(h: HostEnv) {
  const mem = h.mem;
  return {
    proxy_get_property(pp: number, pl: number, rvp: number, rvl: number): number {
      const path = mem.readString(pp, pl).split('\0');
      const v = h.getProperty(path);
      if (v === undefined) return WasmResult.NotFound;
      mem.returnBytes(v, rvp, rvl);
      return WasmResult.Ok;
    },
    proxy_set_property(pp: number, pl: number, vp: number, vl: number): number {
      const path = mem.readString(pp, pl).split('\0');
      return h.setProperty(path, mem.read(vp, vl)) ? WasmResult.Ok : WasmResult.NotFound;
    },
  };
}
