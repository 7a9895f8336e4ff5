// proxy_get_property / proxy_set_property. Paths are segments joined by \0; values are resolved
// by the VM (see src/properties.ts). Writes to any name are accepted (Envoy stores them as filter
// state `wasm.<path>`), which is how `x_request_id` round-trips.
import { WasmResult } from '../abi/enums.js';
import type { ImportHost } from './host.js';

export function propertyImports(h: ImportHost) {
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
      h.setProperty(path, mem.read(vp, vl));
      return WasmResult.Ok;
    },
  };
}
